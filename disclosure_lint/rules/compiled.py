"""Rule expressions compiled once per rule set: closures over resolved cell ids.

A rule's loop values and the ids a rule may name are constants of the rule set, so every cell
reference, wildcard and ``$var`` segment is resolved here, once, and evaluating an expression against
a report is a walk over plain closures that look cells up by id. The result of every evaluation is the
same as interpreting the AST would give (``evaluate`` in :mod:`expr` is this compiler applied to the
context's own variables): an error that resolving a reference raises is kept and raised only when that
reference is evaluated, so short-circuits (``ok(x) and x > 0``) behave as before.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field

from ..bilingual import Text
from ..records import record
from .exprcells import _expand, references
from .exprtree import (
    BUILTINS,
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
    _check_arity,
    _unknown_name,
)
from .exprvalues import (
    _SCALAR_FUNCTIONS,
    EvalContext,
    Value,
    _checked_value,
    _comparable_for_equality,
    _flatten,
    _is_number,
    _status_text,
    _string_bindings,
    _type_error,
    _values_equal,
)

Closure = Callable[[EvalContext], Value]


@record
class Compiled:
    """One expression under one set of loop bindings."""

    expr: Expr
    bindings: Mapping[str, object]
    known: tuple[str, ...]
    evaluate: Closure
    # For a top-level comparison ``L op R``: L and R, for "expected R, actual L".
    sides: tuple[Closure, Closure] | None
    # For ``L == R`` whose sides only add and subtract cells fixed by the bindings: those cells, to check a
    # report whose cells are all plain whole numbers without the general evaluator (see WholeNumberSum).
    whole_numbers: WholeNumberSum | None = None
    _references: list[str] | ExpressionError | None = field(default=None, repr=False)

    def references(self) -> list[str]:
        """The cell ids the expression touches (as :func:`expr.references`), resolved on first use."""
        if self._references is None:
            try:
                self._references = references(self.expr, self.bindings, self.known)  # type: ignore[arg-type]
            except ExpressionError as exc:
                self._references = exc
        if isinstance(self._references, ExpressionError):
            raise self._references
        return self._references

    def explain(self, ctx: EvalContext) -> tuple[Value, Value] | None:
        """As :func:`expr.explain_terms`: the evaluated sides of a top-level comparison."""
        if self.sides is None:
            return None
        left, right = self.sides
        return left(ctx), right(ctx)


def compile_expression(expr: Expr, bindings: Mapping[str, object], known: Sequence[str]) -> Compiled:
    """Compile ``expr`` for contexts whose loop bindings are ``bindings`` and whose known cells are ``known``."""
    known_tuple = known if isinstance(known, tuple) else tuple(known)
    compiler = _Compiler(bindings, known_tuple)
    if isinstance(expr, Compare):
        # The sides are compiled once and shared by the comparison and by ``explain``.
        sides = (compiler.node(expr.left), compiler.node(expr.right))
        return Compiled(expr, bindings, known_tuple, compiler.compare(expr, sides), sides, compiler.whole_numbers(expr))
    return Compiled(expr, bindings, known_tuple, compiler.node(expr), None)


@record(frozen=True)
class WholeNumberSum:
    """``L == R`` where L and R only add and subtract cells: the cells added on either side, once per term.

    When every one of them is ``ok`` with a whole-number value, the evaluator can raise nothing (no cell
    blocks it, ints neither overflow nor mix with other kinds) and compares ``sum(left) == sum(right)``
    exactly, which is what :meth:`balances` computes; any other report is left to the evaluator."""

    left: tuple[str, ...]
    right: tuple[str, ...]

    def balances(self, whole_numbers: Mapping[str, int]) -> bool:
        """True when every cell is in ``whole_numbers`` (id → value of an ok cell holding an int) and the
        sides are equal; False means "not known here": ask the evaluator."""
        value = whole_numbers.__getitem__
        try:
            return sum(map(value, self.left)) == sum(map(value, self.right))
        except KeyError:
            return False


def _raising(error: Exception) -> Closure:
    def fail(ctx: EvalContext) -> Value:
        raise error

    return fail


def _cell_status(ctx: EvalContext, cell: str) -> str:
    return _status_text(ctx.cell_status(cell))


def _cell_number(ctx: EvalContext, cell: str) -> int | float:
    if _status_text(ctx.cell_status(cell)) != "ok":
        raise NotApplicable([cell])
    value = ctx.cell_value(cell)
    if value is None:
        raise NotApplicable([cell])
    return value


def _truth(value: Value, op: str, column: int) -> bool:
    if isinstance(value, bool):
        return value
    raise _type_error(Text(f"“{op}”需要 true 或 false", f"'{op}' needs true or false"), [value], column)


class _Compiler:
    def __init__(self, bindings: Mapping[str, object], known: tuple[str, ...]) -> None:
        self.bindings = bindings
        self.known = known
        # static_cell's answers: the sum test (whole_numbers) asks again about every cell the closures resolved.
        self._static_cells: dict[CellRef, str | None] = {}

    # -- cells --

    def cells(self, ref: CellRef) -> Callable[[EvalContext], list[str]]:
        """The ids ``ref`` names: resolved now when the bindings fix its loop variables."""
        if all(var in self.bindings for var in ref.loop_variables):
            try:
                resolved = tuple(_expand(ref, self.bindings, self.known))
            except ExpressionError as exc:
                error = exc

                def fail(ctx: EvalContext) -> list[str]:
                    raise error

                return fail
            return lambda ctx: list(resolved)
        known = self.known
        # A loop variable the rule does not bind (a context variable used as a segment): resolve per call.
        return lambda ctx: _expand(ref, ctx.variables, known)

    def static_cell(self, ref: CellRef) -> str | None:
        """The one id ``ref`` names when the bindings fix it and it is known; None otherwise."""
        if ref not in self._static_cells:
            self._static_cells[ref] = self._resolve_static_cell(ref)
        return self._static_cells[ref]

    def _resolve_static_cell(self, ref: CellRef) -> str | None:
        if ref.has_wildcard or not all(var in self.bindings for var in ref.loop_variables):
            return None
        try:
            (cell,) = _expand(ref, self.bindings, self.known)
        except ExpressionError:
            return None
        return cell

    def single_cell(self, ref: CellRef) -> Callable[[EvalContext], str]:
        cells = self.cells(ref)

        def one(ctx: EvalContext) -> str:
            (cell,) = cells(ctx)
            return cell

        return one

    # -- plain sums --

    def whole_numbers(self, expr: Compare) -> WholeNumberSum | None:
        """``expr`` as a :class:`WholeNumberSum`, when it is an exact ``==`` of sums of resolved cells."""
        if expr.op != "==" or expr.tolerance is not None:
            return None
        left_terms = self.terms(expr.left)
        right_terms = self.terms(expr.right)
        if left_terms is None or right_terms is None:
            return None
        # L⁺ - L⁻ == R⁺ - R⁻ is L⁺ + R⁻ == R⁺ + L⁻: both sides become plain sums of cells.
        (left_added, left_taken), (right_added, right_taken) = left_terms, right_terms
        return WholeNumberSum(left_added + right_taken, right_added + left_taken)

    def terms(self, expr: Expr) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The cells ``expr`` adds and those it subtracts, when it is made only of cells fixed by the
        bindings, ``+``, ``-`` and ``sum()`` of such cells; None for anything else."""
        match expr:
            case CellRef():
                cell = self.static_cell(expr)
                return None if cell is None else ((cell,), ())
            case Binary(op="+" | "-" as op, left=left, right=right):
                left_terms, right_terms = self.terms(left), self.terms(right)
                if left_terms is None or right_terms is None:
                    return None
                if op == "-":
                    right_terms = (right_terms[1], right_terms[0])
                return (left_terms[0] + right_terms[0], left_terms[1] + right_terms[1])
            case Call(name="sum", args=args) if args and all(isinstance(arg, CellRef) for arg in args):
                added: list[str] = []
                for arg in args:
                    assert isinstance(arg, CellRef)
                    if not all(var in self.bindings for var in arg.loop_variables):
                        return None
                    try:
                        added.extend(_expand(arg, self.bindings, self.known))
                    except ExpressionError:
                        return None
                return (tuple(added), ())
        return None

    # -- nodes --

    def node(self, expr: Expr) -> Closure:
        match expr:
            case Const(value=value):
                return lambda ctx: value
            case ListExpr(items=items):
                item_fns = [self.node(item) for item in items]
                return lambda ctx: [fn(ctx) for fn in item_fns]
            case Name():
                return self.name(expr)
            case CellRef():
                return self.cell_ref(expr)
            case Unary():
                return self.unary(expr)
            case Binary():
                return self.binary(expr)
            case Logical():
                return self.logical(expr)
            case Compare():
                return self.compare(expr)
            case Call():
                return self.call(expr)
        return _raising(ExpressionError(Text("不是表达式节点", f"not an expression node: {expr!r}"), 1))

    def name(self, expr: Name) -> Closure:
        name, column = expr.name, expr.column
        if name in self.bindings and not isinstance(self.bindings[name], (list, tuple)):
            try:
                value = _checked_value(self.bindings[name], name, column)
            except ExpressionError as exc:
                return _raising(exc)
            return lambda ctx: value

        def lookup(ctx: EvalContext) -> Value:
            variables = ctx.variables
            if name not in variables:
                raise _unknown_name(Text("变量", "variable"), name, variables, column, "")
            return _checked_value(variables[name], name, column)

        return lookup

    def cell_ref(self, expr: CellRef) -> Closure:
        if expr.has_wildcard:
            return _raising(
                ExpressionError(
                    Text(
                        f"“{expr.text}”中的通配符 * 只能用在汇总函数内",
                        f"the wildcard in '{expr.text}' is only allowed inside an aggregate function",
                    ),
                    expr.column,
                )
            )
        cell = self.static_cell(expr)
        if cell is not None:
            return lambda ctx: _cell_number(ctx, cell)
        cell_of = self.single_cell(expr)
        return lambda ctx: _cell_number(ctx, cell_of(ctx))

    def unary(self, expr: Unary) -> Closure:
        operand = self.node(expr.operand)
        column = expr.column
        if expr.op == "not":
            return lambda ctx: not _truth(operand(ctx), "not", column)

        def negate(ctx: EvalContext) -> Value:
            value = operand(ctx)
            if not _is_number(value):
                raise _type_error(Text("“-”需要数字", "'-' needs a number"), [value], column)
            return -value  # type: ignore[operator]

        return negate

    def logical(self, expr: Logical) -> Closure:
        left, right = self.node(expr.left), self.node(expr.right)
        op, column = expr.op, expr.column
        # Short-circuit, so that "ok(x) and x > 0" never touches a cell that is not ok.
        if op == "and":
            return lambda ctx: _truth(right(ctx), op, column) if _truth(left(ctx), op, column) else False
        return lambda ctx: True if _truth(left(ctx), op, column) else _truth(right(ctx), op, column)

    def binary(self, expr: Binary) -> Closure:
        left_fn, right_fn = self.node(expr.left), self.node(expr.right)
        op, column, known = expr.op, expr.column, self.known

        def apply(ctx: EvalContext) -> Value:
            left = left_fn(ctx)
            right = right_fn(ctx)
            if op == "+" and isinstance(left, str) and isinstance(right, str):
                return left + right
            if not (_is_number(left) and _is_number(right)):
                raise _type_error(Text(f"“{op}”两边都必须是数字", f"'{op}' needs two numbers"), [left, right], column)
            a: int | float = left  # type: ignore[assignment]
            b: int | float = right  # type: ignore[assignment]
            try:
                if op == "+":
                    return a + b
                if op == "-":
                    return a - b
                if op == "*":
                    return a * b
                if b == 0:
                    raise NotApplicable(references(expr.right, _string_bindings(ctx), known), "division by zero")
                return a / b
            except OverflowError:
                raise ExpressionError(Text("数值过大", "number too large"), column) from None

        return apply

    def compare(self, expr: Compare, sides: tuple[Closure, Closure] | None = None) -> Closure:
        left_fn, right_fn = sides if sides is not None else (self.node(expr.left), self.node(expr.right))
        tolerance_fn = self.node(expr.tolerance) if expr.tolerance is not None else None
        op, column = expr.op, expr.column
        tolerance_column = (expr.tolerance.column or column) if expr.tolerance is not None else column

        def approximately_equal(ctx: EvalContext, left: Value, right: Value) -> bool:
            assert tolerance_fn is not None
            tolerance = tolerance_fn(ctx)
            if not (_is_number(left) and _is_number(right)):
                raise _type_error(
                    Text("“within”只能比较两个数字", "'within' compares two numbers"), [left, right], column
                )
            if not _is_number(tolerance) or tolerance < 0:  # type: ignore[operator]
                raise ExpressionError(
                    Text(
                        "“within”后的容差必须是不小于 0 的数字",
                        "the tolerance after 'within' must be a number of at least 0",
                    ),
                    tolerance_column,
                )
            diff = abs(left - right)  # type: ignore[operator]
            # The same float slack as plain ==, so "within 0.01" accepts a difference of exactly 0.01.
            return diff <= tolerance or math.isclose(diff, tolerance, rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[operator,arg-type]

        def membership(ctx: EvalContext) -> Value:
            left, right = left_fn(ctx), right_fn(ctx)
            if isinstance(right, list):
                found = any(_values_equal(left, item) for item in right)
            elif isinstance(right, str) and isinstance(left, str):
                found = left in right
            else:
                raise _type_error(
                    Text(f"“{op}”右边须为列表，或两边都是字符串", f"'{op}' needs a list, or a string on both sides"),
                    [left, right],
                    column,
                )
            return found if op == "in" else not found

        def equality(ctx: EvalContext) -> Value:
            left, right = left_fn(ctx), right_fn(ctx)
            if tolerance_fn is not None:
                equal = approximately_equal(ctx, left, right)
            elif _comparable_for_equality(left, right):
                equal = _values_equal(left, right)
            else:
                raise _type_error(
                    Text(f"“{op}”只能比较同类的值", f"'{op}' compares values of the same kind"), [left, right], column
                )
            return equal if op == "==" else not equal

        def ordering(ctx: EvalContext) -> Value:
            left, right = left_fn(ctx), right_fn(ctx)
            if not ((_is_number(left) and _is_number(right)) or (isinstance(left, str) and isinstance(right, str))):
                raise _type_error(
                    Text(f"“{op}”两边须同为数字或同为字符串", f"'{op}' needs two numbers or two strings"),
                    [left, right],
                    column,
                )
            a, b = left, right
            if op == "<":
                return a < b  # type: ignore[operator]
            if op == "<=":
                return a <= b  # type: ignore[operator]
            if op == ">":
                return a > b  # type: ignore[operator]
            return a >= b  # type: ignore[operator]

        if op in ("in", "not in"):
            return membership
        if op in ("==", "!="):
            return equality
        return ordering

    # -- functions --

    def call(self, expr: Call) -> Closure:
        name, column = expr.name, expr.column
        sig = BUILTINS.get(name)
        if sig is None:
            return self.extra_function(expr)
        try:
            _check_arity(expr, sig)
        except ExpressionError as exc:
            return _raising(exc)
        if sig.kind == "cell":
            (ref,) = expr.args
            assert isinstance(ref, CellRef)
            cell_of = self.single_cell(ref)
            if name == "status":
                return lambda ctx: _cell_status(ctx, cell_of(ctx))
            if name == "present":
                return lambda ctx: _cell_status(ctx, cell_of(ctx)) != "missing"
            return lambda ctx: _cell_status(ctx, cell_of(ctx)) == "ok"
        if sig.kind == "cells":
            ref_cells = [self.cells(arg) for arg in expr.args if isinstance(arg, CellRef)]

            def unique_cells(ctx: EvalContext) -> list[str]:
                return list(dict.fromkeys(c for cells in ref_cells for c in cells(ctx)))

            if name == "count":
                return lambda ctx: len(unique_cells(ctx))
            return lambda ctx: all(_cell_status(ctx, c) == "ok" for c in unique_cells(ctx))
        if sig.kind == "aggregate":
            return self.aggregate(expr)
        arg_fns = [self.node(arg) for arg in expr.args]
        function = _SCALAR_FUNCTIONS[name]

        def scalar(ctx: EvalContext) -> Value:
            args = [fn(ctx) for fn in arg_fns]
            try:
                return function(args, column)
            except (OverflowError, ValueError):  # (round() raises ValueError for what decimal cannot do)
                raise ExpressionError(
                    Text(f"{name}() 无法处理该值", f"{name}() cannot handle this value"), column
                ) from None

        return scalar

    def extra_function(self, expr: Call) -> Closure:
        name, column = expr.name, expr.column
        arg_fns = [self.node(arg) for arg in expr.args]

        def call_extra(ctx: EvalContext) -> Value:
            fn = ctx.functions.get(name) if ctx.functions else None
            if fn is None:
                raise _unknown_name(
                    Text("函数", "function"), name, set(BUILTINS) | set(ctx.functions or ()), column, "()"
                )
            return _checked_value(fn(*[arg(ctx) for arg in arg_fns]), name, column)

        return call_extra

    def aggregate(self, expr: Call) -> Closure:
        name, column = expr.name, expr.column
        # Each argument is either the cells of a reference or a value to flatten, in argument order.
        parts: list[tuple[Callable[[EvalContext], list[str]] | None, Closure | None]] = [
            (self.cells(arg), None) if isinstance(arg, CellRef) else (None, self.node(arg)) for arg in expr.args
        ]

        def values_of(ctx: EvalContext) -> list[Value]:
            values: list[Value] = []
            blocked: list[str] = []
            for cells, value_fn in parts:
                if cells is not None:
                    for cell in cells(ctx):
                        value = ctx.cell_value(cell) if _cell_status(ctx, cell) == "ok" else None
                        if value is None:
                            blocked.append(cell)
                        else:
                            values.append(value)
                else:
                    assert value_fn is not None
                    values.extend(_flatten(value_fn(ctx)))
            if blocked:
                # Collect every blocked cell first, so the engine can say which ones stopped the check.
                raise NotApplicable(blocked)
            return values

        def aggregate(ctx: EvalContext) -> Value:
            values = values_of(ctx)
            for v in values:
                if not _is_number(v):
                    raise _type_error(Text(f"{name}() 只能汇总数字", f"{name}() adds up numbers"), [v], column)
            numbers: list[int | float] = values  # type: ignore[assignment]
            if name == "sum":
                if any(isinstance(v, float) for v in numbers):
                    return math.fsum(numbers)
                return sum(numbers, 0)
            if not numbers:
                raise ExpressionError(Text(f"{name}() 没有可比较的值", f"{name}() of no values"), column)
            return min(numbers) if name == "min" else max(numbers)

        return aggregate


class Case:
    """A rule's assertion under one combination of its loop values, compiled when first asked for.

    ``whole_numbers`` is the plain sum the engine tries first (see WholeNumberSum): for the built-in rules it
    comes pre-built (prebuilt.py), and a report whose sums all balance then never compiles the assertion,
    which was most of a single-file check's first ``run_rules``."""

    __slots__ = ("_assertion", "_compile", "bindings", "equation", "whole_numbers")

    def __init__(
        self,
        bindings: dict[str, object],
        assertion: Compiled | Callable[[], Compiled],
        whole_numbers: WholeNumberSum | None = None,
    ) -> None:
        self.bindings = bindings
        # Built by the engine on the first finding of this case (see engine._equation_template).
        self.equation: object = None
        if isinstance(assertion, Compiled):
            self._assertion: Compiled | None = assertion
            self._compile: Callable[[], Compiled] | None = None
            self.whole_numbers = assertion.whole_numbers
        else:
            self._assertion, self._compile, self.whole_numbers = None, assertion, whole_numbers

    @property
    def assertion(self) -> Compiled:
        if self._assertion is None:
            assert self._compile is not None
            self._assertion, self._compile = self._compile(), None
        return self._assertion


class PlainSums:
    """Every case of a rule that is a plain sum (``Case.whole_numbers``), tried together: the cells of all
    of them read by one ``itemgetter`` and the sides' sums compared as two lists, instead of one
    :meth:`WholeNumberSum.balances` call and one step of the engine's loop per case (42 cases a report).

    :meth:`balance` is True exactly when every case's ``balances`` would be True: the same cells are added up
    (the slices of ``_cells`` are the cases' sides, in order) and whole numbers add up exactly."""

    __slots__ = ("_cells", "_left", "_right", "outcomes")

    def __init__(
        self, sums: Sequence[WholeNumberSum], outcomes: dict[tuple[str, int], bool], known: Sequence[str] = ()
    ) -> None:
        ids: list[str] = []
        left: list[slice] = []
        right: list[slice] = []
        for plain in sums:
            left.append(slice(len(ids), len(ids) + len(plain.left)))
            ids.extend(plain.left)
            right.append(slice(len(ids), len(ids) + len(plain.right)))
            ids.extend(plain.right)
        # Each id as the very string of ``known`` (the format's ids, which key the census's dict), not an equal
        # one: a lookup then matches by identity without reading the other string, which is out of the CPU's
        # caches by the time the next report's rules run.
        same = {cid: cid for cid in known}
        self._cells = operator.itemgetter(*(same.get(cid, cid) for cid in ids))
        self._left, self._right = tuple(left), tuple(right)
        self.outcomes = outcomes  # what the engine records when every case balances: each (code, index) held

    @classmethod
    def of(cls, code: str, cases: Sequence[Case], known: Sequence[str] = ()) -> PlainSums | None:
        """The plain sums of ``cases`` when every case has one (and they read two cells or more between them)."""
        sums = [case.whole_numbers for case in cases]
        if not sums or any(plain is None for plain in sums):
            return None
        if sum(len(plain.left) + len(plain.right) for plain in sums) < 2:  # type: ignore[union-attr]
            return None  # (an itemgetter of one id gives the value, not a tuple)
        return cls(sums, {(code, index): True for index in range(len(sums))}, known)  # type: ignore[arg-type]

    def balance(self, whole_numbers: Mapping[str, int]) -> bool:
        """True when every case balances (see WholeNumberSum.balances); False means "ask case by case"."""
        try:
            values = self._cells(whole_numbers)
        except KeyError:
            return False
        side = values.__getitem__
        return list(map(sum, map(side, self._left))) == list(map(sum, map(side, self._right)))


@record
class CompiledRule:
    """A rule's ``when:`` and its assertion for every loop binding, compiled once per rule set."""

    rule: object  # loader.Rule: the object these closures were built from
    when: Compiled | None
    cases: tuple[Case, ...]
    # Every case at once when each is a plain sum (set by the engine, which knows the rule's code).
    plain: PlainSums | None = None


def compile_rule(
    when: Expr | None,
    assertion: Expr | None,
    for_each: Mapping[str, Sequence[str]],
    known: Sequence[str],
    rule: object,
    sums: Sequence[WholeNumberSum | None] | None = None,
) -> CompiledRule:
    """Compile a rule's condition (no bindings) and its assertion once per combination of loop values; with
    ``sums`` (each case's plain sum, pre-built), each assertion is compiled only when first evaluated."""
    names = list(for_each)
    combos = list(itertools.product(*(for_each[n] for n in names))) if names else [()]
    if sums is not None and len(sums) != len(combos):
        sums = None  # (made for other loop values: compiled as a rule without them)
    cases: list[Case] = []
    if assertion is not None:
        for index, combo in enumerate(combos):
            bindings: dict[str, object] = dict(zip(names, combo, strict=True))
            if sums is None:
                cases.append(Case(bindings, compile_expression(assertion, bindings, known)))
            else:
                later = functools.partial(compile_expression, assertion, bindings, known)
                cases.append(Case(bindings, later, sums[index]))
    compiled_when = compile_expression(when, {}, known) if when is not None else None
    return CompiledRule(rule, compiled_when, tuple(cases))
