"""Fault localisation: when relations of one table fail, name the cell that is probably wrong.

One wrong cell usually breaks several relations at once (a wrong （七）总计·自然人 breaks the column's
balance, the column's outcome sum and the total row), and a person reading three errors still has to work
out which cell they share. Here the relations of each table are evaluated again with one cell changed:
a cell is the likely culprit when the value that mends one failing relation mends every failing relation
of the table and breaks none that held.

Failing relations that share cells form a group; each group must be mended by one cell. A table whose
failing relations fall into several groups (a whole row left at 0 breaks each column separately) is
mended by one cell per group, tried together, so "the whole （七）总计 row" is found as well. The answer
is given only when it is unique: if no change, or more than one, mends the table, the relations are
reported as they are (with the equally good candidates named, when there are a few).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import TYPE_CHECKING

from .. import formats
from ..bilingual import LANGUAGES, Text
from ..diagnostics import Diagnostic, Fix, Related, Severity, Term
from ..model import CellStatus, Report
from ..records import record
from . import expr as expressions
from .compiled import Compiled, compile_expression
from .labels import cell_place, cell_short_label

if TYPE_CHECKING:
    from .loader import Rule

# More combinations than this are not worth trying: the answer would not be unambiguous anyway.
MAX_COMBINATIONS = 256
# Beyond this many equally good candidates, naming them helps nobody.
MAX_LISTED_CANDIDATES = 6


@record
class Relation:
    rule: Rule
    bindings: dict[str, object]
    cells: list[str]
    holds: bool | None  # None: cannot be checked as read (a blank or missing cell takes part)
    # The rule's assertion compiled for these bindings (the rule set's own, see engine.RuleSet.compiled).
    assertion: Compiled | None = field(default=None, repr=False, compare=False)

    @property
    def anchor(self) -> str | None:
        """The cell the relation's finding points at: the total it checks."""
        at = self.rule.at
        if at is None:
            return self.cells[0] if self.cells else None
        for name, value in self.bindings.items():
            at = at.replace(f"${name}", str(value))
        return at

    @property
    def key(self) -> str:
        """The key the engine gives this relation's finding (see ``engine._expression_findings``)."""
        return f"{self.rule.code}:{','.join(self.cells)}"

    @property
    def table(self) -> int:
        return int(self.cells[0][1]) if self.cells else 0


@record
class _Changed:
    """The report's values with some cells replaced: an evaluation context for "what if this cell were …"."""

    base: object  # engine.ReportContext, typed loosely to avoid an import cycle
    overrides: Mapping[str, int | float]
    bindings: dict[str, object] = field(default_factory=dict)

    @property
    def variables(self) -> Mapping[str, object]:
        return {**self.base.variables, **self.bindings}  # type: ignore[attr-defined]

    @property
    def known_cells(self) -> Sequence[str]:
        return self.base.known_cells  # type: ignore[attr-defined, no-any-return]

    @property
    def functions(self) -> Mapping[str, object]:
        return self.base.functions  # type: ignore[attr-defined, no-any-return]

    def cell_value(self, cell_id: str) -> int | float | None:
        if cell_id in self.overrides:
            return self.overrides[cell_id]
        return self.base.cell_value(cell_id)  # type: ignore[attr-defined, no-any-return]

    def cell_status(self, cell_id: str) -> str:
        if cell_id in self.overrides:
            return "ok"
        return self.base.cell_status(cell_id)  # type: ignore[attr-defined, no-any-return]


def _compiled(relation: Relation, ctx: _Changed) -> Compiled:
    if relation.assertion is None:
        assert relation.rule.assertion is not None
        relation.assertion = compile_expression(relation.rule.assertion, relation.bindings, ctx.known_cells)
    return relation.assertion


def _holds(relation: Relation, ctx: _Changed) -> bool:
    ctx.bindings = relation.bindings
    try:
        return bool(_compiled(relation, ctx).evaluate(ctx))  # type: ignore[arg-type]
    except expressions.NotApplicable:
        return True  # a relation that cannot be checked is not broken by the change


def _residual(relation: Relation, ctx: _Changed) -> float | None:
    ctx.bindings = relation.bindings
    try:
        sides = _compiled(relation, ctx).explain(ctx)  # type: ignore[arg-type]
    except expressions.NotApplicable:
        return None
    if not sides or not all(isinstance(s, (int, float)) and not isinstance(s, bool) for s in sides):
        return None
    left, right = sides
    return float(left) - float(right)  # type: ignore[arg-type]


def relations(report: Report, rules: Iterable[Rule], base: object) -> list[Relation]:
    """Every arithmetic relation of the rules that ran, with whether it holds as read."""
    found: list[Relation] = []
    ruleset = base.ruleset  # type: ignore[attr-defined]
    outcomes = base.outcomes  # type: ignore[attr-defined]
    for rule in rules:
        if rule.assertion is None or rule.category != "arithmetic":
            continue
        for index, case in enumerate(ruleset.compiled(rule).cases):
            holds: bool | None
            if (rule.code, index) in outcomes:  # as the engine found it when the rule ran
                holds = outcomes[(rule.code, index)]
            else:
                try:
                    holds = bool(case.assertion.evaluate(_Changed(base, {}, case.bindings)))  # type: ignore[arg-type]
                except expressions.NotApplicable:
                    holds = None
            found.append(Relation(rule, case.bindings, case.assertion.references(), holds, case.assertion))
    return found


def _all_held(rules: Iterable[Rule], base: object) -> bool:
    """Whether the engine found every arithmetic relation of ``rules`` holding or not checkable as read."""
    ruleset = base.ruleset  # type: ignore[attr-defined]
    outcomes = base.outcomes  # type: ignore[attr-defined]
    for rule in rules:
        if rule.assertion is None or rule.category != "arithmetic":
            continue
        for index in range(len(ruleset.compiled(rule).cases)):
            if outcomes.get((rule.code, index), False) is False:  # failed, or not run: look closer
                return False
    return True


def _solve(cell: str, current: int | float, failing: Sequence[Relation], base: object) -> int | float | None:
    """The value of ``cell`` that makes the first solvable failing relation hold (relations are linear)."""
    for relation in failing:
        if cell not in relation.cells:
            continue
        r0 = _residual(relation, _Changed(base, {cell: current}))
        r1 = _residual(relation, _Changed(base, {cell: current + 1}))
        if r0 is None or r1 is None or r1 == r0:
            continue
        value = current - r0 / (r1 - r0)
        if value < 0:
            return None
        if isinstance(current, int) or float(current).is_integer():
            if abs(value - round(value)) > 1e-9:
                return None
            return round(value)
        return round(value, 6)
    return None


def _groups(failing: list[Relation]) -> list[list[Relation]]:
    """Failing relations joined by shared cells."""
    groups: list[list[Relation]] = []
    for relation in failing:
        joined = [g for g in groups if any(set(relation.cells) & set(r.cells) for r in g)]
        merged = [relation]
        for g in joined:
            merged.extend(g)
            groups.remove(g)
        groups.append(merged)
    # Table order, so that the cells of a whole-row fault are named left to right.
    return sorted(groups, key=lambda g: min(failing.index(r) for r in g))


@record
class Explanation:
    table: int
    changes: list[tuple[str, int | float, int | float]]  # cell, current value, likely value
    explained: list[Relation]


@record
class Ambiguity:
    table: int
    candidates: list[tuple[str, int | float, int | float]]
    unexplained: list[Relation]


def localise_table(report: Report, table_relations: list[Relation], base: object) -> list[Explanation | Ambiguity]:
    """What one change per group of failing relations says: the groups whose change is the same in every
    way of mending the table form one :class:`Explanation`; each other group is an :class:`Ambiguity`."""
    failing = [r for r in table_relations if r.holds is False]
    if not failing:
        return []
    groups = _groups(failing)
    per_group: list[list[tuple[str, int | float, int | float]]] = []
    for group in groups:
        shared = set(group[0].cells).intersection(*(r.cells for r in group[1:]))
        options: list[tuple[str, int | float, int | float]] = []
        for cell_id in sorted(shared, key=group[0].cells.index):
            cell = report.cells.get(cell_id)
            if cell is None or cell.status is not CellStatus.OK or cell.value is None:
                continue
            value = _solve(cell_id, cell.value, group, base)
            if value is None or value == cell.value:
                continue
            changed = _Changed(base, {cell_id: value})
            if all(_holds(r, changed) for r in group):
                options.append((cell_id, cell.value, value))
        if not options:
            return []
        per_group.append(options)
    total = 1
    for options in per_group:
        total *= len(options)
    if total > MAX_COMBINATIONS:
        return []
    mending = []
    for combo in itertools.product(*per_group):
        changed = _Changed(base, {cell: value for cell, _current, value in combo})
        if all(_holds(r, changed) for r in table_relations):
            mending.append(combo)
    if not mending:
        return []
    table = failing[0].table
    answers: list[Explanation | Ambiguity] = []
    settled = Explanation(table, [], [])
    for i, group in enumerate(groups):
        chosen = list(dict.fromkeys(combo[i] for combo in mending))
        if len(chosen) == 1:
            settled.changes.append(chosen[0])
            settled.explained.extend(group)
        else:
            answers.append(Ambiguity(table, chosen, group))
    if settled.changes:
        settled.explained.sort(key=failing.index)
        answers.insert(0, settled)
    return answers


# --- turning the answer into findings ------------------------------------------------------------


def cell_label(cell_id: str) -> Text:
    """「（七）总计·自然人」: the row and column as the table prints them."""
    table, rest = int(cell_id[1]), cell_id[3:]
    row, col = rest.rsplit(".", 1)
    row_label = formats.row_label(table, row)
    col_label = formats.column_label(table, row, col)
    return Text(f"「{row_label}·{col_label}」", f"\u300c{row_label} \u00b7 {col_label}\u300d")


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _relation_names(relations: Sequence[Relation]) -> Text:
    codes = list(dict.fromkeys(r.rule.code for r in relations))
    return Text("、".join(codes) + (" 均" if len(relations) > 1 else " "), ", ".join(codes))


def _template(rule: Rule, name: str, default: str) -> dict[str, str]:
    """A wording of A300's ``params`` in both languages, ``default`` for a language it does not give."""
    given = rule.params.get(name, {})
    return {lang: given.get(lang, default) for lang in LANGUAGES}


def apply(
    report: Report,
    rule: Rule,
    severity: Severity,
    ran: Iterable[Rule],
    base: object,
    diagnostics: list[Diagnostic],
) -> list[Diagnostic]:
    """Replace the findings of relations one change explains by one finding naming that change."""
    if _all_held(ran, base):
        return diagnostics  # every answer starts from a failing relation, and none failed
    # (imported here, past the usual return: an import statement costs a few µs each time it runs)
    from .engine import render_text  # the engine imports this module

    by_table: dict[int, list[Relation]] = {}
    for relation in relations(report, ran, base):
        by_table.setdefault(relation.table, []).append(relation)
    by_key = {d.key: d for d in diagnostics}
    removed: set[int] = set()
    added: list[Diagnostic] = []
    table_word = {2: "二", 3: "三", 4: "四"}
    for table, table_relations in sorted(by_table.items()):
        for answer in localise_table(report, table_relations, base):
            originals = [
                by_key[r.key]
                for r in (answer.explained if isinstance(answer, Explanation) else answer.unexplained)
                if r.key in by_key
            ]
            if not originals:
                continue
            names = {"table": Text(table_word.get(table, str(table)), str(table))}
            if isinstance(answer, Ambiguity):
                if len(answer.candidates) > MAX_LISTED_CANDIDATES:
                    continue
                listed = Text("、", ", ").join(
                    render_text(
                        _template(rule, "candidate", "{label} {value}"),
                        {"label": cell_label(c), "value": _number(v), "current": _number(cur)},
                    )
                    for c, cur, v in answer.candidates
                )
                note = render_text(_template(rule, "ambiguous", "{candidates}"), {**names, "candidates": listed})
                for d in originals:
                    d.help = d.help + " " + note if d.help else note
                continue
            # The table is named once: later cells of a whole-row change use the shorter candidate wording.
            changes = [
                render_text(
                    _template(rule, "change" if i == 0 else "candidate", "{label} {value} ({current})"),
                    {**names, "label": cell_label(c), "value": _number(v), "current": _number(cur)},
                )
                for i, (c, cur, v) in enumerate(answer.changes)
            ]
            values = {
                **names,
                "changes": Text("；", "; ").join(changes),
                "relations": _relation_names(answer.explained),
            }
            first_cell, first_current, first_value = answer.changes[0]
            anchor = report.cells[first_cell]
            related = [
                Related(d.span, message=f"{d.rule}: " + d.message, cell=d.cells[0] if d.cells else None)
                for d in originals
            ]
            terms = [
                Term(c, cell_short_label(report, c), cur, report.cells[c].span, i == 0)
                for i, (c, cur, _v) in enumerate(answer.changes)
            ]
            diag = Diagnostic(
                rule=rule.code,
                name=rule.name,
                severity=severity,
                message=render_text(rule.message, values),
                path=report.path,
                span=anchor.span or originals[0].span,
                cells=[c for c, _cur, _v in answer.changes],
                place=cell_place(report, first_cell),
                expected=first_value if len(answer.changes) == 1 else None,
                actual=first_current if len(answer.changes) == 1 else None,
                terms=terms,
                related=related,
                help=render_text(rule.help, values) if rule.help else None,
                fix=Fix(first_cell, first_current, first_value) if len(answer.changes) == 1 else None,
                key=f"{rule.code}:" + ",".join(c for c, _cur, _v in answer.changes),
            )
            removed.update(id(d) for d in originals)
            added.append(diag)
    if not added and not removed:
        return diagnostics
    kept = [d for d in diagnostics if id(d) not in removed]
    return kept + added
