"""What a check produces: one :class:`FileResult` per file and the :class:`RunResult` of the whole run.

These are plain data, shared by the library (``api.lint`` builds them, ``baseline`` filters them) and by the
reporters (which only read them), so this module imports neither: it sits below both layers.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from .bilingual import Text
from .diagnostics import Diagnostic
from .records import record
from .summary import ReportSummary

if TYPE_CHECKING:
    from .baseline import Applied
    from .config import Settings
    from .errors import LintError
    from .model import Report
    from .pairing import Pairing, Snapshot
    from .runner import Skipped


@record
class FileResult:
    """What checking one file gives, built once (by ``runner.check_file``, in a worker process or not) and
    passed on as it is: the cross-year comparison adds its findings, the baseline filters them, reporters
    read them. It crosses process boundaries by pickling, so it holds only what the parent needs."""

    path: str  # as given by the user (display / repo-relative)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # already sorted
    error: Text | None = None  # set when the file could not be read: why, in both languages
    summary: ReportSummary | None = None  # what was read (title, body, year, cells …); None when unreadable
    # The source lines the findings point at, by 1-based number, control characters made visible: the
    # code frames need these and no others.
    lines: dict[int, str] = field(default_factory=dict)
    internal: bool = False  # ``error`` is an internal error (a bug), with its traceback for --debug
    traceback: str | None = None
    snapshot: Snapshot | None = None  # what the cross-year checks need, when the run compares years


@record
class RuleMeta:
    """What SARIF's ``tool.driver.rules`` and documentation links need to know about one rule."""

    code: str
    name: str
    severity: str
    summary: str
    help: str | None = None
    category: str | None = None  # the rule file's category (structure, completeness, value …)


def fallback_key(d: Diagnostic) -> str:
    """Identity of a finding for fingerprints: the rule's stable key, or rule and line without one."""
    return d.key or f"{d.rule}:{d.line}"


@record
class RunResult:
    """Everything one ``lint()`` run found, and the exit status it stands for.

    ``files`` holds a result for every input, sorted by path: the checked reports, the inputs that could not be
    collected or read (``error`` set), and the reports named only by the cross-year pairing. ``skipped`` lists
    documents that were found but not checked. ``exit_status`` is the one place the status is decided.
    """

    settings: Settings  # the run-wide settings: language, fail level, baseline, rules
    files: list[FileResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    collection_errors: list[tuple[str, LintError]] = field(default_factory=list)
    pairing: Pairing | None = None  # None when the run compared no years
    pairing_asked: bool = False  # --previous or --pair-by: the pairing was asked for, so say what it did
    baseline: Applied | None = None  # what applying the baseline did (None: no baseline applied)
    baseline_path: Path | None = None
    baseline_written: int | None = None  # findings recorded by --write-baseline (None: none written)
    exit_zero: bool = False
    tracebacks: list[tuple[str, str]] = field(default_factory=list)  # (path, traceback) of internal errors

    @property
    def lang(self) -> str:
        return self.settings.lang

    @property
    def incomplete(self) -> bool:
        """A file could not be read or was skipped: the run did not check everything it was given."""
        return any(r.error for r in self.files) or bool(self.skipped)

    @property
    def failed(self) -> bool:
        """A finding at or above the fail level."""
        fail_on = self.settings.fail_on.rank
        return any(d.severity.rank >= fail_on for r in self.files for d in r.diagnostics)

    @property
    def exit_status(self) -> int:
        """0 clean, 1 findings at the fail level, 2 the run is incomplete (never hidden by ``exit_zero``).

        Writing a baseline records the findings instead of failing on them."""
        if self.incomplete:
            return 2
        if self.exit_zero or self.baseline_written is not None:
            return 0
        return 1 if self.failed else 0

    def rules(self) -> list[RuleMeta]:
        """The rule set's metadata in the run's language, with the configured severities."""
        lang, settings = self.lang, self.settings
        return [
            RuleMeta(
                r.code,
                r.name,
                settings.severities.get(r.code, r.severity).value,
                r.text("summary", lang),
                r.documented("help", lang) or None,
                r.category,
            )
            for r in settings.ruleset.rules
        ]

    def extras(self) -> dict[str, object]:
        """What a JSON document adds beyond the files: the baseline applied, the pairing, the skipped files."""
        out: dict[str, object] = {}
        if self.baseline is not None and self.baseline_path is not None:
            out["baseline"] = self.baseline.summary(self.baseline_path)
        if self.pairing is not None:
            out["pairing"] = self.pairing.to_dict()
        if self.skipped:
            out["skipped"] = [{"path": item.path, "reason": item.reason.resolve(self.lang)} for item in self.skipped]
        return out


@record
class Extracted:
    """What ``extract`` read: the reports as models, and the inputs that could not be read (exit status 2)."""

    lang: str
    reports: list[Report] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, localised message)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def exit_status(self) -> int:
        return 2 if self.failures else 0
