"""Stage 5 — rules: run the loaded rules over a report model and produce diagnostics.

Two kinds of rule share one YAML format. *Expression rules* (``assert:``) state a relation between
cells in the expression language and are evaluated here, once per loop binding. *Check rules*
(``check:``) name a built-in check in :mod:`disclosure_lint.rules.checks` for what an expression
cannot say (section order, prose against tables). Either way the YAML file holds the code, the
severity and the words the user reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from functools import cached_property, lru_cache
from pathlib import Path

from .. import formats
from ..bilingual import Text
from ..diagnostics import Diagnostic, Related, Severity, Term
from ..errors import RuleFileError
from ..model import Cell, CellStatus, Report, Span
from ..records import record
from ..regexcode import compile_re
from ..resources import rules_dir
from . import expr as expressions
from . import grouping, prebuilt
from .census import cell_census, start_sharing, stop_sharing
from .checks import CHECKS, CheckSpec, Finding
from .compiled import Case, CompiledRule, PlainSums, WholeNumberSum, compile_rule
from .labels import cell_place, cell_short_label
from .loader import Rule, load_rule_file, rule_files


@record
class RuleSet:
    rules: list[Rule]
    # Each rule's expressions compiled on first use, by code; closures do not pickle, so a rule set
    # sent to a worker process travels without them and compiles its own.
    _compiled: dict[str, CompiledRule] = field(default_factory=dict, init=False, repr=False, compare=False)
    # The built-in rules' plain sums, pre-built (prebuilt.sums): their assertions are compiled only when a sum
    # cannot decide.
    sums: dict[str, tuple[WholeNumberSum | None, ...]] = field(default_factory=dict, repr=False, compare=False)
    # The rules a run considers, by what decides it besides ``select`` (see ``considered``).
    _considered: dict[tuple[int | None, bool, bool], tuple[tuple[Rule, CheckSpec | None], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}

    def compiled(self, rule: Rule) -> CompiledRule:
        """``rule``'s condition and assertion, compiled once for this rule set."""
        entry = self._compiled.get(rule.code)
        if entry is None or entry.rule is not rule:
            sums = self.sums.get(rule.code)
            entry = compile_rule(rule.when, rule.assertion, rule.for_each, _all_cell_ids(), rule, sums)
            entry.plain = PlainSums.of(rule.code, entry.cases, _all_cell_ids())
            self._compiled[rule.code] = entry
        return entry

    def considered(
        self, year: int | None, paired: bool, cross_year_only: bool
    ) -> tuple[tuple[Rule, CheckSpec | None], ...]:
        """The enabled rules, in order, that a run over a report of ``year`` considers (``paired``: with last
        year's report; ``cross_year_only``: the rules comparing two years alone), each with its check. These
        depend on nothing else, so they are sorted out once per combination instead of rule by rule per report."""
        key = (year, paired, cross_year_only)
        found = self._considered.get(key)
        if found is None:
            found = tuple(
                (rule, CHECKS[rule.check] if rule.check is not None else None)
                for rule in self.rules
                if rule.enabled
                and (paired or not rule.needs_previous)
                and (rule.needs_previous or not cross_year_only)
                and rule.applies_to(year)
            )
            if len(self._considered) >= 64:  # (a batch of reports of many years: kept bounded)
                self._considered.clear()
            self._considered[key] = found
        return found

    def __getstate__(self) -> dict[str, object]:
        return {"rules": self.rules, "sums": self.sums}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.rules = state["rules"]  # type: ignore[assignment]
        self.sums = state["sums"]  # type: ignore[assignment]
        self._compiled = {}
        self._considered = {}


@lru_cache(maxsize=1)
def _all_cell_ids() -> tuple[str, ...]:
    ids = list(formats.STANDARD_CELL_IDS)
    # The single （六） row of the 2019 format and group sub-totals are addressable too.
    for group in formats.TABLE3.groups:
        for col in formats.T3_COLUMNS:
            ids.append(formats.cell_id(3, group, col.key))
    return tuple(ids)


def known_cell_ids() -> set[str]:
    return set(_all_cell_ids())


def load_rules(extra_dirs: Sequence[str | Path] = ()) -> RuleSet:
    """The built-in rules plus any user rule directories. Raises RuleFileError on the first bad file."""
    return _load_rules(tuple(str(d) for d in extra_dirs))


@lru_cache(maxsize=8)
def _load_rules(extra_dirs: tuple[str, ...]) -> RuleSet:
    known = known_cell_ids()
    checks = set(CHECKS)
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    builtin = rules_dir()
    sums: dict[str, tuple[WholeNumberSum | None, ...]] = {}
    for directory in (builtin, *map(Path, extra_dirs)):
        if not directory.is_dir():
            raise RuleFileError(Text("规则目录不存在", "rule directory not found"), path=str(directory))
        files = rule_files(directory)
        # The package's own files come pre-built (prebuilt.py) unless they were edited since.
        loaded = prebuilt.load(directory, files) if directory is builtin else None
        if loaded is not None:
            sums = prebuilt.sums(_all_cell_ids())
        else:
            loaded = _from_yaml(files, known, checks, trusted=directory is builtin)
        for rule in loaded:
            if rule.code in seen:
                raise RuleFileError(
                    Text(
                        f"规则代码 {rule.code} 重复（已在 {seen[rule.code].path} 中定义）",
                        f"duplicate rule code {rule.code} (already defined in {seen[rule.code].path})",
                    ),
                    path=rule.path,
                    line=rule.line,
                )
            seen[rule.code] = rule
            rules.append(rule)
    rules.sort(key=lambda r: r.code)
    # (A user's rule cannot share a built-in rule's code: a duplicate code is refused above.)
    return RuleSet(rules, sums)


def _from_yaml(files: list[Path], known: set[str], checks: set[str], *, trusted: bool) -> Iterable[Rule]:
    for path in files:
        yield from load_rule_file(path, known, checks, trusted=trusted)


# --- evaluation context --------------------------------------------------------------------------


@record
class ReportContext:
    report: Report
    bindings: dict[str, object] = field(default_factory=dict)
    previous: Report | None = None  # the same body's report of the year before, when the run paired one
    # The rule set being run, so that post-checks (localisation) reuse its compiled expressions.
    ruleset: RuleSet | None = None
    # Whether each (rule code, loop case) of the single-year rules held as read: True, False, or None when
    # it could not be checked. Localisation starts from these instead of evaluating every relation again.
    outcomes: dict[tuple[str, int], bool | None] = field(default_factory=dict)

    # Cached: a context lives for one evaluation with fixed bindings, so building the mapping once is enough.
    @cached_property
    def variables(self) -> Mapping[str, object]:
        return {
            **_report_variables(self.report),
            **_previous_variables(self.previous),
            **self.bindings,
        }

    @property
    def known_cells(self) -> Sequence[str]:
        return _all_cell_ids()

    @property
    def whole_numbers(self) -> dict[str, int]:
        """This year's ok cells that hold a whole number, by id: what ``WholeNumberSum.balances`` reads."""
        return cell_census(self.report).whole_numbers

    @cached_property
    def functions(self) -> Mapping[str, Callable[..., object]]:
        report = self.report

        def section_text(n: object) -> str:
            s = report.section(int(n)) if isinstance(n, (int, float)) else None  # type: ignore[arg-type]
            return s.text if s else ""

        def section_present(n: object) -> bool:
            return isinstance(n, (int, float)) and report.section(int(n)) is not None

        def row_present(table: object, row: object) -> bool:
            t = report.tables.get(int(table)) if isinstance(table, (int, float)) else None  # type: ignore[arg-type]
            return bool(t and str(row) in t.rows)

        return {"section_text": section_text, "section_present": section_present, "row_present": row_present}

    def cell_value(self, cell_id: str) -> int | float | None:
        # This year's cells first: no id of this report starts with "prev.".
        cell = self.report.cells.get(cell_id) or _lookup(self.report, self.previous, cell_id)
        return cell.value if cell else None

    def cell_status(self, cell_id: str) -> str:
        cell = self.report.cells.get(cell_id) or _lookup(self.report, self.previous, cell_id)
        # ``_value_`` rather than ``value``: Enum's ``value`` is a Python-level property, and this runs for
        # every cell reference of every rule.
        return cell.status._value_ if cell else CellStatus.MISSING.value


_PREVIOUS_PREFIX = expressions.PREVIOUS + "."


def _lookup(report: Report, previous: Report | None, cell_id: str) -> Cell | None:
    if cell_id.startswith(_PREVIOUS_PREFIX):
        return previous.cells.get(cell_id[len(_PREVIOUS_PREFIX) :]) if previous is not None else None
    return report.cells.get(cell_id)


def _previous_variables(previous: Report | None) -> dict[str, object]:
    if previous is None:
        return {}
    return {_PREVIOUS_PREFIX + name: value for name, value in _report_variables(previous).items()}


def _report_variables(report: Report) -> dict[str, object]:
    edition, kind = report.edition, report.input_kind
    # "format" and "source_format" are the names rule files used at first; rule packs written then keep working.
    return {"year": report.year, "edition": edition, "input_kind": kind, "format": edition, "source_format": kind}


# --- running -------------------------------------------------------------------------------------

_PLACEHOLDER = compile_re(r"\{([a-z_]+)\}")


def render_template(template: str, values: Mapping[str, object], lang: str = "zh") -> str:
    """Fill ``{name}`` placeholders of ``template``, a template in ``lang``; a :class:`Text` value gives its
    words in that language. No attribute access, no format specs: templates are data."""

    def sub(m: re.Match[str]) -> str:
        value = values.get(m.group(1))
        if value is None:
            return m.group(0)
        if isinstance(value, Text):
            return value.resolve(lang)
        return format_number(value) if isinstance(value, (int, float)) else str(value)

    return _PLACEHOLDER.sub(sub, template)


def render_text(templates: Mapping[str, str], values: Mapping[str, object]) -> Text:
    """A ``{zh: …, en: …}`` template of a rule file filled in both languages (one missing: the other's)."""
    zh = templates.get("zh") or templates.get("en") or ""
    en = templates.get("en") or zh
    return Text(render_template(zh, values, "zh"), render_template(en, values, "en"))


def format_number(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def run_rules(
    report: Report,
    ruleset: RuleSet,
    *,
    severities: Mapping[str, Severity] | None = None,
    select: Callable[[str], bool] | None = None,
    previous: Report | None = None,
    cross_year_only: bool = False,
) -> list[Diagnostic]:
    """Run ``ruleset`` over ``report``. Rules that compare two years run only when ``previous`` (the same
    body's report of the year before) is given, and are silent otherwise; ``cross_year_only`` runs those
    alone, for a report whose single-year checks have already run."""
    # The cell checks sort the report's cells once between them (census.CellCensus).
    token = start_sharing(report)
    try:
        return _run_rules(report, ruleset, severities, select, previous, cross_year_only)
    finally:
        stop_sharing(token)


def _run_rules(
    report: Report,
    ruleset: RuleSet,
    severities: Mapping[str, Severity] | None,
    select: Callable[[str], bool] | None,
    previous: Report | None,
    cross_year_only: bool,
) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    ran: list[Rule] = []
    post: list[Rule] = []
    base = ReportContext(report, ruleset=ruleset)
    condition_ctx = ReportContext(report, previous=previous)  # ``when:`` has no loop bindings
    severity_of = (severities or {}).get
    conditions: dict[str, bool] = {}  # each ``when:`` text evaluated, whether it held
    for rule, spec in ruleset.considered(report.year, previous is not None, cross_year_only):
        if select is not None and not select(rule.code):
            continue
        if spec is not None and spec.after_rules:
            post.append(rule)
            continue
        # (a try, not a ``with`` block: entering and leaving a context manager cost ~0.25 µs per rule per report)
        try:
            severity = severity_of(rule.code, rule.severity)
            # A check rule without ``when:`` has nothing compiled (compile_rule: no condition, no cases).
            compiled = ruleset.compiled(rule) if rule.when is not None or spec is None else None
            if compiled is not None and compiled.when is not None:
                # A condition has no loop bindings: one text holds or not for the whole run (A301, A302 and A304
                # share theirs), so each text is evaluated once.
                holds = conditions.get(rule.when_text) if rule.when_text else None
                if holds is None:
                    try:
                        holds = bool(compiled.when.evaluate(condition_ctx))
                    except expressions.NotApplicable:
                        holds = False
                    if rule.when_text:
                        conditions[rule.when_text] = holds
                if not holds:
                    continue
            if spec is not None:
                try:
                    if spec.compares_years:
                        findings: Iterable[Finding] = list(spec.run(report, previous, rule.params))
                    else:
                        findings = list(spec.run(report, rule.params))
                except (TypeError, ValueError, OverflowError) as exc:
                    # A rule pack's params of the wrong type ("section: abc"): that rule file's mistake.
                    raise RuleFileError(
                        Text(f"规则 {rule.code} 的 params 无效：{exc}", f"invalid params for rule {rule.code}: {exc}"),
                        path=rule.path,
                        line=rule.line,
                    ) from None
            else:
                assert compiled is not None
                whole_numbers = base.whole_numbers
                if compiled.plain is not None and compiled.plain.balance(whole_numbers):
                    # Every case balances: what _expression_findings finds case by case (no finding, each held).
                    if not rule.needs_previous:
                        base.outcomes.update(compiled.plain.outcomes)
                    findings = ()
                else:
                    findings = _expression_findings(
                        rule, compiled.cases, report, previous, base.outcomes, whole_numbers
                    )
            ran.append(rule)
            for finding in findings:
                diagnostic = _diagnostic(rule, severity, finding, report)
                if previous is not None and rule.needs_previous:
                    diagnostic.related = _with_last_year(diagnostic.related, previous)
                diagnostics.append(diagnostic)
        except expressions.ExpressionError as exc:
            # A type error the load-time checks could not see (an extra function's value of the wrong kind) is
            # the rule file's mistake: said with the rule's file and line, never as an internal error of the tool.
            raise _rule_error(rule, exc) from None
    if not cross_year_only:
        # Localisation and grouping read the single-year findings of one table; the cross-year pass has none.
        for rule in post:
            severity = severity_of(rule.code, rule.severity)
            diagnostics = CHECKS[str(rule.check)].run(report, rule, severity, ran, base, diagnostics)
        diagnostics = grouping.group_cell_findings(report, ran, ran, base, diagnostics)
    diagnostics.sort(key=lambda d: d.sort_key())
    return diagnostics


def _rule_error(rule: Rule, exc: expressions.ExpressionError) -> RuleFileError:
    where = f"{rule.path}:{rule.line}"
    return RuleFileError(
        Text(
            f"规则 {rule.code}（{where}）无法求值，第 {exc.column} 列：",
            f"rule {rule.code} ({where}) cannot be evaluated, column {exc.column}: ",
        )
        + exc.text,
        path=rule.path,
        line=rule.line,
    )


def _expression_findings(
    rule: Rule,
    cases: Sequence[Case],
    report: Report,
    previous: Report | None = None,
    outcomes: dict[tuple[str, int], bool | None] | None = None,
    whole_numbers: Mapping[str, int] | None = None,
) -> Iterable[Finding]:
    assert rule.assertion is not None
    for index, case in enumerate(cases):
        plain_sum = case.whole_numbers
        if plain_sum is not None and whole_numbers is not None and plain_sum.balances(whole_numbers):
            # Every cell is an ok whole number and the sums agree: the evaluator would say True, with no finding.
            if outcomes is not None and not rule.needs_previous:
                outcomes[(rule.code, index)] = True
            continue
        bindings = case.bindings
        ctx = ReportContext(report, bindings, previous)
        try:
            ok = case.assertion.evaluate(ctx)
        except expressions.NotApplicable:
            if outcomes is not None and not rule.needs_previous:
                outcomes[(rule.code, index)] = None
            continue
        if outcomes is not None and not rule.needs_previous:
            outcomes[(rule.code, index)] = bool(ok)
        if ok:
            continue
        cells = case.assertion.references()
        sides = case.assertion.explain(ctx)
        actual, expected = sides if sides else (None, None)
        anchor = _substitute(rule.at, bindings) if rule.at else (cells[0] if cells else None)
        anchor_cell = report.cells.get(anchor) if anchor else None
        span = anchor_cell.span if anchor_cell else None
        values = {k: v for k, v in bindings.items()}
        values.update(_loop_labels(bindings))
        values.setdefault("year", report.year)
        if previous is not None:
            values.setdefault("prev_year", previous.year)
        if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
            values.update(actual=actual, expected=expected, diff=round(actual - expected, 6))
        if case.equation is None:
            case.equation = _equation_template(rule.assertion_text or "", bindings)
        values["equation"] = _fill_equation(case.equation, report, previous)  # type: ignore[arg-type]
        terms = [
            Term(
                cid,
                cell_short_label(report, cid),
                report.cells[cid].value,
                report.cells[cid].span,
                cid == anchor,
            )
            for cid in cells
            if cid in report.cells
        ]
        yield Finding(
            span=span,
            cells=cells,
            values=values,
            expected=expected if isinstance(expected, (int, float)) else None,
            actual=actual if isinstance(actual, (int, float)) else None,
            terms=terms,
            place=cell_place(report, anchor) if anchor else None,
            key=",".join(cells),
            equation=values["equation"],
            related=_previous_cells(cells, previous),
        )


def _substitute(template: str, bindings: Mapping[str, object]) -> str:
    for name, value in bindings.items():
        template = template.replace(f"${name}", str(value))
    return template


def _loop_labels(bindings: Mapping[str, object]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for name, value in bindings.items():
        value = str(value)
        if name in ("col", "column"):
            labels["col_label"] = next((c.label for c in formats.T3_COLUMNS if c.key == value), value)
        elif name == "row":
            labels["row_label"] = formats.row_label(3, value)
        elif name == "group":
            labels["group_label"] = formats.row_label(4, value)
        elif name == "kind":  # a row of table 二 (规章, 行政规范性文件)
            labels["kind_label"] = formats.row_label(2, value)
    return labels


_REF = compile_re(r"(?:sum|count)\(((?:prev\.)?t[234](?:\.[A-Za-z_$*]+)+)\)|(?:prev\.)?t[234](?:\.[A-Za-z_$]+)+")


# A piece of a filled-in equation: text as written, a cell id, or a wildcard pattern under sum()/count().
_EquationPiece = str | tuple[str, tuple[str, ...] | str]


def _equation_template(source: str, bindings: Mapping[str, object]) -> tuple[_EquationPiece, ...]:
    """The relation's text with its loop values written in, split around the references to fill."""
    text = _substitute(source, bindings)
    pieces: list[_EquationPiece] = []
    end = 0
    for m in _REF.finditer(text):
        pieces.append(text[end : m.start()])
        if m.group(1):
            pieces.append(("sum" if m.group(0).startswith("sum") else "count", tuple(m.group(1).split("."))))
        else:
            pieces.append(("cell", m.group(0)))
        end = m.end()
    pieces.append(text[end:])
    return tuple(pieces)


def _fill_equation(template: Sequence[_EquationPiece], report: Report, previous: Report | None = None) -> str:
    """The relation with numbers filled in: ``1 + 0 == 0 + 0`` becomes readable arithmetic."""
    out: list[str] = []
    for piece in template:
        if isinstance(piece, str):
            out.append(piece)
            continue
        kind, target = piece
        if kind == "cell":
            cell = _lookup(report, previous, target)  # type: ignore[arg-type]
            out.append(format_number(cell.value) if cell and cell.value is not None else "?")
            continue
        pattern: Sequence[str] = target
        cells = report.cells
        if pattern[0] == expressions.PREVIOUS:
            pattern, cells = pattern[1:], (previous.cells if previous is not None else {})
        total: float = 0
        for cid, found in cells.items():
            parts = cid.split(".")
            if len(parts) == len(pattern) and all(p == "*" or p == q for p, q in zip(pattern, parts)):
                total += found.value or 0
        # As written before: count() of a wildcard shows 0.
        out.append(format_number(total if kind == "sum" else 0))
    return "".join(out).replace("==", "=").replace("  ", " ")


def _diagnostic(rule: Rule, severity: Severity, finding: Finding, report: Report) -> Diagnostic:
    values = dict(finding.values)
    message = render_text(rule.message, values)
    help_text = render_text(rule.help, values) if rule.help else None
    return Diagnostic(
        rule=rule.code,
        name=rule.name,
        severity=severity,
        message=message,
        path=report.path,
        span=finding.span or _fallback_span(report),
        cells=list(finding.cells),
        section=finding.section,
        place=finding.place,
        expected=finding.expected,
        actual=finding.actual,
        equation=finding.equation,
        terms=list(finding.terms),
        related=[r if isinstance(r, Related) else Related(r) for r in finding.related],
        help=help_text,
        key=f"{rule.code}:{finding.key}",
    )


def _previous_cells(cells: Sequence[str], previous: Report | None) -> list[Span | Related]:
    """Last year's cells a cross-year finding took part of its numbers from, as related locations."""
    if previous is None:
        return []
    related: list[Span | Related] = []
    for cid in cells:
        if not cid.startswith(_PREVIOUS_PREFIX):
            continue
        own = cid[len(_PREVIOUS_PREFIX) :]
        cell = previous.cells.get(own)
        if cell is None:
            continue
        value = format_number(cell.value) if cell.value is not None else "?"
        related.append(
            Related(cell.span, path=previous.path, message=cell_short_label(previous, own) + f" {value}", cell=own)
        )
    return related


def _with_last_year(related: list[Related], previous: Report) -> list[Related]:
    """Every cross-year finding names last year's report: its cells, or at least its title."""
    year = previous.year or "?"
    head = Text(f"上年报告（{year}年）", f"last year's report ({year})")
    out = [
        Related(r.span, r.path, head + Text("：", ": ") + r.message if r.message else head, r.cell)
        if r.path == previous.path
        else r
        for r in related
    ]
    if not any(r.path == previous.path for r in out):
        out.append(Related(previous.title_span or Span(1, 1, 1, 1), path=previous.path, message=head))
    return out


def _fallback_span(report: Report) -> Span:
    return report.title_span or Span(1, 1, 1, 1)
