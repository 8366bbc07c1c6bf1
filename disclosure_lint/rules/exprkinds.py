"""The kind of value an expression gives, known before it runs: a rule that adds a string to a number is refused
when its file is loaded, with the file and line, instead of failing on every report it is run on.

Only what is certain is checked. A cell is a number (a cell that is not ``ok`` makes the check not applicable,
it never gives another kind), ``year`` is a number, the edition and input kind are strings, and each built-in
function gives one kind; loop variables, ``and``/``or`` and the engine's extra functions are left unknown, so
nothing the evaluator would accept is refused here.
"""

from __future__ import annotations

from ..bilingual import Text
from .exprtree import Binary, Call, CellRef, Compare, Const, Expr, ExpressionError, ListExpr, Name, Unary, children
from .exprvalues import KIND_NAMES, kinds_error

NUMBER, STRING, BOOL, LIST = "number", "string", "bool", "list"
_VARIABLE_KINDS = {"year": NUMBER, "edition": STRING, "input_kind": STRING, "format": STRING, "source_format": STRING}
_FUNCTION_KINDS = {
    "sum": NUMBER,
    "min": NUMBER,
    "max": NUMBER,
    "count": NUMBER,
    "abs": NUMBER,
    "round": NUMBER,
    "len": NUMBER,
    "int": NUMBER,
    "all_ok": BOOL,
    "present": BOOL,
    "ok": BOOL,
    "contains": BOOL,
    "matches": BOOL,
    "is_integer": BOOL,
    "status": STRING,
}


def kind_of(expr: Expr) -> str | None:
    """The kind of value ``expr`` certainly gives, or None when that depends on the report or a binding."""
    match expr:
        case Const(value=bool()):
            return BOOL
        case Const(value=int() | float()):
            return NUMBER
        case Const(value=str()):
            return STRING
        case ListExpr():
            return LIST
        case CellRef():
            return NUMBER
        case Name(name=name):
            return _VARIABLE_KINDS.get(name.removeprefix("prev."))
        case Unary(op="-"):
            return NUMBER
        case Unary(op="not") | Compare():
            return BOOL
        case Binary(op="+"):
            kinds = (kind_of(expr.left), kind_of(expr.right))
            return STRING if STRING in kinds else None if None in kinds else NUMBER
        case Binary():
            return NUMBER
        case Call(name=name):
            return _FUNCTION_KINDS.get(name)
    return None


def check_kinds(expr: Expr) -> None:
    """Raise :class:`ExpressionError` at the innermost operation whose operands can never be of the right kinds."""
    for node in _innermost_first(expr):
        match node:
            case Binary(op=op, left=left, right=right):
                kinds = (kind_of(left), kind_of(right))
                allowed = {NUMBER, STRING} if op == "+" else {NUMBER}
                mixed = op == "+" and set(kinds) == {NUMBER, STRING}
                if mixed or any(k is not None and k not in allowed for k in kinds):
                    what = Text(f"“{op}”两边都必须是数字", f"'{op}' needs two numbers")
                    raise _mismatch(what, kinds, node.column)
            case Unary(op="-", operand=operand) if kind_of(operand) not in (None, NUMBER):
                raise _mismatch(Text("“-”只能用于数字", "'-' needs a number"), (kind_of(operand),), node.column)
            case Compare(op=op, left=left, right=right) if op not in ("in", "not in"):
                kinds = (kind_of(left), kind_of(right))
                ordering = op not in ("==", "!=")
                if None in kinds or (kinds[0] == kinds[1] and not (ordering and kinds[0] in (BOOL, LIST))):
                    continue
                if not ordering:
                    what = Text(f"“{op}”只能比较同类的值", f"'{op}' compares values of the same kind")
                else:
                    what = Text(f"“{op}”两边须同为数字或同为字符串", f"'{op}' needs two numbers or two strings")
                raise _mismatch(what, kinds, node.column)


def _mismatch(what: Text, kinds: tuple[str | None, ...], column: int) -> ExpressionError:
    return kinds_error(what, [KIND_NAMES[k] for k in kinds], column)


def _innermost_first(expr: Expr) -> list[Expr]:
    # "a + 'x' >= 0": the fault is the "+", not the comparison of its (string) result with 0.
    order: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(children(node))))
    return order
