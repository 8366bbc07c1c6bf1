"""The default terminal format: each finding with its place, a code frame and the numbers involved.

Carets are placed by display width (CJK characters take two terminal cells), so ``^^`` sits under the
cell even in a line full of Chinese labels. Colour only repeats what the words already say.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ..diagnostics import Diagnostic, Severity
from ..text import display_width
from . import FileResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
_WORDS = {
    "zh": {
        "place": "位置",
        "expected": "期望",
        "actual": "实际",
        "diff": "差值",
        "equation": "算式",
        "help": "help",
        "also": "另见",
        "explain": "说明",
    },
    "en": {
        "place": "place",
        "expected": "expected",
        "actual": "actual",
        "diff": "diff",
        "equation": "equation",
        "help": "help",
        "also": "see also",
        "explain": "explain",
    },
}
MAX_FRAME_LINES = 6


def _fmt(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def print_results(
    console: Console,
    results: list[FileResult],
    sources: dict[str, list[str]],
    *,
    lang: str,
    fail_on: Severity,
    exit_zero: bool = False,
) -> None:
    words = _WORDS["en" if lang == "en" else "zh"]
    totals: Counter[Severity] = Counter()
    for result in results:
        if result.error:
            console.print(
                Text.assemble(("error" if lang == "en" else "错误", "bold red"), f": {result.path}: {result.error}")
            )
            continue
        lines = sources.get(result.path, [])
        for diag in result.diagnostics:
            totals[diag.severity] += 1
            _print_one(console, diag, lines, words, lang)
        if result.diagnostics:
            counts = Counter(d.severity for d in result.diagnostics)
            rules = Counter(d.rule for d in result.diagnostics)
            by_rule = ", ".join(f"{code} ×{n}" for code, n in sorted(rules.items()))
            if lang == "en":
                console.print(
                    f"{escape(result.path)}: {counts[Severity.ERROR]} error(s), "
                    f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info ({by_rule})\n"
                )
            else:
                console.print(
                    f"{escape(result.path)}: {counts[Severity.ERROR]} 个错误, {counts[Severity.WARNING]} 个警告, "
                    f"{counts[Severity.INFO]} 条提示 ({by_rule})\n"
                )
    unreadable = sum(1 for r in results if r.error)
    failed = any(s.rank >= fail_on.rank and n for s, n in totals.items())
    status = 2 if unreadable else (1 if failed and not exit_zero else 0)
    if lang == "en":
        console.print(
            f"Checked {len(results)} file(s): {totals[Severity.ERROR]} error(s), {totals[Severity.WARNING]} warning(s), "  # noqa: E501
            f"{totals[Severity.INFO]} info"
            + (f", {unreadable} unreadable" if unreadable else "")
            + f". Fail level {fail_on.value} → exit {status}"
        )
    else:
        console.print(
            f"共检查 {len(results)} 个文件：{totals[Severity.ERROR]} 个错误、{totals[Severity.WARNING]} 个警告、"
            f"{totals[Severity.INFO]} 条提示"
            + (f"、{unreadable} 个文件无法读取" if unreadable else "")
            + f"。失败阈值 {fail_on.value} → 退出码 {status}"
        )


def _print_one(console: Console, diag: Diagnostic, lines: list[str], words: dict[str, str], lang: str) -> None:
    sev_word = diag.severity.value if lang == "en" else f"{diag.severity.zh}"
    header = Text.assemble((f"{sev_word}[{diag.rule}]", _STYLE[diag.severity]), ": ", diag.message)
    console.print(header)
    span = diag.span
    where = f"{diag.path}:{span.line}:{span.column}" if span else diag.path
    if span and span.where:
        where += f" ({span.where})"
    console.print(Text(f"  --> {where}", style="blue"))
    if diag.place:
        console.print(Text(f"    = {words['place']}: {diag.place}"))
    _frame(console, diag, lines)
    if diag.expected is not None and diag.actual is not None:
        diff = diag.actual - diag.expected
        console.print(
            Text(
                f"    = {words['expected']}: {_fmt(diag.expected)}   {words['actual']}: {_fmt(diag.actual)}"
                f"   {words['diff']}: {_fmt(round(diff, 6))}"
            )
        )
    if diag.equation:
        console.print(Text(f"    = {words['equation']}: {diag.equation}"))
    for rel in diag.related[:3]:
        if rel.span is not None:
            note = f"   {rel.message}" if rel.message else ""
            where = f"{rel.path or diag.path}:{rel.span.line}:{rel.span.column}"
            if rel.span.where:
                where += f" ({rel.span.where})"
            console.print(Text(f"    = {words['also']}: {where}{note}"))
    if diag.help:
        console.print(Text(f"    = {words['help']}: {diag.help}", style="green"))
    console.print(Text(f"    = {words['explain']}: disclosure-lint explain {diag.rule}", style="dim"))
    console.print()


def _frame(console: Console, diag: Diagnostic, lines: list[str]) -> None:
    """Show the lines of the primary cell and the cells that take part, with labelled underlines."""
    if not lines or diag.span is None or diag.span.where:
        return
    marks: dict[int, list[tuple[int, int, str, bool]]] = {}  # line -> (col, end_col, label, primary)
    primary = diag.span
    marks.setdefault(primary.line, []).append(
        (
            primary.column,
            primary.end_column if primary.end_line == primary.line else primary.column + 1,
            "",
            True,
        )
    )
    for term in diag.terms:
        if term.span is None or term.primary or term.span.where:
            continue
        if len(marks) >= MAX_FRAME_LINES and term.span.line not in marks:
            continue
        label = f"{term.label} {_fmt(term.value) if term.value is not None else '?'}"
        marks.setdefault(term.span.line, []).append((term.span.column, term.span.end_column, label, False))
    term_spans = {(t.span.line, t.span.column) for t in diag.terms if t.span}
    for related in diag.related[:2]:
        rel = related.span
        if rel is None or related.path is not None or rel.where or (rel.line, rel.column) in term_spans:
            continue
        marks.setdefault(rel.line, []).append((rel.column, rel.end_column, "", False))
    primary_label = ""
    for term in diag.terms:
        if term.primary:
            primary_label = f"{term.label} {_fmt(term.value) if term.value is not None else '?'}"
    gutter = max(len(str(n)) for n in marks) + 1
    console.print(Text(" " * gutter + " |", style="blue"))
    previous = None
    for line_no in sorted(marks):
        if not 1 <= line_no <= len(lines):
            continue
        if previous is not None and line_no > previous + 1:
            console.print(Text("...".ljust(gutter) + " |", style="blue"))
        source = lines[line_no - 1].replace("\r", "")
        shown = source.expandtabs(4) if "\t" not in source else source.replace("\t", "    ")
        console.print(Text.assemble((f"{line_no}".rjust(gutter) + " | ", "blue"), shown))
        for col, end_col, label, is_primary in sorted(marks[line_no]):
            prefix = source[: max(col - 1, 0)]
            cell = source[max(col - 1, 0) : max(end_col - 1, col)]
            pad = display_width(prefix.replace("\t", "    "))
            width = max(1, display_width(cell.replace("\t", "    ")))
            char = "^" if is_primary else "-"
            text = label if not is_primary else primary_label
            style = "bold red" if is_primary else "cyan"
            console.print(
                Text.assemble(
                    (" " * gutter + " | ", "blue"),
                    " " * pad,
                    (char * width + (" " + text if text else ""), style),
                )
            )
        previous = line_no
    console.print(Text(" " * gutter + " |", style="blue"))
