"""Narrative checks (``rules/narrative/``): the numbers the prose states against the tables' cells. The
sentences are read by :mod:`disclosure_lint.rules.narrative`; this module only compares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...diagnostics import Term
from ...model import Report
from ..narrative import narrative_claims
from .base import Finding, cell_short_label, check


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
