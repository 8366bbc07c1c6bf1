"""Values of the rule-expression language: the evaluation context, equality, types, the scalar built-ins."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from typing import Any, Protocol, TypeAlias

from ..bilingual import Text
from ..records import record
from ..regexcode import compile_re
from .exprtree import MAX_REGEX_LENGTH, ExpressionError

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


@record
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


# The kinds of value an expression has, in words: for type errors at evaluation and at load time (exprkinds).
KIND_NAMES: dict[str | None, Text] = {
    "null": Text("空值", "null"),
    "bool": Text("布尔值", "a boolean"),
    "number": Text("数字", "a number"),
    "string": Text("字符串", "a string"),
    "list": Text("列表", "a list"),
    None: Text("未知值", "an unknown value"),
}


def _type_name(value: object) -> Text:
    if value is None:
        return KIND_NAMES["null"]
    if isinstance(value, bool):
        return KIND_NAMES["bool"]
    if _is_number(value):
        return KIND_NAMES["number"]
    if isinstance(value, str):
        return KIND_NAMES["string"]
    if isinstance(value, list):
        return KIND_NAMES["list"]
    return Text("不支持的值", "an unsupported value")


def _type_error(what: Text, values: Sequence[object], column: int) -> ExpressionError:
    return kinds_error(what, [_type_name(v) for v in values], column)


def kinds_error(what: Text, kinds: Sequence[Text], column: int) -> ExpressionError:
    """``what`` went wrong, and the kinds of value it got instead ("'+' needs two numbers, got …")."""
    return ExpressionError(what + Text("，实际为", ", got ") + Text("和", " and ").join(kinds), column)


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
        Text(
            f"函数 {name}() 返回了不支持的值类型 {type(value).__name__}",
            f"function {name}() returned an unsupported value of type {type(value).__name__}",
        ),
        column,
    )


_NESTED_QUANTIFIER = compile_re(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")


@functools.lru_cache(maxsize=256)
def _compile_regex(pattern: str, column: int) -> re.Pattern[str]:
    # Python's re has no timeout, so refuse the shapes that backtrack catastrophically instead.
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ExpressionError(
            Text(
                f"正则表达式过长（{len(pattern)} 个字符，最多 {MAX_REGEX_LENGTH} 个）",
                f"regular expression is too long ({len(pattern)} characters, at most {MAX_REGEX_LENGTH})",
            ),
            column,
        )
    if _NESTED_QUANTIFIER.search(pattern):
        raise ExpressionError(
            Text(
                "正则表达式含有嵌套重复（如 (a+)+），可能导致匹配时间过长",
                "regular expression has a repeated group that itself repeats (e.g. (a+)+), "
                "which can take exponential time",
            ),
            column,
        )
    try:
        import re2
    except ImportError:  # (a platform without RE2 wheels: the stdlib, with the riskiest shapes refused)
        re2 = None
    if re2 is None:
        if _QUANTIFIED_ALTERNATION.search(pattern):
            raise ExpressionError(
                Text(
                    "正则表达式重复含有多个分支的分组（如 (a|a)*），可能导致匹配时间过长",
                    "regular expression repeats a group of alternatives (e.g. (a|a)*), which can take exponential time",
                ),
                column,
            )
        try:
            return compile_re(pattern)
        except re.error as exc:
            raise ExpressionError(
                Text(f"正则表达式无效：{exc}", f"invalid regular expression: {exc}"), column
            ) from None
    try:
        return re2.compile(pattern, _re2_options(re2))
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ExpressionError(
            Text(
                f"正则表达式无效（使用 RE2 语法，不支持反向引用和环视）：{reason}",
                f"invalid regular expression (RE2 syntax: no back-references or look-around): {reason}",
            ),
            column,
        ) from None


_QUANTIFIED_ALTERNATION = compile_re(r"\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)\s*[+*{]")


@functools.lru_cache(maxsize=1)
def _re2_options(re2: Any) -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own copy of every syntax error to stderr
    return options


def _status_text(status: object) -> str:
    # The engine may hand back a str-valued Enum (model.CellStatus); rules see the plain string.
    if type(status) is str:
        return status
    value = getattr(status, "value", status)
    return str(value)


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
        raise _type_error(Text(f"{name}() 需要数字", f"{name}() needs a number"), [value], column)
    return value  # type: ignore[return-value]


def _need_string(name: str, value: Value, column: int) -> str:
    if not isinstance(value, str):
        raise _type_error(Text(f"{name}() 需要字符串", f"{name}() needs a string"), [value], column)
    return value


def _fn_abs(args: list[Value], column: int) -> Value:
    return abs(_need_number("abs", args[0], column))


def _fn_round(args: list[Value], column: int) -> Value:
    x = _need_number("round", args[0], column)
    places = _need_number("round", args[1], column) if len(args) > 1 else 0
    if not isinstance(places, int) or not -10 <= places <= 15:
        raise ExpressionError(
            Text(
                "round() 的位数须为 -10 至 15 之间的整数", "round() takes a whole number of places between -10 and 15"
            ),
            column,
        )
    # (decimal is imported by the one function that uses it, not by every start-up: about 1 ms.)
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    # Half up, as a report's author rounds by hand; Python's round() would turn 2.5 into 2.
    try:
        rounded = Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # (infinity, or too many digits): worded as any function's bad value
        raise ValueError(str(exc)) from None
    # Whole-number results stay whole, as in round(1234, -2) == 1200.
    return int(rounded) if places <= 0 else float(rounded)


def _fn_len(args: list[Value], column: int) -> Value:
    value = args[0]
    if not isinstance(value, (str, list)):
        raise _type_error(Text("len() 需要字符串或列表", "len() needs a string or a list"), [value], column)
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


_INT_TEXT = compile_re(r"\s*[+-]?\d{1,30}\s*")


def _fn_int(args: list[Value], column: int) -> Value:
    value = args[0]
    if isinstance(value, str):
        # Bounded digits: int() of a huge string is quadratic, and no report number is that long.
        if not _INT_TEXT.fullmatch(value):
            raise ExpressionError(
                Text(f"int() 无法把 {value!r} 读作整数", f"int() cannot read {value!r} as a whole number"),
                column,
            )
        return int(value)
    number = _need_number("int", value, column)
    if isinstance(number, float) and not math.isfinite(number):
        raise ExpressionError(Text("int() 的参数不是有限数", "int() of a number that is not finite"), column)
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
