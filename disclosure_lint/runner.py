"""Running the checks over many files: collecting inputs, one file per job, optionally in parallel.

A job carries only plain values (the codes to run, severity overrides, the language) and its result is
plain too (diagnostics and the source lines for the code frame), so both cross process boundaries by
pickling. A failure in one file never stops the others: a file that cannot be read gives a localised
message, and any unexpected exception becomes an "internal error" for that file alone.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .config import Resolver
from .diagnostics import Diagnostic, Severity
from .errors import InputError, LintError
from .model import Report
from .pairing import snapshot
from .pipeline import load_report
from .rules.engine import load_rules, run_rules
from .summary import ReportSummary, summarize

# The extensions picked up when walking a directory. Files named explicitly are read whatever their name.
REPORT_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
# Directories never worth walking into (hidden ones, such as .git, are skipped as well).
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})
# Starting worker processes costs more than checking a handful of files in this process.
PARALLEL_MIN_FILES = 5
STDIN = "-"


@dataclass(frozen=True)
class Job:
    path: str  # shown to the user; for stdin the --stdin-filename or "<stdin>"
    codes: frozenset[str]
    severities: tuple[tuple[str, str], ...]
    lang: str
    rule_dirs: tuple[str, ...]
    data: bytes | None = None  # the content when it came from stdin
    # Send back what the cross-year checks need (pairing.snapshot); False when the run pairs nothing.
    snapshot: bool = False
    # False for a report read only as another's predecessor (--previous): its own findings are not wanted.
    rules: bool = True
    with_cells: bool = False  # send back every cell as read (for the HTML report, which draws the tables)


@dataclass
class Outcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    error: str | None = None  # localised: unreadable file or internal error
    internal: bool = False
    traceback: str | None = None
    snapshot: Report | None = None  # see Job.snapshot
    summary: ReportSummary | None = None  # what was read, for the HTML report and the audit tables


def internal_error_message(exc: BaseException, lang: str) -> str:
    name = type(exc).__name__
    if lang == "en":
        return f"internal error: {name}: {exc} (run with --debug for details; please report this)"
    return f"内部错误：{name}: {exc}（加 --debug 可查看详细信息；请报告此问题）"


def check_file(job: Job) -> Outcome:
    """Check one file. Never raises: every failure is folded into the :class:`Outcome`."""
    try:
        report = load_report(job.path, job.data)
        diagnostics: list[Diagnostic] = []
        if job.rules:
            ruleset = load_rules(job.rule_dirs)
            severities = {code: Severity(level) for code, level in job.severities}
            diagnostics = run_rules(
                report, ruleset, lang=job.lang, severities=severities, select=job.codes.__contains__
            )
        lines = report.text.split("\n")
        summary = summarize(report, diagnostics, with_cells=job.with_cells, lines=lines)
        return Outcome(
            job.path,
            diagnostics,
            lines,
            snapshot=snapshot(report) if job.snapshot else None,
            summary=summary,
        )
    except LintError as exc:
        return Outcome(job.path, error=exc.message(job.lang))
    except Exception as exc:
        return Outcome(
            job.path, error=internal_error_message(exc, job.lang), internal=True, traceback=traceback.format_exc()
        )


def default_jobs() -> int:
    return os.cpu_count() or 1


def run_jobs(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Check all ``jobs``; results sorted by path, so the output never depends on scheduling."""
    workers = max(1, workers or default_jobs())
    outcomes: list[Outcome] = []
    if workers == 1 or len(jobs) < PARALLEL_MIN_FILES:
        for job in jobs:
            outcomes.append(check_file(job))
            if on_done:
                on_done(outcomes[-1])
    else:
        outcomes = _run_parallel(jobs, min(workers, len(jobs)), on_done)
    return sorted(outcomes, key=lambda o: o.path)


def _run_parallel(jobs: Sequence[Job], workers: int, on_done: Callable[[Outcome], None] | None) -> list[Outcome]:
    # Imported here: a process pool costs ~15 ms of import time that a single-file check never needs.
    from concurrent.futures import Future, ProcessPoolExecutor, as_completed

    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: dict[Future[Outcome], Job] = {pool.submit(check_file, job): job for job in jobs}
        # Completion order, so that a progress display moves as files finish; sorted by the caller.
        for future in as_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:
                # check_file catches everything, so this is the pool itself failing (a worker killed by
                # the system, a result that cannot be pickled): still only this file is lost.
                outcome = Outcome(
                    job.path,
                    error=internal_error_message(exc, job.lang),
                    internal=True,
                    traceback="".join(traceback.format_exception(exc)),
                )
            outcomes.append(outcome)
            if on_done:
                on_done(outcome)
    return outcomes


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


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that was not checked, and why (a key of :data:`messages.SKIP_REASONS`)."""

    path: str
    reason: str

    def reason_text(self, lang: str) -> str:
        from .messages import skip_reason

        return skip_reason(self.reason, lang)


@dataclass
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

    def add(path: str) -> None:
        real = path if path == STDIN else os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            out.files.append(path)

    for p in paths:
        if p == STDIN:
            add(p)
        elif os.path.isdir(p):
            found, anything = _walk(p, resolver, out.skipped)
            if not anything:
                out.errors.append(
                    (
                        p,
                        InputError(
                            "目录中没有报告文件（" + " ".join(REPORT_EXTENSIONS) + "）",
                            "no report files (" + " ".join(REPORT_EXTENSIONS) + ") in this directory",
                            path=p,
                        ),
                    )
                )
            for f in found:
                add(f)
        elif not os.path.exists(p):
            out.errors.append((p, InputError("文件不存在", "file not found", path=p)))
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


def _walk(top: str, resolver: Resolver, skipped: list[Skipped] | None = None) -> tuple[list[str], bool]:
    """Report files under ``top``, and whether there was anything at all (counting excluded entries)."""
    found: list[str] = []
    anything = False
    for root, dirs, names in os.walk(top):
        settings = resolver.settings_for(root, is_dir=True)
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
                if reason and skipped is not None and not settings.excluded(path):
                    skipped.append(Skipped(path, reason))
                continue
            anything = True
            path = os.path.join(root, name)
            if not settings.excluded(path):
                found.append(path)
    return found, anything
