"""How findings name cells and parts of a report in Chinese: 「表三 ·「（七）总计」行 ·「总计」列」."""

from __future__ import annotations

import re

from .. import formats
from ..model import Cell, Report

NUMERALS = formats.CHINESE_NUMERALS


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
