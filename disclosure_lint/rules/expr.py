"""The condition language of rule files: parsing, static validation and evaluation (the public names).

Rule files are data that anyone may edit, so their conditions are never handed to Python: the text is
parsed with our own LALR grammar (``grammars/expr.lark``) into the small immutable AST below, and the
evaluator interprets that AST over plain values (``None``, ``bool``, ``int``, ``float``, ``str`` and
lists of them). No attribute access, no Python names, no ``eval``.

Cell references name public cell ids (``t3.denied.state_secret.natural_person``). A reference that
touches a cell whose status is not ``"ok"`` raises :class:`NotApplicable`: the rule engine skips the
check, because blank or placeholder cells are reported once by their own rule and must not cascade
into arithmetic findings.
"""

from __future__ import annotations

# The language is split by concern (vocabulary, parsing and validation, cell references, values,
# compiled evaluation in compiled.py); this module is its public face.
from .exprcells import references, uses_previous
from .exprparse import parse_expression, validate
from .exprtree import (
    AGGREGATES,
    BUILTINS,
    CELL_STATUSES,
    MAX_DEPTH,
    MAX_EXPRESSION_LENGTH,
    MAX_REGEX_LENGTH,
    PREVIOUS,
    TABLE_PREFIXES,
    WILDCARD,
    Binary,
    Call,
    CellRef,
    Compare,
    Const,
    Expr,
    ExpressionError,
    ListExpr,
    Logical,
    Name,
    NotApplicable,
    Unary,
    children,
    walk,
)
from .exprvalues import EvalContext, SimpleContext, Value

__all__ = [
    "AGGREGATES",
    "BUILTINS",
    "CELL_STATUSES",
    "MAX_DEPTH",
    "MAX_EXPRESSION_LENGTH",
    "MAX_REGEX_LENGTH",
    "PREVIOUS",
    "TABLE_PREFIXES",
    "WILDCARD",
    "Binary",
    "Call",
    "CellRef",
    "Compare",
    "Const",
    "EvalContext",
    "Expr",
    "ExpressionError",
    "ListExpr",
    "Logical",
    "Name",
    "NotApplicable",
    "SimpleContext",
    "Unary",
    "Value",
    "children",
    "evaluate",
    "explain_terms",
    "parse_expression",
    "references",
    "uses_previous",
    "validate",
    "walk",
]


def evaluate(expr: Expr, ctx: EvalContext) -> object:
    """Evaluate ``expr``; raises :class:`NotApplicable` or :class:`ExpressionError`.

    For one evaluation; the engine compiles each rule once per rule set instead (see compiled.py).
    """
    from .compiled import compile_expression

    return compile_expression(expr, ctx.variables, ctx.known_cells).evaluate(ctx)


def explain_terms(expr: Expr, ctx: EvalContext) -> tuple[object, object] | None:
    """For a top-level comparison ``L op R``, the evaluated ``(L, R)`` ("expected R, actual L")."""
    if not isinstance(expr, Compare):
        return None
    from .compiled import compile_expression

    return compile_expression(expr, ctx.variables, ctx.known_cells).explain(ctx)
