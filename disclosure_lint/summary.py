"""What was read from one report, as plain values that reporters can draw without seeing the parser.

The runner builds a :class:`ReportSummary` next to the diagnostics (in the worker process, so it must
pickle) and the command line hands it to the reporters on :class:`~disclosure_lint.reporters.FileResult`.
It holds what the HTML report and the audit tables show: title, issuing body, year, edition, input kind,
every standard cell as read, the parts found, which tables could not be read, and the source lines that
findings point at (for excerpts). Nothing in it refers back to the model.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import field
from typing import NamedTuple

from . import formats
from .bilingual import Text
from .diagnostics import Diagnostic
from .model import CellStatus, Report
from .readers import source_is_markup
from .records import record
from .regexcode import compile_re

# A cell in a row whose digits are glued together (rule T106) is INVALID in the model; readers of the
# summary need to tell "filled with text" from "the tool could not read this", so it gets its own status.
UNREADABLE = "unreadable"
# Source lines kept for excerpts are cut: a minified web page may put the whole report on one line.
# Past this length only a window around each finding's column is kept (see ReportSummary.windows).
EXCERPT_MAX_CHARS = 300
WINDOW_BEFORE = 60
WINDOW_AFTER = 140
# A lone value on its line (one cell per line, as copied from Word or PDF) says nothing by itself: the
# excerpt reaches back to the row's label over at most this many lines.
CONTEXT_LINES = 8
SHORT_LINE = 24
_LONE_VALUE = compile_re(r"[\s\d.,，．\-—/／%]*")


class CellRead(NamedTuple):
    """One standard cell as read. ``status`` is a :class:`~disclosure_lint.model.CellStatus` value or
    :data:`UNREADABLE`. A named tuple: a batch carries 190 of them per report across process boundaries."""

    id: str
    value: int | float | None
    raw: str | None
    status: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    where: Text | None = None  # for inputs without lines (Word, PDF): e.g. "表格 2 第 5 行 第 3 列"


@record(frozen=True)
class PartRead:
    number: int  # the standard part (1–6)
    heading: str  # as written
    line: int  # the heading's line
    end_line: int  # the last line of the part's body


@record
class ReportSummary:
    path: str
    title: str | None = None
    body: str | None = None  # the issuing body named in the title
    year: int | None = None
    edition: str = "unknown"  # Report.format: "2021", "2019-trial" or "unknown"
    input_kind: str = "text"  # Report.input_kind: text, markdown, html, docx
    source_is_markup: bool = False  # its lines are markup (a web page) or none (Word): findings name cells
    encoding: str = "utf-8"
    cells: dict[str, CellRead] = field(default_factory=dict)  # empty unless asked for (with_cells)
    parts: list[PartRead] = field(default_factory=list)
    tables_present: tuple[int, ...] = ()
    tables_unreadable: tuple[int, ...] = ()  # tables with rows whose digits are glued together
    excerpts: dict[int, str] = field(default_factory=dict)  # line number -> source line, for findings
    context_from: dict[int, int] = field(default_factory=dict)  # line -> first line of its excerpt
    # For a finding on a line longer than EXCERPT_MAX_CHARS: (line, column) -> (first column kept, text).
    windows: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)

    def metadata(self) -> dict[str, object]:
        """The per-report fields of the JSON document (schema version 2)."""
        return {
            "title": self.title,
            "body": self.body,
            "year": self.year,
            "edition": self.edition,
            "input_kind": self.input_kind,
            "encoding": self.encoding,
        }

    def part_of_line(self, line: int) -> int | None:
        """The standard part whose heading or body holds ``line``; None before the first heading."""
        for part in self.parts:
            if part.line <= line <= part.end_line:
                return part.number
        return None


def _line_of(report: Report, offset: int) -> int:
    return max(1, bisect.bisect_right(report.line_starts, offset)) if report.line_starts else 1


def summarize(
    report: Report,
    diagnostics: Iterable[Diagnostic] = (),
    *,
    with_cells: bool = True,
    lines: list[str] | None = None,
) -> ReportSummary:
    """The summary of ``report``, with the source lines that ``diagnostics`` point at.

    Without ``with_cells`` only the report's identity and the parts and tables found are kept: the
    formats that do not draw the tables (JSON, CSV, statistics) need no more, and a batch then pays
    almost nothing for the summary.
    """
    unreadable_cells: set[str] = set()
    for table in report.tables.values():
        for row_key in table.glued_rows:
            spec = formats.TABLES[table.number]
            try:
                columns = spec.row(row_key).columns
            except KeyError:
                continue
            unreadable_cells.update(formats.cell_id(table.number, row_key, c.key) for c in columns)
    cells: dict[str, CellRead] = {}
    # A report with the trial format's single （六）其他处理 row has its cells beside the standard ones.
    single_other = [formats.cell_id(3, formats.T3_SINGLE_OTHER_ROW, c.key) for c in formats.T3_COLUMNS]
    present_single = [c for c in single_other if c in report.cells and report.cells[c].status is not CellStatus.MISSING]
    for cell_id in (*formats.STANDARD_CELL_IDS, *present_single) if with_cells else ():
        cell = report.cells.get(cell_id)
        if cell is None:
            cells[cell_id] = CellRead(cell_id, None, None, CellStatus.MISSING.value)
            continue
        status = cell.status.value
        if cell_id in unreadable_cells and cell.status is not CellStatus.OK:
            status = UNREADABLE
        span = cell.span
        cells[cell_id] = CellRead(
            cell_id,
            cell.value,
            cell.raw,
            status,
            span.line if span else None,
            span.column if span else None,
            span.end_line if span else None,
            span.end_column if span else None,
            span.where if span else None,
        )
    parts: list[PartRead] = []
    sections = sorted(report.sections, key=lambda s: s.span.line)
    for s in sections:
        end = _line_of(report, max(s.body_end - 1, 0)) if s.body_end > s.body_start else s.span.end_line
        parts.append(PartRead(s.number, s.heading, s.span.line, max(end, s.span.end_line)))
    if lines is None:
        lines = report.text.split("\n")
    wanted: set[int] = set()
    windows: dict[tuple[int, int], tuple[int, str]] = {}
    for d in diagnostics:
        spans = [d.span] if d.span is not None else []
        spans += [rel.span for rel in d.related if rel.span is not None and rel.path is None]
        for span in spans:
            if span.where or not 1 <= span.line <= len(lines):
                continue
            line = lines[span.line - 1]
            if len(line) <= EXCERPT_MAX_CHARS:
                wanted.add(span.line)
            else:
                first = max(span.column - 1 - WINDOW_BEFORE, 0)
                windows[(span.line, span.column)] = (first + 1, line[first : span.column - 1 + WINDOW_AFTER])
    context_from = {n: start for n in wanted if (start := _context_start(lines, n)) < n}
    for n, start in context_from.items():
        wanted.update(range(start, n))
    excerpts = {n: lines[n - 1].rstrip("\r")[:EXCERPT_MAX_CHARS] for n in sorted(wanted)}
    return ReportSummary(
        path=report.path,
        title=report.title,
        body=report.body,
        year=report.year,
        edition=report.edition,
        input_kind=report.input_kind,
        source_is_markup=source_is_markup(report.input_kind),
        encoding=report.encoding,
        cells=cells,
        parts=parts,
        tables_present=tuple(sorted(n for n, t in report.tables.items() if t.present)),
        tables_unreadable=tuple(sorted(n for n, t in report.tables.items() if t.unreadable)),
        excerpts=excerpts,
        context_from=context_from,
        windows=windows,
    )


def _context_start(lines: list[str], n: int) -> int:
    """The first line of the excerpt for line ``n``: ``n`` itself, or the row label above a lone value."""
    if len(lines[n - 1].strip()) >= SHORT_LINE:
        return n
    start = n
    while start > 1 and n - start < CONTEXT_LINES:
        previous = lines[start - 2].strip()
        if len(previous) >= EXCERPT_MAX_CHARS:
            break
        start -= 1
        if not _LONE_VALUE.fullmatch(previous):
            break  # the row's label (or a heading): the excerpt starts there
    return start
