"""Machine-readable reporters: turn finished :class:`FileResult` lists into text for tools.

Each format lives in its own module with a ``render(results, *, rules, lang, tool_version)`` function.
Nothing here knows how reports are parsed or how rules work: a reporter sees only the fields of
:class:`~disclosure_lint.diagnostics.Diagnostic`, which keeps output formats replaceable.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

# FileResult and fallback_key live with the findings; they are named here too for the reporters.
from ..diagnostics import Diagnostic, FileResult, Severity
from ..diagnostics import fallback_key as fallback_key

TOOL_NAME = "disclosure-lint"
# The distribution's registry page is the one address that is certain to describe this tool.
INFORMATION_URI = "https://pypi.org/project/disclosure-lint/"


@dataclass
class RuleMeta:
    """What SARIF's ``tool.driver.rules`` and documentation links need to know about one rule."""

    code: str
    name: str
    severity: str
    summary: str
    help: str | None = None
    category: str | None = None  # the rule file's category (structure, completeness, value …)


# Module name per format; the modules are imported on demand because they import this package.
FORMATS: dict[str, str] = {
    "concise": "concise",
    "json": "json_",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
    "html": "html",
    "csv": "csv_",
}
# Formats written as bytes (``render_bytes``), never to a terminal.
BINARY_FORMATS: dict[str, str] = {"xlsx": "xlsx"}


def render(
    fmt: str,
    results: list[FileResult],
    *,
    rules: list[RuleMeta],
    lang: str = "zh",
    tool_version: str = "0.1.0",
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
    tool_version: str = "0.1.0",
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
        out.append(FileResult(r.path, sorted(r.diagnostics, key=Diagnostic.sort_key), r.error, r.summary))
    return out


@dataclass(frozen=True)
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
                where += f" ({rel.span.where})" if lang == "en" else f"（{rel.span.where}）"
        out.append(f"{where} {rel.message}" if rel.message else where)
    return out
