"""Narrative checks (``rules/narrative/``): the numbers the prose states against the tables' cells. The
sentences are read by :mod:`disclosure_lint.rules.narrative`; this module only compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ... import formats
from ...bilingual import Text
from ...diagnostics import Term
from ...model import Report
from ...regexcode import compile_re
from ..narrative import narrative_claims
from .base import Finding, cell_short_label, check

_PLACE = compile_re(r"(表.) ·(.*)行 ·「(.*)」列")
_TABLE_NUMBER = {name: n for n, name in formats.TABLE_NAMES.items()}


def _place(zh: str) -> Text:
    """A claim's place, 「表三 ·「（七）总计」行 ·「总计」列」, in both languages."""
    m = _PLACE.fullmatch(zh)
    if m is None:
        return Text.same(zh)
    return Text(zh, f"table {_TABLE_NUMBER.get(m.group(1), m.group(1))}, row {m.group(2)}, column 「{m.group(3)}」")


@check("narrative-vs-table", provides=("what", "stated", "quote", "table_value", "place"))
def narrative_vs_table(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    # (only the disputed claims made in full: most agree with the tables, and making their places cost a sixth)
    for claim in narrative_claims(report, disputed_only=True):
        readings = claim.readings(report)
        if not readings or any(claim.value == value for value, _place in readings):
            continue
        table_value = readings[0][0]
        cell = report.cells.get(claim.cells[0])
        yield Finding(
            span=claim.span,
            values={
                "what": claim.label,
                "stated": claim.value,
                "quote": claim.quote,
                "table_value": Text("，或", "; or ").join(
                    Text(f"{place}为 {value}", f"{_place(place).en} = {value}") for value, place in readings
                ),
                "place": _place(claim.place),
            },
            cells=list(claim.cells),
            expected=table_value,
            actual=claim.value,
            related=[cell.span] if cell and cell.span else [],
            place=_place(claim.place),
            key=f"{claim.kind}",
            terms=[
                Term(c, cell_short_label(report, c), report.cells[c].value, report.cells[c].span, False)
                for c in claim.cells
                if c in report.cells
            ],
        )
