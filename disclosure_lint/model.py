"""The located model of one report: what the parser read, and where it read it.

Every object that came from the file carries a :class:`Span` in the user's file (1-based line,
1-based code-point column; ``end_column`` is exclusive). Readers of formats without lines (.docx)
fill ``Span.where`` with a human description and may leave line numbers as block ordinals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from enum import Enum
from typing import Protocol

from . import formats
from .bilingual import Text
from .records import record


@record(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int
    # Set by readers whose files have no lines (Word, PDF): e.g. "表格 2 第 5 行 第 3 列" / "table 2, row 5, column 3".
    where: Text | None = None
    # Set by the PDF reader: the 1-based page, and the box of the cell or text line on it in PDF points
    # from the page's top-left corner, (x0, top, x1, bottom). See docs/cell-ids.md.
    page: int | None = None
    box: tuple[float, float, float, float] | None = None

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        d: dict[str, object] = {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }
        if self.where:
            d["where"] = self.where.resolve(lang)
        d.update(self.page_fields())
        return d

    def page_fields(self) -> dict[str, object]:
        """``page`` and ``box`` for JSON, when the span is on a PDF page."""
        d: dict[str, object] = {}
        if self.page is not None:
            d["page"] = self.page
        if self.box is not None:
            d["box"] = list(self.box)
        return d


class CellStatus(str, Enum):
    OK = "ok"
    BLANK = "blank"  # the cell is there but empty (nothing, spaces, nbsp, U+3000)
    PLACEHOLDER = "placeholder"  # "/", "-", "—", "无" …: filled with a sign instead of a number
    MISSING = "missing"  # the report has no such cell at all
    INVALID = "invalid"  # something is there but it is not a number (or cannot be read reliably)


class _SpanWhenRead:
    """``Cell.span`` and ``Row.span``: a reader may give the offsets the span is made from instead of the span
    (see ``locate_later``); the span is made the first time it is read. Most cells' and rows' spans are never
    read (a finding points at a few), and making one for each of a report's 200 cells cost a tenth of reading it."""

    def __get__(self, cell: _LocatedLater | None, owner: type | None = None) -> Span | None:
        if cell is None:
            return None  # the dataclass field's default
        # An ordinary attribute, not cell.__dict__[…]: reading __dict__ makes CPython build a dict per cell.
        span = cell._span
        if type(span) is tuple:  # (make, start, end), from locate_later
            make, start, end = span
            span = cell._span = make(start, end)
        return span

    def __set__(self, cell: _LocatedLater, span: Span | None) -> None:
        cell._span = span


class _LocatedLater:
    """A model object whose ``span`` field is a :class:`_SpanWhenRead`."""

    _span: Span | tuple[Callable[[int, int], Span], int, int] | None

    def locate_later(self, make: Callable[[int, int], Span], start: int, end: int) -> None:
        """Set the span to ``make(start, end)``, called when the span is first read."""
        self._span = (make, start, end)

    def span_to_make(self) -> tuple[Callable[[int, int], Span], int, int] | None:
        """The means of making the span and its offsets while the span is not made yet (see locate_later);
        None once it is made (or when it was given)."""
        pending = self._span
        return pending if type(pending) is tuple else None

    def __getstate__(self) -> dict[str, object]:
        # A copy or a pickle (a cross-year snapshot sent between processes) holds the span itself, not the
        # reader's means of making it.
        _ = self.span  # type: ignore[attr-defined]
        return dict(self.__dict__)


@record
class Cell(_LocatedLater):
    id: str
    table: int
    row: str
    column: str
    status: CellStatus = CellStatus.MISSING
    value: int | float | None = None
    raw: str | None = None
    span: Span | None = _SpanWhenRead()  # type: ignore[assignment]
    unit: str | None = None  # a unit written inside the cell ("元", "件")
    # How a cell of a row whose digits were glued together was read (see glued.py): "digit-count" (one
    # digit per cell) or "row-total" (the only cut that satisfies the row's own total, which therefore
    # confirms nothing). None for cells read from a separated layout.
    reading: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is CellStatus.OK

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        span = self.span
        return {
            "value": self.value,
            "raw": self.raw,
            "status": self.status.value,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            **({"where": span.where.resolve(lang)} if span and span.where else {}),
            **({"reading": self.reading} if self.reading else {}),
            **(span.page_fields() if span else {}),
        }


@record
class Row(_LocatedLater):
    table: int
    key: str
    label: str | None  # as written; None when the row is missing from the report
    span: Span | None = _SpanWhenRead()  # type: ignore[assignment]
    deviates: bool = False  # the written label differs from the standard one
    extra: list[Cell] = field(default_factory=list)  # value cells beyond the standard columns

    @property
    def standard_label(self) -> str:
        return formats.row_label(self.table, self.key)

    @property
    def present(self) -> bool:
        return self.label is not None


@record
class Table:
    number: int
    present: bool = False
    span: Span | None = None  # from the first to the last token read as part of the table
    rows: dict[str, Row] = field(default_factory=dict)
    # Why the table (or some of its rows) could not be read reliably, e.g. digits glued together.
    unreadable: str | None = None
    unreadable_span: Span | None = None
    # Numbers that could not be attributed to any row.
    stray: list[Cell] = field(default_factory=list)
    extra_rows: list[Row] = field(default_factory=list)  # recognised group sub-totals, fee tables …
    glued_rows: list[str] = field(default_factory=list)  # rows whose digits are glued together
    split_rows: list[str] = field(default_factory=list)  # glued rows read by their only possible reading
    trial_format: bool = False  # 表二 uses the columns of the 2019 trial format

    @property
    def name(self) -> str:
        return formats.TABLE_NAMES[self.number]


@record
class Section:
    number: int  # the standard part (1–6) this heading was recognised as
    written_number: int | None  # the numeral as written (None when the heading has none)
    title: str  # heading text as written, numbering stripped
    heading: str  # the heading line as written
    span: Span  # the heading
    body_start: int  # offset of the first character after the heading
    body_end: int  # offset where the next section starts (or end of text)
    text: str = ""  # the body text
    deviates: bool = False  # title differs from the standard title and its accepted variants
    # The numbering is not written "一、": "一总体情况", "一.", "一 ", "一 、" (the part is still recognised).
    numbering_deviates: bool = False

    @property
    def standard_title(self) -> str:
        spec = formats.SECTION_BY_NUMBER[self.number]
        return f"{formats.CHINESE_NUMERALS[self.number - 1]}、{spec.title}"


@record
class Problem:
    """Something the reader noticed about the layout (not a rule finding: rules decide what to say)."""

    kind: str
    message: Text
    span: Span | None = None
    table: int | None = None


@record
class LayoutNote:
    """A fact the report grammar's parse found about the layout: a row or part out of the format's order
    (``out-of-order``), written twice (``repeated``), or one the grammar has no place for (``unplaced``).
    The structure and completeness rules read these (S002, T107, T110) rather than work order out again."""

    kind: str
    terminal: str  # the grammar's name of the row or part (grammars/report.lark)
    text: str  # the label or heading as written
    span: Span
    after: str | None = None  # the terminal of the row or part before it in the same table or list
    table: int | None = None  # 2, 3 or 4 for a table's row, caption or group; None for a part heading
    # The format's key of the row or 表三 group (formats.TABLES: "denied.state_secret", "denied"), or the
    # part's number ("3"); None for a caption or 表四 group. after_key: the same for the one before it.
    key: str | None = None
    after_key: str | None = None
    numbers: bool = False  # a row that carries numbers of its own (not only blank cells)
    after_numbers: bool = False  # the same for the row before it (a label alone is a header cell or heading)
    # Repeated: an earlier occurrence in the same table carried cells, and those are the values read.
    earlier_cells: bool = False


class OffsetLocator(Protocol):
    """Maps offsets in the text the lexer read to spans in the user's file (``build.Locator``)."""

    def span(self, start: int, end: int) -> Span: ...


@record
class Report:
    path: str
    text: str
    input_kind: str = "text"  # text, markdown, html, docx
    encoding: str = "utf-8"
    title: str | None = None
    title_span: Span | None = None
    year: int | None = None
    # The issuing body as named in the title (e.g. 平潭综合实验区金井片区管理局), see identity.issuing_body.
    body: str | None = None
    period: tuple[int, int] | None = None  # years named in the statistical-period statement
    period_span: Span | None = None
    # The period's first and last day as (year, month, day), when it is stated as two dates.
    period_dates: tuple[tuple[int, int, int], tuple[int, int, int]] | None = None
    # Years the preamble and part 一 give the report itself ("编制完成2023年度政府信息公开工作年度报告").
    year_mentions: list[tuple[int, Span]] = field(default_factory=list)
    edition: str = "unknown"  # which national format: "2021", "2019-trial" or "unknown"
    edition_evidence: list[tuple[str, Span]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: dict[int, Table] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    layout_notes: list[LayoutNote] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list, repr=False)
    # Set by the builder: rules that find a place in a part's text (N501's numbers, S015's signature) turn
    # offsets in the read text into spans with it. None in a cross-year snapshot, which keeps no offsets.
    locator: OffsetLocator | None = field(default=None, repr=False, compare=False)

    def span_of(self, start: int, end: int) -> Span | None:
        """The span in the user's file of ``start:end`` in the text the lexer read (a section's
        ``body_start`` and ``text`` are in that text), or None when the report keeps no locator."""
        return self.locator.span(start, end) if self.locator is not None else None

    def section(self, number: int) -> Section | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    def cell(self, cell_id: str) -> Cell:
        return self.cells[cell_id]
