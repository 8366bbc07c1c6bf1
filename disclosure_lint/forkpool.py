"""A small pool of forked worker processes, each fed its own batches through its own pipes.

``concurrent.futures.ProcessPoolExecutor`` runs two threads in the parent (one to pickle and send the work,
one to receive and unpickle the results), one queue that every worker reads under a lock, and about 9 ms of
imports. On two cores those threads take CPU from the workers at every batch, and a batch's result waits for
the parent's receiving thread to be given the interpreter. Here the parent is one thread: it sends each
worker its next batch as soon as the worker has returned one, and reads every result where it arrives, with
``poll``. On 1,000 reports over two cores this ran the whole command 3 % faster (docs/performance.md).

It is used where ``fork`` is safe and cheap: on Linux, from a process that runs no other thread (a fork copies
only the thread that forks, so a lock another thread held would stay held in the child). Elsewhere the runner
uses the executor. What a pool reports for a batch is one of:

* :class:`Done`: the worker's results;
* :class:`Failed`: the worker's function raised, or its results could not be pickled (the message and
  traceback);
* :class:`Lost`: the worker died (a signal, the memory limit's kill) with this batch in hand. A dead worker is
  replaced at once by a fresh one.

Messages are pickles behind an 8-byte length. The parent's ends of the pipes do not block, so that a worker
writing a large result and the parent writing it a batch can never wait for each other.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from .records import record

Item = TypeVar("Item")
_HEADER = 8  # bytes of a message's length, little-endian
_READ_SIZE = 1 << 16
# The parent's ends of every worker's pipes, of every pool open in this process: a child closes them all, or a
# worker would keep another's inbox open (which then never sees the end of its input).
_PARENT_ENDS: set[int] = set()


def usable() -> bool:
    """Whether this process can fork its workers: Linux, and no other Python thread running."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")  # (not imported: no thread was started from Python)
    return threading is None or threading.active_count() == 1


@record(frozen=True)
class Done(Generic[Item]):
    batch: tuple[Item, ...]
    results: list[Any]


@record(frozen=True)
class Failed(Generic[Item]):
    batch: tuple[Item, ...]
    error: str  # "TypeError: cannot pickle …"
    traceback: str


@record(frozen=True)
class Lost(Generic[Item]):
    batch: tuple[Item, ...]


Outcome = Done[Item] | Failed[Item] | Lost[Item]


class _Worker(Generic[Item]):
    """The parent's side of one worker: its pid, its two pipes, what is still to be written to it, what has
    been read from it, and the batches it holds, oldest first."""

    def __init__(self, pid: int, inbox: int, outbox: int) -> None:
        self.pid, self.inbox, self.outbox = pid, inbox, outbox
        self.to_write = bytearray()
        self.read = bytearray()
        self.batches: deque[tuple[Item, ...]] = deque()


class ForkPool(Generic[Item]):
    """``size`` forked workers that run ``work(batch)`` on the batches given to :meth:`submit`; each starts
    with ``start()``. Use it as a context manager: leaving it stops the workers (kills them when leaving on an
    exception, Ctrl-C among them, so that none outlives the run)."""

    def __init__(
        self,
        size: int,
        work: Callable[[tuple[Item, ...]], list[Any]],
        start: Callable[[], None] = lambda: None,
        *,
        depth: int = 3,
    ) -> None:
        self._work, self._start, self.depth = work, start, depth
        self._workers: dict[int, _Worker[Item]] = {}  # by the parent's end of the worker's outbox
        for _ in range(size):
            self._fork()

    def __enter__(self) -> ForkPool[Item]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(kill=kind is not None)

    # --- the parent's side -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """Whether any batch is still in a worker's hands."""
        return any(w.batches for w in self._workers.values())

    def can_take(self) -> bool:
        """Whether a worker holds fewer than ``depth`` batches (the one it checks and those queued for it)."""
        return any(len(w.batches) < self.depth for w in self._workers.values())

    def submit(self, batch: tuple[Item, ...]) -> None:
        """Give ``batch`` to the worker that holds the fewest."""
        worker = min(self._workers.values(), key=lambda w: len(w.batches))
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        worker.to_write += len(data).to_bytes(_HEADER, "little") + data
        worker.batches.append(batch)
        self._flush(worker)

    def outcomes(self) -> list[Outcome[Item]]:
        """Wait until at least one batch is done, failed or lost, and say which (none when nothing is held)."""
        found: list[Outcome[Item]] = []
        while not found and self.busy:
            poll = select.poll()  # (not select(): it refuses descriptors past 1,023)
            for fd, worker in self._workers.items():
                if worker.batches:
                    poll.register(fd, select.POLLIN)
                if worker.to_write:
                    poll.register(worker.inbox, select.POLLOUT)
            ready = poll.poll()
            inboxes = {w.inbox: w for w in self._workers.values()}
            for fd, _event in ready:
                if fd in inboxes:
                    self._flush(inboxes[fd])
            for fd, _event in ready:
                if fd in self._workers and fd not in inboxes:
                    found += self._receive(self._workers[fd])
        return found

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker: closing its inbox ends it when it has nothing left to do; ``kill`` ends it now."""
        for worker in list(self._workers.values()):
            self._end(worker, kill=kill)
        self._workers.clear()

    def _flush(self, worker: _Worker[Item]) -> None:
        while worker.to_write:
            try:
                written = os.write(worker.inbox, worker.to_write)
            except BlockingIOError:
                return  # (the pipe is full: poll says when it can take more)
            except OSError:
                worker.to_write.clear()  # (the worker is gone: reading its outbox says so)
                return
            del worker.to_write[:written]

    def _receive(self, worker: _Worker[Item]) -> list[Outcome[Item]]:
        try:
            chunk = os.read(worker.outbox, _READ_SIZE)
        except BlockingIOError:
            return []
        except OSError:
            chunk = b""
        if not chunk:  # the worker died: what it held is lost, and a fresh worker takes its place
            lost: list[Outcome[Item]] = [Lost(batch) for batch in worker.batches]
            self._end(worker, kill=True)
            del self._workers[worker.outbox]
            self._fork()
            return lost
        worker.read += chunk
        found: list[Outcome[Item]] = []
        while len(worker.read) >= _HEADER:
            size = int.from_bytes(worker.read[:_HEADER], "little")
            if len(worker.read) < _HEADER + size:
                break
            message = pickle.loads(worker.read[_HEADER : _HEADER + size])  # (from our own worker, of this run)
            del worker.read[: _HEADER + size]
            batch = worker.batches.popleft()
            found.append(Done(batch, message[1]) if message[0] == "done" else Failed(batch, message[1], message[2]))
        return found

    def _fork(self) -> None:
        inbox_read, inbox = os.pipe()
        outbox, outbox_write = os.pipe()
        # SIGINT is held back while forking: a Ctrl-C now reaches the parent once it can handle it, and never a
        # child that has not yet set it aside (see _child).
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            pid = os.fork()
            if pid == 0:
                _child(inbox_read, outbox_write, [inbox, outbox, *_PARENT_ENDS], held, self._start, self._work)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(inbox_read)
        os.close(outbox_write)
        os.set_blocking(inbox, False)
        os.set_blocking(outbox, False)
        _PARENT_ENDS.update((inbox, outbox))
        self._workers[outbox] = _Worker(pid, inbox, outbox)

    def _end(self, worker: _Worker[Item], *, kill: bool) -> None:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        for fd in (worker.inbox, worker.outbox):
            _PARENT_ENDS.discard(fd)
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)


# --- the worker's side -----------------------------------------------------------------------------------


def _child(
    inbox: int,
    outbox: int,
    parents: Sequence[int],
    mask: set[signal.Signals],
    start: Callable[[], None],
    work: Callable[[tuple[Any, ...]], list[Any]],
) -> None:
    """The worker's life: never returns, and leaves by ``os._exit`` (no exit handlers, no buffers flushed that
    the parent wrote to and will flush itself)."""
    status = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # (Ctrl-C reaches the whole group: the parent handles it)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in parents:  # the parent's ends of every pipe: a worker must not keep another's open
            os.close(fd)
        start()
        for batch in _messages(inbox):
            try:
                reply = pickle.dumps(("done", work(batch)), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # (its results could not be pickled, or work itself raised)
                error = f"{type(exc).__name__}: {exc}"
                reply = pickle.dumps(("failed", error, traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(outbox, len(reply).to_bytes(_HEADER, "little") + reply)
        status = 0
    finally:
        os._exit(status)


def _messages(fd: int) -> Iterator[Any]:
    """Each message the parent sends, unpickled, until it closes the pipe."""
    while True:
        header = _read_exactly(fd, _HEADER)
        if header is None:
            return
        body = _read_exactly(fd, int.from_bytes(header, "little"))
        if body is None:
            return
        yield pickle.loads(body)  # (from the parent that forked this process)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
