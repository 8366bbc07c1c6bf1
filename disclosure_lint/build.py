"""Stage 5 — model: turn the parse tree into a located :class:`~disclosure_lint.model.Report`.

The tree (``parser.py`` over ``grammars/report.lark``) says which parts the report has and in which
order, which tables each part holds, and which rows each table has, each row token carrying the numbers
``rowtokens.py`` paired with its label. This module places the numbers in the cells of the national
format and finds the report's title, year, period and edition. Nothing is guessed: digits glued
together (``0000000``) make a row unreadable, not a row of seven zeros, unless only one reading exists
(``glued.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate, repeat
from operator import add, itemgetter

from lark import Token, Tree

from . import formats, identity
from .bilingual import Text
from .glued import unique_reading
from .identity import issuing_body
from .lexer import LayoutToken, lex, parse_value_cached
from .model import Cell, CellStatus, LayoutNote, Report, Row, Section, Span, Table
from .parser import Layout, parse_layout
from .reading import Rendered
from .regexcode import compile_re
from .rowtokens import (
    T4_GROUP_TERMINALS,
    GroupToken,
    ProseToken,
    RowToken,
    TableMaterial,
    ValueRun,
    is_blank,
    row_stream,
    trial_marker,
)
from .text import fold, strip_numbering


class Locator:
    """Maps offsets in the parsed (rendered) text to spans in the user's file."""

    def __init__(self, rendered: Rendered) -> None:
        self.origin = rendered.origin
        self.source = rendered.source_text
        self.describe: Callable[[int], Text] | None = rendered.describe  # type: ignore[assignment]
        self.locate: Callable[[int], tuple[int | None, tuple[float, float, float, float] | None]] | None
        self.locate = rendered.locate  # type: ignore[assignment]
        self.line_starts = line_starts(self.source)

    def _source_offset(self, offset: int) -> int:
        if self.origin is None:
            return offset
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]

    def span(self, start: int, end: int) -> Span:
        if self.origin is None:  # the text read is the file's text (what _source_offset would say)
            s, e = start, max(start, end)
        else:
            s = self._source_offset(start)
            e = self._source_offset(end - 1) + 1 if end > start else s
            if e < s:
                e = s
        where = None
        if self.describe is not None:
            where = self.describe(start)
        page, box = self.locate(start) if self.locate is not None else (None, None)
        return _span_of(self.line_starts, s, e, where, page, box)

    def lines_only(self) -> LineLocator | None:
        """The same spans from the line starts alone, when the text read is the file's own text with no places
        beside lines (no markup, no pages); None otherwise."""
        if self.origin is None and self.describe is None and self.locate is None:
            return LineLocator(self.line_starts)
        return None


class LineLocator:
    """Spans in a text read as it is, from its line starts alone: small to keep and to pickle, where a
    :class:`Locator` holds the whole file (a cross-year snapshot keeps its cells' spans unmade with it)."""

    __slots__ = ("line_starts",)

    def __init__(self, line_starts: list[int]) -> None:
        self.line_starts = line_starts

    def span(self, start: int, end: int) -> Span:
        return _span_of(self.line_starts, start, max(start, end))


def _span_of(
    starts: list[int],
    s: int,
    e: int,
    where: Text | None = None,
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
) -> Span:
    """The span of source offsets ``s:e``, by line and column."""
    li = bisect_right(starts, s) - 1
    lj = bisect_right(starts, max(s, e - 1)) - 1
    return Span(li + 1, s - starts[li] + 1, lj + 1, e - starts[lj] + 1, where, page, box)


def line_starts(text: str) -> list[int]:
    """The offset of each line's first character: 0, and the offset after each "\\n"."""
    # Each line's length plus its "\n", summed: C loops only (a Python loop per line cost more than lexing
    # short reports). The last sum is the end of the text plus one, not the start of a line.
    return list(accumulate(map(add, map(len, text.split("\n")), repeat(1)), initial=0))[:-1]


def _glued(values: list[LayoutToken], expected: int) -> bool:
    """Too few values, and a scanned (not cell-delimited) one holds the digits of several cells."""
    if len(values) >= expected:
        return False
    missing = expected - len(values)
    for v in values:
        digits = re.sub(r"\D", "", str(v))
        if v.key == "cell":
            # A delimited cell holds one value, unless it holds a whole row's digits ("（七）总计\t0000000").
            if len(values) == 1 and len(digits) >= expected and re.fullmatch(r"[0-9０-９]+", str(v).strip()):
                return True
            continue
        if (len(digits) >= 2 and digits.startswith("0")) or len(digits) >= missing + 1:
            return True
    return False


# A date range "2023年1月1日（起）至2023年12月31日（止）"; \\s also spans the line break of a hard-wrapped
# sentence (PDF text), and at most one line break may fall between the two dates.
_DATE_RANGE = compile_re(
    r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?P<between>[^。\d]{0,16}?)"
    r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
# "2023年度政府信息公开工作年度报告": a year given to a report (the title, "编制完成…", "现公布…").
_REPORT_YEAR = compile_re(r"(20\d{2})\s*年度?\s*(?:[^\d。，\n]{0,4}?)政府信息公开(?:工作)?年度?报告")
# Words that say a date range is the statistical period (needed when it is not the whole year).
_PERIOD_WORDS = compile_re(r"统计(?:期限|时限|时间|周期|区间|范围)|数据(?:期限|时间)|所列数据")

# The numbering in front of a part heading: "一、", "一．", "第一部分", with Markdown marks and spaces.
_HEADING_NUMBERING = compile_re(r"^[\s\u3000\u00a0#*>]*(?:第)?[一二三四五六七八九十]{1,2}(?:部分)?\s*[、.．,，:：]?\s*")


_NUMBERED = compile_re(r"^[\s\u3000\u00a0#*>]*(?:第)?[一二三四五六七八九十]{1,2}")
# The standard numbering of a part heading: "一、" (spaces after it are layout), or "第一部分".
_STANDARD_NUMBERING = compile_re(
    r"^[\s\u3000\u00a0#*>]*(?:[一二三四五六七八九十]{1,2}、|第[一二三四五六七八九十]{1,2}部分)"
)


def _numbering_deviates(heading: str) -> bool:
    """Whether a numbered heading writes its numbering other than "一、" ("一总体情况", "一.", "一 、")."""
    numbered = _NUMBERED.match(heading)
    return bool(numbered) and not _STANDARD_NUMBERING.match(heading)


@lru_cache(maxsize=1024)
def _heading_read(heading_line: str) -> tuple[str, str, str, bool]:
    """What a part's heading line says, read once per distinct line (most reports write the six the same way):
    its title as written (numbering and marks off), that title folded for comparison, the line stripped, and
    whether its numbering deviates."""
    written_title = _HEADING_NUMBERING.sub("", heading_line).strip(" *#:：\u3000")
    title = fold(written_title).rstrip(":：")
    return written_title, title, heading_line.strip(), _numbering_deviates(heading_line)


# parse_value's status word -> the model's status (looking an Enum member up by value is slow, per cell).
_STATUS = {status.value: status for status in CellStatus}


@lru_cache(maxsize=8)
def _accepted_titles(number: int) -> frozenset[str]:
    """The folded titles part ``number`` may have: the standard one and its accepted variants."""
    spec = formats.SECTION_BY_NUMBER[number]
    return frozenset(fold(t) for t in (spec.title, *spec.variants))


_LABEL_PUNCTUATION = compile_re(r"[、,，;；]")
_TITLE_MARKS = compile_re(r"^[#*\s]*(?:标题[:：]\s*)?")
_TITLE_YEAR = compile_re(r"(20\d{2}|19\d{2})\s*年")
_CITING_WORDS_BEFORE = compile_re(r"关于(?:做好|印发|报送)?$")


@lru_cache(maxsize=4096)
def _label_deviates(written: str, standard: str) -> bool:
    """A label deviates unless it is the standard text, or its beginning cut off by PDF line wrapping."""
    # Punctuation converters change ("、" printed as ", ") does not make a label different.
    w = _LABEL_PUNCTUATION.sub("", strip_numbering(fold(written))[1])
    std = _LABEL_PUNCTUATION.sub("", strip_numbering(fold(standard))[1])
    return not (w == std or (len(w) >= 4 and std.startswith(w)))


@lru_cache(maxsize=256)
def _row_format(table: int, key: str) -> tuple[str, tuple[str, ...]]:
    """The standard label of a row of the format and its columns' keys (``TableSpec.row`` compares every row's key
    in turn, and a report reads about 30 rows)."""
    spec = formats.TABLES[table].row(key)
    return spec.label, tuple(c.key for c in spec.columns)


@lru_cache(maxsize=256)
def _cell_places(table: int, row: str, columns: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(cell id, column) of each of a row's columns."""
    return tuple((formats.cell_id(table, row, col), col) for col in columns)


@lru_cache(maxsize=8192)
def _cell_text(raw: str) -> tuple[CellStatus, int | float | None, str | None, int, int]:
    """What a cell takes of its text: parse_value's status, value and unit, and where the value stands in the text
    without the padding around it (offset, length; length 0 for a blank text). Read once per distinct text: the
    same few ("0", "1", "/") make most of a report's 200 cells, as in parse_value_cached."""
    parsed = parse_value_cached(raw)
    stripped = raw.strip(" \t\u00a0\u3000")
    lead = raw.find(stripped) if stripped else 0
    return _STATUS[parsed.status], parsed.value, parsed.unit, lead, len(stripped)


_new_object = object.__new__
# The format's cells of a report's cells, in the format's order: KeyError when one is not there.
_STANDARD_CELLS = itemgetter(*formats.STANDARD_CELL_IDS)
_STANDARD_CELL_IDS = list(formats.STANDARD_CELL_IDS)
# The format's columns of 表三; 表四's cells (row, column) and groups (row, columns) in its order, and each group
# by the grammar's terminal for it.
_T3_COLUMNS = tuple(c.key for c in formats.T3_COLUMNS)
_T4_CELLS = [(g.key, c.key) for g in formats.TABLE4.rows for c in g.columns]
_T4_GROUPS = tuple((g.key, tuple(c.key for c in g.columns)) for g in formats.TABLE4.rows)
_T4_GROUP_OF = dict(zip(T4_GROUP_TERMINALS, _T4_GROUPS, strict=True))


# --- building ------------------------------------------------------------------------------------


class ReportBuilder:
    def __init__(self, rendered: Rendered, path: str) -> None:
        self.rendered = rendered
        self.text = rendered.text
        self.locator = Locator(rendered)
        self.report = Report(
            path=path,
            text=rendered.source_text,
            input_kind=rendered.input_kind,
            encoding=rendered.encoding,
        )
        self.report.line_starts = self.locator.line_starts
        self.report.locator = self.locator
        # One bound method for every cell's and row's lazy span. For plain text it needs the line starts alone
        # (LineLocator), so that what keeps cells after the report (a cross-year snapshot) keeps no more.
        lines_only = self.locator.lines_only()
        self.locate = lines_only.span if lines_only is not None else self.locator.span

    def span(self, tok: Token) -> Span:
        return self.locator.span(tok.start_pos or 0, tok.end_pos or 0)

    def build(self) -> Report:
        stream = row_stream(lex(self.text))
        layout = parse_layout(stream.tokens)
        parts = [p for p in layout.tree.children if isinstance(p, Tree)]
        # Each part's first token is its heading; the preamble's prose holds the title.
        self.build_sections([h for p in parts[1:] if isinstance(h := p.children[0], LayoutToken)])
        preamble = [line for t in parts[0].children if isinstance(t, ProseToken) for line in t.lines] if parts else []
        self.build_title(preamble, stream.layout_tokens)
        found = TablesRead(layout.tree)
        self.build_table2(stream.tables[2], found)
        self.build_table3(stream.tables[3], found)
        self.build_table4(stream.tables[4], found)
        self.fill_cells()
        self.detect_edition(found)
        self.record_facts(layout)
        return self.report

    # sections ------------------------------------------------------------------------------------
    def build_sections(self, heads: list[LayoutToken]) -> None:
        text = self.text
        for i, tok in enumerate(heads):
            start, end = tok.start_pos or 0, tok.end_pos or 0
            body_end = heads[i + 1].start_pos if i + 1 < len(heads) else len(text)
            number = int(tok.key or 0)
            written_title, title, heading, numbering_deviates = _heading_read(text[start:end])
            written = int(tok.numbering) if tok.numbering else None
            section = Section(
                number=number,
                written_number=written,
                title=written_title,
                heading=heading,
                span=self.span(tok),
                body_start=end,
                body_end=body_end or len(text),
                text=text[end : body_end or len(text)],
                deviates=title not in _accepted_titles(number) or written is None,
                numbering_deviates=numbering_deviates,
            )
            self.report.sections.append(section)

    def build_title(self, preamble: list[LayoutToken], tokens: list[LayoutToken]) -> None:
        report = self.report
        candidates = preamble or [t for t in tokens[:8] if t.type == "TEXT"]
        for index, tok in enumerate(candidates):
            line = str(tok).strip()
            cleaned = _TITLE_MARKS.sub("", line).strip(" *#\u3000\u00a0")
            if ("报告" in cleaned or "年报" in cleaned) and len(cleaned) <= 80:
                report.title = cleaned
                offset = (tok.start_pos or 0) + str(tok).find(cleaned[:4]) if cleaned else tok.start_pos or 0
                report.title_span = self.locator.span(offset, offset + len(cleaned))
                m = _TITLE_YEAR.search(cleaned)
                if m:
                    report.year = int(m.group(1))
                report.body = issuing_body(cleaned) or identity.heading_body(
                    [str(t).strip() for t in candidates], index
                )
                break
        self.complete_identity()
        if report.year is None:
            head = self.text[:600]
            m = re.search(r"(20\d{2})\s*年度", head) or re.search(r"(20\d{2})\s*年", head)
            if m:
                report.year = int(m.group(1))
        self.find_period()
        self.find_year_mentions()

    def find_year_mentions(self) -> None:
        """The report's own year as its preamble and part 一 name it, not counting the titles of cited papers."""
        first = next((s for s in self.report.sections if s.number == 1), None)
        end = first.body_end if first else min(len(self.text), 1500)
        for m in _REPORT_YEAR.finditer(self.text, 0, end):
            before = self.text[max(0, m.start() - 40) : m.start()]
            in_title = "《" in before and "》" not in before[before.rfind("《") :]
            if in_title or _CITING_WORDS_BEFORE.search(before):
                continue  # 《…2022年政府信息公开工作年度报告…》 or 关于做好…: a document cited, not this report
            self.report.year_mentions.append((int(m.group(1)), self.locator.span(m.start(1), m.end(1))))

    def find_period(self) -> None:
        """The statistical-period statement: a date range, also when a hard wrap breaks the sentence."""
        report = self.report
        for m in _DATE_RANGE.finditer(self.text):
            first, m1, d1 = int(m.group(1)), int(m.group(2)), int(m.group(3))
            last = int(m.group(5)) if m.group(5) else first
            m2, d2 = int(m.group(6)), int(m.group(7))
            full_year = (m1, d1, m2, d2) == (1, 1, 12, 31)
            sentence_start = max(self.text.rfind("。", 0, m.start()), 0)
            named = _PERIOD_WORDS.search(fold(self.text[max(sentence_start, m.start() - 40) : m.start()]))
            if m.group("between").count("\n") > 1 or not (full_year or named) or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
                continue
            report.period = (first, last)
            report.period_dates = ((first, m1, d1), (last, m2, d2))
            report.period_span = self.locator.span(m.start(), m.end())
            return

    def complete_identity(self) -> None:
        """Body and year from the page's ``<title>``, the period statement and the signature, for the many
        reports whose text has no title line (web pages put the title in ``<title>`` only)."""
        report = self.report
        if report.body is None and report.input_kind == "html":
            found = identity.html_title(self.rendered.source_text)
            # The page's <title> replaces a title line that names no body, never one that does.
            if found and (report.title is None or identity.issuing_body(found[0])):
                report.title, start = found
                report.title_span = self._source_span(start, start + len(report.title))
                # The year guessed from the first lines of the text yields to the title's own.
                report.year = identity.title_year(report.title) or report.year
                report.body = identity.issuing_body(report.title)
        stated = identity.title_year(report.title) if report.title else None
        if stated is not None:
            report.year = stated  # also 「二〇二三年度」, which the digits-only search above misses
        else:
            report.year = identity.period_year(self.text) or report.year
        if report.body is None:
            report.body = identity.signature_body(self.text)

    def _source_span(self, start: int, end: int) -> Span:
        starts = self.locator.line_starts
        line = bisect_right(starts, start) - 1
        end_line = bisect_right(starts, max(start, end - 1)) - 1
        return Span(line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1)

    # tables --------------------------------------------------------------------------------------
    def table(self, material: TableMaterial) -> Table:
        table = Table(material.number)
        self.report.tables[material.number] = table
        items = material.items
        toks = [i for i in items if isinstance(i, Token)] + [
            v for i in items if isinstance(i, ValueRun) for v in i.values
        ]
        if toks:
            table.present = True
            # (the offsets, not the tokens, compared: no key function called per token)
            table.span = self.locator.span(min([t.start_pos or 0 for t in toks]), max([t.end_pos or 0 for t in toks]))
        return table

    def assign(self, table: Table, key: str, row_token: RowToken, columns: tuple[str, ...], standard: str) -> Row:
        label, run, joined = row_token.label, row_token.run, row_token.joined
        written = str(label).strip()
        if joined and _label_deviates(written, standard) and not _label_deviates(joined, standard):
            written = joined  # a label printed in pieces: the pieces together are the label
        row = table.rows.get(key)
        if row is not None and run is not None and not run.filler and self.row_is_empty(table, key, columns):
            # Of two occurrences of a row, the one with values wins (the other was a heading or a header cell).
            table.rows.pop(key)
            row = None
        if row is not None and (run is None or run.filler):
            return row  # a later occurrence without values is a heading or a header cell, not a second row
        if row is not None:
            return row  # a second copy of a row with values: the first is read (the parse notes it, T107)
        row = Row(table.number, key, written)
        row.locate_later(self.locate, label.start_pos or 0, label.end_pos or 0)  # (as self.span(label), when read)
        row.deviates = _label_deviates(written, standard)
        table.rows[key] = row
        if run is None:
            return row
        values = list(run.values)
        k = len(columns)
        while len(values) > k and (is_blank(values[-1]) or is_blank(values[0])):
            if is_blank(values[-1]):
                values.pop()
            else:
                values.pop(0)
        glued = k > 1 and len(values) < k and _glued(values, k)  # (a full row is never glued: no call for it)
        if glued and self.read_glued(table, [(key, columns)], values, (k,) if k == 7 else ()):
            return row
        if glued:
            table.glued_rows.append(key)
            span = self.locator.span(values[0].start_pos or 0, values[-1].end_pos or 0)
            raw = self.text[values[0].start_pos or 0 : values[-1].end_pos or 0]
            if table.unreadable is None:
                table.unreadable = "glued"
                table.unreadable_span = span
            for col in columns:
                cell = self.cell(table.number, key, col)
                cell.status, cell.raw, cell.span, cell.value = CellStatus.INVALID, raw, span, None
            return row
        if len(values) > k:
            if k == 7:  # 表三: the 总计 column is always the rightmost
                chosen = [*values[:6], values[-1]]
                extra = values[6:-1]
            else:
                chosen, extra = values[:k], values[k:]
            for tok in extra:
                row.extra.append(self.new_value_cell(f"t{table.number}.{key}.extra", table.number, key, "extra", tok))
            values = chosen
        self.read_cells(table.number, key, columns, values)
        return row

    def read_glued(
        self,
        table: Table,
        rows: list[tuple[str, tuple[str, ...]]],
        values: list[LayoutToken],
        groups: tuple[int, ...],
    ) -> bool:
        """Read glued digits when only one reading exists (see :mod:`disclosure_lint.glued`)."""
        ids = [(row, col) for row, cols in rows for col in cols]
        reading = unique_reading([str(v) for v in values], len(ids), groups)
        if reading is None:
            return False
        parts, basis = reading
        for (row, col), part in zip(ids, parts):
            start = (values[part.token].start_pos or 0) + part.start
            cell = self.cell(table.number, row, col)
            parsed = parse_value_cached(part.text)
            cell.status, cell.value, cell.raw = _STATUS[parsed.status], parsed.value, part.text
            cell.span = self.locator.span(start, start + len(part.text))
            cell.reading = basis
        for row, _cols in rows:
            table.split_rows.append(row)
        return True

    def row_is_empty(self, table: Table, key: str, columns: tuple[str, ...]) -> bool:
        cells = [self.report.cells.get(formats.cell_id(table.number, key, col)) for col in columns]
        return all(c is None or c.status is CellStatus.MISSING for c in cells) and key not in table.glued_rows

    def cell(self, table: int, row: str, col: str) -> Cell:
        cid = formats.cell_id(table, row, col)
        cell = self.report.cells.get(cid)
        if cell is None:
            cell = Cell(cid, table, row, col)
            self.report.cells[cid] = cell
        return cell

    def read_cells(self, table: int, row: str, columns: tuple[str, ...], values: list[LayoutToken]) -> None:
        """Read a row's cells from its value tokens, column by column, as far as both go."""
        cells = self.report.cells
        for read in self.value_cells(table, row, _cell_places(table, row, columns), values):
            cell = cells.setdefault(read.id, read)
            if cell is read:
                continue  # (the usual case: one lookup, not a get and then a store)
            # A row read again after an occurrence without numbers keeps its cells (and their ``reading``).
            cell.raw, cell.status, cell.value = read.raw, read.status, read.value
            cell.unit, cell.span = read.unit, read.span

    def new_value_cell(self, cid: str, table: int, row: str, column: str, tok: LayoutToken) -> Cell:
        """The cell read from the value token ``tok`` (see value_cells)."""
        return self.value_cells(table, row, ((cid, column),), (tok,))[0]

    def value_cells(
        self, table: int, row: str, places: Iterable[tuple[str, str]], values: Iterable[LayoutToken]
    ) -> list[Cell]:
        """The cells read from the value tokens ``values``, one for each (cell id, column) of ``places`` as far
        as both go, each span made when first read (a report reads about 200 cells; few of their spans are ever
        shown). One loop with no call per cell but parse_value's memo: it is a third of building the model."""
        locate = self.locate
        out = []
        for (cid, column), tok in zip(places, values):
            raw = tok.value  # (the token's text as a plain str, what str(tok) would copy it to)
            status, value, unit, lead, length = _cell_text(raw)
            start = tok.start_pos or 0
            if length:  # the span is the value without the padding around it
                start += lead
                end = start + length
            else:
                end = tok.end_pos or 0
            # Cell(cid, table, row, column, status, value, raw, unit=unit) and cell.locate_later(locate, start, end)
            # written out: the same attributes in the same order, without two calls per cell (about a third of the
            # cost of reading one); tests/reading/test_cell_span_when_read.py compares the two.
            cell = _new_object(Cell)
            cell.id = cid
            cell.table = table
            cell.row = row
            cell.column = column
            cell.status = status
            cell.value = value
            cell.raw = raw
            cell._span = (locate, start, end)
            cell.unit = unit
            cell.reading = None
            out.append(cell)
        return out

    def build_table2(self, material: TableMaterial, found: TablesRead) -> None:
        table = self.table(material)
        trial = found.trial_marks
        for tok in trial:
            self.report.edition_evidence.append((str(tok).strip(), self.span(tok)))
        if trial:
            # The 2019 trial format's columns: its rows are kept as written, outside the 2021 cells.
            table.trial_format = True
            for row_token in found.rows[2]:
                key = str(row_token.label.key)
                row = Row(2, key, str(row_token).strip(), self.span(row_token))
                if row_token.run is not None:
                    for tok in row_token.run.values:
                        row.extra.append(self.new_value_cell(f"t2.{key}.trial", 2, key, "trial", tok))
                table.extra_rows.append(row)
            return
        for row_token in found.rows[2]:
            key = str(row_token.label.key)
            label, columns = _row_format(2, key)
            self.assign(table, key, row_token, columns, label)
        self.add_stray(table, material.stray)

    def build_table3(self, material: TableMaterial, found: TablesRead) -> None:
        table = self.table(material)
        columns = _T3_COLUMNS
        for row_token in found.rows[3]:
            key = str(row_token.label.key)
            if row_token.label.type == "T3_GROUP":
                if row_token.run is None:
                    continue
                # A group label with numbers of its own: the single （六） row of the 2019 format, or a
                # sub-total some templates add. Kept under the group key, outside the public ids.
                row = self.assign(table, key, row_token, columns, formats.TABLE3.groups[key][0])
                table.rows.pop(key, None)
                table.extra_rows.append(row)
                continue
            self.assign(table, key, row_token, columns, _row_format(3, key)[0])
        self.add_stray(table, material.stray)

    def build_table4(self, material: TableMaterial, found: TablesRead) -> None:
        table = self.table(material)
        values = material.values
        if not values:
            return
        if material.scattered:
            table.unreadable = "scattered"  # see lost_structure.py: refused, not guessed
        keys = _T4_CELLS
        glued = _glued(values, len(keys))
        if glued and self.read_glued(table, list(_T4_GROUPS), values, (5, 5, 5)):
            for g in formats.TABLE4.rows:
                table.rows[g.key] = Row(4, g.key, g.label, table.span)
            return
        if glued:
            span = self.locator.span(values[0].start_pos or 0, values[-1].end_pos or 0)
            raw = self.text[values[0].start_pos or 0 : values[-1].end_pos or 0]
            table.unreadable, table.unreadable_span = "glued", span
            table.glued_rows.extend(g.key for g in formats.TABLE4.rows)
            for g, c in keys:
                cell = self.cell(4, g, c)
                cell.status, cell.raw, cell.span = CellStatus.INVALID, raw, span
            return
        # The groups as the grammar read them (行政复议, 未经复议直接起诉, 复议后起诉), five numbers each.
        for group in found.groups:
            key, columns = _T4_GROUP_OF[group.type]
            self.read_cells(4, key, columns, group.values)
        for g in formats.TABLE4.rows:
            table.rows[g.key] = Row(4, g.key, g.label, table.span)
        for tok in values[len(keys) :]:
            table.stray.append(self.new_value_cell("t4.extra", 4, "extra", "extra", tok))

    def add_stray(self, table: Table, runs: list[ValueRun]) -> None:
        for run in runs:
            for tok in run.values:
                if not is_blank(tok):
                    table.stray.append(
                        self.new_value_cell(f"t{table.number}.stray", table.number, "stray", "stray", tok)
                    )

    # cells and format ----------------------------------------------------------------------------
    def fill_cells(self) -> None:
        cells = self.report.cells
        if list(cells) == _STANDARD_CELL_IDS:
            return  # every cell of the format read, in its order (most reports): already what the steps below make
        try:
            # Every cell of the format read (most reports): put in the format's order without a Python step each.
            ordered = dict(zip(formats.STANDARD_CELL_IDS, _STANDARD_CELLS(cells)))
            others = len(cells) > len(ordered)
        except KeyError:
            # (a Cell is always true: "or" makes only the missing ones)
            ordered = {
                cid: cells.get(cid) or Cell(cid, table, row, col) for cid, table, row, col in formats.STANDARD_CELLS
            }
            others = bool(cells.keys() - ordered.keys())
        # Non-standard rows (single （六） row, sub-totals) stay reachable by their ids too, after the others.
        if others:  # (most reports have none: no loop over the 200 others)
            for cid, cell in cells.items():
                ordered.setdefault(cid, cell)
        self.report.cells = ordered

    def detect_edition(self, found: TablesRead) -> None:
        """The edition: the 2019 trial format's words in 表二, or its single （六）其他处理 row in 表三 where
        no row of the 2021 format's （六） stands (the grammar's ``other_2019`` against ``other_2021``)."""
        report = self.report
        single_other = found.other_editions == {"other_2019"}
        if report.edition_evidence or (single_other and report.year is not None and report.year <= 2020):
            report.edition = "2019-trial"
        elif any(t.present for t in report.tables.values()):
            report.edition = "2021"
        t3 = report.tables.get(3)
        if single_other and t3 is not None:
            row = next(r for r in t3.extra_rows if r.key == formats.T3_SINGLE_OTHER_ROW)
            if row.span:
                report.edition_evidence.append(((row.label or "").strip(), row.span))

    def record_facts(self, layout: Layout) -> None:
        for fact in layout.facts:
            tok, after = fact.token, fact.after
            self.report.layout_notes.append(
                LayoutNote(
                    fact.kind,
                    tok.type,
                    str(tok).strip(),
                    self.span(tok),
                    after.type if after is not None else None,
                    table=_table_of(tok),
                    key=_key_of(tok),
                    after_key=_key_of(after) if after is not None else None,
                    numbers=_has_numbers(tok),
                    after_numbers=after is not None and _has_numbers(after),
                    earlier_cells=fact.earlier_cells,
                )
            )


def _has_numbers(tok: Token) -> bool:
    return isinstance(tok, RowToken) and tok.run is not None and not tok.run.filler


def _table_of(tok: Token) -> int | None:
    """The table a row, caption or group token belongs to (its terminal is ``T<n>_…``); None for a part."""
    return None if tok.type.startswith("PART_") else int(tok.type[1])


def _key_of(tok: Token) -> str | None:
    """The format's key of a row or group label (``denied.state_secret``, ``denied``), a 表二 caption's
    text, or a part's number; None for 表四's groups."""
    key = tok.label.key if isinstance(tok, RowToken) else getattr(tok, "key", None)
    return str(key) if key is not None else None


_TABLE_NODES = {"table2": 2, "table3": 3, "table4": 4}


class TablesRead:
    """What the model takes from the tables of the parse tree, gathered in one walk of it, in document order:
    each table's row tokens, 表四's group tokens, the 2019 trial format's marks in 表二, and which of 表三's
    （六） alternatives (``other_2019``, ``other_2021``) hold rows."""

    def __init__(self, tree: Tree) -> None:
        self.rows: dict[int, list[RowToken]] = {2: [], 3: [], 4: []}
        self.groups: list[GroupToken] = []
        self.trial_marks: list[Token] = []
        self.other_editions: set[str] = set()
        self._walk(tree, None)

    def _walk(self, node: Tree, table: int | None) -> None:
        for child in node.children:
            if isinstance(child, Tree):
                data = str(child.data)
                if data in ("other_2019", "other_2021") and child.children and table == 3:
                    self.other_editions.add(data)
                self._walk(child, _TABLE_NODES.get(data, table))
            elif table is None:
                continue  # prose and part headings
            elif isinstance(child, RowToken):
                self.rows[table].append(child)
                if table == 2 and trial_marker(child):  # the trial format's own rows (其他对外管理服务事项 …)
                    self.trial_marks.append(child)
            elif isinstance(child, GroupToken):
                self.groups.append(child)
            elif table == 2 and trial_marker(child):
                self.trial_marks.append(child)


def build_report(rendered: Rendered, path: str) -> Report:
    from .lost_structure import refuse_scattered_tables

    report = ReportBuilder(rendered, path).build()
    refuse_scattered_tables(report)
    return report
