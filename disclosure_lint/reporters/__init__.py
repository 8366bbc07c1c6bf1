"""Reporters: every output of ``check``, each a module, all listed in one registry (:data:`REPORTERS`).

A reporter's entry point takes the :class:`~disclosure_lint.results.RunResult` and a stream:
``report(run, out, style)``; what it needs beyond the files (the rules, the baseline, the pairing, the skipped
files) it reads from the result. Whether it writes text or bytes, and what it shows itself, are properties
of its :class:`Reporter` entry. The machine-readable formats also keep a ``render(results, *, rules, lang,
tool_version)`` function for callers that hold only file results.
Nothing here knows how reports are parsed or how rules work: a reporter sees only the fields of
:class:`~disclosure_lint.diagnostics.Diagnostic`, which keeps output formats replaceable.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from ..bilingual import Text
from ..diagnostics import Diagnostic, Severity
from ..records import record

# Their home is ..results (the library builds them too); re-exported here, where the format modules look.
from ..results import FileResult as FileResult
from ..results import RuleMeta as RuleMeta
from ..results import fallback_key as fallback_key

if TYPE_CHECKING:
    from rich.console import Console

    from ..results import Extracted, RunResult

TOOL_NAME = "disclosure-lint"
# The distribution's registry page is the one address that is certain to describe this tool.
INFORMATION_URI = "https://pypi.org/project/disclosure-lint/"


# --- the registry ----------------------------------------------------------------------------------


@record(frozen=True)
class Style:
    """How a reporter that draws for people (full, statistics) draws: colour forced on, off, or None for auto."""

    color: bool | None = None

    def console(self, stream: IO[str]) -> Console:
        from rich.console import Console

        terminal = stream.isatty()
        return Console(
            file=stream,
            # False means no escape codes at all, not just no colour: logs and screen readers get plain text.
            force_terminal=self.color,
            no_color=self.color is False,
            highlight=False,
            soft_wrap=True,
            width=None if terminal else 200,
            # Given both, rich does not ask the terminals and the environment for the size at every print (~15 µs
            # each, 80 prints for a few findings). The height is read only by what fills a screen (layouts, live
            # displays); the reporters print text and tables, which never read it.
            height=None if terminal else 25,
        )


@record(frozen=True)
class Reporter:
    """One output: the module that writes it and what the caller must know about it."""

    name: str
    module: str
    entry: str = "report"  # the module's ``entry(run, out, style)``
    binary: bool = False  # writes bytes: needs a binary stream and never goes to a terminal
    streamed: bool = False  # written while rendered; a reader that stops reading ends the output, not the run
    shows_errors: bool = False  # lists unreadable files itself (on stdout), so stderr need not
    shows_skipped: bool = False  # lists skipped files itself
    document: bool = False  # one JSON document: notes on the pairing are left out of stderr
    needs_cells: bool = False  # draws the tables: the run must keep every cell as read
    summary_file: str | None = None  # environment variable naming a file the module's ``summary(run)`` goes to
    renders: bool = True  # also ``render(results, *, rules, lang, tool_version)`` for callers without a run
    command: str = "check"  # "extract": the entry takes an ``Extracted`` (the reports read) instead of a run

    def load(self) -> Any:
        return importlib.import_module(f"{__name__}.{self.module}")

    def write(self, run: RunResult | Extracted, out: IO[Any], style: Style | None = None) -> None:
        getattr(self.load(), self.entry)(run, out, style or Style())


_REGISTERED = (
    Reporter("full", "full", shows_errors=True, shows_skipped=True, renders=False),
    Reporter("concise", "concise", shows_errors=True),
    Reporter("json", "json_", document=True),
    Reporter("sarif", "sarif"),
    Reporter("github", "github", summary_file="GITHUB_STEP_SUMMARY"),
    Reporter("junit", "junit"),
    Reporter("gitlab", "gitlab"),
    Reporter("html", "html", streamed=True, needs_cells=True),
    Reporter("csv", "csv_"),
    Reporter("xlsx", "xlsx", binary=True),
    # --statistics: counts per rule and per file, as tables or (with --format json) as a JSON document.
    Reporter("statistics", "statistics", entry="report_text", renders=False),
    Reporter("statistics-json", "statistics", entry="report_json", document=True, renders=False),
    # extract: what was read, cell by cell (its JSON lists the unreadable files itself).
    Reporter("extract-json", "extracted", entry="report_json", shows_errors=True, renders=False, command="extract"),
    Reporter("extract-table", "tables", renders=False, command="extract"),
    Reporter("extract-csv", "extracted", entry="report_csv", renders=False, command="extract"),
)
REPORTERS: dict[str, Reporter] = {r.name: r for r in _REGISTERED}
# The formats ``check --format`` offers; statistics is chosen with --statistics instead.
CHECK_FORMATS = tuple(r.name for r in _REGISTERED if r.command == "check" and not r.name.startswith("statistics"))
EXTRACT_FORMATS = tuple(r.name.removeprefix("extract-") for r in _REGISTERED if r.command == "extract")


def reporter(fmt: str, *, statistics: bool = False, command: str = "check") -> Reporter:
    """The reporter for ``--format fmt`` of ``command``, or for ``check --statistics`` in that format."""
    if command == "extract":
        return REPORTERS[f"extract-{fmt}"]
    if statistics:
        return REPORTERS["statistics-json" if fmt == "json" else "statistics"]
    try:
        return REPORTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r} (known: {', '.join(CHECK_FORMATS)})") from None


def write_text(out: IO[str], text: str) -> None:
    """``text`` ending in exactly one newline, as a line-oriented tool expects (nothing for nothing)."""
    out.write(text if not text or text.endswith("\n") else text + "\n")


def render_run(render: Callable[..., Any], run: RunResult) -> Any:
    """A format's ``render`` over the run's files, in the run's language, with the run's rules."""
    return render(run.files, rules=run.rules(), lang=run.lang, tool_version=__version__)


# Module name per format that ``render``/``render_bytes`` serve (text and binary); the modules are imported on
# demand because they import this package.
FORMATS: dict[str, str] = {r.name: r.module for r in _REGISTERED if r.renders and not r.binary}
BINARY_FORMATS: dict[str, str] = {r.name: r.module for r in _REGISTERED if r.renders and r.binary}


def render(
    fmt: str,
    results: list[FileResult],
    *,
    rules: list[RuleMeta],
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    """Render ``results`` in the machine-readable format ``fmt`` (one of :data:`FORMATS`)."""
    try:
        module_name = FORMATS[fmt]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"unknown output format {fmt!r} (known: {known})") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    renderer: Callable[..., str] = module.render
    return renderer(results, rules=rules, lang=lang, tool_version=tool_version)


def render_bytes(
    fmt: str,
    results: list[FileResult],
    *,
    rules: list[RuleMeta],
    lang: str = "zh",
    tool_version: str = __version__,
) -> bytes:
    """Render ``results`` in the binary format ``fmt`` (one of :data:`BINARY_FORMATS`)."""
    module = importlib.import_module(f"{__name__}.{BINARY_FORMATS[fmt]}")
    renderer: Callable[..., bytes] = module.render
    return renderer(results, rules=rules, lang=lang, tool_version=tool_version)


# --- helpers shared by the format modules -------------------------------------------------------

# The auditor's kinds of problem (CSV, xlsx, statistics): four ways a report can be wrong, and one for
# what the tool could not read (a table whose digits are glued together, a file that is no report).
AUDIT_CATEGORIES = ("structure", "completeness", "arithmetic", "prose", "unreadable")
AUDIT_CATEGORY_ZH = {
    "structure": "结构",
    "completeness": "完整性",
    "arithmetic": "数值与勾稽",
    "prose": "正文与表格",
    "unreadable": "无法读取",
}
UNREADABLE_RULES = frozenset({"T106"})
# A rule file's category (its folder in rules/) decides; the code's letter is the fallback for rules
# whose metadata the reporter was not given.
_FROM_RULE_CATEGORY = {
    "structure": "structure",
    "format": "structure",
    "completeness": "completeness",
    "value": "arithmetic",
    "arithmetic": "arithmetic",
    "narrative": "prose",
}
_FROM_CODE_LETTER = {
    "S": "structure",
    "F": "structure",
    "T": "completeness",
    "V": "arithmetic",
    "A": "arithmetic",
    "N": "prose",
}


def audit_category(code: str, rule_category: str | None = None) -> str:
    """Which of :data:`AUDIT_CATEGORIES` a finding of rule ``code`` belongs to."""
    if code in UNREADABLE_RULES:
        return "unreadable"
    if rule_category in _FROM_RULE_CATEGORY:
        return _FROM_RULE_CATEGORY[rule_category]
    return _FROM_CODE_LETTER.get(code[:1].upper(), "structure")


def category_counts(result: FileResult, categories: dict[str, str | None]) -> dict[str, int]:
    """Findings of one file per audit category; an unreadable file counts once as unreadable."""
    counts = dict.fromkeys(AUDIT_CATEGORIES, 0)
    if result.error is not None:
        counts["unreadable"] += 1
    for d in result.diagnostics:
        counts[audit_category(d.rule, categories.get(d.rule))] += 1
    return counts


def ordered(results: Iterable[FileResult]) -> list[FileResult]:
    """Files by path, findings by position, so that output never depends on discovery order."""
    out: list[FileResult] = []
    for r in sorted(results, key=lambda r: r.path):
        out.append(dataclasses.replace(r, diagnostics=sorted(r.diagnostics, key=Diagnostic.sort_key)))
    return out


@record(frozen=True)
class Counts:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    unreadable: int = 0


def count(results: Iterable[FileResult]) -> Counts:
    files = errors = warnings = infos = unreadable = 0
    for r in results:
        files += 1
        if r.error is not None:
            unreadable += 1
        for d in r.diagnostics:
            if d.severity is Severity.ERROR:
                errors += 1
            elif d.severity is Severity.WARNING:
                warnings += 1
            else:
                infos += 1
    return Counts(files, errors, warnings, infos, unreadable)


def format_number(value: int | float) -> str:
    """Numbers as a person would write them: no ``1e+06``, no ``0.30000000000000004``."""
    if isinstance(value, bool):  # bool is an int subclass; never meant as a count here
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def difference(d: Diagnostic) -> int | float | None:
    if d.expected is None or d.actual is None:
        return None
    diff = d.actual - d.expected
    # Money columns carry a few decimals; rounding hides binary floating-point noise in the diff.
    return diff if isinstance(diff, int) else round(diff, 6)


def format_difference(d: Diagnostic) -> str | None:
    diff = difference(d)
    if diff is None:
        return None
    text = format_number(diff)
    return f"+{text}" if diff > 0 else text


def posix_path(path: str) -> str:
    return path.replace("\\", "/")


# RFC 3986 unreserved characters plus the sub-delims and "@" that may appear in a path segment
# unencoded. ":" is deliberately absent: in a relative reference it would read as a URI scheme.
_PATH_SAFE = "/!$&'()*+,;=@-._~"


def path_uri(path: str) -> str:
    """``path`` as an RFC 3986 URI reference: relative paths stay relative, absolute ones become file URIs.

    Non-ASCII names (常见于中文文件名) are percent-encoded as UTF-8, as the SARIF schema's
    ``uri-reference`` format and GitHub code scanning both expect.
    """
    p = posix_path(path)
    if len(p) >= 3 and p[0].isascii() and p[0].isalpha() and p[1:3] == ":/":
        # A Windows drive path; the drive colon is legal in a file URI's path.
        return "file:///" + p[:2] + quote(p[2:], safe=_PATH_SAFE)
    if p.startswith("/"):
        return "file://" + quote(p, safe=_PATH_SAFE)
    return quote(p, safe=_PATH_SAFE)


def located_message(d: Diagnostic, lang: str) -> str:
    """The message in ``lang``, with the Word or PDF position in brackets: many viewers show only the text."""
    text = d.message.resolve(lang)
    if d.span is not None and d.span.where:
        text += Text("（{}）", " ({})").resolve(lang).format(d.span.where.resolve(lang))
    return text


def related_elsewhere(d: Diagnostic, lang: str) -> list[str]:
    """Related places in other files (last year's report), each as ``path:line:col (position) note``.

    Line-oriented formats cannot draw a second code frame; they name the place in words instead.
    """
    out: list[str] = []
    for rel in d.related:
        if rel.path is None or rel.path == d.path:
            continue
        where = rel.path
        if rel.span is not None:
            where += f":{rel.span.line}:{rel.span.column}"
            if rel.span.where:
                where += Text("（{}）", " ({})").resolve(lang).format(rel.span.where.resolve(lang))
        out.append(f"{where} {rel.message.resolve(lang)}" if rel.message else where)
    return out
