"""Rule-expression text to AST (``grammars/expr.lark``), syntax errors in words, and static validation."""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable
from typing import Any

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ..bilingual import Text
from .exprcells import _pattern_can_match, _unknown_cell
from .exprkinds import check_kinds
from .exprtree import (
    AGGREGATES,
    BUILTINS,
    MAX_DEPTH,
    MAX_EXPRESSION_LENGTH,
    PREVIOUS,
    TABLE_PREFIXES,
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
    Unary,
    _check_arity,
    _unknown_name,
    children,
    walk,
)
from .exprvalues import _compile_regex

# --- parsing ------------------------------------------------------------------------------------------


EXPR_PARSER_OPTIONS: dict[str, Any] = {"parser": "lalr", "maybe_placeholders": False}


@functools.cache
def _parser() -> Lark:
    # Loaded from its pre-built tables (or built) on first use: importing the rules package costs nothing.
    from ..lalrtables import parser

    return parser("expr.lark", **EXPR_PARSER_OPTIONS)


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


# How a terminal is named in an error message.
_TERMINAL_WORDS: dict[str, Text] = {
    "NUMBER": Text("数字", "a number"),
    "STRING": Text("字符串", "a string"),
    "NAME": Text("名称", "a name"),
    "VARSEG": Text("循环变量（如 $col）", "a loop variable such as $col"),
    "STAR": Text("“*”", "'*'"),
    "SLASH": Text("“/”", "'/'"),
    "PLUS": Text("“+”", "'+'"),
    "MINUS": Text("“-”", "'-'"),
    "EQ": Text("“==”", "'=='"),
    "NE": Text("“!=”", "'!='"),
    "LT": Text("“<”", "'<'"),
    "LE": Text("“<=”", "'<='"),
    "GT": Text("“>”", "'>'"),
    "GE": Text("“>=”", "'>='"),
    "AND": Text("“and”", "'and'"),
    "OR": Text("“or”", "'or'"),
    "NOT": Text("“not”", "'not'"),
    "IN": Text("“in”", "'in'"),
    "WITHIN": Text("“within”", "'within'"),
    "TRUE": Text("“true”", "'true'"),
    "FALSE": Text("“false”", "'false'"),
    "NULL": Text("“null”", "'null'"),
    "_LPAR": Text("“(”", "'('"),
    "_RPAR": Text("“)”", "')'"),
    "LSQB": Text("“[”", "'['"),
    "_RSQB": Text("“]”", "']'"),
    "_COMMA": Text("“,”", "','"),
    "_DOT": Text("“.”", "'.'"),
    "$END": Text("表达式结束", "the end of the expression"),
}
# Lark lists every terminal that may start an operand; one phrase reads better than nine.
_VALUE_STARTERS = frozenset({"NUMBER", "STRING", "NAME", "TRUE", "FALSE", "NULL", "_LPAR", "LSQB"})
_OPERATORS = frozenset(
    {"PLUS", "MINUS", "STAR", "SLASH", "EQ", "NE", "LT", "LE", "GT", "GE", "AND", "OR", "NOT", "IN", "WITHIN"}
)
_VALUE_WORDS = Text(
    "一个值（数字、字符串、名称、单元格引用、列表或“(”）",
    "a value (number, string, name, cell reference, list or '(')",
)
_OPERATOR_WORDS = Text("运算符", "an operator")


def _expected_words(expected: Iterable[str]) -> Text:
    names = set(expected)
    phrases: list[Text] = []
    if "NUMBER" in names:
        phrases.append(_VALUE_WORDS)
        names -= _VALUE_STARTERS | {"MINUS", "NOT"}
    operators = names & _OPERATORS
    if len(operators) >= 3:
        phrases.append(_OPERATOR_WORDS)
        names -= operators
    order = list(_TERMINAL_WORDS)
    for name in sorted(names, key=lambda n: order.index(n) if n in order else len(order)):
        phrases.append(_TERMINAL_WORDS.get(name, Text.same(name.lower())))
    if len(phrases) > 1:
        return Text("、", ", ").join(phrases[:-1]) + Text("或", " or ") + phrases[-1]
    return phrases[0] if phrases else Text("其他内容", "something else")


def _describe_token(tok: Token) -> Text:
    if tok.type == "NAME":
        return Text(f"名称“{tok}”", f"name '{tok}'")
    if tok.type == "NUMBER":
        return Text(f"数字 {tok}", f"number {tok}")
    if tok.type == "STRING":
        return Text(f"字符串 {tok}", f"string {tok}")
    if tok.type == "VARSEG":
        return Text(f"循环变量“{tok}”", f"loop variable '{tok}'")
    return Text(f"“{tok}”", f"'{tok}'")


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
                Text(
                    f"第 {column} 列开始的字符串缺少结束引号 {char}",
                    f"the string starting at column {column} is not closed with {char}",
                ),
                column,
            )
        expected = _expected_words(_acceptable(exc, exc.allowed or ()))
        message = Text(
            f"第 {column} 列出现无法识别的字符“{char}”，此处应为{expected.zh}",
            f"unexpected character '{char}' at column {column}; expected {expected.en}",
        )
        if char == "_":
            message += Text("（名称不能以“_”开头）", " (names may not start with '_')")
        return ExpressionError(message, column)
    if isinstance(exc, UnexpectedToken):
        expected = _expected_words(_acceptable(exc, exc.expected))
        if exc.token.type == "$END":
            column = len(text.rstrip()) + 1
            return ExpressionError(
                Text(
                    f"表达式不完整，结尾处应为{expected.zh}", f"the expression ends too early; expected {expected.en}"
                ),
                column,
            )
        column = exc.token.column or 1
        token = _describe_token(exc.token)
        return ExpressionError(
            Text(
                f"第 {column} 列出现意外的{token.zh}，此处应为{expected.zh}",
                f"unexpected {token.en} at column {column}; expected {expected.en}",
            ),
            column,
        )
    column = getattr(exc, "column", 1) or 1
    return ExpressionError(
        Text(f"第 {column} 列有语法错误", f"syntax error at column {column}"), column if column > 0 else 1
    )


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
                    Text(
                        f"“{expr.text}”不是单元格引用：单元格引用须以 t2.、t3. 或 t4. 开头",
                        f"'{expr.text}' is not a cell reference: cell references start with t2., t3. or t4.",
                    ),
                    expr.column,
                )
            if expr.has_wildcard and (parent_call is None or parent_call.name not in AGGREGATES):
                raise ExpressionError(
                    Text(
                        f"“{expr.text}”中的通配符 * 只能直接用作 "
                        + "、".join(f"{n}()" for n in sorted(AGGREGATES))
                        + " 的参数",
                        f"the wildcard in '{expr.text}' is only allowed as an argument of "
                        + ", ".join(f"{n}()" for n in sorted(AGGREGATES)),
                    ),
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
                                Text(
                                    f"{name}() 的参数必须是单元格引用，不能是计算出的值",
                                    f"{name}() takes cell references, not computed values",
                                ),
                                getattr(arg, "column", expr.column) or expr.column,
                            )
                        if sig.kind == "cell" and arg.has_wildcard:
                            raise ExpressionError(
                                Text(
                                    f"{name}() 只接受单个单元格，“{arg.text}”含有通配符",
                                    f"{name}() takes a single cell; '{arg.text}' contains a wildcard",
                                ),
                                arg.column,
                            )
            for arg in args:
                _check_structure(arg, expr)
            return
        case Compare(op=op, tolerance=tolerance) if tolerance is not None and op not in ("==", "!="):
            raise ExpressionError(
                Text(
                    f"“within”只能用于“==”和“!=”，不能用于“{op}”", f"'within' only applies to '==' and '!=', not '{op}'"
                ),
                expr.column,
            )
    for child in children(expr):
        _check_structure(child, None)


def parse_expression(text: str) -> Expr:
    """Parse rule-expression ``text`` into an immutable AST; raises :class:`ExpressionError`."""
    if not isinstance(text, str):
        raise ExpressionError(Text("表达式必须是文本", "an expression must be text"), 1)
    return _parse_cached(text)


@functools.lru_cache(maxsize=2048)
def _parse_cached(text: str) -> Expr:
    # Cached because the AST is immutable and the same condition text recurs across rule files.
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            Text(
                f"表达式过长（{len(text)} 个字符，最多 {MAX_EXPRESSION_LENGTH} 个）",
                f"expression is too long ({len(text)} characters, at most {MAX_EXPRESSION_LENGTH})",
            ),
            MAX_EXPRESSION_LENGTH + 1,
        )
    if not text.strip():
        raise ExpressionError(Text("表达式为空", "the expression is empty"), 1)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, text) from None
    too_deep_at = _tree_too_deep(tree)
    if too_deep_at is not None:
        raise ExpressionError(
            Text(
                f"表达式嵌套过深（超过 {MAX_DEPTH} 层）",
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
            ),
            too_deep_at,
        )
    expr = _ToAst().transform(tree)
    _check_structure(expr)
    return expr


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
                raise _unknown_name(Text("变量", "variable"), name, variables, node.column, "")
            case Call(name=name) if name not in BUILTINS and name not in extra:
                raise _unknown_name(Text("函数", "function"), name, set(BUILTINS) | extra, node.column, "()")
            case Call(name="matches", args=(_, Const(value=str() as pattern))):
                _compile_regex(pattern, node.column)  # a bad or too long pattern is a load-time error
            case Const(value=float() as number) if not math.isfinite(number):
                raise ExpressionError(Text("数值不是有限数", "number is not finite"), node.column)
            case CellRef():
                for var in node.loop_variables:
                    if var not in variables:
                        raise ExpressionError(
                            Text(
                                f"“{node.text}”中的循环变量“${var}”未定义",
                                f"unknown loop variable '${var}' in '{node.text}'",
                            ),
                            node.column,
                        )
                parts = node.parts[1:] if node.previous else node.parts
                if not any(_pattern_can_match(parts, segs) for segs in split_known):
                    raise _unknown_cell(node, node.text, known_cells)
    check_kinds(expr)  # after the names, so that a misspelt name is reported as such
