"""Tests of the rule-expression language: grammar, validation, evaluation and its safety limits."""

from __future__ import annotations

import builtins
import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from disclosure_lint import resources
from disclosure_lint.formats import STANDARD_CELL_IDS, T3_APPLICANT_COLUMNS, TABLE3
from disclosure_lint.model import CellStatus
from disclosure_lint.rules.expr import (
    MAX_DEPTH,
    MAX_EXPRESSION_LENGTH,
    Binary,
    Call,
    CellRef,
    Compare,
    Const,
    ExpressionError,
    ListExpr,
    Logical,
    Name,
    NotApplicable,
    SimpleContext,
    Unary,
    evaluate,
    explain_terms,
    parse_expression,
    references,
    validate,
)

KNOWN = set(STANDARD_CELL_IDS)
DENIED_ROWS = [r.key for r in TABLE3.rows if r.key.startswith("denied.")]


def consistent_table3() -> dict[str, int | float | None]:
    """A 表三 whose every total adds up, built from small distinct numbers."""
    values: dict[str, int | float | None] = {}
    outcome_totals = dict.fromkeys(T3_APPLICANT_COLUMNS, 0)
    for i, row in enumerate(TABLE3.rows):
        if row.key in ("new", "carried_over", "total", "carried_forward"):
            continue
        for j, col in enumerate(T3_APPLICANT_COLUMNS):
            n = (i * 7 + j * 3) % 5
            values[f"t3.{row.key}.{col}"] = n
            outcome_totals[col] += n
    for col in T3_APPLICANT_COLUMNS:
        values[f"t3.total.{col}"] = outcome_totals[col]
        values[f"t3.carried_forward.{col}"] = 2
        values[f"t3.carried_over.{col}"] = 1
        values[f"t3.new.{col}"] = outcome_totals[col] + 1
    for row in [r.key for r in TABLE3.rows]:
        row_values = [values[f"t3.{row}.{c}"] for c in T3_APPLICANT_COLUMNS]
        values[f"t3.{row}.total"] = sum(v for v in row_values if isinstance(v, int))
    return values


def make_ctx(
    values: dict[str, int | float | None] | None = None,
    statuses: dict[str, str] | None = None,
    functions: dict[str, Callable[..., object]] | None = None,
    **variables: object,
) -> SimpleContext:
    return SimpleContext(
        values=values if values is not None else consistent_table3(),
        statuses=statuses or {},
        variables=variables,
        known_cells=STANDARD_CELL_IDS,
        functions=functions or {},
    )


def run(text: str, ctx: SimpleContext | None = None, **variables: object) -> object:
    return evaluate(parse_expression(text), ctx if ctx is not None else make_ctx(**variables))


# --- parsing ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", Const(42)),
        ("3.25", Const(3.25)),
        ("'单引号'", Const("单引号")),
        ('"double"', Const("double")),
        (r'"a \"quoted\" word"', Const('a "quoted" word')),
        ("true", Const(True)),
        ("false", Const(False)),
        ("null", Const(None)),
        ("[]", ListExpr(())),
        ("[1, 'a']", ListExpr((Const(1), Const("a")))),
        ("-x", Unary("-", Name("x"))),
        ("not x", Unary("not", Name("x"))),
        ("a / b", Binary("/", Name("a"), Name("b"))),
        ("a - b", Binary("-", Name("a"), Name("b"))),
        ("(a + b) * c", Binary("*", Binary("+", Name("a"), Name("b")), Name("c"))),
        ("a or b", Logical("or", Name("a"), Name("b"))),
        ("a != b", Compare("!=", Name("a"), Name("b"))),
        ("a <= b", Compare("<=", Name("a"), Name("b"))),
        ("a >= b", Compare(">=", Name("a"), Name("b"))),
        ("a < b", Compare("<", Name("a"), Name("b"))),
        ("a > b", Compare(">", Name("a"), Name("b"))),
        ("a in [1]", Compare("in", Name("a"), ListExpr((Const(1),)))),
        ("a not in 'xy'", Compare("not in", Name("a"), Const("xy"))),
        ("a == b within 0.01", Compare("==", Name("a"), Name("b"), Const(0.01))),
        ("max()", None),  # arity: see test_builtin_arity_is_checked_at_parse_time
        ("f()", Call("f", ())),
        ("round(x, 2)", Call("round", (Name("x"), Const(2)))),
        ("t3.new.total", CellRef(("t3", "new", "total"))),
        (
            "t3.denied.state_secret.natural_person",
            CellRef(("t3", "denied", "state_secret", "natural_person")),
        ),
        ("t3.$row.$col", CellRef(("t3", "$row", "$col"))),
        ("sum(t3.denied.*.$col)", Call("sum", (CellRef(("t3", "denied", "*", "$col")),))),
        ("year", Name("year")),
    ],
)
def test_every_construct_parses_to_its_ast(text: str, expected: object) -> None:
    if expected is None:
        with pytest.raises(ExpressionError):
            parse_expression(text)
        return
    assert parse_expression(text) == expected


def test_keywords_inside_longer_names_are_names() -> None:
    assert parse_expression("index + notes + order") == Binary(
        "+", Binary("+", Name("index"), Name("notes")), Name("order")
    )


def test_full_width_space_is_whitespace() -> None:
    assert parse_expression("1\u3000+\u30002") == Binary("+", Const(1), Const(2))


def test_nodes_carry_columns() -> None:
    expr = parse_expression("year >= 2021 and t3.new.total > 0")
    assert isinstance(expr, Logical)
    assert expr.column == 14
    assert isinstance(expr.right, Compare)
    assert isinstance(expr.right.left, CellRef)
    assert expr.right.left.column == 18


def test_ast_is_immutable() -> None:
    expr = parse_expression("t3.new.total + 1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        expr.op = "-"  # type: ignore[misc, union-attr]


# --- precedence -------------------------------------------------------------------------------------


def test_multiplication_binds_tighter_than_addition() -> None:
    assert parse_expression("1 + 2 * 3 == 7") == Compare(
        "==", Binary("+", Const(1), Binary("*", Const(2), Const(3))), Const(7)
    )
    assert run("1 + 2 * 3 == 7") is True
    assert run("(1 + 2) * 3") == 9


def test_not_binds_tighter_than_and() -> None:
    assert parse_expression("not a and b") == Logical("and", Unary("not", Name("a")), Name("b"))
    # Were it parsed as not (a and b), this would be true.
    assert run("not a and b", a=False, b=False) is False


def test_and_binds_tighter_than_or() -> None:
    assert run("true or false and false") is True


def test_not_applies_to_a_whole_comparison() -> None:
    assert parse_expression("not a == b") == Unary("not", Compare("==", Name("a"), Name("b")))


def test_subtraction_and_division_are_left_associative() -> None:
    assert run("10 - 2 - 3") == 5
    assert run("8 / 2 / 2") == 2


def test_unary_minus() -> None:
    assert run("-3 + 5") == 2
    assert run("- -3") == 3


def test_comparisons_do_not_chain() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("1 < 2 < 3")
    assert info.value.column == 7


# --- values and operators ---------------------------------------------------------------------------


def test_approximate_equality_uses_the_tolerance() -> None:
    assert run("1.0 == 1.005 within 0.01") is True
    assert run("1 == 1.02 within 0.01") is False
    assert run("1 != 1.02 within 0.01") is True
    # A difference of exactly the tolerance passes despite binary floating point.
    assert run("1.00 == 1.01 within 0.01") is True


def test_tolerance_must_be_a_non_negative_number() -> None:
    with pytest.raises(ExpressionError):
        run("1 == 1 within -1")
    with pytest.raises(ExpressionError):
        run("1 == 1 within 'a'")


def test_within_only_with_equality() -> None:
    with pytest.raises(ExpressionError, match="within"):
        parse_expression("a < b within 1")


def test_plain_equality_absorbs_float_noise() -> None:
    assert run("0.1 + 0.2 == 0.3") is True
    assert run("0.1 + 0.2 == 0.31") is False


def test_membership_in_lists_and_strings() -> None:
    assert run("'b' in ['a', 'b']") is True
    assert run("3 not in [1, 2]") is True
    assert run("2 in [1, 2.0]") is True
    assert run("'公开' in '政府信息公开'") is True
    assert run("'申请' not in '政府信息公开'") is True
    with pytest.raises(ExpressionError):
        run("1 in 'abc'")
    with pytest.raises(ExpressionError):
        run("1 in 2")


def test_context_variables() -> None:
    assert run("year >= 2021 and format == '2021'", year=2022, format="2021") is True
    assert run("year >= 2021 and format == '2021'", year=2020, format="2021") is False


@pytest.mark.parametrize(
    "text",
    ["1 + 'a'", "'a' - 'b'", "true + 1", "not 1", "1 and true", "'a' < 1", "1 == '1'", "-'a'", "[1] * 2"],
)
def test_type_errors_raise_expression_error(text: str) -> None:
    with pytest.raises(ExpressionError):
        run(text)


def test_strings_concatenate_and_null_compares() -> None:
    assert run("'a' + 'b' == 'ab'") is True
    assert run("x == null", x=None) is True
    assert run("1 == null") is False


def test_short_circuit_protects_the_right_operand() -> None:
    ctx = make_ctx(statuses={"t3.new.total": "blank"})
    assert run("ok(t3.new.total) and t3.new.total > 0", ctx) is False
    assert run("not ok(t3.new.total) or t3.new.total > 0", ctx) is True


# --- cells, loop variables and wildcards ------------------------------------------------------------


def test_cell_reference_evaluates_to_its_value() -> None:
    ctx = make_ctx({"t2.fees.amount": 1.5, "t2.licensing.decisions": 12})
    assert run("t2.fees.amount >= 0", ctx) is True
    assert run("t2.licensing.decisions * 2", ctx) == 24


def test_wildcard_expands_one_segment_in_known_order() -> None:
    refs = references(parse_expression("sum(t3.denied.*.$col)"), {"col": "total"}, STANDARD_CELL_IDS)
    assert refs == [f"t3.{row}.total" for row in DENIED_ROWS]
    assert len(refs) == 8


def test_single_segment_wildcard_does_not_reach_two_segment_rows() -> None:
    refs = references(parse_expression("count(t3.*.$col)"), {"col": "research"}, STANDARD_CELL_IDS)
    assert refs == [
        f"t3.{row}.research" for row in ("new", "carried_over", "granted", "partial", "total", "carried_forward")
    ]
    assert run("count(t3.*.$col)", col="research") == 6


def test_wildcards_match_as_segment_by_segment_comparison() -> None:
    from disclosure_lint.rules.engine import _all_cell_ids
    from disclosure_lint.rules.exprcells import _wildcard_matches

    # Every pattern of the known ids' shapes with any of their segments made wildcards (and a few that match
    # nothing), against the plain definition: same length, every non-wildcard segment equal, known order.
    known = (*_all_cell_ids(), "t3.new.total")  # a repeated id is matched twice, as the plain scan would
    split = [(cell, cell.split(".")) for cell in known]
    patterns = {("t9", "*"), ("*",), ("*", "*", "*", "*", "*"), ("t3", "nosuchrow", "*")}
    for _cell, segments in split[::7]:
        for mask in range(1 << len(segments)):
            patterns.add(tuple("*" if mask >> i & 1 else s for i, s in enumerate(segments)))
    for parts in patterns:
        expected = tuple(
            cell
            for cell, segments in split
            if len(segments) == len(parts) and all(p in ("*", s) for p, s in zip(parts, segments, strict=True))
        )
        assert _wildcard_matches(parts, known) == expected, parts
    assert len(_wildcard_matches(("t3", "new", "*"), known)) > 1


def test_sum_over_a_cell_group() -> None:
    values = consistent_table3()
    expected = sum(values[f"t3.{row}.commercial"] for row in DENIED_ROWS)  # type: ignore[misc]
    assert run("sum(t3.denied.*.$col)", col="commercial") == expected
    assert run("sum(t3.denied.*.commercial, 1, [2, 3])") == expected + 6


def test_references_are_unique_and_ordered() -> None:
    expr = parse_expression("t3.new.total + t3.new.total + sum(t3.*.total)")
    refs = references(expr, {}, STANDARD_CELL_IDS)
    assert refs[0] == "t3.new.total"
    assert len(refs) == len(set(refs)) == 6


def test_dollar_variable_substitutes_whole_segments() -> None:
    text = (
        "t3.$row.total == t3.$row.natural_person + t3.$row.commercial + t3.$row.research"
        " + t3.$row.social_org + t3.$row.legal_service + t3.$row.other_org"
    )
    expr = parse_expression(text)
    assert references(expr, {"row": "denied.state_secret"}, STANDARD_CELL_IDS)[0] == ("t3.denied.state_secret.total")
    for row in [r.key for r in TABLE3.rows]:
        assert run(text, row=row) is True
    values = consistent_table3()
    values["t3.denied.security.total"] = 999
    assert run(text, make_ctx(values, row="denied.security")) is False


@pytest.mark.parametrize("col", [*T3_APPLICANT_COLUMNS, "total"])
def test_table3_balance_rules_hold_on_a_consistent_table(col: str) -> None:
    assert run("t3.new.$col + t3.carried_over.$col == t3.total.$col + t3.carried_forward.$col", col=col)
    assert run(
        "t3.total.$col == t3.granted.$col + t3.partial.$col + sum(t3.denied.*.$col)"
        " + sum(t3.unavailable.*.$col) + sum(t3.not_processed.*.$col) + sum(t3.other.*.$col)",
        col=col,
    )


def test_balance_rule_detects_an_imbalance() -> None:
    values = consistent_table3()
    values["t3.granted.total"] = values["t3.granted.total"] + 1  # type: ignore[operator]
    text = (
        "t3.total.$col == t3.granted.$col + t3.partial.$col + sum(t3.denied.*.$col)"
        " + sum(t3.unavailable.*.$col) + sum(t3.not_processed.*.$col) + sum(t3.other.*.$col)"
    )
    assert run(text, make_ctx(values, col="total")) is False


def test_unbound_or_malformed_loop_variable_is_an_error() -> None:
    with pytest.raises(ExpressionError, match=r"\$col"):
        run("t3.new.$col")
    for bad in ["../x", "a*b", "", "new..total"]:
        with pytest.raises(ExpressionError):
            run("t3.$row.total", row=bad)
    with pytest.raises(ExpressionError):
        run("t3.$row.total", row=3)


def test_unknown_concrete_cell_at_evaluation_is_an_error() -> None:
    with pytest.raises(ExpressionError, match=r"t3\.bogus\.total"):
        run("t3.$row.total", row="bogus")


# --- NotApplicable and status functions -------------------------------------------------------------


@pytest.mark.parametrize("status", ["blank", "placeholder", "missing", "invalid"])
def test_cell_that_is_not_ok_makes_the_check_not_applicable(status: str) -> None:
    ctx = make_ctx(statuses={"t3.new.total": status})
    with pytest.raises(NotApplicable) as info:
        run("t3.new.total + 1 == 5", ctx)
    assert info.value.cells == ("t3.new.total",)


def test_missing_and_blank_cells_by_value() -> None:
    values = consistent_table3()
    del values["t3.new.natural_person"]
    values["t3.new.commercial"] = None
    with pytest.raises(NotApplicable) as info:
        run("t3.new.natural_person > 0", make_ctx(values))
    assert info.value.cells == ("t3.new.natural_person",)
    with pytest.raises(NotApplicable):
        run("t3.new.commercial > 0", make_ctx(values))


def test_aggregate_reports_every_blocked_cell() -> None:
    ctx = make_ctx(statuses={"t3.denied.security.total": "blank", "t3.denied.inquiry.total": "placeholder"})
    with pytest.raises(NotApplicable) as info:
        run("sum(t3.denied.*.total) >= 0", ctx)
    assert info.value.cells == ("t3.denied.security.total", "t3.denied.inquiry.total")


def test_division_by_zero_is_not_applicable() -> None:
    values = consistent_table3()
    values["t3.new.research"] = 0
    with pytest.raises(NotApplicable) as info:
        run("t3.new.total / t3.new.research", make_ctx(values))
    assert info.value.cells == ("t3.new.research",)
    assert info.value.reason == "division by zero"
    assert run("t3.new.research / 4", make_ctx(values)) == 0


def test_status_functions_do_not_raise() -> None:
    ctx = make_ctx(statuses={"t3.new.total": "blank", "t3.new.research": "missing"})
    assert run("status(t3.new.total) in ['blank', 'placeholder']", ctx) is True
    assert run("status(t3.new.research)", ctx) == "missing"
    assert run("present(t3.new.research)", ctx) is False
    assert run("present(t3.new.total)", ctx) is True
    assert run("ok(t3.new.total)", ctx) is False
    assert run("ok(t3.granted.total)", ctx) is True
    assert run("all_ok(t3.new.*)", ctx) is False
    assert run("all_ok(t3.granted.*, t3.denied.*.total)", ctx) is True
    assert run("count(t3.new.*)", ctx) == 7


def test_status_accepts_a_string_enum_from_the_engine() -> None:
    ctx = make_ctx(statuses={"t3.new.total": CellStatus.BLANK})  # type: ignore[dict-item]
    assert run("status(t3.new.total) == 'blank'", ctx) is True


def test_status_functions_take_only_single_cells() -> None:
    for text in ["status(1)", "ok(t3.new.*)", "present(year)", "count(1 + 2)"]:
        with pytest.raises(ExpressionError):
            parse_expression(text)


# --- built-in and extra functions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("abs(-3)", 3),
        ("min(3, 1, 2)", 1),
        ("max([3, 7], 2)", 7),
        ("round(2.5)", 3),
        ("round(-2.5)", -3),
        ("round(1.005, 2)", 1.01),
        ("round(1234, -2)", 1200),
        ("len('政府信息')", 4),
        ("len([1, 2, 3])", 3),
        ("contains('政府信息公开', '信息')", True),
        ("contains([1, 2], 3)", False),
        ("matches('2021年度', '^[0-9]{4}年')", True),
        ("matches('abc', '^b')", False),
        ("int(3.9)", 3),
        ("int(' 12 ')", 12),
        ("is_integer(3.0)", True),
        ("is_integer(3.5)", False),
        ("max(t3.new.*)", None),
    ],
)
def test_builtin_functions(text: str, expected: object) -> None:
    result = run(text)
    if expected is None:
        values = consistent_table3()
        expected = max(v for k, v in values.items() if k.startswith("t3.new.") and v is not None)
    assert result == expected
    assert type(result) is type(expected)


def test_is_integer_on_a_cell() -> None:
    assert run("is_integer(t2.licensing.decisions)", make_ctx({"t2.licensing.decisions": 3})) is True
    assert run("is_integer(t2.licensing.decisions)", make_ctx({"t2.licensing.decisions": 3.5})) is False


@pytest.mark.parametrize(
    "text",
    [
        "matches('aaa', '" + "a" * 201 + "')",
        "matches('aaaa', '(a+)+$')",
        "matches('a', '(')",
        "int('12abc')",
        "int('" + "9" * 40 + "')",
        "round(1.5, 0.5)",
        "min(t3.new.*, 'x')",
        "len(3)",
        "abs('a')",
    ],
)
def test_builtin_functions_reject_bad_arguments(text: str) -> None:
    with pytest.raises(ExpressionError):
        run(text)


def test_round_words_what_decimal_cannot_round_as_a_bad_value() -> None:
    # 30 digits to 15 places exceed decimal's precision (InvalidOperation inside round()).
    with pytest.raises(ExpressionError, match="cannot handle this value"):
        run("round(123456789012345678901234567890.5, 15)")


def test_builtin_arity_is_checked_at_parse_time() -> None:
    with pytest.raises(ExpressionError, match=r"abs\(\) takes 1 argument"):
        parse_expression("abs(1, 2)")
    with pytest.raises(ExpressionError):
        parse_expression("round()")


def test_extra_functions_are_called_with_evaluated_arguments() -> None:
    calls: list[tuple[object, ...]] = []

    def section_text(*args: object) -> str:
        calls.append(args)
        return "本机关不掌握相关政府信息"

    ctx = make_ctx(functions={"section_text": section_text})
    assert run("contains(section_text(2 + 3), '不掌握')", ctx) is True
    assert calls == [(5,)]


def test_extra_function_may_not_return_python_objects() -> None:
    ctx = make_ctx(functions={"leak": lambda: object()})
    with pytest.raises(ExpressionError, match="unsupported"):
        run("leak()", ctx)


# --- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "t3.new.$col + t3.carried_over.$col == t3.total.$col + t3.carried_forward.$col",
        "t3.total.$col == t3.granted.$col + t3.partial.$col + sum(t3.denied.*.$col)"
        " + sum(t3.unavailable.*.$col) + sum(t3.not_processed.*.$col) + sum(t3.other.*.$col)",
        "t3.$row.total == t3.$row.natural_person + t3.$row.other_org",
        "t2.fees.amount >= 0",
        "is_integer(t2.licensing.decisions)",
        'year >= 2021 and format == "2021"',
        'status(t3.new.total) in ["blank", "placeholder"]',
        "sum(t4.*.total) == t4.review.total + t4.litigation_direct.total + t4.litigation_after_review.total",
    ],
)
def test_validate_accepts_the_rule_file_examples(text: str) -> None:
    validate(parse_expression(text), known_cells=KNOWN, variables={"year", "format", "col", "row"})


def test_validate_rejects_unknown_cells() -> None:
    with pytest.raises(ExpressionError) as info:
        validate(parse_expression("1 + t3.bogus.total"), known_cells=KNOWN, variables=set())
    assert info.value.column == 5
    assert "t3.bogus.total" in info.value.text.en
    assert "t3.bogus.total" in info.value.text.zh


@pytest.mark.parametrize(
    "text",
    [
        "t3.new",  # a row is not a cell
        "t3.new.total.extra",
        "sum(t3.denied.*.*.total)",
        "t4.$col.total.x",  # $col may span segments, but no 表四 id is that long
    ],
)
def test_validate_rejects_paths_that_match_no_cell(text: str) -> None:
    with pytest.raises(ExpressionError):
        validate(parse_expression(text), known_cells=KNOWN, variables={"col"})


def test_validate_accepts_a_variable_that_could_name_a_column() -> None:
    # Only the rule engine knows the values of $col; "amount" would make this a real cell.
    validate(parse_expression("t2.fees.$col"), known_cells=KNOWN, variables={"col"})


def test_unknown_table_is_rejected() -> None:
    with pytest.raises(ExpressionError):
        parse_expression("t5.new.total")


def test_validate_lets_a_dollar_variable_span_segments() -> None:
    validate(parse_expression("t3.$row.total"), known_cells=KNOWN, variables={"row"})
    with pytest.raises(ExpressionError):
        validate(parse_expression("t3.$row.bogus"), known_cells=KNOWN, variables={"row"})


def test_validate_rejects_unknown_loop_variables() -> None:
    with pytest.raises(ExpressionError, match=r"\$col"):
        validate(parse_expression("t3.new.$col"), known_cells=KNOWN, variables={"year"})


def test_validate_rejects_unknown_functions_with_a_hint() -> None:
    with pytest.raises(ExpressionError) as info:
        validate(parse_expression("2 * smu(1)"), known_cells=KNOWN, variables=set())
    assert info.value.column == 5
    assert "smu" in info.value.text.en
    assert "sum()" in info.value.text.en  # did-you-mean


def test_validate_accepts_registered_extra_functions() -> None:
    expr = parse_expression("len(section_text(5)) > 0")
    with pytest.raises(ExpressionError):
        validate(expr, known_cells=KNOWN, variables=set())
    validate(expr, known_cells=KNOWN, variables=set(), functions={"section_text"})


def test_validate_rejects_unknown_variables() -> None:
    with pytest.raises(ExpressionError, match="yaer"):
        validate(parse_expression("yaer >= 2021"), known_cells=KNOWN, variables={"year"})


def test_unknown_variable_at_evaluation() -> None:
    with pytest.raises(ExpressionError):
        run("nope + 1")


# --- syntax errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("1 + * 2", 5),
        ("t3.new.total ==", 16),
        ("(1 + 2", 7),
        ("a ? b", 3),
        ("sum(t3.denied.*.$col", 21),
        ("t3..total", 4),
        ("1 2", 3),
        ("'unterminated", 1),
    ],
)
def test_syntax_errors_have_a_column_and_plain_words(text: str, column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    err = info.value
    assert err.column == column
    assert err.text.zh
    # Lark's terminal names must not leak into messages meant for rule authors.
    for internal in ("NAME", "NUMBER", "LPAR", "RPAR", "$END", "__ANON", "VARSEG", "Token("):
        assert internal not in err.text.en
        assert internal not in err.text.zh


def test_syntax_error_names_what_was_expected() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("t3.new.")
    assert "a name" in info.value.text.en
    assert "$col" in info.value.text.en
    # At the top level a closing bracket is never acceptable, so it must not be suggested.
    with pytest.raises(ExpressionError) as info:
        parse_expression("1 2")
    assert info.value.text.en.endswith("expected an operator or the end of the expression")
    with pytest.raises(ExpressionError) as info:
        parse_expression("f(1 2)")
    assert "')'" in info.value.text.en
    assert "end of the expression" not in info.value.text.en


def test_unterminated_string_is_named() -> None:
    with pytest.raises(ExpressionError, match="not closed") as info:
        parse_expression("format == '2021")
    assert info.value.column == 11


def test_empty_expression_is_an_error() -> None:
    with pytest.raises(ExpressionError):
        parse_expression("   ")


def test_table_prefix_is_required_for_dotted_paths() -> None:
    with pytest.raises(ExpressionError, match=r"t2\., t3\. or t4\."):
        parse_expression("report.year")


def test_wildcards_only_inside_aggregates() -> None:
    for text in ["t3.denied.*.total > 0", "abs(t3.denied.*.total)", "sum(t3.denied.*.total * 2)"]:
        with pytest.raises(ExpressionError, match="wildcard"):
            parse_expression(text)
    parse_expression("sum(t3.denied.*.total) > 0")


# --- safety -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('x')",
        "().__class__",
        "t3.new.__class__",
        "t3.new.total.__class__",
        "''.__class__.__mro__",
        "year.__class__",
        "[].__len__()",
        "t3.new._private",
        "lambda: 1",
        "x if y else z",
        "a[0]",
        "open('/etc/passwd')",
        "eval('1')",
        "exec('import os')",
        "getattr(year, 'real')",
    ],
)
def test_python_constructs_never_run(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("Python eval/exec/open reached")

    ctx = make_ctx(year=2021)
    parse_expression("1")  # build the cached parser before the trap is set: Lark may import lazily
    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "open", forbidden)
    with pytest.raises(ExpressionError):
        expr = parse_expression(text)
        validate(expr, known_cells=KNOWN, variables={"year"})
    # Those that parse must fail at evaluation too (an engine that skipped validate()).
    try:
        expr = parse_expression(text)
    except ExpressionError:
        return
    with pytest.raises(ExpressionError):
        evaluate(expr, ctx)


def test_length_limit() -> None:
    ok_text = "1" + " + 1" * ((MAX_EXPRESSION_LENGTH - 1) // 4)
    assert len(ok_text) <= MAX_EXPRESSION_LENGTH
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(ok_text + " + 1")


def test_depth_limit() -> None:
    parse_expression("-" * (MAX_DEPTH - 1) + "1")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("-" * MAX_DEPTH + "1")
    # Far beyond Python's recursion limit if anything walked it recursively.
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("not " * 499 + "x")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("[" * 999 + "]" * 999)


def test_redundant_parentheses_do_not_count_as_depth() -> None:
    assert run("(" * 900 + "1" + ")" * 900) == 1


def test_long_left_assoc_chain_is_depth_limited() -> None:
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression(" + ".join(["1"] * 60))


# --- explain_terms ----------------------------------------------------------------------------------


def test_explain_terms_of_a_comparison() -> None:
    values = consistent_table3()
    expr = parse_expression("t3.new.total + t3.carried_over.total == t3.total.total + 1")
    left, right = explain_terms(expr, make_ctx(values)) or (None, None)
    assert left == values["t3.new.total"] + values["t3.carried_over.total"]  # type: ignore[operator]
    assert right == values["t3.total.total"] + 1  # type: ignore[operator]


def test_explain_terms_is_none_for_other_expressions() -> None:
    assert explain_terms(parse_expression("true and 1 == 1"), make_ctx()) is None
    assert explain_terms(parse_expression("ok(t3.new.total)"), make_ctx()) is None


# --- resources --------------------------------------------------------------------------------------


def test_grammar_path_finds_the_source_checkout_grammar() -> None:
    path = resources.grammar_path("expr.lark")
    assert path.is_file()
    assert path.parent.name == "grammars"


def test_grammar_path_prefers_the_installed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "grammars").mkdir()
    (tmp_path / "grammars" / "expr.lark").write_text("// installed", encoding="utf-8")
    (tmp_path / "rules").mkdir()
    monkeypatch.setattr(resources, "_INSTALLED_DATA", tmp_path)
    assert resources.grammar_path("expr.lark") == tmp_path / "grammars" / "expr.lark"
    assert resources.rules_dir() == tmp_path / "rules"


def test_grammar_path_rejects_paths_and_missing_files() -> None:
    for bad in ["../pyproject.toml", "sub/expr.lark", "", ".."]:
        with pytest.raises(ValueError):
            resources.grammar_path(bad)
    with pytest.raises(FileNotFoundError):
        resources.grammar_path("no-such-grammar.lark")
