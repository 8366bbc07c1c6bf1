"""One line per finding, in the ``path:line:col: severity CODE message`` shape editors and grep understand."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from .. import __version__, messages
from ..diagnostics import Diagnostic
from . import (
    Counts,
    FileResult,
    RuleMeta,
    Style,
    count,
    format_difference,
    format_number,
    ordered,
    related_elsewhere,
    render_run,
    write_text,
)

if TYPE_CHECKING:
    from ..results import RunResult

_WORDS = {
    "zh": {"expected": "期望", "actual": "实际", "diff": "差值", "also": "另见"},
    "en": {"expected": "expected", "actual": "actual", "diff": "diff", "also": "see also"},
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["en"] if lang == "en" else _WORDS["zh"]


def _one_line(text: str) -> str:
    # A finding must stay on one line, or line-oriented consumers would split it in two.
    return " ".join(text.split()) if ("\n" in text or "\r" in text) else text


def details(d: Diagnostic, lang: str) -> list[str]:
    """The bracketed extras, only those the finding has."""
    w = _words(lang)
    parts: list[str] = []
    if d.span is not None and d.span.where:
        parts.append(d.span.where.resolve(lang))
    if d.place:
        parts.append(d.place.resolve(lang))
    if d.expected is not None:
        parts.append(f"{w['expected']}={format_number(d.expected)}")
    if d.actual is not None:
        parts.append(f"{w['actual']}={format_number(d.actual)}")
    diff = format_difference(d)
    if diff is not None:
        parts.append(f"{w['diff']}={diff}")
    parts.extend(f"{w['also']} {place}" for place in related_elsewhere(d, lang))
    return parts


def format_diagnostic(d: Diagnostic, lang: str, path: str | None = None) -> str:
    line = f"{path if path is not None else d.path}:{d.line}:{d.column}: {d.severity.value} {d.rule} "
    line += _one_line(d.message.resolve(lang))
    extra = details(d, lang)
    if extra:
        line += " [" + "; ".join(_one_line(p) for p in extra) + "]"
    return line


def summary(c: Counts, lang: str) -> str:
    return messages.summary(c.files - c.unreadable, c.errors, c.warnings, c.infos, c.unreadable, 0, lang)


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    files = ordered(results)
    lines: list[str] = []
    for r in files:
        if r.error is not None:
            lines.append(f"{r.path}: error: {_one_line(r.error.resolve(lang))}")
        # The displayed path is the user's, even if a rule filled Diagnostic.path differently.
        lines.extend(format_diagnostic(d, lang, r.path) for d in r.diagnostics)
    lines.append(summary(count(files), lang))
    return "\n".join(lines) + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))
