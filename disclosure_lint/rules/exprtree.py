"""The rule-expression language's vocabulary: errors, the immutable AST and the built-in functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from typing import TypeAlias

from ..bilingual import Text
from ..records import record
from ..regexcode import compile_re

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 50
MAX_REGEX_LENGTH = 200
TABLE_PREFIXES = ("t2", "t3", "t4")
# ``prev.t3.carried_forward.total`` names a cell of the same body's report of the year before, and
# ``prev.year`` / ``prev.format`` that report's variables. A rule that uses any of them needs that report.
PREVIOUS = "prev"
CELL_STATUSES = ("ok", "blank", "placeholder", "missing", "invalid")

WILDCARD = "*"
_SEGMENT_RE = compile_re(r"[A-Za-z0-9_]+")


# --- errors -----------------------------------------------------------------------------------------


class ExpressionError(Exception):
    """A rule expression that is not valid: bad syntax, unknown name, type error, limit exceeded."""

    def __init__(self, text: Text, column: int = 1) -> None:
        super().__init__(text.en)
        self.text = text
        self.column = column

    def __str__(self) -> str:
        return f"{self.text.en} (column {self.column})"


class NotApplicable(Exception):
    """The check cannot be decided for this report: a cell it needs is not ``ok``, or a divisor is 0."""

    def __init__(self, cells: Iterable[str], reason: str = "cell not ok") -> None:
        self.cells: tuple[str, ...] = tuple(dict.fromkeys(cells))
        self.reason = reason
        super().__init__(f"{reason}: {', '.join(self.cells)}" if self.cells else reason)


# --- AST ----------------------------------------------------------------------------------------------
# ``column`` (1-based, in the expression text) takes no part in equality so that tests and caches can
# compare trees by meaning.


@record(frozen=True, slots=True)
class Const:
    value: bool | int | float | str | None
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class Name:
    name: str
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class CellRef:
    """``parts[0]`` is the table (``t2``/``t3``/``t4``); later parts are keys, ``$var`` or ``*``."""

    parts: tuple[str, ...]
    column: int = field(default=0, compare=False)

    @property
    def text(self) -> str:
        return ".".join(self.parts)

    @property
    def has_wildcard(self) -> bool:
        return WILDCARD in self.parts

    @property
    def loop_variables(self) -> tuple[str, ...]:
        return tuple(p[1:] for p in self.parts if p.startswith("$"))

    @property
    def previous(self) -> bool:
        return self.parts[0] == PREVIOUS


@record(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Expr
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class Binary:
    op: str  # + - * /
    left: Expr
    right: Expr
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class Logical:
    op: str  # "and" or "or"
    left: Expr
    right: Expr
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class Compare:
    op: str  # == != < <= > >= in "not in"
    left: Expr
    right: Expr
    tolerance: Expr | None = None
    column: int = field(default=0, compare=False)


@record(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    column: int = field(default=0, compare=False)


Expr: TypeAlias = "Const | ListExpr | Name | CellRef | Unary | Binary | Logical | Compare | Call"


def children(expr: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of ``expr``, left to right."""
    match expr:
        case ListExpr(items=items):
            return items
        case Unary(operand=operand):
            return (operand,)
        case Binary(left=left, right=right) | Logical(left=left, right=right):
            return (left, right)
        case Compare(left=left, right=right, tolerance=tolerance):
            return (left, right) if tolerance is None else (left, right, tolerance)
        case Call(args=args):
            return args
        case _:
            return ()


def walk(expr: Expr) -> Iterable[Expr]:
    """Every node of ``expr`` in source order (pre-order)."""
    yield expr
    for child in children(expr):
        yield from walk(child)


# --- built-in functions: arity and argument shape --------------------------------------------------


@record(frozen=True)
class _Signature:
    min_args: int
    max_args: int | None  # None: any number
    # "values": evaluated arguments; "aggregate": wildcard paths allowed and flattened;
    # "cells": only cell references (wildcards allowed); "cell": exactly one concrete cell reference.
    kind: str = "values"


BUILTINS: dict[str, _Signature] = {
    "sum": _Signature(1, None, "aggregate"),
    "min": _Signature(1, None, "aggregate"),
    "max": _Signature(1, None, "aggregate"),
    "count": _Signature(1, None, "cells"),
    "all_ok": _Signature(1, None, "cells"),
    "status": _Signature(1, 1, "cell"),
    "present": _Signature(1, 1, "cell"),
    "ok": _Signature(1, 1, "cell"),
    "abs": _Signature(1, 1),
    "round": _Signature(1, 2),
    "len": _Signature(1, 1),
    "contains": _Signature(2, 2),
    "matches": _Signature(2, 2),
    "int": _Signature(1, 1),
    "is_integer": _Signature(1, 1),
}
AGGREGATES = frozenset(name for name, sig in BUILTINS.items() if sig.kind in ("aggregate", "cells"))


def _check_arity(call: Call, sig: _Signature) -> None:
    n = len(call.args)
    if n >= sig.min_args and (sig.max_args is None or n <= sig.max_args):
        return
    if sig.max_args is None:
        want = Text(f"至少 {sig.min_args}", f"at least {sig.min_args}")
    elif sig.min_args == sig.max_args:
        want = Text.same(str(sig.min_args))
    else:
        want = Text(f"{sig.min_args} 至 {sig.max_args}", f"{sig.min_args} to {sig.max_args}")
    raise ExpressionError(
        Text(
            f"{call.name}() 的参数个数应为 {want.zh}，实际为 {n}", f"{call.name}() takes {want.en} argument(s), got {n}"
        ),
        call.column,
    )


def _unknown_name(kind: Text, name: str, known: Iterable[str], column: int, suffix: str) -> ExpressionError:
    from difflib import get_close_matches  # (only a mistyped name needs it: not imported at start-up)

    close = get_close_matches(name, sorted(known), n=1)
    hint = (
        Text(f"，是否应为“{close[0]}{suffix}”？", f"; did you mean '{close[0]}{suffix}'?") if close else Text.same("")
    )
    return ExpressionError(Text(f"未知{kind.zh}“{name}{suffix}”", f"unknown {kind.en} '{name}{suffix}'") + hint, column)
