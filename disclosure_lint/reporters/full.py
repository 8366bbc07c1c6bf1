"""The default terminal format: each finding with its place, a code frame and the numbers involved.

Carets are placed by display width (CJK characters take two terminal cells), so ``^^`` sits under the
cell even in a line full of Chinese labels. Colour only repeats what the words already say.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from .. import messages
from ..bilingual import resolve
from ..diagnostics import Diagnostic, Severity
from ..model import Span
from ..regexcode import compile_re
from ..text import display_width
from . import FileResult, Style

if TYPE_CHECKING:
    from ..results import RunResult

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold cyan"}
MAX_FRAME_LINES = 6
# What one finding may print: a grouped finding lists 100 cells in JSON, not on the screen.
MAX_RELATED_SHOWN = 3
MAX_CELL_TEXT = 60  # display columns of a web page's or Word document's cell text
_TAG = compile_re(r"<[^>]*>|<[^>]*$|^[^<]*>")


def _fmt(value: object) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def print_results(
    console: Console,
    results: list[FileResult],
    *,
    lang: str,
    fail_on: Severity,
    exit_zero: bool = False,
    skipped: Sequence[tuple[str, str]] = (),
) -> None:
    totals: Counter[Severity] = Counter()
    for result in results:
        if result.error:
            console.print(
                Text.assemble(
                    (messages.word("error_word", lang), "bold red"), f": {result.path}: {result.error.resolve(lang)}"
                )
            )
            continue
        lines = result.lines
        # A file whose lines are markup (not what the person wrote) is never shown raw.
        markup = result.summary is not None and result.summary.source_is_markup
        for diag in result.diagnostics:
            totals[diag.severity] += 1
            _print_one(console, diag, lines, lang, markup)
        if result.diagnostics:
            counts = Counter(d.severity for d in result.diagnostics)
            rules = Counter(d.rule for d in result.diagnostics)
            by_rule = ("、" if lang != "en" else ", ").join(f"{code} ×{n}" for code, n in sorted(rules.items()))
            line = messages.file_line(
                result.path, counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO], by_rule, lang
            )
            console.print(Text(line + "\n"))
    if skipped:
        console.print(Text(messages.skipped_heading(len(skipped), lang), style="bold yellow"))
        for path, reason in skipped:
            console.print(Text(messages.skipped_item(path, reason, lang)))
    unreadable = sum(1 for r in results if r.error)
    failed = any(s.rank >= fail_on.rank and n for s, n in totals.items())
    status = 2 if unreadable or skipped else (1 if failed and not exit_zero else 0)
    summary = messages.summary(
        len(results) - unreadable,
        totals[Severity.ERROR],
        totals[Severity.WARNING],
        totals[Severity.INFO],
        unreadable,
        len(skipped),
        lang,
    )
    console.print(Text(summary + ("。" if lang != "en" else ". ") + messages.verdict(status, lang)))


def _print_one(console: Console, diag: Diagnostic, lines: dict[int, str], lang: str, markup_source: bool) -> None:
    sev_word = diag.severity.text.resolve(lang)
    header = Text.assemble(
        (f"{sev_word}[{diag.rule}]", _STYLE[diag.severity]), ": " if lang == "en" else "：", diag.message.resolve(lang)
    )
    console.print(header)
    span = diag.span
    colon = ": " if lang == "en" else "："
    markup = markup_source or bool(span and span.where)
    place = diag.place.resolve(lang) if diag.place else None
    if markup:
        # A web page is one long line of markup and a Word file has no lines: the table, row and column
        # say where the cell is; the position in the source comes second, for those who open it.
        quoted = _text_at(span, lines)
        if quoted and lang == "en":
            quoted = f"\u300c{quoted}\u300d"  # the report's own words, quoted as English output quotes them
        first = place or (span.where.resolve(lang) if span and span.where else None) or quoted
        console.print(Text(f"  --> {diag.path}" + (f"{colon}{first}" if first else ""), style="blue"))
        if span is not None:
            where = resolve(span.where, lang) or messages.source_position(span.line, span.column, lang)
            if where != first:  # (a finding with no logical place already names its page or cell above)
                console.print(Text(f"    = {where}", style="dim"))
        cell_text = _cell_text(diag, lines)
        if cell_text is not None:
            shown_text = f"「{cell_text}」" if cell_text else messages.word("blank", lang)
            console.print(Text(f"    = {messages.word('cell_text', lang)}{colon}{shown_text}"))
    else:
        where = f"{diag.path}:{span.line}:{span.column}" if span else diag.path
        console.print(Text(f"  --> {where}", style="blue"))
        if place:
            console.print(Text(f"    = {messages.word('place', lang)}{colon}{place}"))
        _frame(console, diag, lines, lang, console.width)
    if diag.expected is not None and diag.actual is not None:
        diff = diag.actual - diag.expected
        console.print(
            Text(
                f"    = {messages.word('expected', lang)}{colon}{_fmt(diag.expected)}"
                f"   {messages.word('actual', lang)}{colon}{_fmt(diag.actual)}"
                f"   {messages.word('diff', lang)}{colon}{_fmt(round(diff, 6))}"
            )
        )
    if diag.equation:
        console.print(Text(f"    = {messages.word('equation', lang)}{colon}{diag.equation}"))
    shown = [rel for rel in diag.related if rel.span is not None]
    for rel in shown[:MAX_RELATED_SHOWN]:
        assert rel.span is not None
        note = f"   {_clip(rel.message.resolve(lang), 100)}" if rel.message else ""
        if rel.path is None and rel.span == span and rel.message:
            where = ""  # the finding's own cell (A300's relations all meet there): the relation alone says it
            note = _clip(rel.message.resolve(lang), 100)
        elif markup and rel.path is None:
            where = resolve(rel.span.where, lang) or messages.source_position(rel.span.line, rel.span.column, lang)
        else:
            where = f"{rel.path or diag.path}:{rel.span.line}:{rel.span.column}"
            if rel.span.where:
                where += f" ({rel.span.where.resolve(lang)})"
        console.print(Text(f"    = {messages.word('also', lang)}{colon}{where}{note}"))
    if len(shown) > MAX_RELATED_SHOWN:
        console.print(Text(f"    = {messages.more(len(shown) - MAX_RELATED_SHOWN, lang)}", style="dim"))
    if diag.help:
        console.print(Text(f"    = {messages.word('help', lang)}{colon}{diag.help.resolve(lang)}", style="green"))
    console.print(
        Text(f"    = {messages.word('explain', lang)}{colon}disclosure-lint explain {diag.rule}", style="dim")
    )
    console.print()


def _clip(text: str, width: int) -> str:
    """At most ``width`` display columns of ``text`` on one line."""
    text = " ".join(text.split())
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += display_width(ch)
        if used > width - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _text_at(span: Span | None, lines: dict[int, str]) -> str | None:
    """The words at ``span`` in a markup file, tags and entities removed, clipped."""
    if span is None or span.where or span.line not in lines:
        return None
    source = lines[span.line]
    end = span.end_column if span.end_line == span.line else len(source) + 1
    stop = max(end - 1, span.column)
    amp = source.rfind("&", max(span.column - 1, 0), stop)
    if amp >= 0 and ";" not in source[amp:stop]:
        semicolon = source.find(";", stop, stop + 10)  # a span that ends inside &nbsp;
        stop = semicolon + 1 if semicolon >= 0 else stop
    raw = source[max(span.column - 1, 0) : stop]
    import html  # here: only findings in web pages need it, and its entity table costs every start-up ~1 ms

    return _clip(html.unescape(_TAG.sub("", raw)), MAX_CELL_TEXT)


def _cell_text(diag: Diagnostic, lines: dict[int, str]) -> str | None:
    """What the primary cell holds, as the person sees it in the page."""
    primary = next((t for t in diag.terms if t.primary), None)
    if primary is None and not diag.cells:
        return None
    if diag.span is not None and diag.span.where:
        # A Word document has no source lines to cut the text from: the value as read stands for it.
        return _fmt(primary.value) if primary is not None and primary.value is not None else None
    text = _text_at(diag.span, lines)
    if text is None:
        return None
    return text.strip()


def _frame(console: Console, diag: Diagnostic, lines: dict[int, str], lang: str, width: int = 120) -> None:
    """Show the lines of the primary cell and the cells that take part, with labelled underlines.

    A line wider than the terminal is shown as a window around the marks (as rustc and ruff do), so that
    the carets stay under the number they point at.
    """
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
        label = f"{term.label.resolve(lang)} {_fmt(term.value) if term.value is not None else '?'}"
        marks.setdefault(term.span.line, []).append((term.span.column, term.span.end_column, label, False))
    term_spans = {(t.span.line, t.span.column) for t in diag.terms if t.span}
    for related in diag.related[:2]:
        rel = related.span
        if rel is None or related.path is not None or rel.where or (rel.line, rel.column) in term_spans:
            continue
        if related.cell is not None:
            continue  # cells a finding groups or explains are listed under "另见", not drawn
        if len(marks) >= MAX_FRAME_LINES and rel.line not in marks:
            continue
        marks.setdefault(rel.line, []).append((rel.column, rel.end_column, "", False))
    primary_label = ""
    for term in diag.terms:
        if term.primary:
            primary_label = f"{term.label.resolve(lang)} {_fmt(term.value) if term.value is not None else '?'}"
    gutter = max(len(str(n)) for n in marks) + 1
    budget = max(40, min(width, 160) - gutter - 3)
    console.print(Text(" " * gutter + " |", style="blue"))
    previous = None
    for line_no in sorted(marks):
        if line_no not in lines:
            continue
        if previous is not None and line_no > previous + 1:
            console.print(Text("...".ljust(gutter) + " |", style="blue"))
        source = lines[line_no].replace("\r", "").replace("\t", "    ")
        # Columns count characters of the line as read; a tab became four spaces above.
        raw = lines[line_no].replace("\r", "")
        shift = _tab_shift(raw)
        line_marks = [(shift(c), max(shift(e), shift(c) + 1), label, p) for c, e, label, p in marks[line_no]]
        focus = next((m for m in line_marks if m[3]), line_marks[0])
        start, end = _window(source, focus[0] - 1, focus[1] - 1, budget)
        lead = "..." if start > 0 else ""
        shown = lead + source[start:end] + ("..." if end < len(source) else "")
        console.print(Text.assemble((f"{line_no}".rjust(gutter) + " | ", "blue"), shown))
        for col, end_col, label, is_primary in sorted(line_marks):
            first, last = col - 1, end_col - 1
            if last <= start or first > end or (first == end and end < len(source)):
                continue  # outside the window: its number is in the equation line
            first, last = max(first, start), min(last, end)
            pad = len(lead) + display_width(source[start:first])
            underline = max(1, display_width(source[first:last]))
            char = "^" if is_primary else "-"
            text = label if not is_primary else primary_label
            style = "bold red" if is_primary else "cyan"
            console.print(
                Text.assemble(
                    (" " * gutter + " | ", "blue"),
                    " " * pad,
                    (char * underline + (" " + text if text else ""), style),
                )
            )
        previous = line_no
    console.print(Text(" " * gutter + " |", style="blue"))


def _tab_shift(raw: str) -> Callable[[int], int]:
    """Map a 1-based column of ``raw`` to the column once each tab is four spaces."""
    tabs = [i for i, ch in enumerate(raw) if ch == "\t"]
    if not tabs:
        return lambda column: column
    return lambda column: column + 3 * sum(1 for i in tabs if i < column - 1)


def _window(source: str, first: int, last: int, budget: int) -> tuple[int, int]:
    """Character range of ``source`` at most ``budget`` display columns wide that shows [first, last)."""
    if display_width(source) <= budget:
        return 0, len(source)
    budget -= 6  # room for the "..." on both sides
    first = max(0, min(first, len(source)))
    last = max(first + 1, min(last, len(source)))
    # The span itself, clipped to the budget, then context: a third before it, the rest after.
    end = first
    used = 0
    while end < last and used + display_width(source[end]) <= budget:
        used += display_width(source[end])
        end += 1
    start = first
    before = (budget - used) // 3
    while start > 0 and display_width(source[start - 1]) <= before:
        start -= 1
        before -= display_width(source[start])
        used += display_width(source[start])
    while end < len(source) and used + display_width(source[end]) <= budget:
        used += display_width(source[end])
        end += 1
    while start > 0 and used + display_width(source[start - 1]) <= budget:
        start -= 1
        used += display_width(source[start])
    return start, end


def report(run: RunResult, out: IO[str], style: Style) -> None:
    print_results(
        style.console(out),
        run.files,
        lang=run.lang,
        fail_on=run.settings.fail_on,
        exit_zero=run.exit_zero,
        skipped=[(item.path, item.reason.resolve(run.lang)) for item in run.skipped],
    )
