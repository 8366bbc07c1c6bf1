"""Completeness checks (``rules/completeness/``): every cell of tables 二, 三 and 四 filled, no cell or row
missing or left over, row labels as the format writes them, and tables the reader could not read as a grid.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable
from typing import Any

from ... import formats
from ...bilingual import Text
from ...model import Cell, CellStatus, LayoutNote, Report, Span
from .base import (
    CELL_VALUES,
    Finding,
    cell_finding,
    check,
    end_span,
    row_place,
    standard_cells_with_status,
    table_checked,
    table_name,
)


@check("blank-cells", provides=CELL_VALUES)
def blank_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    wanted = CellStatus(params.get("status", "blank"))
    for cell in standard_cells_with_status(report, wanted):
        if table_checked(report, cell.table):
            yield cell_finding(report, cell)


@check("missing-cells", provides=("table", "row", "columns", "count"))
def missing_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if not standard_cells_with_status(report, CellStatus.MISSING):
        return  # every row's cells are standard cells, and none of them is missing
    for n in (2, 3, 4):
        table = report.tables.get(n)
        if not table_checked(report, n) or table is None or table.unreadable:
            continue
        if not table.rows and n in (2, 3):
            continue  # reported as a missing table
        for position, row, ids in _row_cell_ids(n):
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
                    "table": table_name(n),
                    "row": formats.row_label(n, row.key),
                    "columns": Text("全部列", "all columns")
                    if whole
                    else Text(cols, ", ".join(i.rsplit(".", 1)[1] for i in missing)),
                    "count": len(missing),
                },
                cells=missing,
                place=row_place(n, row.key),
                key=f"t{n}.{position:02d}.{row.key}",  # the position keeps same-place findings in table order
            )


@functools.cache
def _row_cell_ids(n: int) -> tuple[tuple[int, formats.RowSpec, tuple[str, ...]], ...]:
    """Each row of table ``n`` in the format's order, with its position and its cells' ids."""
    return tuple(
        (position, row, tuple(formats.cell_id(n, row.key, c.key) for c in row.columns))
        for position, row in enumerate(formats.TABLES[n].rows)
    )


def _rows(n: int, keys: list[str]) -> Text:
    """The first three of ``keys`` by label, and how many there are in all."""
    labels = [formats.row_label(n, r) for r in keys[:3]]
    more = len(keys) > 3
    return Text(
        "、".join(labels) + (f" 等 {len(keys)} 行" if more else ""),
        ", ".join(f"\u300c{label}\u300d" for label in labels) + (f" and {len(keys) - 3} more" if more else ""),
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


_EXTRA_OF = operator.attrgetter("extra")


@check("extra-cells", provides=("table", "where", "raw", "count"))
def extra_cells(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        for row in filter(_EXTRA_OF, table.rows.values()):  # the rows with cells beyond the columns (in C: few have)
            label = formats.row_label(n, row.key)
            first = row.extra[0]
            yield Finding(
                span=first.span,
                values={
                    "table": table_name(n),
                    "where": Text(f"「{label}」行", f" row \u300c{label}\u300d"),
                    "raw": "、".join((c.raw or "").strip() for c in row.extra),
                    "count": len(row.extra),
                },
                place=row_place(n, row.key),
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
                    "table": table_name(n),
                    # A line of the file, not a row of the table: "表四第 2 行" would read as the latter.
                    "where": Text(
                        f"（源文件第 {line} 行，无法对应到任何行名）",
                        f" (line {line} of the file, matched to no row label)",
                    ),
                    "raw": "、".join((c.raw or "").strip() for c in cells),
                    "count": len(cells),
                },
                place=table_name(n),
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
                        "table": table_name(n),
                        "written": row.label.strip(),
                        "standard": row.standard_label,
                    },
                    place=row_place(n, row.key),
                    key=f"{n}.{row.key}",
                )


@check("unreadable-table", provides=("table", "rows", "count"))
def unreadable_table(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if table.unreadable == "glued":
            yield Finding(
                span=table.unreadable_span,
                values={"table": table_name(n), "rows": _rows(n, table.glued_rows), "count": len(table.glued_rows)},
                place=table_name(n),
                key=f"t{n}",
                section=n,
            )


@check("glued-rows-read", provides=("table", "rows", "count", "basis"))
def glued_rows_read(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if not table.split_rows:
            continue
        cells = [c for c in report.cells.values() if c.table == n and c.row in table.split_rows and c.reading]
        by_total = any(c.reading == "row-total" for c in cells)
        first = min((c for c in cells if c.span), key=lambda c: (c.span.line, c.span.column), default=None)  # type: ignore[union-attr]
        yield Finding(
            span=first.span if first else table.span,
            values={
                "table": table_name(n),
                "rows": _rows(n, table.split_rows),
                "count": len(table.split_rows),
                "basis": Text(
                    "（部分行的读法由本行总计确定，这些行的总计等式不再算作核对）",
                    " (some rows by their own total, which therefore confirms nothing)",
                )
                if by_total
                else Text("（每格一位数）", " (one digit per cell)"),
            },
            cells=[c.id for c in cells],
            place=table_name(n),
            key=f"t{n}.split",
            section=n,
        )


def _standard_row_notes(report: Report, kind: str) -> Iterable[tuple[int, str, LayoutNote]]:
    """The parse's notes of ``kind`` on standard rows of 表二 and 表三 that carry numbers of their own (a
    label without numbers is a heading, a header cell or prose), outside a 2019 trial 表二."""
    for note in report.layout_notes:
        n, key = note.table, note.key
        if note.kind != kind or not note.numbers or n not in (2, 3) or key is None:
            continue
        table = report.tables.get(n)
        if (table is not None and table.trial_format) or key not in _ROW_KEYS[n]:
            continue
        yield n, key, note


_ROW_KEYS = {n: {r.key for r in formats.TABLES[n].rows} for n in (2, 3)}


@check("duplicate-rows", provides=("table", "row"))
def duplicate_rows(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, key, note in _standard_row_notes(report, "repeated"):
        if note.earlier_cells:  # else this is the first copy with values, and the one read
            yield Finding(
                span=note.span,
                values={"table": table_name(n), "row": Text.same(formats.row_label(n, key))},
                key=f"dup.{n}.{note.span.line}",
            )


@check("row-order", provides=("table", "row", "after"))
def row_order(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, key, note in _standard_row_notes(report, "out-of-order"):
        if not note.after_numbers:
            continue  # after a label alone (a header cell, a label a converter split off): not two rows' order
        after = formats.row_label(n, note.after_key) if note.after_key else note.after or "—"
        yield Finding(
            span=note.span,
            values={"table": table_name(n), "row": formats.row_label(n, key), "after": after},
            place=row_place(n, key),
            key=f"order.{n}.{note.span.line}.{note.span.column}",
        )


@check("table-structure-lost", provides=("table",))
def table_structure_lost(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n, table in sorted(report.tables.items()):
        if table.unreadable == "scattered":
            yield Finding(
                span=table.unreadable_span or table.span or end_span(report),
                values={"table": table_name(n)},
                place=table_name(n),
                key=f"t{n}",
                section=n,
            )
