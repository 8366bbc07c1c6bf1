"""The forked worker pool: every batch comes back done, failed or lost, and no worker outlives it."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from disclosure_lint import forkpool
from disclosure_lint.forkpool import Done, Failed, ForkPool, Lost

pytestmark = pytest.mark.skipif(not forkpool.usable(), reason="forked workers are used on Linux only")


def _run(pool: ForkPool, batches: list[tuple]) -> list:
    """Every outcome of ``batches``, submitted as the pool can take them."""
    queue, outcomes = list(reversed(batches)), []
    while queue or pool.busy:
        while queue and pool.can_take():
            pool.submit(queue.pop())
        outcomes += pool.outcomes()
    return outcomes


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_every_batch_comes_back_with_its_results():
    batches = [tuple(range(i, i + 3)) for i in range(0, 60, 3)]
    with ForkPool(2, lambda batch: [(os.getpid(), n * n) for n in batch], depth=2) as pool:
        outcomes = _run(pool, batches)
    assert all(isinstance(o, Done) for o in outcomes)
    assert sorted(o.batch for o in outcomes) == batches
    assert all([n * n for n in o.batch] == [square for _pid, square in o.results] for o in outcomes)
    assert len({pid for o in outcomes for pid, _ in o.results}) == 2  # (both workers took batches)
    assert _no_children_left()


def test_each_worker_runs_start_first():
    def work(batch: tuple) -> list:
        return [os.environ.get("FORKPOOL_STARTED")]

    with ForkPool(2, work, start=lambda: os.environ.__setitem__("FORKPOOL_STARTED", "yes")) as pool:
        outcomes = _run(pool, [(1,), (2,), (3,)])
    assert [o.results for o in outcomes] == [["yes"]] * 3 and "FORKPOOL_STARTED" not in os.environ


def test_a_worker_that_dies_loses_what_it_held_and_is_replaced():
    def work(batch: tuple) -> list:
        if "die" in batch:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(batch)

    batches = [("a",), ("b",), ("die",), ("c",), ("d",), ("e",), ("f",)]
    with ForkPool(1, work, depth=3) as pool:
        outcomes = _run(pool, batches)
        lost = [o.batch for o in outcomes if isinstance(o, Lost)]
        # The batch that killed its worker is lost, and so are those queued behind it in the same worker.
        assert ("die",) in lost and set(lost) <= {("die",), ("c",), ("d",)}
        done = {o.batch for o in outcomes if isinstance(o, Done)}
        assert done | set(lost) == set(batches) and {("e",), ("f",)} <= done  # (a fresh worker took the rest)
    assert _no_children_left()


def test_a_batch_whose_work_raises_or_whose_results_cannot_be_sent_fails_alone():
    def work(batch: tuple) -> list:
        if batch == ("raise",):
            raise ValueError("bad batch")
        if batch == ("lambda",):
            return [lambda: None]
        return list(batch)

    with ForkPool(2, work) as pool:
        outcomes = {o.batch: o for o in _run(pool, [("ok",), ("raise",), ("lambda",), ("fine",)])}
    assert isinstance(outcomes[("raise",)], Failed) and outcomes[("raise",)].error == "ValueError: bad batch"
    assert "Traceback" in outcomes[("raise",)].traceback
    assert isinstance(outcomes[("lambda",)], Failed) and "pickle" in outcomes[("lambda",)].error
    assert outcomes[("ok",)].results == ["ok"] and outcomes[("fine",)].results == ["fine"]


def test_large_batches_and_results_cross_both_ways_at_once():
    # Each batch and each result is larger than a pipe holds (64 KB): neither side may wait for the other.
    batches = [(bytes([i]) * 300_000,) for i in range(8)]
    with ForkPool(2, lambda batch: [batch[0] * 3], depth=3) as pool:
        outcomes = _run(pool, batches)
    assert sorted(o.results[0] for o in outcomes) == sorted(b[0] * 3 for b in batches)


def test_leaving_on_an_exception_kills_the_workers():
    with pytest.raises(KeyboardInterrupt), ForkPool(2, lambda batch: list(batch)) as pool:
        pool.submit((1,))
        raise KeyboardInterrupt
    assert _no_children_left()


def test_a_process_running_another_thread_does_not_fork():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forkpool.usable()
    finally:
        stop.set()
        thread.join()
    assert forkpool.usable()


def test_a_pool_closes_while_another_pool_is_open():
    # A second pool's worker must not hold the first pool's pipes: the first pool's workers would never see
    # their input end, and closing that pool would wait for them for ever (the runner opens a one-worker pool
    # for a dead worker's files while its main pool runs).
    def give_up(*_: object) -> None:
        raise TimeoutError("closing the first pool waited for its workers")

    previous = signal.signal(signal.SIGALRM, give_up)
    first = ForkPool(2, lambda batch: list(batch))
    second = ForkPool(1, lambda batch: list(batch))
    signal.alarm(20)
    try:
        assert [o.results for o in _run(first, [(1,), (2,)])] in ([[1], [2]], [[2], [1]])
        first.close()
        assert [o.results for o in _run(second, [(3,)])] == [[3]]
        second.close()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        second.close(kill=True)  # (after a failure: no worker left behind)
        first.close(kill=True)
    assert _no_children_left()
