"""One pass over a report's cells that the rules share: the cells by status, the values that are not plain
counts, and the whole numbers the arithmetic rules add up.

The checks of blank, placeholder, invalid and missing cells, the value-range check and the equations
(``compiled.WholeNumberSum``) each used to walk every cell; reading a cell's attributes is most of their
cost, so :func:`cell_census` sorts the cells once per rule run (:func:`start_sharing`, called by
``engine.run_rules``), as a report's cells do not change while its rules run. Outside a run each call
makes a census afresh, so nothing outlives the run it was made for.
"""

from __future__ import annotations

import operator
from contextvars import ContextVar, Token

from .. import formats
from ..model import Cell, CellStatus, Report
from ..records import record

# The fee, in 万元: the one cell of the format that is not a count.
AMOUNT_CELL = "t2.fees.amount"

_STANDARD_CELLS = operator.itemgetter(*formats.STANDARD_CELL_IDS)
_STANDARD_IDS = frozenset(formats.STANDARD_CELL_IDS)
_STATUS_OF = operator.attrgetter("status")
_VALUE_OF = operator.attrgetter("value")


def standard_cells(report: Report) -> tuple[Cell, ...]:
    """The cells of the format's tables in table order (one C-level lookup of every id, not a loop)."""
    return _STANDARD_CELLS(report.cells)  # type: ignore[no-any-return]


@record(frozen=True)
class CellCensus:
    """A report's cells sorted, in one pass, into what the rules look for."""

    by_status: dict[CellStatus, tuple[Cell, ...]]  # the format's cells, in table order
    # The format's ok cells that are not a plain count: a value other than a whole number of at least 0, or the fee.
    not_plain_counts: tuple[Cell, ...]
    # Every ok cell of the report (the format's and any other, such as a group's sub-total) holding an int, by id.
    whole_numbers: dict[str, int]

    @classmethod
    def of(cls, report: Report) -> CellCensus:
        ok = CellStatus.OK
        cells = report.cells
        try:
            ids, standard = formats.STANDARD_CELL_IDS, standard_cells(report)  # the builder makes every one
        except KeyError:  # a report made by hand without every cell of the format: the cells it has
            ids = tuple(cid for cid in formats.STANDARD_CELL_IDS if cid in cells)
            standard = tuple(cells[cid] for cid in ids)
        # Attributes read by map() and the usual all-ok report recognised by count(): the Python steps per cell,
        # fewer here, are most of the census's cost.
        statuses = list(map(_STATUS_OF, standard))
        if statuses.count(ok) == len(standard):  # every cell of the format holds a number (most reports)
            by_status = {ok: standard} if standard else {}
            ok_ids, ok_cells = ids, standard
        else:
            groups: dict[CellStatus, list[Cell]] = {}
            for cell, status in zip(standard, statuses):
                groups.setdefault(status, []).append(cell)
            by_status = {status: tuple(group) for status, group in groups.items()}
            ok_ids = tuple(cid for cid, status in zip(ids, statuses) if status is ok)
            ok_cells = by_status.get(ok, ())
        values = list(map(_VALUE_OF, ok_cells))
        whole: dict[str, int] = dict(zip(ok_ids, values))
        not_plain: list[Cell] = []
        for cid, cell, value in zip(ok_ids, ok_cells, values):
            if type(value) is not int:
                del whole[cid]
                not_plain.append(cell)
            elif value < 0 or cid == AMOUNT_CELL:
                not_plain.append(cell)
        if len(cells) != len(ids):  # (as the builder makes a report: its cells are the format's, nothing else)
            for cid in cells.keys() - _STANDARD_IDS:
                cell = cells[cid]
                if cell.status is ok and type(cell.value) is int:
                    whole[cid] = cell.value  # type: ignore[assignment]
        return cls(by_status, tuple(not_plain), whole)


@record
class _SharedCensus:
    report: Report
    census: CellCensus | None = None


# The census the rules of one run share (see ``start_sharing``); outside a run each call makes its own.
_shared_census: ContextVar[_SharedCensus | None] = ContextVar("shared_census", default=None)


def cell_census(report: Report) -> CellCensus:
    """``report``'s :class:`CellCensus`: made once per rule run, as the cells do not change during one."""
    shared = _shared_census.get()
    if shared is None or shared.report is not report:
        return CellCensus.of(report)
    if shared.census is None:
        shared.census = CellCensus.of(report)
    return shared.census


def start_sharing(report: Report) -> Token[_SharedCensus | None]:
    """From now on the rules run over ``report`` share one census, made when first asked for, until
    :func:`stop_sharing` is given the token this returns. (Two calls, not a context manager: entering and
    leaving a generator's context cost ~2 µs a report.)"""
    return _shared_census.set(_SharedCensus(report))


def stop_sharing(token: Token[_SharedCensus | None]) -> None:
    _shared_census.reset(token)
