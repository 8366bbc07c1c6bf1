"""Built-in checks: the rule logic an expression cannot state (order, labels, layout, prose).

Each check is a small function ``(report, params) -> Iterable[Finding]`` registered under the name a
rule file's ``check:`` uses. Checks never word the message themselves: they return the values that
the rule's bilingual template fills in, so the words stay in the YAML files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .. import formats
from ..diagnostics import Related, Term
from ..model import Cell, CellStatus, Report, Span
from ..text import fold
from .narrative import narrative_claims

NUMERALS = formats.CHINESE_NUMERALS


@dataclass
class Finding:
    span: Span | None
    values: dict[str, object] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)
    section: int | None = None
    place: str | None = None
    expected: int | float | None = None
    actual: int | float | None = None
    equation: str | None = None
    terms: list[Term] = field(default_factory=list)
    related: list[Span | Related] = field(default_factory=list)
    key: str = ""


Check = Callable[[Report, dict[str, Any]], Iterable[Finding]]
CHECKS: dict[str, Check] = {}
# The values each check puts in ``Finding.values``: the loader refuses a rule whose message or help names
# any other ``{placeholder}``, which would otherwise print as written.
PROVIDES: dict[str, frozenset[str]] = {
    # Not a function here: localise.apply words A300 after the other rules ran, with these values.
    "fault-localisation": frozenset({"table", "table_en", "changes", "relations"}),
}


def check(name: str, *, provides: Iterable[str]) -> Callable[[Check], Check]:
    """Register a check under the name a rule file's ``check:`` uses, with the values its findings carry."""

    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        PROVIDES[name] = frozenset(provides)
        return fn

    return register


# --- labels used in messages ---------------------------------------------------------------------


def column_label(cell: Cell) -> str:
    return formats.column_label(cell.table, cell.row, cell.column)


def cell_place(report: Report, cell_id: str) -> str:
    cell = report.cells.get(cell_id)
    if cell is None:
        return cell_id
    row_label = formats.row_label(cell.table, cell.row)
    table = formats.TABLE_NAMES.get(cell.table, "")
    return f"{table} ·「{row_label}」行 ·「{column_label(cell)}」列"


def cell_short_label(report: Report, cell_id: str) -> str:
    cell = report.cells.get(cell_id)
    if cell is None:
        return cell_id
    row = formats.row_label(cell.table, cell.row)
    row = re.sub(r"（区分处理的.*）", "", row)
    return f"{row}×{column_label(cell)}"


def section_label(n: int) -> str:
    return f"{NUMERALS[n - 1]}、{formats.SECTION_BY_NUMBER[n].title}"


def _end_span(report: Report) -> Span:
    line = max(1, len(report.line_starts))
    return Span(line, 1, line, 1)


# --- structure -----------------------------------------------------------------------------------


def _content_elsewhere(report: Report) -> bool:
    """The page only links or shows the report: S008 says so once, structure rules stay quiet."""
    return any(p.kind in ("attachment-only", "scan-only") for p in report.problems)


@check("sections-present", provides=("what", "what_en", "found"))
def sections_present(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if _content_elsewhere(report):
        return
    if not report.sections:
        yield Finding(
            span=report.title_span or Span(1, 1, 1, 1),
            values={
                "what": "全部六个部分（没有识别出任何部分标题）",
                "what_en": "all six parts (no part heading was found)",
                "found": "—",
            },
            key="section-all",
        )
        return
    found = {s.number for s in report.sections}
    for n in range(1, 7):
        if n in found:
            continue
        after = [s for s in report.sections if s.number > n]
        span = after[0].span if after else report.sections[-1].span
        yield Finding(
            span=span,
            values={
                "what": f"第{NUMERALS[n - 1]}部分「{section_label(n)}」",
                "what_en": f"part {n} \u300c{section_label(n)}\u300d",
                "found": " ".join(NUMERALS[s.number - 1] for s in report.sections),
            },
            section=n,
            key=f"section-{n}",
        )


@check("sections-order", provides=("section", "title", "problem", "problem_en"))
def sections_order(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    seen: set[int] = set()
    highest = 0
    for s in report.sections:
        if s.number in seen:
            yield Finding(
                span=s.span,
                values={
                    "section": NUMERALS[s.number - 1],
                    "title": s.heading,
                    "problem": "重复出现",
                    "problem_en": "appears twice",
                },
                section=s.number,
                key=f"dup-{s.number}",
            )
        elif s.number < highest:
            yield Finding(
                span=s.span,
                values={
                    "section": NUMERALS[s.number - 1],
                    "title": s.heading,
                    "problem": f"出现在第{NUMERALS[highest - 1]}部分之后",
                    "problem_en": f"comes after part {highest}",
                },
                section=s.number,
                key=f"order-{s.number}",
            )
        seen.add(s.number)
        highest = max(highest, s.number)


@check("section-title", provides=("written", "standard"))
def section_title(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for s in report.sections:
        wrong_number = s.written_number is not None and s.written_number != s.number
        if s.deviates or wrong_number or s.numbering_deviates:
            yield Finding(
                span=s.span,
                values={"written": s.heading, "standard": s.standard_title},
                section=s.number,
                key=f"title-{s.number}",
            )


@check("statistical-period", provides=("year", "problem", "problem_en"))
def statistical_period(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if _content_elsewhere(report) or not report.sections:
        return
    year = report.year or "?"
    if report.period is None:
        yield Finding(
            span=report.title_span or Span(1, 1, 1, 1),
            values={
                "year": year,
                "problem": f"未写明统计期限（如“本报告所列数据统计期限自{year}年1月1日至{year}年12月31日”）",
                "problem_en": f"the statistical period (1 January to 31 December {year}) is not stated",
            },
            key="missing",
        )
        return
    first, last = report.period
    if report.year is not None and (first != report.year or last != report.year):
        period = f"{first}年" if first == last else f"{first}—{last}年"
        yield Finding(
            span=report.period_span,
            values={
                "year": year,
                "problem": f"统计期限写的是{period}，与报告年度 {year} 年不一致",
                "problem_en": f"the statistical period names {first}–{last}, not the report year {year}",
            },
            expected=report.year,
            actual=first if first != report.year else last,
            key="mismatch",
        )


@check("statistical-period-partial", provides=("period", "period_en"))
def statistical_period_partial(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    """A stated period that is not 1 January to 31 December: usually a reason given (a new body), so info."""
    if report.period_dates is None:
        return
    (y1, m1, d1), (y2, m2, d2) = report.period_dates
    if (m1, d1, m2, d2) == (1, 1, 12, 31):
        return
    yield Finding(
        span=report.period_span,
        values={
            "period": f"{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日",
            "period_en": f"{y1}-{m1:02d}-{d1:02d} to {y2}-{m2:02d}-{d2:02d}",
        },
        key="partial",
    )


@check("table-present", provides=("table", "title", "section"))
def table_present(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n in (2, 3, 4):
        section = report.section(n)
        table = report.tables.get(n)
        if section is None and (table is None or not table.present):
            continue  # the missing section is reported already
        has_rows = bool(table and (table.rows or table.unreadable or table.extra_rows or table.trial_format))
        if not has_rows:
            span = section.span if section else (table.span if table and table.span else _end_span(report))
            yield Finding(
                span=span,
                values={
                    "table": formats.TABLE_NAMES[n],
                    "title": formats.TABLES[n].title,
                    "section": NUMERALS[n - 1],
                },
                section=n,
                key=f"table-{n}",
            )


@check("section-substance", provides=("section", "text"))
def section_substance(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    number = int(params.get("section", 5))
    min_chars = int(params.get("min_chars", 15))
    s = report.section(number)
    if s is None:
        return
    body = re.sub(r"[\s\u3000\u00a0。.,，:：;；、]", "", s.text)
    if not body or body in ("无", "暂无", "没有") or len(body) < min_chars:
        yield Finding(
            span=s.span,
            values={"section": NUMERALS[number - 1], "text": s.text.strip()[:20] or "（空）"},
            section=number,
            key=f"section-{number}",
        )


@check("fee-statement", provides=("text",))
def fee_statement(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    s = report.section(6)
    if s is None:
        return
    # 行政事业性收费 is table 二's administrative fees, not the information processing fee asked for here.
    text = fold(s.text).replace("行政事业性收费", "")
    if re.search(
        r"信息处理费|处理费|收费通知|(?:收取|收缴|缴纳)[^。]{0,10}费|(?:未|不|没有)收费|免费|收费情况|收费", text
    ):
        return
    shown = s.text.strip().lstrip(":：").strip()[:30] or "（空）"
    yield Finding(span=s.span, values={"text": shown}, section=6, key="fee")


# --- completeness --------------------------------------------------------------------------------


def _standard_cells(report: Report) -> Iterable[Cell]:
    for cid in formats.STANDARD_CELL_IDS:
        yield report.cells[cid]


def _table_checked(report: Report, n: int) -> bool:
    table = report.tables.get(n)
    return bool(table and table.present and not (n == 2 and table.trial_format))


# The values of every finding ``cell_finding`` makes.
CELL_VALUES = ("place", "raw")


def cell_finding(report: Report, cell: Cell, **values: object) -> Finding:
    """A finding about one cell, located on it and named by its table, row and column."""
    place = cell_place(report, cell.id)
    return Finding(
        span=cell.span,
        values={"place": place, "raw": (cell.raw or "").strip(), **values},
        cells=[cell.id],
        place=place,
        key=cell.id,
        terms=[Term(cell.id, cell_short_label(report, cell.id), cell.value, cell.span, True)],
    )


@check("blank-cells", provides=CELL_VALUES)
def blank_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    wanted = CellStatus(params.get("status", "blank"))
    for cell in _standard_cells(report):
        if cell.status is wanted and _table_checked(report, cell.table):
            yield cell_finding(report, cell)


@check("missing-cells", provides=("table", "row", "columns", "columns_en", "count"))
def missing_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n in (2, 3, 4):
        table = report.tables.get(n)
        if not _table_checked(report, n) or table is None or table.unreadable:
            continue
        if not table.rows and n in (2, 3):
            continue  # reported as a missing table
        spec = formats.TABLES[n]
        for position, row in enumerate(spec.rows):
            ids = [formats.cell_id(n, row.key, c.key) for c in row.columns]
            missing = [i for i in ids if report.cells[i].status is CellStatus.MISSING]
            if not missing:
                continue
            if n == 3 and row.key.startswith("other.") and any(r.key == "other" for r in table.extra_rows):
                continue  # the single （六） row of the trial format: reported by the format rule
            present_row = table.rows.get(row.key)
            whole = len(missing) == len(ids)
            anchor = _anchor_for_missing(report, n, row.key, present_row)
            cols = "、".join(formats.column_label(n, row.key, i.rsplit(".", 1)[1]) for i in missing)
            yield Finding(
                span=anchor,
                values={
                    "table": formats.TABLE_NAMES[n],
                    "row": formats.row_label(n, row.key),
                    "columns": "全部列" if whole else cols,
                    "columns_en": "all columns" if whole else ", ".join(i.rsplit(".", 1)[1] for i in missing),
                    "count": len(missing),
                },
                cells=missing,
                place=f"{formats.TABLE_NAMES[n]} ·「{formats.row_label(n, row.key)}」行",
                key=f"t{n}.{position:02d}.{row.key}",  # the position keeps same-place findings in table order
            )


def _anchor_for_missing(report: Report, n: int, row_key: str, present_row: object) -> Span | None:
    span = getattr(present_row, "span", None)
    if span is not None:
        return span
    # Point at the row that should follow the missing one, or the table.
    spec = formats.TABLES[n]
    keys = [r.key for r in spec.rows]
    table = report.tables[n]
    for later in keys[keys.index(row_key) + 1 :]:
        if later in table.rows and table.rows[later].span:
            return table.rows[later].span
    return table.span


@check("extra-cells", provides=("table", "where", "where_en", "raw", "count"))
def extra_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        for row in table.rows.values():
            if not row.extra:
                continue
            label = formats.row_label(n, row.key)
            first = row.extra[0]
            yield Finding(
                span=first.span,
                values={
                    "table": table.name,
                    "where": f"「{label}」行",
                    "where_en": f" row \u300c{label}\u300d",
                    "raw": "、".join((c.raw or "").strip() for c in row.extra),
                    "count": len(row.extra),
                },
                place=f"{table.name} ·「{label}」行",
                key=f"{n}.{row.key}.extra",
                cells=[formats.cell_id(n, row.key, c.key) for c in formats.TABLES[n].row(row.key).columns],
            )
        by_line: dict[int, list[Cell]] = {}
        # In a table already reported unreadable (T106) leftover digits are the same root cause.
        for cell in [] if table.unreadable else table.stray:
            by_line.setdefault(cell.span.line if cell.span else 0, []).append(cell)
        for line, cells in sorted(by_line.items()):
            yield Finding(
                span=cells[0].span,
                values={
                    "table": table.name,
                    # A line of the file, not a row of the table: "表四第 2 行" would read as the latter.
                    "where": f"（源文件第 {line} 行，无法对应到任何行名）",
                    "where_en": f" (line {line} of the file, matched to no row label)",
                    "raw": "、".join((c.raw or "").strip() for c in cells),
                    "count": len(cells),
                },
                place=table.name,
                key=f"{n}.stray.{line}",
            )


@check("row-labels", provides=("table", "written", "standard"))
def row_labels(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        for row in table.rows.values():
            if row.deviates and row.label:
                yield Finding(
                    span=row.span,
                    values={
                        "table": table.name,
                        "written": row.label.strip(),
                        "standard": row.standard_label,
                    },
                    place=f"{table.name} ·「{row.standard_label}」行",
                    key=f"{n}.{row.key}",
                )


@check("unreadable-table", provides=("table", "rows", "count"))
def unreadable_table(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if table.unreadable == "glued":
            rows = "、".join(formats.row_label(n, r) for r in table.glued_rows[:3])
            more = f" 等 {len(table.glued_rows)} 行" if len(table.glued_rows) > 3 else ""
            yield Finding(
                span=table.unreadable_span,
                values={"table": table.name, "rows": rows + more, "count": len(table.glued_rows)},
                place=table.name,
                key=f"t{n}",
                section=n,
            )


@check("glued-rows-read", provides=("table", "rows", "count", "basis", "basis_en"))
def glued_rows_read(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if not table.split_rows:
            continue
        rows = "、".join(formats.row_label(n, r) for r in table.split_rows[:3])
        more = f" 等 {len(table.split_rows)} 行" if len(table.split_rows) > 3 else ""
        cells = [c for c in report.cells.values() if c.table == n and c.row in table.split_rows and c.reading]
        by_total = any(c.reading == "row-total" for c in cells)
        first = min((c for c in cells if c.span), key=lambda c: (c.span.line, c.span.column), default=None)  # type: ignore[union-attr]
        yield Finding(
            span=first.span if first else table.span,
            values={
                "table": table.name,
                "rows": rows + more,
                "count": len(table.split_rows),
                "basis": "（部分行的读法由本行总计确定，这些行的总计等式不再算作核对）"
                if by_total
                else "（每格一位数）",
                "basis_en": " (some rows by their own total, which therefore confirms nothing)"
                if by_total
                else " (one digit per cell)",
            },
            cells=[c.id for c in cells],
            place=table.name,
            key=f"t{n}.split",
            section=n,
        )


@check("duplicate-rows", provides=("table", "row", "row_en"))
def duplicate_rows(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for p in report.problems:
        if p.kind == "duplicate-row" and p.table:
            yield Finding(
                span=p.span,
                values={"table": formats.TABLE_NAMES[p.table], "row": p.message, "row_en": p.message_en},
                key=f"dup.{p.table}.{p.span.line if p.span else 0}",
            )


# --- values --------------------------------------------------------------------------------------


@check("invalid-values", provides=CELL_VALUES)
def invalid_values(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for cell in _standard_cells(report):
        table = report.tables.get(cell.table)
        if (
            cell.status is CellStatus.INVALID
            and table is not None
            and cell.row not in table.glued_rows
            and table.unreadable != "scattered"  # said once for the table by T109
        ):
            yield cell_finding(report, cell)


@check("value-range", provides=(*CELL_VALUES, "problem", "problem_en"))
def value_range(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for cell in _standard_cells(report):
        if cell.status is not CellStatus.OK or cell.value is None:
            continue
        is_amount = cell.id == "t2.fees.amount"
        problem = None
        if cell.value < 0:
            problem = ("不能为负数", "must not be negative")
        elif not is_amount and cell.value != int(cell.value):
            problem = ("应为整数（件数）", "must be a whole number (a count)")
        elif is_amount and cell.unit == "元":
            problem = ("单位应为万元，此处写的是“元”", "the unit is 万元 but the cell says 元")
        if problem:
            finding = cell_finding(report, cell, problem=problem[0], problem_en=problem[1])
            finding.actual = cell.value
            yield finding


# --- format version ------------------------------------------------------------------------------


@check("superseded-format", provides=("year", "words", "what", "what_en"))
def superseded_format(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if report.year is None or report.year < 2021 or not report.format_evidence:
        return
    words = "、".join(dict.fromkeys(w for w, _ in report.format_evidence))
    t3_rows = [w for w, _ in report.format_evidence if "其他处理" in w]
    t2_words = list(dict.fromkeys(w for w, _ in report.format_evidence if "其他处理" not in w))
    what, what_en = [], []
    if t2_words:
        what.append(f"表二使用了试行格式的栏目或行「{'、'.join(t2_words)}」")
        what_en.append(f"table two has the trial format's columns or rows \u300c{'、'.join(t2_words)}\u300d")
    if t3_rows:
        what.append(
            "表三「（六）其他处理」只有一行（试行格式的写法），现行格式将其分为「1.申请人无正当理由逾期不补正…」"
            "「2.申请人逾期未按收费通知要求缴纳费用…」「3.其他」三行"
        )
        what_en.append(
            "table three has 「（六）其他处理」 as one row (the trial format); the 2021 format splits it into three "
            "rows (1. no correction, 2. fee not paid, 3. other)"
        )
    if not t2_words:
        what.append("其余表格符合现行格式")
        what_en.append("the other tables follow the 2021 format")
    yield Finding(
        span=report.format_evidence[0][1],
        values={"year": report.year, "words": words, "what": "；".join(what), "what_en": "; ".join(what_en)},
        related=[s for _, s in report.format_evidence[1:4]],
        key="format",
    )


@check("trial-format-notice", provides=("year",))
def trial_format_notice(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if report.format != "2019-trial" or (report.year is not None and report.year >= 2021):
        return
    span = report.format_evidence[0][1] if report.format_evidence else report.title_span
    yield Finding(span=span, values={"year": report.year or "?"}, key="trial")


# --- prose against tables ------------------------------------------------------------------------


@check("narrative-vs-table", provides=("what", "what_en", "stated", "quote", "table_value", "table_value_en", "place"))
def narrative_vs_table(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for claim in narrative_claims(report):
        readings = claim.readings(report)
        if not readings or any(claim.value == value for value, _place in readings):
            continue
        table_value = readings[0][0]
        cell = report.cells.get(claim.cells[0])
        yield Finding(
            span=claim.span,
            values={
                "what": claim.label_zh,
                "what_en": claim.label_en,
                "stated": claim.value,
                "quote": claim.quote,
                "table_value": "，或".join(f"{place}为 {value}" for place, value in ((p, v) for v, p in readings)),
                "table_value_en": "; or ".join(f"{place} = {value}" for place, value in ((p, v) for v, p in readings)),
                "place": claim.place,
            },
            cells=list(claim.cells),
            expected=table_value,
            actual=claim.value,
            related=[cell.span] if cell and cell.span else [],
            place=claim.place,
            key=f"{claim.kind}",
            terms=[
                Term(c, cell_short_label(report, c), report.cells[c].value, report.cells[c].span, False)
                for c in claim.cells
                if c in report.cells
            ],
        )


@check("content-not-text", provides=("hint", "hint_en"))
def content_not_text(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for p in report.problems:
        if p.kind == "attachment-only":
            yield Finding(
                span=p.span, values={"hint": p.message, "hint_en": p.message_en or p.message}, key="attachment"
            )


@check("pdf-not-fully-read", provides=("hint", "hint_en"))
def pdf_not_fully_read(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for p in report.problems:
        if p.kind in ("scan-only", "pdf-not-fully-read"):
            yield Finding(span=p.span, values={"hint": p.message, "hint_en": p.message_en or p.message}, key=p.kind)


@check("table-structure-lost", provides=("table",))
def table_structure_lost(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if table.unreadable == "scattered":
            yield Finding(
                span=table.unreadable_span or table.span or _end_span(report),
                values={"table": table.name},
                place=table.name,
                key=f"t{n}",
                section=n,
            )


# Checks of what the prose says live in their own module; importing it registers them.
from . import content_checks  # noqa: E402, F401
