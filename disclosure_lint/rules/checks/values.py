"""Value checks (``rules/values/``): what a single cell may hold — a number, not negative, a whole count, the
fee in 万元.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...bilingual import Text
from ...model import CellStatus, Report
from .base import CELL_VALUES, Finding, cell_finding, check, standard_cells, standard_cells_with_status


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


_AMOUNT = "t2.fees.amount"  # the fee, in 万元: the one cell that is not a count


@check("value-range", provides=(*CELL_VALUES, "problem"))
def value_range(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    ok = CellStatus.OK
    # A count that is a whole number and not negative has none of the problems below: only the others are looked at.
    suspects = [
        cell
        for cell in standard_cells(report)
        if cell.status is ok and (type(cell.value) is not int or cell.value < 0 or cell.id == _AMOUNT)
    ]
    for cell in suspects:
        if cell.value is None:
            continue
        is_amount = cell.id == _AMOUNT
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
