"""Stage 4 — model: turn the parse tree into a located :class:`~disclosure_lint.model.Report`.

The grammar says which tokens form which table; this module decides which numbers belong to which row
and column. Most layouts put a row's numbers right after its label. PDF text does not: a wrapped label
is printed around its numbers, so the numbers of a row can come *before* its label. Rows are therefore
paired with value runs in two passes: first each label with the run that directly follows it, then, in
each stretch between two such anchors, the remaining labels and runs in order, when their counts agree.
Nothing is guessed beyond that: digits glued together (``0000000``) make a row unreadable, not a
row of seven zeros.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from lark import Token, Tree

from . import formats, identity
from .bilingual import Text
from .glued import unique_reading
from .identity import issuing_body
from .lexer import LayoutToken, lex, parse_value_cached
from .model import Cell, CellStatus, Problem, Report, Row, Section, Span, Table
from .parser import parse_tokens
from .reading import Rendered
from .text import fold, strip_numbering


class Locator:
    """Maps offsets in the parsed (rendered) text to spans in the user's file."""

    def __init__(self, rendered: Rendered) -> None:
        self.origin = rendered.origin
        self.source = rendered.source_text
        self.describe: Callable[[int], object] | None = rendered.describe  # type: ignore[assignment]
        self.locate: Callable[[int], tuple[int | None, tuple[float, float, float, float] | None]] | None
        self.locate = rendered.locate  # type: ignore[assignment]
        # str.find runs in C; a Python loop over every character cost more than lexing short reports.
        starts = [0]
        find = self.source.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    def _source_offset(self, offset: int) -> int:
        if self.origin is None:
            return offset
        if not self.origin:
            return 0
        return self.origin[min(max(offset, 0), len(self.origin) - 1)]

    def span(self, start: int, end: int) -> Span:
        s = self._source_offset(start)
        e = self._source_offset(end - 1) + 1 if end > start else s
        if e < s:
            e = s
        starts = self.line_starts
        li = bisect_right(starts, s) - 1
        lj = bisect_right(starts, max(s, e - 1)) - 1
        where = None
        if self.describe is not None:
            described = self.describe(start)
            # A reader describes a place as a Text, or as a (Chinese, English) pair.
            where = described if isinstance(described, Text) else Text(*described)
        page, box = self.locate(start) if self.locate is not None else (None, None)
        return Span(li + 1, s - starts[li] + 1, lj + 1, e - starts[lj] + 1, where, page, box)


# --- helpers over tokens -------------------------------------------------------------------------


@dataclass
class _Run:
    values: list[LayoutToken]

    @property
    def line(self) -> int:
        return self.values[0].line

    @property
    def filler(self) -> bool:
        return all(_is_blank(v) for v in self.values)


def _is_blank(tok: LayoutToken) -> bool:
    return parse_value_cached(str(tok)).status == "blank"


def _placeholders_only(run: _Run) -> bool:
    # Converters fill header rows they could not place with "-": noise, not numbers without a row.
    return all(parse_value_cached(str(v)).status == "placeholder" for v in run.values)


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
# The longest row label a report writes is about 40 characters; pieces of a wrapped label beyond this are not one.
MAX_WRITTEN_LABEL = 120
_DATE_RANGE = re.compile(
    r"(20\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?P<between>[^。\d]{0,16}?)"
    r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
# "2023年度政府信息公开工作年度报告": a year given to a report (the title, "编制完成…", "现公布…").
_REPORT_YEAR = re.compile(r"(20\d{2})\s*年度?\s*(?:[^\d。，\n]{0,4}?)政府信息公开(?:工作)?年度?报告")
# Words that say a date range is the statistical period (needed when it is not the whole year).
_PERIOD_WORDS = re.compile(r"统计(?:期限|时限|时间|周期|区间|范围)|数据(?:期限|时间)|所列数据")

# The numbering in front of a part heading: "一、", "一．", "第一部分", with Markdown marks and spaces.
_HEADING_NUMBERING = re.compile(r"^[\s\u3000\u00a0#*>]*(?:第)?[一二三四五六七八九十]{1,2}(?:部分)?\s*[、.．,，:：]?\s*")


# The standard numbering of a part heading: "一、" (spaces after it are layout), or "第一部分".
_STANDARD_NUMBERING = re.compile(
    r"^[\s\u3000\u00a0#*>]*(?:[一二三四五六七八九十]{1,2}、|第[一二三四五六七八九十]{1,2}部分)"
)


def _numbering_deviates(heading: str) -> bool:
    """Whether a numbered heading writes its numbering other than "一、" ("一总体情况", "一.", "一 、")."""
    numbered = re.match(r"^[\s\u3000\u00a0#*>]*(?:第)?[一二三四五六七八九十]{1,2}", heading)
    return bool(numbered) and not _STANDARD_NUMBERING.match(heading)


def _label_deviates(written: str, standard: str) -> bool:
    """A label deviates unless it is the standard text, or its beginning cut off by PDF line wrapping."""
    # Punctuation converters change ("、" printed as ", ") does not make a label different.
    w = re.sub(r"[、,，;；]", "", strip_numbering(fold(written))[1])
    std = re.sub(r"[、,，;；]", "", strip_numbering(fold(standard))[1])
    return not (w == std or (len(w) >= 4 and std.startswith(w)))


def _items(tree: Tree) -> list[LayoutToken | _Run]:
    out: list[LayoutToken | _Run] = []
    for child in tree.children:
        if isinstance(child, Tree) and child.data == "run":
            out.extend(_split_by_line([t for t in child.children if isinstance(t, Token)]))  # type: ignore[arg-type]
        elif isinstance(child, Token):
            out.append(child)  # type: ignore[arg-type]
    return out


def _split_by_line(values: list[LayoutToken]) -> list[_Run]:
    """One run per line when every line holds a row of numbers (PDF text prints rows on consecutive
    lines with nothing between them); cell-per-line layouts keep their single run."""
    groups: list[list[LayoutToken]] = []
    for v in values:
        if groups and groups[-1][0].line == v.line:
            groups[-1].append(v)
        else:
            groups.append([v])
    if len(groups) > 1 and all(len(g) >= 2 for g in groups):
        return [_Run(g) for g in groups]
    return [_Run(values)]


# --- building ------------------------------------------------------------------------------------


class ReportBuilder:
    def __init__(self, rendered: Rendered, path: str) -> None:
        self.rendered = rendered
        self.text = rendered.text
        self.locator = Locator(rendered)
        self.report = Report(
            path=path,
            text=rendered.source_text,
            source_format=rendered.source_format,
            encoding=rendered.encoding,
        )
        self.report.line_starts = self.locator.line_starts
        # Row labels printed in pieces around a PDF's vertical header, joined (by id of the later piece).
        self.written_labels: dict[int, str] = {}
        self.report.locator = self.locator  # type: ignore[attr-defined]

    def span(self, tok: LayoutToken) -> Span:
        return self.locator.span(tok.start_pos or 0, tok.end_pos or 0)

    def build(self) -> Report:
        tokens = lex(self.text)
        tree = parse_tokens(tokens)
        table_items: dict[int, list[LayoutToken | _Run]] = {2: [], 3: [], 4: []}
        heads: list[LayoutToken] = []
        preamble_text: list[LayoutToken] = []
        for part in tree.children:
            if not isinstance(part, Tree):
                continue
            for child in part.children:
                if isinstance(child, Tree) and child.data in ("table2", "table3", "table4"):
                    table_items[int(child.data[-1])].extend(_items(child))
                elif isinstance(child, Token) and child.type == "SECTION_HEAD":
                    heads.append(child)  # type: ignore[arg-type]
                elif isinstance(child, Token) and child.type == "TEXT" and part.data == "preamble":
                    preamble_text.append(child)  # type: ignore[arg-type]
        self.build_sections(heads)
        self.build_title(preamble_text, tokens)
        self.build_table2(table_items[2])
        self.build_table3(table_items[3])
        self.build_table4(table_items[4])
        self.fill_cells()
        self.detect_format()
        return self.report

    # sections ------------------------------------------------------------------------------------
    def build_sections(self, heads: list[LayoutToken]) -> None:
        text = self.text
        for i, tok in enumerate(heads):
            start, end = tok.start_pos or 0, tok.end_pos or 0
            body_end = heads[i + 1].start_pos if i + 1 < len(heads) else len(text)
            number = int(tok.key)  # type: ignore[arg-type]
            heading_line = text[start:end]
            written_title = _HEADING_NUMBERING.sub("", heading_line).strip(" *#:：\u3000")
            title = fold(written_title)
            spec = formats.SECTION_BY_NUMBER[number]
            accepted = {fold(t) for t in (spec.title, *spec.variants)}
            written = int(tok.numbering) if tok.numbering else None
            section = Section(
                number=number,
                written_number=written,
                title=written_title,
                heading=heading_line.strip(),
                span=self.span(tok),
                body_start=end,
                body_end=body_end or len(text),
                text=text[end : body_end or len(text)],
                deviates=title.rstrip(":：") not in accepted or written is None,
                numbering_deviates=_numbering_deviates(heading_line),
            )
            self.report.sections.append(section)

    def build_title(self, preamble: list[LayoutToken], tokens: list[LayoutToken]) -> None:
        report = self.report
        candidates = preamble or [t for t in tokens[:8] if t.type == "TEXT"]
        for index, tok in enumerate(candidates):
            line = str(tok).strip()
            cleaned = re.sub(r"^[#*\s]*(?:标题[:：]\s*)?", "", line).strip(" *#\u3000\u00a0")
            if ("报告" in cleaned or "年报" in cleaned) and len(cleaned) <= 80:
                report.title = cleaned
                offset = (tok.start_pos or 0) + str(tok).find(cleaned[:4]) if cleaned else tok.start_pos or 0
                report.title_span = self.locator.span(offset, offset + len(cleaned))
                m = re.search(r"(20\d{2}|19\d{2})\s*年", cleaned)
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
            if in_title or re.search(r"关于(?:做好|印发|报送)?$", before):
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
        if report.body is None and report.source_format == "html":
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
    def table(self, number: int, items: list[LayoutToken | _Run]) -> Table:
        table = Table(number)
        self.report.tables[number] = table
        toks = [i for i in items if isinstance(i, Token)] + [v for i in items if isinstance(i, _Run) for v in i.values]
        if toks:
            table.present = True
            first = min(toks, key=lambda t: t.start_pos or 0)
            last = max(toks, key=lambda t: t.end_pos or 0)
            table.span = self.locator.span(first.start_pos or 0, last.end_pos or 0)
        return table

    def pair_rows(
        self, items: list[LayoutToken | _Run], row_kind: str, group_kind: str | None
    ) -> tuple[list[tuple[LayoutToken, _Run | None]], list[_Run]]:
        """Pair row labels with their value runs (see the module docstring)."""
        labels = [i for i, it in enumerate(items) if isinstance(it, Token) and it.type in (row_kind, group_kind)]
        # A label wrapped over two lines can be recognised twice ("2、申请人逾期未按收费通知要" …
        # "求缴纳费用、…"): consecutive labels of the same row are one label, the later one nearest its numbers.
        rows_only = [i for i in labels if items[i].type == row_kind]  # type: ignore[union-attr]
        merged: set[int] = set()
        for a, b in itertools.pairwise(rows_only):
            if items[a].key == items[b].key and not isinstance(items[a + 1], _Run):  # type: ignore[union-attr]
                merged.add(a)
                # The label as written is both pieces ("2、申请人逾期未按收费通知要" + "求缴纳费用、…"). A label is
                # never longer than a sentence: past that, a line of repeated labels would make this quadratic.
                first = self.written_labels.get(id(items[a]), str(items[a]).strip())
                if len(first) > MAX_WRITTEN_LABEL:
                    first = str(items[a]).strip()
                self.written_labels[id(items[b])] = first + str(items[b]).strip()
        if merged:  # (one list rebuild: removing each in place was quadratic in the number of labels)
            labels = [i for i in labels if i not in merged]
        paired: dict[int, int] = {}  # label index -> run index
        used_runs: set[int] = set()
        for li in labels:
            label = items[li]
            j = li + 1
            while (
                j < len(items)
                and isinstance(items[j], Token)
                and items[j].type == "JUNK"
                and items[j].line == label.line
            ):  # type: ignore[union-attr]
                j += 1
            if j < len(items) and isinstance(items[j], _Run):
                run = items[j]
                assert isinstance(run, _Run)
                if label.type == group_kind and label.key != "other" and run.line != label.line:  # type: ignore[union-attr]
                    continue  # a group label owns numbers (a sub-total) only when they share its line
                paired[li] = j
                used_runs.add(j)
        # Second pass: between anchors, pair leftovers in order when the counts agree.
        anchors = sorted([-1, *[li for li in paired], *list(used_runs), len(items)])
        for a, b in itertools.pairwise(anchors):
            # labels is sorted: only the slice between the anchors is looked at, keeping this pass linear.
            between = labels[bisect_right(labels, a) : bisect_left(labels, b)]
            free_labels = [i for i in between if i not in paired and items[i].type == row_kind]  # type: ignore[union-attr]
            free_runs = [
                i for i in range(a + 1, b) if isinstance(items[i], _Run) and i not in used_runs and not items[i].filler
            ]  # type: ignore[union-attr]
            if free_labels and len(free_labels) == len(free_runs):
                for li, ri in zip(free_labels, free_runs):
                    paired[li] = ri
                    used_runs.add(ri)
        result: list[tuple[LayoutToken, _Run | None]] = []
        for li in labels:
            tok = items[li]
            assert isinstance(tok, Token)
            run = items[paired[li]] if li in paired else None
            result.append((tok, run if isinstance(run, _Run) else None))  # type: ignore[arg-type]
        stray = [
            it
            for i, it in enumerate(items)
            if isinstance(it, _Run) and i not in used_runs and not it.filler and not _placeholders_only(it)
        ]
        return result, stray  # type: ignore[return-value]

    def assign(
        self,
        table: Table,
        key: str,
        label: LayoutToken,
        run: _Run | None,
        columns: tuple[str, ...],
        standard: str,
    ) -> Row:
        written = str(label).strip()
        joined = self.written_labels.get(id(label))
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
            self.report.problems.append(
                Problem(
                    "duplicate-row", Text.same(formats.row_label(table.number, key)), self.span(label), table.number
                )
            )
            return row
        row = Row(table.number, key, written, self.span(label))
        row.deviates = _label_deviates(written, standard)
        table.rows[key] = row
        if run is None:
            return row
        values = list(run.values)
        k = len(columns)
        while len(values) > k and (_is_blank(values[-1]) or _is_blank(values[0])):
            if _is_blank(values[-1]):
                values.pop()
            else:
                values.pop(0)
        if k > 1 and _glued(values, k) and self.read_glued(table, [(key, columns)], values, (k,) if k == 7 else ()):
            return row
        if k > 1 and _glued(values, k):
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
                row.extra.append(self.value_cell(Cell(f"t{table.number}.{key}.extra", table.number, key, "extra"), tok))
            values = chosen
        for col, tok in zip(columns, values):
            self.value_cell(self.cell(table.number, key, col), tok)
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
            cell.status, cell.value, cell.raw = CellStatus(parsed.status), parsed.value, part.text
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

    def value_cell(self, cell: Cell, tok: LayoutToken) -> Cell:
        raw = str(tok)
        parsed = parse_value_cached(raw)
        cell.raw = raw
        cell.status = CellStatus(parsed.status)
        cell.value = parsed.value
        cell.unit = parsed.unit
        start, end = tok.start_pos or 0, tok.end_pos or 0
        stripped = raw.strip(" \t\u00a0\u3000")
        if stripped:
            lead = raw.find(stripped)
            start, end = start + lead, start + lead + len(stripped)
        cell.span = self.locator.span(start, end)
        return cell

    def build_table2(self, items: list[LayoutToken | _Run]) -> None:
        table = self.table(2, items)
        trial = [
            t
            for t in items
            if isinstance(t, Token) and (t.key in formats.TRIAL_FORMAT_MARKERS or str(t.key).startswith("trial."))
        ]
        for tok in trial:
            self.report.format_evidence.append((str(tok).strip(), self.span(tok)))  # type: ignore[arg-type]
        pairs, stray = self.pair_rows(items, "T2_ROW", None)
        if trial:
            table.trial_format = True
            for label, run in pairs:
                row = Row(2, str(label.key), str(label).strip(), self.span(label))
                if run is not None:
                    for tok in run.values:
                        row.extra.append(
                            self.value_cell(Cell(f"t2.{label.key}.trial", 2, str(label.key), "trial"), tok)
                        )
                table.extra_rows.append(row)
            return
        for label, run in pairs:
            spec = formats.TABLE2.row(str(label.key))
            self.assign(table, spec.key, label, run, tuple(c.key for c in spec.columns), spec.label)
        self.add_stray(table, stray)

    def build_table3(self, items: list[LayoutToken | _Run]) -> None:
        table = self.table(3, items)
        pairs, stray = self.pair_rows(items, "T3_ROW", "T3_GROUP")
        columns = tuple(c.key for c in formats.T3_COLUMNS)
        for label, run in pairs:
            key = str(label.key)
            if label.type == "T3_GROUP":
                if run is None:
                    continue
                # A group label with numbers of its own: the single （六） row of the 2019 format, or a
                # sub-total some templates add. Kept under the group key, outside the public ids.
                row = self.assign(table, key, label, run, columns, formats.TABLE3.groups[key][0])
                table.rows.pop(key, None)
                table.extra_rows.append(row)
                continue
            spec = formats.TABLE3.row(key)
            self.assign(table, key, label, run, columns, spec.label)
        self.add_stray(table, stray)

    def build_table4(self, items: list[LayoutToken | _Run]) -> None:
        table = self.table(4, items)
        last_header = max(
            (i for i, it in enumerate(items) if isinstance(it, Token) and it.type == "T4_HEADER"), default=-1
        )
        values: list[LayoutToken] = []
        for i, it in enumerate(items):
            if isinstance(it, _Run) and (i > last_header or not it.filler):
                values.extend(it.values)
        if not values:
            return
        if _header_between_numbers(items, last_header):
            table.unreadable = "scattered"  # see lost_structure.py: refused, not guessed
        keys = [(g.key, c.key) for g in formats.TABLE4.rows for c in g.columns]
        while len(values) > len(keys) and (_is_blank(values[-1]) or _is_blank(values[0])):
            values.pop() if _is_blank(values[-1]) else values.pop(0)
        groups = tuple((g.key, tuple(c.key for c in g.columns)) for g in formats.TABLE4.rows)
        if _glued(values, len(keys)) and self.read_glued(table, list(groups), values, (5, 5, 5)):
            for g in formats.TABLE4.rows:
                table.rows[g.key] = Row(4, g.key, g.label, table.span)
            return
        if _glued(values, len(keys)):
            span = self.locator.span(values[0].start_pos or 0, values[-1].end_pos or 0)
            raw = self.text[values[0].start_pos or 0 : values[-1].end_pos or 0]
            table.unreadable, table.unreadable_span = "glued", span
            table.glued_rows.extend(g.key for g in formats.TABLE4.rows)
            for g, c in keys:
                cell = self.cell(4, g, c)
                cell.status, cell.raw, cell.span = CellStatus.INVALID, raw, span
            return
        for (g, c), tok in zip(keys, values):
            self.value_cell(self.cell(4, g, c), tok)
        for g in formats.TABLE4.rows:
            table.rows[g.key] = Row(4, g.key, g.label, table.span)
        for tok in values[len(keys) :]:
            table.stray.append(self.value_cell(Cell("t4.extra", 4, "extra", "extra"), tok))

    def add_stray(self, table: Table, runs: list[_Run]) -> None:
        for run in runs:
            for tok in run.values:
                if not _is_blank(tok):
                    table.stray.append(
                        self.value_cell(Cell(f"t{table.number}.stray", table.number, "stray", "stray"), tok)
                    )

    # cells and format ----------------------------------------------------------------------------
    def fill_cells(self) -> None:
        ordered: dict[str, Cell] = {}
        for cid in formats.STANDARD_CELL_IDS:
            cell = self.report.cells.get(cid)
            if cell is None:
                _t, rest = cid.split(".", 1)
                row, col = rest.rsplit(".", 1)
                cell = Cell(cid, int(_t[1]), row, col)
            ordered[cid] = cell
        # Non-standard rows (single （六） row, sub-totals) stay reachable by their ids too.
        for cid, cell in self.report.cells.items():
            ordered.setdefault(cid, cell)
        self.report.cells = ordered

    def detect_format(self) -> None:
        report = self.report
        t3 = report.tables.get(3)
        single_other = bool(t3 and any(r.key == "other" for r in t3.extra_rows)) and not any(
            k.startswith("other.") for k in (t3.rows if t3 else {})
        )
        if report.format_evidence or (single_other and report.year is not None and report.year <= 2020):
            report.format = "2019-trial"
        elif any(t.present for t in report.tables.values()):
            report.format = "2021"
        if single_other and t3 is not None:
            row = next(r for r in t3.extra_rows if r.key == "other")
            if row.span:
                report.format_evidence.append(((row.label or "").strip(), row.span))


def _header_between_numbers(items: list[LayoutToken | _Run], last_header: int) -> bool:
    """Are 表四's numbers broken up by its header words, other than group by group (5, 10 …)?

    Reading-order copies of a PDF print the header cells and numbers of 表四 interleaved, so the order
    of the numbers is no longer the order of the columns.
    """
    runs = [(i, it) for i, it in enumerate(items) if isinstance(it, _Run) and (i > last_header or not it.filler)]
    if len(runs) < 2:
        return False
    first, last = runs[0][0], runs[-1][0]
    headers = any(first < i < last and isinstance(it, Token) and it.type == "T4_HEADER" for i, it in enumerate(items))
    return headers and any(len(run.values) % 5 for _, run in runs[:-1])


def build_report(rendered: Rendered, path: str) -> Report:
    from .lost_structure import refuse_scattered_tables

    report = ReportBuilder(rendered, path).build()
    refuse_scattered_tables(report)
    return report
