"""One finding for the many blank (or placeholder) cells of a table, with the blanks that matter on their own.

A table left blank wherever nothing happened gives a hundred identical "cell is blank" findings, and the
one blank that hides a real number is lost among them. So the per-cell findings of a rule whose YAML has a
``group`` message are merged, per table, into one finding that counts and lists the cells; a cell that
*matters* keeps its own finding, placed before the group. A blank matters when reading it as 0 does not
fit the table: some relation it takes part in fails once every blank of the table reads 0 (a 总计 left
blank beside 258 + 12 + 1 + 1, a row whose other cells do not add up to its total). Table 二 has no
relations, so there a blank matters when its own row holds a non-zero number.

The grouped finding's key (for baselines) is ``<rule>:t<table>.*``: it stays the same when the number of
blank cells changes, so a baseline keeps suppressing "this table has blanks" while a blank that matters,
keyed by its cell as before, is reported anew.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from .. import formats
from ..bilingual import Text
from ..diagnostics import Diagnostic, Related
from ..model import CellStatus, Report
from .labels import table_name
from .loader import Rule
from .localise import Relation, _Changed, _holds, relations

# Cells named in a grouped message; the rest are in ``cells`` and the related locations.
NAMED_IN_MESSAGE = 5


def _mattering(report: Report, cells: set[str], table_relations: list[Relation], base: object) -> set[str]:
    """The cells of ``cells`` that cannot stand for 0."""
    if not cells:
        return set()
    as_zero = _Changed(base, dict.fromkeys(cells, 0))
    matter: set[str] = set()
    for relation in table_relations:
        touched = cells.intersection(relation.cells)
        if not touched or _holds(relation, as_zero):
            continue
        if relation.anchor in touched:
            matter.add(relation.anchor)  # a total left blank beside parts that are not all 0
        elif len(touched) == 1:
            matter |= touched  # the only blank of a relation that fails without it: not 0
        else:
            # Several blank parts and the total does not fit: those beside numbers are the suspects.
            matter |= {cid for cid in touched if _row_has_numbers(report, cid)}
    for cid in cells:
        if report.cells[cid].table == 2 and _row_has_numbers(report, cid):
            matter.add(cid)
    return matter


def _row_has_numbers(report: Report, cell_id: str) -> bool:
    prefix = cell_id.rsplit(".", 1)[0] + "."
    return any(
        cid.startswith(prefix) and cid != cell_id and other.status is CellStatus.OK and bool(other.value)
        for cid, other in report.cells.items()
        if cid.count(".") == cell_id.count(".")
    )


def _template(rule: Rule, name: str) -> dict[str, str]:
    """The rule's ``params[name]`` wording, ``{zh: …, en: …}``; empty when the rule has none."""
    template = rule.params.get(name)
    if not isinstance(template, dict):
        return {}
    return {lang: text for lang, text in template.items() if isinstance(text, str) and text}


def group_cell_findings(
    report: Report, rules: Iterable[Rule], ran: Iterable[Rule], base: object, diagnostics: list[Diagnostic]
) -> list[Diagnostic]:
    if len(diagnostics) < 2:
        return diagnostics  # a group is two findings or more
    groupable = {r.code: r for r in rules if _template(r, "group")}
    if not groupable:
        return diagnostics
    per_table: dict[tuple[str, int], list[Diagnostic]] = {}
    for d in diagnostics:
        if d.rule in groupable and len(d.cells) == 1 and d.cells[0] in report.cells:
            per_table.setdefault((d.rule, report.cells[d.cells[0]].table), []).append(d)
    if not any(len(found) > 1 for found in per_table.values()):
        return diagnostics
    # (imported here, past the usual returns: an import statement costs a few µs each time it runs)
    from .engine import render_text  # the engine imports this module

    by_table: dict[int, list[Relation]] = {}
    for relation in relations(report, ran, base):
        by_table.setdefault(relation.table, []).append(relation)
    out = list(diagnostics)
    for (code, table), found in sorted(per_table.items()):
        if len(found) < 2:
            continue
        rule = groupable[code]
        cells = {d.cells[0] for d in found}
        # Blanks of the other grouped rules (a placeholder beside a blank) read as 0 as well.
        matter = _mattering(report, cells, by_table.get(table, []), base)
        quiet = [d for d in found if d.cells[0] not in matter]
        if len(quiet) < 2:
            continue
        quiet.sort(key=lambda d: d.sort_key())
        labels = [_cell_words(report, d.cells[0]) for d in quiet]
        listed = Text("、", ", ").join(labels[:NAMED_IN_MESSAGE]) + (
            Text("等", ", …") if len(labels) > NAMED_IN_MESSAGE else ""
        )
        values = {
            "table": table_name(table),
            "count": len(quiet),
            "cells": listed,
        }
        # Anchored after the last blank that matters, so that those come first in every sorted output.
        singles = [d.sort_key() for d in found if d.cells[0] in matter]
        first = next((d for d in quiet if not singles or d.sort_key() > max(singles)), quiet[0])
        grouped = replace(
            first,
            message=render_text(_template(rule, "group"), values),
            cells=[d.cells[0] for d in quiet],
            place=table_name(table),
            terms=[],
            related=[Related(d.span, message=d.place or d.message, cell=d.cells[0]) for d in quiet],
            key=f"{code}:t{table}.*",
        )
        for d in found:
            if d.cells[0] in matter:
                d.message += render_text(_template(rule, "matters"), {})
        dropped = {id(d) for d in quiet}
        out = [d for d in out if id(d) not in dropped]
        out.append(grouped)
    return out


def _cell_words(report: Report, cell_id: str) -> str:
    cell = report.cells[cell_id]
    return f"「{formats.row_label(cell.table, cell.row)}·{formats.column_label(cell.table, cell.row, cell.column)}」"
