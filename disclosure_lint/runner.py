"""Running the checks over many files: collecting inputs, one file per job, optionally in parallel.

A job carries only plain values (the codes to run, severity overrides, the rule directories) and its result is a
:class:`~disclosure_lint.results.FileResult` holding only what the parent needs (the findings, the lines
they point at, a summary of what was read), so both cross process boundaries by pickling. Worker
processes receive the rule sets the parent loaded instead of reading the rule files again. A failure in
one file never stops the others: a file that cannot be read gives a message in both languages, and any
unexpected exception becomes an "internal error" for that file alone.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from . import limits, readers
from .bilingual import Text
from .config import Resolver
from .diagnostics import Diagnostic, Severity
from .errors import InputError, LintError
from .inert import inert_diagnostic, visible, visible_path
from .pipeline import load_report, render_file
from .reading import special_file_kind
from .records import record
from .results import FileResult
from .rules.engine import RuleSet, load_rules, run_rules
from .summary import summarize

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.context import BaseContext

    from .forkpool import Outcome

# The extensions picked up when walking a directory. Files named explicitly are read whatever their name.
REPORT_EXTENSIONS = readers.SUFFIXES  # what a folder walk picks up: whatever a reader in the table reads
# Directories never worth walking into (hidden ones, such as .git, are skipped as well).
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})
# Starting worker processes costs more than checking a handful of files in this process.
PARALLEL_MIN_FILES = 5
# Files go to the workers in batches: handing over each file alone cost the parent (which shares the cores with
# the workers) about as much as a quarter of checking it, and each batch wakes the parent's threads, which then
# take a core from a worker. 16 files (25 ms of work) ran 1,000 reports 2.5 % faster on two cores than 8, and 32
# no faster than 16. Batches shrink for a short run, so that the work still spreads evenly over the workers.
MAX_FILES_PER_BATCH = 16
# Batches queued per worker beyond the one it is checking, so that it never waits for the parent to hand it
# the next; few enough that a worker that dies takes only a handful of files with it (each is retried alone).
QUEUED_PER_WORKER = 2
_DEPTH = 1 + QUEUED_PER_WORKER  # the batches a worker holds: the one it checks and those queued for it
STDIN = "-"

# The rule sets a worker process was given when it started, by rule directories (see _init_worker).
_given_rules: dict[tuple[str, ...], RuleSet] = {}
# How worker processes start: None is the platform's default (fork on Linux before Python 3.14, spawn on
# Windows and macOS). Either way they are handed the loaded rule sets; the tests choose spawn to show it.
_POOL_CONTEXT: BaseContext | None = None


@record(frozen=True)
class Job:
    path: str  # shown to the user; for stdin the --stdin-filename or "<stdin>"
    codes: frozenset[str]
    severities: tuple[tuple[str, str], ...]
    rule_dirs: tuple[str, ...]
    data: bytes | None = None  # the content when it came from stdin
    # Send back what the cross-year checks need (pairing.snapshot); False when the run pairs nothing.
    snapshot: bool = False
    # False for a report read only as another's predecessor (--previous): its own findings are not wanted.
    rules: bool = True
    with_cells: bool = False  # send back every cell as read (for the HTML report, which draws the tables)
    source: str | None = None  # the path to read, when ``path`` shows it escaped (control bytes in a name)
    max_file_size: int = limits.MAX_FILE_SIZE


def internal_error_message(exc: BaseException | str) -> Text:
    """The message of an unexpected exception (or of its "Name: message", as a worker reports it)."""
    described = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return Text(
        f"内部错误：{described}（加 --debug 可查看详细信息；请报告此问题）",
        f"internal error: {described} (run with --debug for details; please report this)",
    )


OUT_OF_MEMORY = Text(
    "检查该文件所需内存超出限制，已停止（其他文件照常检查）",
    "checking this file needed more memory than allowed; it was stopped (the other files are checked)",
)
WORKER_DIED = Text(
    "检查该文件的进程被终止（内存不足或收到信号），其他文件照常检查",
    "the process checking this file was killed (out of memory or a signal); the other files are checked",
)


def check_file(job: Job) -> FileResult:
    """Check one file. Never raises: every failure is folded into the :class:`FileResult`."""
    try:
        report = load_report(job.source or job.path, job.data, max_bytes=job.max_file_size)
        diagnostics: list[Diagnostic] = []
        ruleset = None
        if job.rules:
            ruleset = _given_rules.get(job.rule_dirs) or load_rules(job.rule_dirs)
            severities = {code: Severity(level) for code, level in job.severities}
            diagnostics = run_rules(report, ruleset, severities=severities, select=job.codes.__contains__)
        source_lines = report.text.split("\n") if diagnostics else []  # (only what findings point at is kept)
        summary = summarize(report, diagnostics, with_cells=job.with_cells, lines=source_lines)
        wanted = set().union(*(d.frame_lines() for d in diagnostics))
        kept = None
        if job.snapshot:
            from .pairing import cross_year_reads, snapshot  # (only a run that compares years needs the module)

            if ruleset is None:  # a report read only as another's predecessor
                with contextlib.suppress(LintError):  # (comparing the years says what is wrong with the rules)
                    ruleset = _given_rules.get(job.rule_dirs) or load_rules(job.rule_dirs)
            kept = snapshot(report, None if ruleset is None else cross_year_reads(ruleset))
        return FileResult(
            job.path,
            [inert_diagnostic(d) for d in diagnostics],
            # Report text reaches terminals: control characters become visible pictures here, once.
            lines={n: visible(source_lines[n - 1]) for n in sorted(wanted) if 1 <= n <= len(source_lines)},
            summary=summary,
            snapshot=kept,
        )
    except LintError as exc:
        return FileResult(job.path, error=exc.text.map(visible_path))  # (messages may quote the name)
    except MemoryError:
        # Under --max-memory (or a system limit) a hostile file fails here, alone, instead of ending the run.
        return FileResult(job.path, error=OUT_OF_MEMORY)
    except Exception as exc:
        return FileResult(
            job.path,
            error=internal_error_message(exc),
            internal=True,
            traceback=traceback.format_exc(),
        )


def text_again(job: Job) -> str | None:
    """The text of ``job``'s report read again, as the check read it; None when it cannot be read now."""
    try:
        return render_file(job.source or job.path, job.data, max_bytes=job.max_file_size).text
    except Exception:  # (the file changed into one that cannot be read: no lines, rather than a failed run)
        return None


def default_jobs() -> int:
    return os.cpu_count() or 1


def run_jobs(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    on_done: Callable[[FileResult], None] | None = None,
    max_memory_mb: int = limits.DEFAULT_MAX_MEMORY_MB,
) -> list[FileResult]:
    """Check all ``jobs``; results sorted by path, so the output never depends on scheduling.

    Few files are checked in this process (a pool costs more than it saves); a MemoryError there is that
    file's error. With ``max_memory_mb`` each worker (or, in-process, this process while checking) is
    limited to that address space, so a file that needs more fails alone instead of exhausting the machine.
    """
    workers = max(1, workers or default_jobs())
    results: list[FileResult] = []
    if workers == 1 or len(jobs) < PARALLEL_MIN_FILES:
        with _memory_limit(max_memory_mb):
            for job in jobs:
                results.append(check_file(job))
                if on_done:
                    on_done(results[-1])
    else:
        results = _run_parallel(jobs, min(workers, len(jobs)), on_done, max_memory_mb)
    return sorted(results, key=lambda r: r.path)


@contextlib.contextmanager
def _memory_limit(max_memory_mb: int) -> Iterator[None]:
    if max_memory_mb <= 0:
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    _limit_address_space(max_memory_mb)
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _limit_address_space(max_memory_mb: int) -> None:
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = max_memory_mb * limits.MB
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _loaded_rules(jobs: Sequence[Job]) -> dict[tuple[str, ...], RuleSet]:
    """The rule sets the jobs need, loaded here once (the configuration has loaded them already)."""
    rulesets: dict[tuple[str, ...], RuleSet] = {}
    for rule_dirs in {job.rule_dirs for job in jobs if job.rules}:
        with contextlib.suppress(LintError):  # (a bad rule file is then each file's error, as in-process)
            rulesets[rule_dirs] = load_rules(rule_dirs)
    return rulesets


def _init_worker(max_memory_mb: int, rulesets: dict[tuple[str, ...], RuleSet]) -> None:
    # Ctrl-C reaches the whole process group; the parent alone handles it (and stops the workers), so
    # no worker prints a traceback of its own.
    import signal  # (only worker processes need it: not imported by a check in one process)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked, the worker shares the parent's rule sets; spawned, they arrive pickled, once per worker,
    # without their compiled expressions (each worker compiles its own on first use).
    _given_rules.update(rulesets)
    if max_memory_mb > 0:
        _limit_address_space(max_memory_mb)


def check_files(jobs: Sequence[Job]) -> list[FileResult]:
    """Check a batch of files (in a worker process), one :class:`FileResult` each."""
    return [check_file(job) for job in jobs]


def _batches(jobs: Sequence[Job], workers: int) -> list[tuple[Job, ...]]:
    """``jobs`` cut into batches of up to MAX_FILES_PER_BATCH, at least eight for each worker when possible."""
    size = max(1, min(MAX_FILES_PER_BATCH, len(jobs) // (workers * 8)))
    return [tuple(jobs[i : i + size]) for i in range(0, len(jobs), size)]


def _run_parallel(
    jobs: Sequence[Job], workers: int, on_done: Callable[[FileResult], None] | None, max_memory_mb: int
) -> list[FileResult]:
    """The jobs on ``workers`` processes, each given its next batch as soon as it returns one, with a few more
    queued for it: forked ones (forkpool) where that is safe, else an executor's (:class:`_ExecutorPool`).

    Keeping only a few files in flight bounds what a dead worker takes with it. The batches it held come back
    lost, and each of their files is checked again alone in a fresh worker, which tells the file that killed
    it from those queued beside it; a fresh worker takes its place for the rest. A batch whose results cannot
    be pickled fails; its files go again one by one, to tell which file it was."""
    from . import forkpool
    from .forkpool import Done, Failed, Lost

    results: list[FileResult] = []
    start = (max_memory_mb, _loaded_rules(jobs))
    forked = _POOL_CONTEXT is None and forkpool.usable()

    def new_pool(size: int) -> forkpool.ForkPool[Job] | _ExecutorPool:
        if forked:
            return forkpool.ForkPool(size, check_files, functools.partial(_init_worker, *start), depth=_DEPTH)
        return _ExecutorPool(size, start, depth=_DEPTH)

    def done(result: FileResult) -> None:
        results.append(result)
        if on_done:
            on_done(result)

    def failed(job: Job, outcome: Failed[Job]) -> FileResult:
        return FileResult(
            job.path, error=internal_error_message(outcome.error), internal=True, traceback=outcome.traceback
        )

    def alone(job: Job) -> FileResult:
        with new_pool(1) as single:
            single.submit((job,))
            (outcome,) = single.outcomes()
        if isinstance(outcome, Done):
            return outcome.results[0]
        if isinstance(outcome, Lost):
            return FileResult(job.path, error=WORKER_DIED)
        return failed(job, outcome)

    queue = list(reversed(_batches(jobs, workers)))
    with new_pool(workers) as pool:
        while queue or pool.busy:
            while queue and pool.can_take():
                pool.submit(queue.pop())
            for outcome in pool.outcomes():
                if isinstance(outcome, Done):
                    for result in outcome.results:
                        done(result)
                elif isinstance(outcome, Lost):
                    for job in outcome.batch:
                        done(alone(job))
                elif len(outcome.batch) > 1:  # (a result that cannot be pickled: each again alone, to tell which)
                    queue.extend((job,) for job in outcome.batch)
                else:
                    done(failed(outcome.batch[0], outcome))
    return results


class _ExecutorPool:
    """``concurrent.futures``' process pool behind :class:`forkpool.ForkPool`'s interface, where workers are not
    forked by us (Windows, macOS, a process with other threads, a start method given). A worker's death breaks
    the whole executor: the batches it still held come back lost, and a fresh executor takes over."""

    def __init__(self, size: int, start: tuple[int, dict[tuple[str, ...], RuleSet]], *, depth: int) -> None:
        self._size, self._start, self._capacity = size, start, size * depth
        self._running: dict[Future[list[FileResult]], tuple[Job, ...]] = {}
        self._refused: list[tuple[Job, ...]] = []  # batches a broken executor would not take: for the next one
        self._executor = self._new()

    def __enter__(self) -> _ExecutorPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        self.close(kill=kind is not None)  # (Ctrl-C: the workers must not outlive the run)

    @property
    def busy(self) -> bool:
        return bool(self._running or self._refused)

    def can_take(self) -> bool:
        return len(self._running) + len(self._refused) < self._capacity

    def submit(self, batch: tuple[Job, ...]) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            self._running[self._executor.submit(check_files, batch)] = batch
        except BrokenProcessPool:  # a worker died since the last look: outcomes() says which batches it took
            self._refused.append(batch)

    def outcomes(self) -> list[Outcome[Job]]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        from .forkpool import Done, Failed, Lost

        found: list[Outcome[Job]] = []
        broken = bool(self._refused)
        finished, _pending = wait(self._running, return_when=FIRST_COMPLETED) if self._running else (set(), set())
        for future in finished:
            batch = self._running.pop(future)
            try:
                found.append(Done(batch, future.result()))
            except BrokenProcessPool:
                found.append(Lost(batch))
                broken = True
            except Exception as exc:  # (its results could not be pickled)
                found.append(Failed(batch, f"{type(exc).__name__}: {exc}", "".join(traceback.format_exception(exc))))
        if broken:
            found += [Lost(batch) for batch in self._running.values()]  # nothing still running will finish
            self._running.clear()
            self.close()
            self._executor = self._new()
            refused, self._refused = self._refused, []
            for batch in refused:
                self.submit(batch)
        return found

    def close(self, *, kill: bool = False) -> None:
        if kill:
            # ProcessPoolExecutor has no public way to stop a busy worker; without this, Ctrl-C would wait
            # for every file in flight to finish.
            for process in list(getattr(self._executor, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
        self._executor.shutdown(wait=not kill, cancel_futures=True)

    def _new(self) -> ProcessPoolExecutor:
        # Imported here: a process pool costs ~9 ms of import time that a single-file check never needs.
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self._size, mp_context=_POOL_CONTEXT, initializer=_init_worker, initargs=self._start
        )


# --- collecting the inputs ------------------------------------------------------------------------


# Documents found in a folder that this tool cannot read: listed as skipped, never passed over in silence
# (a clerk who drops the old .doc beside the reports must not believe it passed). Other files (images,
# configuration, baselines) are not reports and are left alone.
SKIPPED_EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    **dict.fromkeys(
        (".doc", ".docm", ".dot", ".wps", ".wpt", ".rtf", ".odt", ".xls", ".xlsx", ".xlsm", ".et", ".ods", ".ofd"),
        "unsupported",
    ),
}


@record(frozen=True)
class Skipped:
    """A file in a folder that was not checked, and why: a document type this tool cannot read, or an entry
    that is not a regular file (a device, a pipe, a link out of the tree). Listed for the user; the run is
    incomplete."""

    path: str
    reason: Text

    @classmethod
    def of_kind(cls, path: str, kind: str) -> Skipped:
        """A skipped document, ``kind`` a key of :data:`messages.SKIP_REASONS`."""
        from .messages import SKIP_REASONS

        return cls(path, SKIP_REASONS[kind])


@record
class Collected:
    files: list[str] = field(default_factory=list)  # display paths, in discovery order, no duplicates
    errors: list[tuple[str, LintError]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # not checked: the run is incomplete (exit 2)


def collect(paths: Iterable[str], resolver: Resolver, *, force_exclude: bool = False) -> Collected:
    """Expand directories into report files, honouring each directory's ``exclude`` setting.

    Explicit files are always checked unless ``force_exclude`` (for pre-commit, which passes every
    changed file by name). A directory with no report files at all is an error: a mistyped path must
    not pass silently; one whose files are all excluded is not.
    """
    out = Collected()
    seen: set[str] = set()

    def add(path: str, real: str | None = None) -> None:
        real = real or (path if path == STDIN else os.path.realpath(path))
        if real not in seen:
            seen.add(real)
            out.files.append(path)

    for p in paths:
        if p == STDIN:
            add(p)
        elif os.path.isdir(p):
            found, anything = _walk(p, resolver, out)
            if not anything:
                out.errors.append(
                    (
                        p,
                        InputError(
                            Text(
                                "目录中没有报告文件（" + " ".join(REPORT_EXTENSIONS) + "）",
                                "no report files (" + " ".join(REPORT_EXTENSIONS) + ") in this directory",
                            ),
                            path=p,
                        ),
                    )
                )
            for f, real in found:
                add(f, real)
        elif not os.path.exists(p):
            out.errors.append((p, InputError(Text("文件不存在", "file not found"), path=p)))
        elif force_exclude and resolver.settings_for(p).excluded(p):
            continue
        else:
            add(p)
    return out


@functools.cache
def _pdf_reader() -> bool:
    """Whether PDF files can be read here (the ``pdf`` extra); without it a folder's PDFs are listed as skipped.

    Asked only when a folder holds a PDF, so a run without PDFs never pays for importing the PDF library."""
    try:
        import pdfplumber  # noqa: F401
    except Exception:  # ImportError, or a broken installation: either way PDFs cannot be read
        return False
    return True


def _walk(top: str, resolver: Resolver, out: Collected) -> tuple[list[tuple[str, str]], bool]:
    """Report files under ``top`` with their real paths, and whether there was anything at all (counting
    excluded entries).

    Only regular files are taken: devices, pipes and sockets are listed in ``out.skipped`` (reading a
    FIFO would block forever), as are links that lead out of ``top`` (a walk stays inside the tree it was
    given). A directory or file that cannot be read is an error in ``out.errors``: the other files are
    still checked, but the run must not pass as if the unreadable part were clean.
    """
    found: list[tuple[str, str]] = []
    anything = False
    real_top = os.path.realpath(top)

    def unreadable(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else top
        reason = exc.strerror or str(exc)
        out.errors.append(
            (where, InputError(Text(f"无法读取目录：{reason}", f"cannot read directory: {reason}"), path=where))
        )

    for root, dirs, names in os.walk(top, onerror=unreadable):
        settings = resolver.settings_for(root, is_dir=True)
        real_root = os.path.realpath(root)
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or d in SKIPPED_DIRS:
                continue
            if settings.excluded(os.path.join(root, d), is_dir=True):
                anything = True
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(names):
            if name.startswith("."):
                continue
            if not name.lower().endswith(REPORT_EXTENSIONS) or (name.lower().endswith(".pdf") and not _pdf_reader()):
                reason = SKIPPED_EXTENSIONS.get(os.path.splitext(name)[1].lower())
                path = os.path.join(root, name)
                if reason and not settings.excluded(path):
                    out.skipped.append(Skipped.of_kind(path, reason))
                continue
            anything = True
            path = os.path.join(root, name)
            if settings.excluded(path):
                continue
            real_or_why = _real_path_or_why_not(path, real_top, real_root)
            if isinstance(real_or_why, str):
                found.append((path, real_or_why))
            elif isinstance(real_or_why, LintError):
                out.errors.append((path, real_or_why))
            else:
                out.skipped.append(Skipped(path, real_or_why))
    return found, anything


def _real_path_or_why_not(path: str, real_top: str, real_folder: str) -> Text | LintError | str:
    """The real path of ``path`` when the walk may read it; otherwise why not (a reason to list, or an error).

    ``real_folder`` is the real path of the folder ``path`` is in: a file that is not a link is found there
    without resolving its path again (one system call per folder of a batch instead of several per file)."""
    try:
        st = os.lstat(path)
        link = stat.S_ISLNK(st.st_mode)
        if link:
            st = os.stat(path)
    except FileNotFoundError:
        return Text("链接指向的文件不存在", "a link to a file that does not exist")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return InputError(Text(f"无法读取文件：{reason}", f"cannot read file: {reason}"), path=path)
    if not stat.S_ISREG(st.st_mode):
        return special_file_kind(st.st_mode) + Text("，不是普通文件", ", not a regular file")
    if not link:
        return os.path.join(real_folder, os.path.basename(path))
    real = os.path.realpath(path)
    if os.path.commonpath([real, real_top]) != real_top:
        return Text("链接指向所检查目录之外的文件", "a link to a file outside the directory being checked")
    return real
