"""Rule expressions compiled once per rule set, and the expression parser's pre-built tables."""

from __future__ import annotations

import pickle
from pathlib import Path

import lark
import pytest
import reportgen

from disclosure_lint import lalrtables
from disclosure_lint.formats import STANDARD_CELL_IDS
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.compiled import compile_expression
from disclosure_lint.rules.engine import load_rules, run_rules
from disclosure_lint.rules.expr import ExpressionError, NotApplicable, SimpleContext, parse_expression


def _ctx(values: dict[str, int | float | None], **variables: object) -> SimpleContext:
    return SimpleContext(values=values, variables=variables, known_cells=STANDARD_CELL_IDS)


def test_one_compiled_expression_reads_each_report_afresh() -> None:
    compiled = compile_expression(
        parse_expression("t3.new.$col + t3.carried_over.$col == sum(t3.total.*)"), {"col": "total"}, STANDARD_CELL_IDS
    )
    total = {cid: 0 for cid in STANDARD_CELL_IDS if cid.startswith("t3.total.")}
    assert compiled.evaluate(_ctx({"t3.new.total": 2, "t3.carried_over.total": 1, **total, "t3.total.total": 3}))
    assert not compiled.evaluate(_ctx({"t3.new.total": 5, "t3.carried_over.total": 1, **total, "t3.total.total": 3}))
    with pytest.raises(NotApplicable) as blocked:
        compiled.evaluate(_ctx({"t3.new.total": None, "t3.carried_over.total": 1}))
    assert blocked.value.cells == ("t3.new.total",)
    assert compiled.references()[:2] == ["t3.new.total", "t3.carried_over.total"]


def test_a_reference_that_resolves_to_no_cell_fails_only_when_it_is_evaluated() -> None:
    expr = parse_expression("ok(t3.new.total) or t3.$row.total == 1")
    compiled = compile_expression(expr, {"row": "no_such_row"}, STANDARD_CELL_IDS)
    assert compiled.evaluate(_ctx({"t3.new.total": 1})) is True  # short-circuit: the bad reference is not reached
    with pytest.raises(ExpressionError, match="no_such_row"):
        compiled.evaluate(_ctx({}))
    with pytest.raises(ExpressionError, match="no_such_row"):
        compiled.references()


def test_a_rule_set_compiles_each_rule_once_and_pickles_without_closures() -> None:
    rules = load_rules()
    rule = next(r for r in rules.rules if r.for_each and r.assertion is not None)
    assert rules.compiled(rule) is rules.compiled(rule)
    copy = pickle.loads(pickle.dumps(rules))
    assert [r.code for r in copy.rules] == [r.code for r in rules.rules]
    report = load_report("r.txt", reportgen.render("tab").replace("\t26\n", "\t27\n", 1).encode())
    assert [d.key for d in run_rules(report, copy)] == [d.key for d in run_rules(report, rules)]


def test_a_broken_total_names_its_numbers_in_the_equation() -> None:
    t3 = dict(reportgen.T3_DATA)
    t3["total"] = [21, 3, 0, 1, 0, 1, 27]
    report = load_report("r.txt", reportgen.render("tab", t3=t3).encode())
    # Without localisation, which would fold the three broken relations into one A300 finding.
    found = run_rules(report, load_rules(), select=lambda code: code != "A300")
    equations = [d.equation for d in found if d.equation]
    assert equations and all("27" in eq and "?" not in eq and "==" not in eq for eq in equations), equations


@pytest.mark.parametrize("grammar", sorted(lalrtables.TABLE_MODULES))
def test_the_committed_parser_tables_are_those_of_the_grammars(grammar: str) -> None:
    tables = lalrtables._tables(grammar)
    text = lalrtables._grammar_text(grammar)
    assert lalrtables.grammar_hash(text) == tables.GRAMMAR_SHA256, "run: python -m disclosure_lint.lalrtables"


@pytest.mark.parametrize("grammar", sorted(lalrtables.TABLE_MODULES))
def test_regenerating_the_tables_reproduces_them_exactly(grammar: str) -> None:
    """Lark numbers states in set order, which changes between runs; the generator numbers them canonically, so a
    maintainer who regenerates the tables sees a diff only where the grammar changed."""
    tables = lalrtables._tables(grammar)
    if lark.__version__ != tables.LARK_VERSION:
        pytest.skip(f"the tables were generated with Lark {tables.LARK_VERSION}, this is {lark.__version__}")
    committed = (Path(lalrtables.__file__).parent / f"{lalrtables.TABLE_MODULES[grammar]}.py").read_text("utf-8")
    options = lalrtables.parser_options()[grammar]
    assert lalrtables.tables_source(grammar, options) == committed


def test_the_parsers_come_from_the_tables_and_are_rebuilt_when_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real_build = lalrtables.build_parser

    def counting_build(text: str, options: dict[str, object]) -> lark.Lark:
        built.append(text)
        return real_build(text, options)

    monkeypatch.setattr(lalrtables, "build_parser", counting_build)
    options = lalrtables.parser_options()
    fresh = lalrtables.parser("expr.lark", **options["expr.lark"])
    report_fresh = lalrtables.parser("report.lark", **options["report.lark"])
    if lark.__version__ == lalrtables._tables("expr.lark").LARK_VERSION:
        assert built == []
    for grammar in options:
        monkeypatch.setattr(lalrtables._tables(grammar), "GRAMMAR_SHA256", "stale")
    rebuilt = lalrtables.parser("expr.lark", **options["expr.lark"])
    report_rebuilt = lalrtables.parser("report.lark", **options["report.lark"])
    assert len(built) >= 2
    for text in ["sum(t3.new.*) == t3.total.$col within 1", "not (a in [1, 2]) or b != 'x'", "-x * (y - 1) / 2"]:
        assert fresh.parse(text) == rebuilt.parse(text)
    for bad in ["t3.a +", "(1", "a b", "1 < 2 < 3"]:
        with pytest.raises(lark.exceptions.UnexpectedInput) as from_tables:
            fresh.parse(bad)
        with pytest.raises(lark.exceptions.UnexpectedInput) as from_grammar:
            rebuilt.parse(bad)
        assert from_tables.value.interactive_parser.accepts() == from_grammar.value.interactive_parser.accepts()
    # The report grammar: the same tree for a whole report's tokens, from the tables and from the grammar.
    from disclosure_lint import lexer, parser, rowtokens

    tokens = rowtokens.row_stream(lexer.lex(reportgen.render("tab"))).tokens
    from_tables = parser.parse_layout(tokens, report_fresh)
    assert from_tables.tree == parser.parse_layout(tokens, report_rebuilt).tree
    assert from_tables.tree == report_rebuilt.parse(tokens) and not from_tables.facts
