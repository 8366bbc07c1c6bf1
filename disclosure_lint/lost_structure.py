"""Refuse tables whose numbers can no longer be attached to their rows (text that lost its table structure).

A reading-order copy of a PDF (``pdftotext`` without ``-layout``, or text selected and copied from a
viewer) prints a table column by column or in pieces around its wrapped labels: the numbers of several
rows end up after one label, and the header words of 表四 end up between its numbers. Pairing what is
left in order would give numbers that look read but belong to other rows. So when the model shows that
this happened, the whole table is marked unreadable (rule T109), its cells are not reported as read and
its arithmetic is not run. A wrong number reported as read is worse than none.
"""

from __future__ import annotations

from . import formats
from .model import CellStatus, Report, Table

SCATTERED = "scattered"


def refuse_scattered_tables(report: Report) -> None:
    """Mark tables 二 and 三 unreadable when a row holds the numbers of more than one row."""
    for number in (2, 3):
        table = report.tables.get(number)
        if table is None or table.unreadable or table.trial_format:
            continue
        for row in [*table.rows.values(), *table.extra_rows]:
            columns = len(formats.TABLES[number].row(row.key).columns) if number == 2 else len(formats.T3_COLUMNS)
            # One extra number can be a remarks column; a whole second row's worth cannot.
            if len(row.extra) >= columns:
                refuse(report, table)
                break
    table = report.tables.get(4)
    if table is not None and table.unreadable == SCATTERED:
        refuse(report, table)


def refuse(report: Report, table: Table) -> None:
    table.unreadable = SCATTERED
    table.unreadable_span = table.span
    table.stray.clear()
    for row in [*table.rows.values(), *table.extra_rows]:
        row.extra.clear()
    prefix = f"t{table.number}."
    for cid, cell in report.cells.items():
        if cid.startswith(prefix) and cell.status is not CellStatus.MISSING:
            cell.status, cell.value, cell.span = CellStatus.INVALID, None, table.span
