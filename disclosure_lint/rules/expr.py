"""The condition language of rule files: parsing, static validation and evaluation.

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

import difflib
import functools
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol, TypeAlias

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..resources import grammar_path

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 50
MAX_REGEX_LENGTH = 200
TABLE_PREFIXES = ("t2", "t3", "t4")
# ``prev.t3.carried_forward.total`` names a cell of the same body's report of the year before, and
# ``prev.year`` / ``prev.format`` that report's variables. A rule that uses any of them needs that report.
PREVIOUS = "prev"
CELL_STATUSES = ("ok", "blank", "placeholder", "missing", "invalid")

WILDCARD = "*"
_SEGMENT_RE = re.compile(r"[A-Za-z0-9_]+")


# --- errors -----------------------------------------------------------------------------------------


class ExpressionError(Exception):
    """A rule expression that is not valid: bad syntax, unknown name, type error, limit exceeded."""

    def __init__(self, message: str, message_zh: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (column {self.column})"


class NotApplicable(Exception):
    """The check cannot be decided for this report: a cell it needs is not ``ok``, or a divisor is 0."""

    def __init__(self, cells: Iterable[str], reason: str = "cell not ok") -> None:
        self.cells: tuple[str, ...] = tuple(dict.fromkeys(cells))
        self.reason = reason
        super().__init__(f"{reason}: {', '.join(self.cells)}" if self.cells else reason)


# --- AST ----------------------------------------------------------------------------------------------
# ``column`` (1-based, in the expression text) takes no part in equality so that tests and caches can
# compare trees by meaning.


@dataclass(frozen=True, slots=True)
class Const:
    value: bool | int | float | str | None
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Name:
    name: str
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "not"
    operand: Expr
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Binary:
    op: str  # + - * /
    left: Expr
    right: Expr
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Logical:
    op: str  # "and" or "or"
    left: Expr
    right: Expr
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # == != < <= > >= in "not in"
    left: Expr
    right: Expr
    tolerance: Expr | None = None
    column: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True)
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


# --- parsing ------------------------------------------------------------------------------------------


@functools.cache
def _parser() -> Lark:
    # Built on first use: importing the rules package should not pay for grammar compilation.
    return Lark(
        grammar_path("expr.lark").read_text(encoding="utf-8"),
        parser="lalr",
        maybe_placeholders=False,
    )


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}


def _unquote(token: str) -> str:
    body = token[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _ToAst(Transformer[Token, "Expr"]):
    """Lark tree -> AST. Only shapes; meaning is checked afterwards in :func:`_check_structure`."""

    def number(self, items: list[Token]) -> Const:
        (tok,) = items
        value: int | float = float(tok) if "." in tok else int(tok)
        return Const(value, tok.column or 0)

    def string(self, items: list[Token]) -> Const:
        (tok,) = items
        return Const(_unquote(str(tok)), tok.column or 0)

    def constant(self, items: list[Token]) -> Const:
        (tok,) = items
        value = {"TRUE": True, "FALSE": False, "NULL": None}[tok.type]
        return Const(value, tok.column or 0)

    def list(self, items: list[object]) -> ListExpr:
        bracket, *rest = items
        assert isinstance(bracket, Token)
        return ListExpr(tuple(rest), bracket.column or 0)  # type: ignore[arg-type]

    def call(self, items: list[object]) -> Call:
        name, *args = items
        assert isinstance(name, Token)
        return Call(str(name), tuple(args), name.column or 0)  # type: ignore[arg-type]

    def name(self, items: list[Token]) -> Name:
        (tok,) = items
        return Name(str(tok), tok.column or 0)

    def ref(self, items: list[Token]) -> CellRef | Name:
        parts = tuple(str(t) for t in items)
        if len(parts) == 2 and parts[0] == PREVIOUS and parts[1] not in TABLE_PREFIXES:
            # prev.year, prev.format: a variable of last year's report, not a cell.
            return Name(".".join(parts), items[0].column or 0)
        return CellRef(parts, items[0].column or 0)

    def unary(self, items: list[object]) -> Unary:
        op, operand = items
        assert isinstance(op, Token)
        return Unary(str(op), operand, op.column or 0)  # type: ignore[arg-type]

    def binary(self, items: list[object]) -> Binary:
        left, op, right = items
        assert isinstance(op, Token)
        return Binary(str(op), left, right, op.column or 0)  # type: ignore[arg-type]

    def logical(self, items: list[object]) -> Logical:
        left, op, right = items
        assert isinstance(op, Token)
        return Logical(str(op), left, right, op.column or 0)  # type: ignore[arg-type]

    def comp_op(self, items: list[Token]) -> Token:
        # "not in" arrives as two tokens; keep the first for its column.
        return Token("COMP_OP", " ".join(str(t) for t in items), column=items[0].column)

    def compare(self, items: list[object]) -> Compare:
        left, op, right, *rest = items
        assert isinstance(op, Token)
        tolerance = rest[1] if rest else None
        return Compare(str(op), left, right, tolerance, op.column or 0)  # type: ignore[arg-type]


# How a terminal is named in an error message: (English, Chinese).
_TERMINAL_WORDS: dict[str, tuple[str, str]] = {
    "NUMBER": ("a number", "数字"),
    "STRING": ("a string", "字符串"),
    "NAME": ("a name", "名称"),
    "VARSEG": ("a loop variable such as $col", "循环变量（如 $col）"),
    "STAR": ("'*'", "“*”"),
    "SLASH": ("'/'", "“/”"),
    "PLUS": ("'+'", "“+”"),
    "MINUS": ("'-'", "“-”"),
    "EQ": ("'=='", "“==”"),
    "NE": ("'!='", "“!=”"),
    "LT": ("'<'", "“<”"),
    "LE": ("'<='", "“<=”"),
    "GT": ("'>'", "“>”"),
    "GE": ("'>='", "“>=”"),
    "AND": ("'and'", "“and”"),
    "OR": ("'or'", "“or”"),
    "NOT": ("'not'", "“not”"),
    "IN": ("'in'", "“in”"),
    "WITHIN": ("'within'", "“within”"),
    "TRUE": ("'true'", "“true”"),
    "FALSE": ("'false'", "“false”"),
    "NULL": ("'null'", "“null”"),
    "_LPAR": ("'('", "“(”"),
    "_RPAR": ("')'", "“)”"),
    "LSQB": ("'['", "“[”"),
    "_RSQB": ("']'", "“]”"),
    "_COMMA": ("','", "“,”"),
    "_DOT": ("'.'", "“.”"),
    "$END": ("the end of the expression", "表达式结束"),
}
# Lark lists every terminal that may start an operand; one phrase reads better than nine.
_VALUE_STARTERS = frozenset({"NUMBER", "STRING", "NAME", "TRUE", "FALSE", "NULL", "_LPAR", "LSQB"})
_OPERATORS = frozenset(
    {"PLUS", "MINUS", "STAR", "SLASH", "EQ", "NE", "LT", "LE", "GT", "GE", "AND", "OR", "NOT", "IN", "WITHIN"}
)
_VALUE_WORDS = (
    "a value (number, string, name, cell reference, list or '(')",
    "一个值（数字、字符串、名称、单元格引用、列表或“(”）",
)
_OPERATOR_WORDS = ("an operator", "运算符")


def _expected_words(expected: Iterable[str]) -> tuple[str, str]:
    names = set(expected)
    phrases: list[tuple[str, str]] = []
    if "NUMBER" in names:
        phrases.append(_VALUE_WORDS)
        names -= _VALUE_STARTERS | {"MINUS", "NOT"}
    operators = names & _OPERATORS
    if len(operators) >= 3:
        phrases.append(_OPERATOR_WORDS)
        names -= operators
    order = list(_TERMINAL_WORDS)
    for name in sorted(names, key=lambda n: order.index(n) if n in order else len(order)):
        phrases.append(_TERMINAL_WORDS.get(name, (name.lower(), name.lower())))
    en = [p[0] for p in phrases]
    zh = [p[1] for p in phrases]
    if len(en) > 1:
        return ", ".join(en[:-1]) + " or " + en[-1], "、".join(zh[:-1]) + "或" + zh[-1]
    return (en[0], zh[0]) if en else ("something else", "其他内容")


def _describe_token(tok: Token) -> tuple[str, str]:
    if tok.type == "NAME":
        return f"name '{tok}'", f"名称“{tok}”"
    if tok.type == "NUMBER":
        return f"number {tok}", f"数字 {tok}"
    if tok.type == "STRING":
        return f"string {tok}", f"字符串 {tok}"
    if tok.type == "VARSEG":
        return f"loop variable '{tok}'", f"循环变量“{tok}”"
    return f"'{tok}'", f"“{tok}”"


def _acceptable(exc: UnexpectedInput, fallback: Iterable[str]) -> set[str]:
    # The contextual lexer reports the terminals of a merged LALR lexer state, which can list ")" at
    # the top level; the interactive parser knows what the parser state really accepts.
    accepts = getattr(exc, "accepts", None)
    if not accepts:
        interactive = getattr(exc, "interactive_parser", None)
        accepts = interactive.accepts() if interactive is not None else None
    return set(accepts or fallback)


def _syntax_error(exc: UnexpectedInput, text: str) -> ExpressionError:
    if isinstance(exc, UnexpectedCharacters):
        column = exc.column if exc.column and exc.column > 0 else 1
        char = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else ""
        if char in ("'", '"'):
            return ExpressionError(
                f"the string starting at column {column} is not closed with {char}",
                f"第 {column} 列开始的字符串缺少结束引号 {char}",
                column,
            )
        en_exp, zh_exp = _expected_words(_acceptable(exc, exc.allowed or ()))
        en = f"unexpected character '{char}' at column {column}; expected {en_exp}"
        zh = f"第 {column} 列出现无法识别的字符“{char}”，此处应为{zh_exp}"
        if char == "_":
            en += " (names may not start with '_')"
            zh += "（名称不能以“_”开头）"
        return ExpressionError(en, zh, column)
    if isinstance(exc, UnexpectedToken):
        en_exp, zh_exp = _expected_words(_acceptable(exc, exc.expected))
        if exc.token.type == "$END":
            column = len(text.rstrip()) + 1
            return ExpressionError(
                f"the expression ends too early; expected {en_exp}",
                f"表达式不完整，结尾处应为{zh_exp}",
                column,
            )
        column = exc.token.column or 1
        en_tok, zh_tok = _describe_token(exc.token)
        return ExpressionError(
            f"unexpected {en_tok} at column {column}; expected {en_exp}",
            f"第 {column} 列出现意外的{zh_tok}，此处应为{zh_exp}",
            column,
        )
    column = getattr(exc, "column", 1) or 1
    return ExpressionError(f"syntax error at column {column}", f"第 {column} 列有语法错误", column if column > 0 else 1)


def _leftmost_column(node: Tree[Token]) -> int:
    # A loop, not Tree.scan_values: the subtree under a too-deep node may be arbitrarily deep.
    current: Tree[Token] | Token = node
    while isinstance(current, Tree):
        if not current.children:
            return 1
        current = current.children[0]
    return current.column or 1


def _tree_too_deep(tree: Tree[Token]) -> int | None:
    """The column of the first node deeper than MAX_DEPTH, or None.

    Iterative on purpose: this runs before any recursive pass, so a hostile expression cannot reach
    Python's recursion limit. Every tree node becomes one AST node, so the depths agree.
    """
    stack: list[tuple[Tree[Token], int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return _leftmost_column(node)
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth + 1))
    return None


def _check_structure(expr: Expr, parent_call: Call | None = None) -> None:
    """Checks that need no context: table names, wildcard placement, built-in arity and arguments."""
    match expr:
        case CellRef(parts=parts):
            if parts[0] == PREVIOUS and len(parts) > 2:
                parts = parts[1:]
            if parts[0] not in TABLE_PREFIXES:
                raise ExpressionError(
                    f"'{expr.text}' is not a cell reference: cell references start with t2., t3. or t4.",
                    f"“{expr.text}”不是单元格引用：单元格引用须以 t2.、t3. 或 t4. 开头",
                    expr.column,
                )
            if expr.has_wildcard and (parent_call is None or parent_call.name not in AGGREGATES):
                raise ExpressionError(
                    f"the wildcard in '{expr.text}' is only allowed as an argument of "
                    + ", ".join(f"{n}()" for n in sorted(AGGREGATES)),
                    f"“{expr.text}”中的通配符 * 只能直接用作 "
                    + "、".join(f"{n}()" for n in sorted(AGGREGATES))
                    + " 的参数",
                    expr.column,
                )
            return
        case Call(name=name, args=args):
            sig = BUILTINS.get(name)
            if sig is not None:
                _check_arity(expr, sig)
                if sig.kind in ("cells", "cell"):
                    for arg in args:
                        if not isinstance(arg, CellRef):
                            raise ExpressionError(
                                f"{name}() takes cell references, not computed values",
                                f"{name}() 的参数必须是单元格引用，不能是计算出的值",
                                getattr(arg, "column", expr.column) or expr.column,
                            )
                        if sig.kind == "cell" and arg.has_wildcard:
                            raise ExpressionError(
                                f"{name}() takes a single cell; '{arg.text}' contains a wildcard",
                                f"{name}() 只接受单个单元格，“{arg.text}”含有通配符",
                                arg.column,
                            )
            for arg in args:
                _check_structure(arg, expr)
            return
        case Compare(op=op, tolerance=tolerance) if tolerance is not None and op not in ("==", "!="):
            raise ExpressionError(
                f"'within' only applies to '==' and '!=', not '{op}'",
                f"“within”只能用于“==”和“!=”，不能用于“{op}”",
                expr.column,
            )
    for child in children(expr):
        _check_structure(child, None)


def _check_arity(call: Call, sig: _Signature) -> None:
    n = len(call.args)
    if n >= sig.min_args and (sig.max_args is None or n <= sig.max_args):
        return
    if sig.max_args is None:
        want_en, want_zh = f"at least {sig.min_args}", f"至少 {sig.min_args}"
    elif sig.min_args == sig.max_args:
        want_en, want_zh = str(sig.min_args), str(sig.min_args)
    else:
        want_en, want_zh = f"{sig.min_args} to {sig.max_args}", f"{sig.min_args} 至 {sig.max_args}"
    raise ExpressionError(
        f"{call.name}() takes {want_en} argument(s), got {n}",
        f"{call.name}() 的参数个数应为 {want_zh}，实际为 {n}",
        call.column,
    )


def parse_expression(text: str) -> Expr:
    """Parse rule-expression ``text`` into an immutable AST; raises :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise ExpressionError("an expression must be text", "表达式必须是文本", 1)
    return _parse_cached(text)


@functools.lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Expr:
    # Cached because the AST is immutable and the same condition text recurs across rule files.
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"expression is too long ({len(text)} characters, at most {MAX_EXPRESSION_LENGTH})",
            f"表达式过长（{len(text)} 个字符，最多 {MAX_EXPRESSION_LENGTH} 个）",
            MAX_EXPRESSION_LENGTH + 1,
        )
    if not text.strip():
        raise ExpressionError("the expression is empty", "表达式为空", 1)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    too_deep_at = _tree_too_deep(tree)
    if too_deep_at is not None:
        raise ExpressionError(
            f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
            f"表达式嵌套过深（超过 {MAX_DEPTH} 层）",
            too_deep_at,
        )
    expr = _ToAst().transform(tree)
    _check_structure(expr)
    return expr


# --- cell ids and loop bindings ------------------------------------------------------------------------


def _binding_segments(ref: CellRef, part: str, bindings: Mapping[str, object]) -> list[str]:
    var = part[1:]
    if var not in bindings:
        raise ExpressionError(
            f"loop variable '{part}' in '{ref.text}' has no value here",
            f"“{ref.text}”中的循环变量“{part}”在此处没有取值",
            ref.column,
        )
    value = bindings[var]
    segments = value.split(".") if isinstance(value, str) else []
    if not segments or not all(_SEGMENT_RE.fullmatch(s) for s in segments):
        raise ExpressionError(
            f"loop variable '{part}' is {value!r}, which is not a cell-id segment",
            f"循环变量“{part}”的取值 {value!r} 不能用作单元格编号的一部分",
            ref.column,
        )
    return segments


def _substitute(ref: CellRef, bindings: Mapping[str, object]) -> tuple[str, ...]:
    parts: list[str] = []
    for part in ref.parts:
        if part.startswith("$"):
            parts.extend(_binding_segments(ref, part, bindings))
        else:
            parts.append(part)
    return tuple(parts)


# Cached per known-cells tuple: the engine evaluates many rules against the same 200 ids.
@functools.lru_cache(maxsize=64)
def _split_cells(cells: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((c, tuple(c.split("."))) for c in cells)


def _unknown_cell(ref: CellRef, cell: str, known: Iterable[str]) -> ExpressionError:
    close = difflib.get_close_matches(cell, list(known), n=1)
    hint_en = f"; did you mean '{close[0]}'?" if close else ""
    hint_zh = f"，是否应为“{close[0]}”？" if close else ""
    shown = cell if cell == ref.text else f"{ref.text}' (here '{cell}"
    return ExpressionError(
        f"cell reference '{shown}' does not match any known cell{hint_en}",
        f"单元格引用“{cell}”不对应任何已知单元格{hint_zh}",
        ref.column,
    )


# Expansion results per (id of the known-cells tuple, pattern). A rule set evaluates the same few patterns
# against the same tuple hundreds of times per report; hashing a 400-id tuple or scanning it each time
# was the largest cost of checking a report. The tuple itself is kept in the entry and compared by
# identity, so an id reused by a different tuple can never return a stale answer.
_EXPANSIONS: dict[tuple[int, tuple[str, ...]], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_KNOWN_SETS: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}


def _known_set(known: tuple[str, ...]) -> frozenset[str]:
    entry = _KNOWN_SETS.get(id(known))
    if entry is None or entry[0] is not known:
        if len(_KNOWN_SETS) > 64:
            _KNOWN_SETS.clear()
        entry = (known, frozenset(known))
        _KNOWN_SETS[id(known)] = entry
    return entry[1]


def _wildcard_matches(parts: tuple[str, ...], known: tuple[str, ...]) -> tuple[str, ...]:
    key = (id(known), parts)
    entry = _EXPANSIONS.get(key)
    if entry is None or entry[0] is not known:
        if len(_EXPANSIONS) > 4096:
            _EXPANSIONS.clear()
        found = tuple(
            cell
            for cell, segs in _split_cells(known)
            if len(segs) == len(parts) and all(p in (WILDCARD, s) for p, s in zip(parts, segs, strict=True))
        )
        entry = (known, found)
        _EXPANSIONS[key] = entry
    return entry[1]


_RESOLVED: dict[tuple[CellRef, tuple[object, ...]], tuple[str, ...]] = {}


def _expand(ref: CellRef, bindings: Mapping[str, object], known_cells: Iterable[str]) -> list[str]:
    """The concrete ids ``ref`` names under ``bindings``, in ``known_cells`` order."""
    if ref.previous:
        # Last year's report has the same cell ids; they are named with the prefix kept.
        inner = CellRef(ref.parts[1:], ref.column)
        return [f"{PREVIOUS}.{cell}" for cell in _expand(inner, bindings, known_cells)]
    known = known_cells if isinstance(known_cells, tuple) else tuple(known_cells)
    # A rule evaluates the same references with the same loop values for every report; substituting
    # and validating them again each time was a visible share of checking a report.
    key = (ref, tuple(bindings.get(v) for v in ref.loop_variables))
    parts = _RESOLVED.get(key)
    if parts is None:
        parts = _substitute(ref, bindings)
        if len(_RESOLVED) > 8192:
            _RESOLVED.clear()
        _RESOLVED[key] = parts
    if WILDCARD not in parts:
        cell = ".".join(parts)
        if cell not in _known_set(known):
            raise _unknown_cell(ref, cell, known)
        return [cell]
    return list(_wildcard_matches(parts, known))


def _pattern_can_match(pattern: tuple[str, ...], segs: tuple[str, ...]) -> bool:
    """Static matching: ``*`` is one segment, ``$var`` is one or more (a binding may contain dots)."""
    if not pattern:
        return not segs
    if not segs:
        return False
    head, rest = pattern[0], pattern[1:]
    if head.startswith("$"):
        return any(_pattern_can_match(rest, segs[i:]) for i in range(1, len(segs) - len(rest) + 1))
    if head == WILDCARD or head == segs[0]:
        return _pattern_can_match(rest, segs[1:])
    return False


# --- validation -------------------------------------------------------------------------------------


def validate(
    expr: Expr,
    *,
    known_cells: Collection[str],
    variables: Collection[str],
    functions: Iterable[str] = (),
) -> None:
    """Static check at rule-load time; raises :class:`ExpressionError` on the first problem.

    ``variables`` names every context variable and loop variable (without ``$``) the expression may
    use; ``functions`` names the extra functions the engine will register.
    """
    _check_structure(expr)
    extra = set(functions)
    split_known = [tuple(c.split(".")) for c in known_cells]
    for node in walk(expr):
        match node:
            case Name(name=name) if name not in variables:
                raise _unknown_name("variable", "变量", name, variables, node.column, "")
            case Call(name=name) if name not in BUILTINS and name not in extra:
                raise _unknown_name("function", "函数", name, set(BUILTINS) | extra, node.column, "()")
            case Call(name="matches", args=(_, Const(value=str() as pattern))):
                _compile_regex(pattern, node.column)  # a bad or too long pattern is a load-time error
            case Const(value=float() as number) if not math.isfinite(number):
                raise ExpressionError("number is not finite", "数值不是有限数", node.column)
            case CellRef():
                for var in node.loop_variables:
                    if var not in variables:
                        raise ExpressionError(
                            f"unknown loop variable '${var}' in '{node.text}'",
                            f"“{node.text}”中的循环变量“${var}”未定义",
                            node.column,
                        )
                parts = node.parts[1:] if node.previous else node.parts
                if not any(_pattern_can_match(parts, segs) for segs in split_known):
                    raise _unknown_cell(node, node.text, known_cells)


def _unknown_name(
    kind: str, kind_zh: str, name: str, known: Iterable[str], column: int, suffix: str
) -> ExpressionError:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint_en = f"; did you mean '{close[0]}{suffix}'?" if close else ""
    hint_zh = f"，是否应为“{close[0]}{suffix}”？" if close else ""
    return ExpressionError(
        f"unknown {kind} '{name}{suffix}'{hint_en}", f"未知{kind_zh}“{name}{suffix}”{hint_zh}", column
    )


def uses_previous(expr: Expr) -> bool:
    """Whether ``expr`` names a cell or variable of last year's report (``prev.…``)."""
    for node in walk(expr):
        if isinstance(node, CellRef) and node.previous:
            return True
        if isinstance(node, Name) and node.name.startswith(PREVIOUS + "."):
            return True
    return False


def references(expr: Expr, bindings: Mapping[str, str], known_cells: Iterable[str]) -> list[str]:
    """The concrete cell ids ``expr`` touches under ``bindings``: wildcards expanded, in order, unique."""
    known = tuple(known_cells)
    found: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, CellRef):
            for cell in _expand(node, bindings, known):
                found.setdefault(cell, None)
    return list(found)


# --- evaluation ---------------------------------------------------------------------------------------

Value: TypeAlias = "bool | int | float | str | list[Value] | None"


class EvalContext(Protocol):
    """What the evaluator needs from the engine. :class:`SimpleContext` is a ready-made one."""

    @property
    def variables(self) -> Mapping[str, object]: ...  # context variables and loop bindings

    @property
    def known_cells(self) -> Sequence[str]: ...  # every id a rule may name (wildcards expand over it)

    @property
    def functions(self) -> Mapping[str, Callable[..., object]]: ...  # extra functions

    def cell_value(self, cell_id: str) -> int | float | None: ...

    def cell_status(self, cell_id: str) -> str: ...


@dataclass
class SimpleContext:
    """An :class:`EvalContext` over plain dicts.

    A cell absent from ``values`` is ``"missing"``, one whose value is None is ``"blank"``, others are
    ``"ok"``, unless ``statuses`` says otherwise.
    """

    values: Mapping[str, int | float | None] = field(default_factory=dict)
    statuses: Mapping[str, str] = field(default_factory=dict)
    variables: Mapping[str, object] = field(default_factory=dict)
    known_cells: Sequence[str] = ()
    functions: Mapping[str, Callable[..., object]] = field(default_factory=dict)

    def cell_value(self, cell_id: str) -> int | float | None:
        return self.values.get(cell_id)

    def cell_status(self, cell_id: str) -> str:
        if cell_id in self.statuses:
            return self.statuses[cell_id]
        if cell_id not in self.values:
            return "missing"
        return "blank" if self.values[cell_id] is None else "ok"


def _is_number(value: object) -> bool:
    # bool is an int subclass in Python; in rules, true + 1 is a mistake, not 2.
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type_name(value: object) -> tuple[str, str]:
    if value is None:
        return "null", "空值"
    if isinstance(value, bool):
        return "a boolean", "布尔值"
    if _is_number(value):
        return "a number", "数字"
    if isinstance(value, str):
        return "a string", "字符串"
    if isinstance(value, list):
        return "a list", "列表"
    return "an unsupported value", "不支持的值"


def _type_error(what_en: str, what_zh: str, values: Sequence[object], column: int) -> ExpressionError:
    got_en = " and ".join(_type_name(v)[0] for v in values)
    got_zh = "和".join(_type_name(v)[1] for v in values)
    return ExpressionError(f"{what_en}, got {got_en}", f"{what_zh}，实际为{got_zh}", column)


def _numbers_equal(a: int | float, b: int | float) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    # Binary floating point makes 0.1 + 0.2 != 0.3; sums of 万元 amounts must still balance. The
    # tolerance is far below anything a report can print, so this is equality in every practical sense.
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _values_equal(a: object, b: object) -> bool:
    if _is_number(a) and _is_number(b):
        return _numbers_equal(a, b)  # type: ignore[arg-type]
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_values_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _comparable_for_equality(a: object, b: object) -> bool:
    if a is None or b is None:
        return True
    if _is_number(a) and _is_number(b):
        return True
    return type(a) is type(b)


def _checked_value(value: object, name: str, column: int) -> Value:
    """Extra functions are the engine's code; still, only language values may enter the evaluator."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_checked_value(v, name, column) for v in value]
    raise ExpressionError(
        f"function {name}() returned an unsupported value of type {type(value).__name__}",
        f"函数 {name}() 返回了不支持的值类型 {type(value).__name__}",
        column,
    )


_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


@functools.lru_cache(maxsize=256)
def _compile_regex(pattern: str, column: int) -> re.Pattern[str]:
    # Python's re has no timeout, so refuse the shapes that backtrack catastrophically instead.
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ExpressionError(
            f"regular expression is too long ({len(pattern)} characters, at most {MAX_REGEX_LENGTH})",
            f"正则表达式过长（{len(pattern)} 个字符，最多 {MAX_REGEX_LENGTH} 个）",
            column,
        )
    if _NESTED_QUANTIFIER.search(pattern):
        raise ExpressionError(
            "regular expression has a repeated group that itself repeats (e.g. (a+)+), which can take exponential time",
            "正则表达式含有嵌套重复（如 (a+)+），可能导致匹配时间过长",
            column,
        )
    try:
        import re2
    except ImportError:  # (a platform without RE2 wheels: the stdlib, with the riskiest shapes refused)
        re2 = None
    if re2 is None:
        if _QUANTIFIED_ALTERNATION.search(pattern):
            raise ExpressionError(
                "regular expression repeats a group of alternatives (e.g. (a|a)*), which can take exponential time",
                "正则表达式重复含有多个分支的分组（如 (a|a)*），可能导致匹配时间过长",
                column,
            )
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise ExpressionError(f"invalid regular expression: {exc}", f"正则表达式无效：{exc}", column) from None
    try:
        return re2.compile(pattern, _re2_options(re2))
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ExpressionError(
            f"invalid regular expression (RE2 syntax: no back-references or look-around): {reason}",
            f"正则表达式无效（使用 RE2 语法，不支持反向引用和环视）：{reason}",
            column,
        ) from None


_QUANTIFIED_ALTERNATION = re.compile(r"\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)\s*[+*{]")


@functools.lru_cache(maxsize=1)
def _re2_options(re2: Any) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of every syntax error to stderr
    return options


def _status_text(status: object) -> str:
    # The engine may hand back a str-valued Enum (model.CellStatus); rules see the plain string.
    value = getattr(status, "value", status)
    return str(value)


class _Evaluator:
    def __init__(self, ctx: EvalContext) -> None:
        self.ctx = ctx
        known = ctx.known_cells
        self.known: tuple[str, ...] = known if isinstance(known, tuple) else tuple(known)

    # -- cells --

    def cells(self, ref: CellRef) -> list[str]:
        return _expand(ref, self.ctx.variables, self.known)

    def status(self, cell: str) -> str:
        return _status_text(self.ctx.cell_status(cell))

    def cell_number(self, cell: str) -> int | float:
        if self.status(cell) != "ok":
            raise NotApplicable([cell])
        value = self.ctx.cell_value(cell)
        if value is None:
            raise NotApplicable([cell])
        return value

    def aggregate_values(self, call: Call) -> list[Value]:
        values: list[Value] = []
        blocked: list[str] = []
        for arg in call.args:
            if isinstance(arg, CellRef):
                for cell in self.cells(arg):
                    value = self.ctx.cell_value(cell) if self.status(cell) == "ok" else None
                    if value is None:
                        blocked.append(cell)
                    else:
                        values.append(value)
            else:
                values.extend(_flatten(self.eval(arg)))
        if blocked:
            # Collect every blocked cell first, so the engine can say which ones stopped the check.
            raise NotApplicable(blocked)
        return values

    # -- nodes --

    def eval(self, expr: Expr) -> Value:
        match expr:
            case Const(value=value):
                return value
            case ListExpr(items=items):
                return [self.eval(item) for item in items]
            case Name(name=name):
                if name not in self.ctx.variables:
                    raise _unknown_name("variable", "变量", name, self.ctx.variables, expr.column, "")
                return _checked_value(self.ctx.variables[name], name, expr.column)
            case CellRef():
                if expr.has_wildcard:
                    raise ExpressionError(
                        f"the wildcard in '{expr.text}' is only allowed inside an aggregate function",
                        f"“{expr.text}”中的通配符 * 只能用在汇总函数内",
                        expr.column,
                    )
                (cell,) = self.cells(expr)
                return self.cell_number(cell)
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
        raise ExpressionError(f"not an expression node: {expr!r}", "不是表达式节点", 1)

    def truth(self, value: Value, op: str, column: int) -> bool:
        if isinstance(value, bool):
            return value
        raise _type_error(f"'{op}' needs true or false", f"“{op}”需要 true 或 false", [value], column)

    def unary(self, expr: Unary) -> Value:
        value = self.eval(expr.operand)
        if expr.op == "not":
            return not self.truth(value, "not", expr.column)
        if not _is_number(value):
            raise _type_error("'-' needs a number", "“-”需要数字", [value], expr.column)
        return -value  # type: ignore[operator]

    def logical(self, expr: Logical) -> Value:
        # Short-circuit, so that "ok(x) and x > 0" never touches a cell that is not ok.
        left = self.truth(self.eval(expr.left), expr.op, expr.column)
        if expr.op == "and" and not left:
            return False
        if expr.op == "or" and left:
            return True
        return self.truth(self.eval(expr.right), expr.op, expr.column)

    def binary(self, expr: Binary) -> Value:
        left = self.eval(expr.left)
        right = self.eval(expr.right)
        if expr.op == "+" and isinstance(left, str) and isinstance(right, str):
            return left + right
        if not (_is_number(left) and _is_number(right)):
            raise _type_error(
                f"'{expr.op}' needs two numbers", f"“{expr.op}”两边都必须是数字", [left, right], expr.column
            )
        a: int | float = left  # type: ignore[assignment]
        b: int | float = right  # type: ignore[assignment]
        try:
            if expr.op == "+":
                return a + b
            if expr.op == "-":
                return a - b
            if expr.op == "*":
                return a * b
            if b == 0:
                raise NotApplicable(references(expr.right, _string_bindings(self.ctx), self.known), "division by zero")
            return a / b
        except OverflowError:
            raise ExpressionError("number too large", "数值过大", expr.column) from None

    def compare(self, expr: Compare) -> Value:
        left = self.eval(expr.left)
        right = self.eval(expr.right)
        op = expr.op
        if op in ("in", "not in"):
            if isinstance(right, list):
                found = any(_values_equal(left, item) for item in right)
            elif isinstance(right, str) and isinstance(left, str):
                found = left in right
            else:
                raise _type_error(
                    f"'{op}' needs a list, or a string on both sides",
                    f"“{op}”右边须为列表，或两边都是字符串",
                    [left, right],
                    expr.column,
                )
            return found if op == "in" else not found
        if op in ("==", "!="):
            if expr.tolerance is not None:
                equal = self.approximately_equal(expr, left, right)
            elif _comparable_for_equality(left, right):
                equal = _values_equal(left, right)
            else:
                raise _type_error(
                    f"'{op}' compares values of the same kind",
                    f"“{op}”只能比较同类的值",
                    [left, right],
                    expr.column,
                )
            return equal if op == "==" else not equal
        if not ((_is_number(left) and _is_number(right)) or (isinstance(left, str) and isinstance(right, str))):
            raise _type_error(
                f"'{op}' needs two numbers or two strings",
                f"“{op}”两边须同为数字或同为字符串",
                [left, right],
                expr.column,
            )
        a, b = left, right
        if op == "<":
            return a < b  # type: ignore[operator]
        if op == "<=":
            return a <= b  # type: ignore[operator]
        if op == ">":
            return a > b  # type: ignore[operator]
        return a >= b  # type: ignore[operator]

    def approximately_equal(self, expr: Compare, left: Value, right: Value) -> bool:
        assert expr.tolerance is not None
        tolerance = self.eval(expr.tolerance)
        if not (_is_number(left) and _is_number(right)):
            raise _type_error("'within' compares two numbers", "“within”只能比较两个数字", [left, right], expr.column)
        if not _is_number(tolerance) or tolerance < 0:  # type: ignore[operator]
            raise ExpressionError(
                "the tolerance after 'within' must be a number of at least 0",
                "“within”后的容差必须是不小于 0 的数字",
                expr.tolerance.column or expr.column,
            )
        diff = abs(left - right)  # type: ignore[operator]
        # The same float slack as plain ==, so "within 0.01" accepts a difference of exactly 0.01.
        return diff <= tolerance or math.isclose(diff, tolerance, rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[operator,arg-type]

    # -- functions --

    def call(self, expr: Call) -> Value:
        name = expr.name
        sig = BUILTINS.get(name)
        if sig is None:
            fn = self.ctx.functions.get(name) if self.ctx.functions else None
            if fn is None:
                raise _unknown_name(
                    "function", "函数", name, set(BUILTINS) | set(self.ctx.functions or ()), expr.column, "()"
                )
            args = [self.eval(arg) for arg in expr.args]
            return _checked_value(fn(*args), name, expr.column)
        _check_arity(expr, sig)
        if sig.kind == "cell":
            (ref,) = expr.args
            assert isinstance(ref, CellRef)
            (cell,) = self.cells(ref)
            status = self.status(cell)
            if name == "status":
                return status
            if name == "present":
                return status != "missing"
            return status == "ok"
        if sig.kind == "cells":
            refs = [arg for arg in expr.args if isinstance(arg, CellRef)]
            cells = list(dict.fromkeys(c for ref in refs for c in self.cells(ref)))
            if name == "count":
                return len(cells)
            return all(self.status(c) == "ok" for c in cells)
        if sig.kind == "aggregate":
            return self.aggregate(expr, self.aggregate_values(expr))
        args = [self.eval(arg) for arg in expr.args]
        try:
            return _SCALAR_FUNCTIONS[name](args, expr.column)
        except (OverflowError, ValueError, InvalidOperation):
            raise ExpressionError(f"{name}() cannot handle this value", f"{name}() 无法处理该值", expr.column) from None

    def aggregate(self, expr: Call, values: list[Value]) -> Value:
        for v in values:
            if not _is_number(v):
                raise _type_error(f"{expr.name}() adds up numbers", f"{expr.name}() 只能汇总数字", [v], expr.column)
        numbers: list[int | float] = values  # type: ignore[assignment]
        if expr.name == "sum":
            if any(isinstance(v, float) for v in numbers):
                return math.fsum(numbers)
            return sum(numbers, 0)
        if not numbers:
            raise ExpressionError(f"{expr.name}() of no values", f"{expr.name}() 没有可比较的值", expr.column)
        return min(numbers) if expr.name == "min" else max(numbers)


def _flatten(value: Value) -> list[Value]:
    if isinstance(value, list):
        out: list[Value] = []
        for item in value:
            out.extend(_flatten(item))
        return out
    return [value]


def _string_bindings(ctx: EvalContext) -> dict[str, str]:
    return {k: v for k, v in ctx.variables.items() if isinstance(v, str)}


def _need_number(name: str, value: Value, column: int) -> int | float:
    if not _is_number(value):
        raise _type_error(f"{name}() needs a number", f"{name}() 需要数字", [value], column)
    return value  # type: ignore[return-value]


def _need_string(name: str, value: Value, column: int) -> str:
    if not isinstance(value, str):
        raise _type_error(f"{name}() needs a string", f"{name}() 需要字符串", [value], column)
    return value


def _fn_abs(args: list[Value], column: int) -> Value:
    return abs(_need_number("abs", args[0], column))


def _fn_round(args: list[Value], column: int) -> Value:
    x = _need_number("round", args[0], column)
    places = _need_number("round", args[1], column) if len(args) > 1 else 0
    if not isinstance(places, int) or not -10 <= places <= 15:
        raise ExpressionError(
            "round() takes a whole number of places between -10 and 15",
            "round() 的位数须为 -10 至 15 之间的整数",
            column,
        )
    # Half up, as a report's author rounds by hand; Python's round() would turn 2.5 into 2.
    rounded = Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Whole-number results stay whole, as in round(1234, -2) == 1200.
    return int(rounded) if places <= 0 else float(rounded)


def _fn_len(args: list[Value], column: int) -> Value:
    value = args[0]
    if not isinstance(value, (str, list)):
        raise _type_error("len() needs a string or a list", "len() 需要字符串或列表", [value], column)
    return len(value)


def _fn_contains(args: list[Value], column: int) -> Value:
    text, needle = args
    if isinstance(text, list):
        return any(_values_equal(item, needle) for item in text)
    return _need_string("contains", needle, column) in _need_string("contains", text, column)


def _fn_matches(args: list[Value], column: int) -> Value:
    text = _need_string("matches", args[0], column)
    pattern = _compile_regex(_need_string("matches", args[1], column), column)
    return pattern.search(text) is not None


_INT_TEXT = re.compile(r"\s*[+-]?\d{1,30}\s*")


def _fn_int(args: list[Value], column: int) -> Value:
    value = args[0]
    if isinstance(value, str):
        # Bounded digits: int() of a huge string is quadratic, and no report number is that long.
        if not _INT_TEXT.fullmatch(value):
            raise ExpressionError(
                f"int() cannot read {value!r} as a whole number",
                f"int() 无法把 {value!r} 读作整数",
                column,
            )
        return int(value)
    number = _need_number("int", value, column)
    if isinstance(number, float) and not math.isfinite(number):
        raise ExpressionError("int() of a number that is not finite", "int() 的参数不是有限数", column)
    return int(number)


def _fn_is_integer(args: list[Value], column: int) -> Value:
    number = _need_number("is_integer", args[0], column)
    return isinstance(number, int) or number.is_integer()


_SCALAR_FUNCTIONS: dict[str, Callable[[list[Value], int], Value]] = {
    "abs": _fn_abs,
    "round": _fn_round,
    "len": _fn_len,
    "contains": _fn_contains,
    "matches": _fn_matches,
    "int": _fn_int,
    "is_integer": _fn_is_integer,
}


def evaluate(expr: Expr, ctx: EvalContext) -> object:
    """Evaluate ``expr``; raises :class:`NotApplicable` or :class:`ExpressionError`."""
    return _Evaluator(ctx).eval(expr)


def explain_terms(expr: Expr, ctx: EvalContext) -> tuple[object, object] | None:
    """For a top-level comparison ``L op R``, the evaluated ``(L, R)`` ("expected R, actual L")."""
    if not isinstance(expr, Compare):
        return None
    evaluator = _Evaluator(ctx)
    return evaluator.eval(expr.left), evaluator.eval(expr.right)
