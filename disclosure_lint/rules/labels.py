"""How findings name cells, rows, tables and parts of a report, in both languages:
「表三 ·「（七）总计」行 ·「总计」列」 and 「table 3, row 「（七）总计」, column 「总计」」
(the format's own labels stay quoted in Chinese)."""

from __future__ import annotations

import re

from .. import formats
from ..bilingual import Text
from ..model import Cell, Report

NUMERALS = formats.CHINESE_NUMERALS


def column_label(cell: Cell) -> str:
    return formats.column_label(cell.table, cell.row, cell.column)


def table_name(n: int) -> Text:
    return Text(formats.TABLE_NAMES.get(n, ""), f"table {n}")


def row_place(n: int, row_key: str) -> Text:
    label = formats.row_label(n, row_key)
    return Text(f"{formats.TABLE_NAMES.get(n, '')} ·「{label}」行", f"table {n}, row 「{label}」")


def cell_place(report: Report, cell_id: str) -> Text:
    cell = report.cells.get(cell_id)
    if cell is None:
        return Text.same(cell_id)
    column = column_label(cell)
    return row_place(cell.table, cell.row) + Text(f" ·「{column}」列", f", column 「{column}」")


def cell_short_label(report: Report, cell_id: str) -> Text:
    """「（七）总计×自然人」: the row and column, as code frames label a cell under the report's line."""
    cell = report.cells.get(cell_id)
    if cell is None:
        return Text.same(cell_id)
    row = formats.row_label(cell.table, cell.row)
    row = re.sub(r"（区分处理的.*）", "", row)
    column = column_label(cell)
    return Text(f"{row}×{column}", f"\u300c{row}\u300d×\u300c{column}\u300d")


def part_number(n: int) -> Text:
    """A part of the report by its number: 「三」 in Chinese, 「3」 in English."""
    return Text(NUMERALS[n - 1], str(n))


def section_label(n: int) -> str:
    return f"{NUMERALS[n - 1]}、{formats.SECTION_BY_NUMBER[n].title}"
