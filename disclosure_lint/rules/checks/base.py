"""What every check module shares: the :class:`Finding` a check yields, the :func:`check` decorator that
declares a check's name and the values it provides, and the labels findings use for cells and parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import field
from typing import Any

from ...bilingual import Text
from ...diagnostics import Related, Term
from ...model import Cell, CellStatus, Report, Span
from ...records import record
from ..census import AMOUNT_CELL, cell_census, standard_cells
from ..labels import (
    NUMERALS,
    cell_place,
    cell_short_label,
    column_label,
    part_number,
    row_place,
    section_label,
    table_name,
)


@record
class Finding:
    span: Span | None
    values: dict[str, object] = field(default_factory=dict)
    cells: list[str] = field(default_factory=list)
    section: int | None = None
    place: Text | None = None
    expected: int | float | None = None
    actual: int | float | None = None
    equation: str | None = None
    terms: list[Term] = field(default_factory=list)
    related: list[Span | Related] = field(default_factory=list)
    key: str = ""


Check = Callable[..., Any]


@record(frozen=True)
class CheckSpec:
    """A check as the rule files know it: the name their ``check:`` uses and what its findings carry.

    ``run`` is ``(report, params) -> Iterable[Finding]``; with ``compares_years`` it is
    ``(report, previous, params)`` and its rules run only when the report is paired with last year's; with
    ``after_rules`` it reads the other rules' findings and runs after them (see ``engine.run_rules``).
    """

    name: str
    run: Check
    # The values each finding puts in ``Finding.values``: the loader refuses a rule whose message or help
    # names any other ``{placeholder}``, which would otherwise print as written.
    provides: frozenset[str]
    compares_years: bool = False
    after_rules: bool = False
    # The cells a check that compares years reads of either report, as rule files write them ("t3.total.*"):
    # a cross-year snapshot keeps only the cells its rules read (pairing.CrossYearReads). None: it does not
    # say, and snapshots keep every cell.
    cells_read: frozenset[str] | None = None
    # The parts (1–6) whose text a check that compares years reads, given the rule's params: a cross-year
    # snapshot keeps only the texts its rules read (pairing.CrossYearReads). None: it does not say, and
    # snapshots keep every part's text.
    parts_read: Callable[[dict[str, Any]], Iterable[int]] | None = None


def check(
    name: str,
    *,
    provides: Iterable[str],
    compares_years: bool = False,
    after_rules: bool = False,
    cells_read: Iterable[str] | None = None,
    parts_read: Callable[[dict[str, Any]], Iterable[int]] | None = None,
) -> Callable[[Check], Check]:
    """Declare ``fn`` the check that a rule file's ``check: name`` runs, with the values its findings carry.

    A check that compares years may say which cells and which parts' texts it reads (``cells_read``,
    ``parts_read``, see :class:`CheckSpec`).
    Declaring registers nothing by itself: :mod:`disclosure_lint.rules.checks` collects the checks of the
    modules it lists."""

    def declare(fn: Check) -> Check:
        read = None if cells_read is None else frozenset(cells_read)
        fn.check_spec = CheckSpec(name, fn, frozenset(provides), compares_years, after_rules, read, parts_read)  # type: ignore[attr-defined]
        return fn

    return declare


def end_span(report: Report) -> Span:
    line = max(1, len(report.line_starts))
    return Span(line, 1, line, 1)


# --- cells ---------------------------------------------------------------------------------------


def standard_cells_with_status(report: Report, status: CellStatus) -> tuple[Cell, ...]:
    """The cells of :func:`standard_cells` whose status is ``status``, in the same order."""
    return cell_census(report).by_status.get(status, ())


def table_checked(report: Report, n: int) -> bool:
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


__all__ = [
    "AMOUNT_CELL",
    "NUMERALS",
    "cell_census",
    "cell_place",
    "cell_short_label",
    "column_label",
    "part_number",
    "row_place",
    "section_label",
    "standard_cells",
    "table_name",
]
