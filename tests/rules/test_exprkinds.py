"""The kinds of values in rule expressions, checked when a rule file is loaded (``rules/exprkinds.py``)."""

from __future__ import annotations

import pytest

from disclosure_lint.rules.expr import ExpressionError, parse_expression
from disclosure_lint.rules.exprkinds import check_kinds

ACCEPTED = [
    'edition == "2021" and prev.edition != "unknown"',
    "year >= 2021",
    "t3.total.total + t3.carried_forward.total == t3.new.total + t3.carried_over.total",
    'status(t3.new.total) == "ok"',
    "sum(t3.denied.*.total) <= t3.total.total",
    '"a" + "b" == "ab"',
    "not ok(t3.new.total) or t3.new.total >= 0",
    # An extra function's value is not known before it runs: left to the evaluator.
    "section_text(1) + 1 >= 0",
]

REFUSED = [
    ("t3.new.total + 'a' >= 0", 14, "'+' needs two numbers, got a number and a string"),
    ("edition == 2021", 9, "'==' compares values of the same kind, got a string and a number"),
    ("year < '2021'", 6, "'<' needs two numbers or two strings, got a number and a string"),
    ("-'x' == 1", 1, "'-' needs a number, got a string"),
    ("true < false", 6, "'<' needs two numbers or two strings, got a boolean and a boolean"),
    ("t3.new.total * ok(t3.new.total) > 0", 14, "'*' needs two numbers, got a number and a boolean"),
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_what_the_evaluator_accepts_is_accepted(source: str) -> None:
    check_kinds(parse_expression(source))


@pytest.mark.parametrize(("source", "column", "english"), REFUSED)
def test_operands_that_can_never_fit_are_refused_at_the_innermost_operation(
    source: str, column: int, english: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_kinds(parse_expression(source))
    assert caught.value.text.en == english
    assert caught.value.column == column
    assert caught.value.text.zh.startswith("“")
