"""Value checks (``rules/values/``): what a single cell may hold — a number, not negative, a whole count, the
fee in 万元.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...bilingual import Text
from ...model import CellStatus, Report
from .base import AMOUNT_CELL, CELL_VALUES, Finding, cell_census, cell_finding, check, standard_cells_with_status


@check("invalid-values", provides=CELL_VALUES)
def invalid_values(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for cell in standard_cells_with_status(report, CellStatus.INVALID):
        table = report.tables.get(cell.table)
        if (
            table is not None
            and cell.row not in table.glued_rows
            and table.unreadable != "scattered"  # said once for the table by T109
        ):
            yield cell_finding(report, cell)


@check("value-range", provides=(*CELL_VALUES, "problem"))
def value_range(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    # A count that is a whole number and not negative has none of the problems below: only the others are looked at.
    for cell in cell_census(report).not_plain_counts:
        if cell.value is None:
            continue
        is_amount = cell.id == AMOUNT_CELL
        problem: Text | None = None
        if cell.value < 0:
            problem = Text("不能为负数", "must not be negative")
        elif not is_amount and cell.value != int(cell.value):
            problem = Text("应为整数（件数）", "must be a whole number (a count)")
        elif is_amount and cell.unit == "元":
            problem = Text("单位应为万元，此处写的是“元”", "the unit is 「万元」 but the cell says 「元」")
        if problem:
            finding = cell_finding(report, cell, problem=problem)
            finding.actual = cell.value
            yield finding
