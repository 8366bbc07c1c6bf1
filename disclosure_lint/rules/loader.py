"""Loading rule files: YAML, read safely, validated strictly, every mistake located by file and line."""

from __future__ import annotations

import fnmatch
import math
import os
import re
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import formats, messages
from ..bilingual import Text
from ..diagnostics import Severity
from ..errors import InputError, RuleFileError
from ..inert import visible
from ..limits import MAX_FOR_EACH_BINDINGS, MAX_RULE_DIR_ENTRIES
from ..reading import read_small_text
from ..records import record
from ..regexcode import compile_re
from . import expr as expressions
from .checks import CHECKS

if TYPE_CHECKING:
    import yaml

CODE_RE = compile_re(r"^[A-Z][0-9]{3}$")
CATEGORIES = ("structure", "completeness", "value", "arithmetic", "narrative", "format", "cross-year")
RULE_KEYS = {
    "code",
    "name",
    "category",
    "severity",
    "summary",
    "message",
    "help",
    "docs",
    "when",
    "for_each",
    "assert",
    "at",
    "check",
    "params",
    "enabled",
    "applies",
    "cases",
}
DOC_KEYS = {"why", "basis", "bad", "good"}

# Named sets a rule may loop over.
LOOP_SETS: dict[str, tuple[str, ...]] = {
    "t3.columns": tuple(c.key for c in formats.T3_COLUMNS),
    "t3.applicant_columns": formats.T3_APPLICANT_COLUMNS,
    "t3.rows": tuple(r.key for r in formats.TABLE3.rows),
    "t3.outcome_rows": formats.T3_OUTCOME_ROWS,
    "t4.groups": tuple(r.key for r in formats.TABLE4.rows),
    "t2.stock_rows": ("regulations", "normative_docs"),
}
# A report's own variables; "format" and "source_format" are the old names of "edition" and "input_kind".
CONTEXT_VARIABLES = {"year", "edition", "input_kind", "format", "source_format"}
# Last year's report's variables, for rules that compare two years (see PREVIOUS in expr.py).
PREVIOUS_VARIABLES = {f"{expressions.PREVIOUS}.{name}" for name in CONTEXT_VARIABLES}
_LOOP_VALUE = compile_re(r"[A-Za-z0-9_]{1,64}")


@record
class Rule:
    code: str
    name: str
    category: str
    severity: Severity
    summary: dict[str, str]
    message: dict[str, str]
    help: dict[str, str]
    docs: dict[str, str]
    path: str
    line: int
    when: expressions.Expr | None = None
    when_text: str | None = None
    for_each: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assertion: expressions.Expr | None = None
    assertion_text: str | None = None
    at: str | None = None
    check: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True
    # The rule compares this year's report with last year's (a ``prev.`` reference or a cross-year
    # check): it runs only when the run paired the report with its predecessor, and is silent otherwise.
    needs_previous: bool = False
    # The report years the rule is about (``applies: {from_year: 2021}``); None = no bound.
    from_year: int | None = None
    to_year: int | None = None

    def applies_to(self, year: int | None) -> bool:
        """Whether a report of ``year`` falls under the rule; a report whose year is unknown always does."""
        if year is None:
            return True
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)

    def text(self, field_name: str, lang: str) -> str:
        value: dict[str, str] = getattr(self, field_name)
        return value.get(lang) or value.get("zh") or value.get("en") or ""

    def documented(self, field_name: str, lang: str) -> str:
        """The template as documentation shows it (``explain``, SARIF's rule help), where no report fills its
        ``{placeholders}``: a value the rule's ``params`` fix is written in, any other is named in words."""

        def stand_in(m: re.Match[str]) -> str:
            name = m.group(1)
            fixed = self.params.get(name)
            if isinstance(fixed, (str, int, float)) and not isinstance(fixed, bool):
                return str(fixed)
            return messages.PLACEHOLDERS.get(name, messages.SOME_VALUE).resolve(lang)

        return PLACEHOLDER.sub(stand_in, self.text(field_name, lang))


def _mark_line(node: yaml.Node | None, default: int = 1) -> int:
    return node.start_mark.line + 1 if node is not None else default


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    import yaml  # (here and below: built-in rules come pre-built, so a run without --rule-dir reads no YAML)

    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _key_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    import yaml

    for k, _v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k
    return None


def _shown(value: Any) -> str:
    """A value for an error message: scalars as written (shortened), collections by kind only.

    A collection read from YAML may be built from aliases and expand to billions of items when printed.
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        text = str(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return f"<{type(value).__name__}>"


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _bilingual(value: Any, path: str, line: int, what: str, required: bool = True) -> dict[str, str]:
    if value is None:
        if required:
            raise RuleFileError(Text(f"缺少“{what}”", f"missing '{what}'"), path=path, line=line)
        return {}
    # Rule packs come from anyone, and these texts reach terminals (messages, `rules`, `explain`).
    if isinstance(value, str):
        return {"zh": visible(value), "en": visible(value)}
    if (
        isinstance(value, dict)
        and all(k in ("zh", "en") for k in value)
        and all(isinstance(v, str) for v in value.values())
    ):
        return {k: visible(v) for k, v in value.items()}
    raise RuleFileError(
        Text(
            f"“{what}”应为文本，或含 zh/en 两种语言文本的映射", f"'{what}' must be text or a mapping with zh/en texts"
        ),
        path=path,
        line=line,
    )


# Rule files are a few kilobytes; a huge one is a mistake (or an attack) and is refused before parsing.
MAX_RULE_FILE_BYTES = 1024 * 1024


def rule_files(directory: Path) -> list[Path]:
    """The rule files under ``directory`` (``*.yaml``, ``*.yml``), in a stable order, without following links
    to directories. A directory holding more than MAX_RULE_DIR_ENTRIES entries is not a rule pack
    (``--rule-dir /``) and is refused rather than walked for minutes."""
    found: list[Path] = []
    seen = 0
    for root, dirs, names in os.walk(directory):
        seen += len(dirs) + len(names)
        if seen > MAX_RULE_DIR_ENTRIES:
            raise RuleFileError(
                Text(
                    f"规则目录中的文件过多（超过 {MAX_RULE_DIR_ENTRIES} 个），不像是规则目录",
                    f"too many files (over {MAX_RULE_DIR_ENTRIES}) for a rule directory",
                ),
                path=str(directory),
            )
        found += [Path(root, n) for n in names if fnmatch.fnmatchcase(n, "*.y*ml")]
    return sorted(found)


def load_rule_file(path: Path, known_cells: set[str], check_names: set[str], *, trusted: bool = False) -> list[Rule]:
    """The rules in one file. ``trusted`` marks the package's own files, which LibYAML may compose unbounded
    (it composes in C, recursively: a user's file nested thousands deep would crash the process)."""
    import yaml

    from .. import safeyaml

    try:
        size = path.stat().st_size
        if size > MAX_RULE_FILE_BYTES:
            raise RuleFileError(
                Text(
                    f"规则文件过大（{size} 字节，上限 {MAX_RULE_FILE_BYTES} 字节）",
                    f"rule file too large ({size} bytes, limit {MAX_RULE_FILE_BYTES})",
                ),
                path=str(path),
            )
        # Bounded, regular files only: a link to /dev/zero reports size 0 and never ends.
        text = read_small_text(path, MAX_RULE_FILE_BYTES)
    except InputError as exc:
        raise RuleFileError(Text("无法读取规则文件：", "cannot read rule file: ") + exc.text, path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(Text(f"无法读取规则文件：{exc}", f"cannot read rule file: {exc}"), path=str(path)) from None
    try:
        root, data = safeyaml.node_and_data(text, trusted=trusted)
    except RecursionError:
        raise RuleFileError(
            Text("YAML 嵌套层次过深", "YAML collections are nested too deeply"), path=str(path)
        ) from None
    except yaml.constructor.ConstructorError as exc:
        # safe_load refuses tags such as !!python/object: say so, rather than calling it a syntax error.
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(
            Text(
                f"不允许的 YAML 标签（规则文件只能含普通的文本、数字、列表和映射）：{exc.problem}",
                "YAML tag not allowed (rule files may only hold plain text, numbers, lists and mappings): "
                f"{exc.problem}",
            ),
            path=str(path),
            line=line,
        ) from None
    except safeyaml.YAMLLimitError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(Text("YAML 过大：", "YAML too large: ") + exc.text, path=str(path), line=line) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise RuleFileError(
            Text(f"YAML 语法错误：{exc.problem}", f"YAML syntax error: {exc.problem}"), path=str(path), line=line
        ) from None
    except yaml.YAMLError as exc:
        raise RuleFileError(Text(f"YAML 错误：{exc}", f"YAML error: {exc}"), path=str(path)) from None
    if data is None:
        return []
    nodes: list[yaml.Node]
    if isinstance(data, dict) and "rules" in data and isinstance(root, yaml.MappingNode):
        rules_node = _child(root, "rules")
        items = data["rules"]
        nodes = list(rules_node.value) if isinstance(rules_node, yaml.SequenceNode) else []
    elif isinstance(data, dict):
        items, nodes = [data], [root] if root is not None else []
    elif isinstance(data, list) and isinstance(root, yaml.SequenceNode):
        items, nodes = data, list(root.value)
    else:
        raise RuleFileError(
            Text("规则文件应为一条规则（映射）或规则列表", "a rule file must hold a rule mapping or a list"),
            path=str(path),
            line=1,
        )
    if not isinstance(items, list):
        raise RuleFileError(Text("“rules”应为列表", "'rules' must be a list"), path=str(path), line=1)
    return [_rule(item, node, str(path), known_cells, check_names) for item, node in zip(items, nodes)]


def _rule(data: Any, node: yaml.Node, path: str, known_cells: set[str], check_names: set[str]) -> Rule:
    import yaml

    line = _mark_line(node)
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise RuleFileError(Text("每条规则应为映射", "each rule must be a mapping"), path=path, line=line)

    def at(key: str) -> int:
        return _mark_line(_key_node(node, key), line)

    for key in data:
        if key not in RULE_KEYS:
            from difflib import get_close_matches

            hint = get_close_matches(str(key), sorted(RULE_KEYS), n=1)
            tip = Text(f"，是否想写“{hint[0]}”？", f"; did you mean '{hint[0]}'?") if hint else Text.same("")
            raise RuleFileError(Text(f"未知的键“{key}”", f"unknown key '{key}'") + tip, path=path, line=at(str(key)))
    code = data.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise RuleFileError(
            Text(
                "“code”应为一个大写字母加三位数字，如 A301",
                "'code' must be a capital letter and three digits, e.g. A301",
            ),
            path=path,
            line=at("code"),
        )
    name = data.get("name")
    if not isinstance(name, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", name):
        raise RuleFileError(
            Text("“name”应为小写英文短名，如 t3-balance", "'name' must be a lower-case slug, e.g. t3-balance"),
            path=path,
            line=at("name"),
        )
    category = data.get("category", "structure")
    if not isinstance(category, str) or category not in CATEGORIES:
        shown = _shown(category)
        raise RuleFileError(
            Text(f"未知的类别“{shown}”", f"unknown category '{shown}' (one of {', '.join(CATEGORIES)})"),
            path=path,
            line=at("category"),
        )
    try:
        # Only text reaches the enum: its error message would print any other value in full.
        severity = Severity(_text_or_none(data.get("severity", "error")))
    except ValueError:
        raise RuleFileError(
            Text("“severity”应为 error、warning 或 info", "'severity' must be error, warning or info"),
            path=path,
            line=at("severity"),
        ) from None
    docs = data.get("docs") or {}
    # Values are scalars: str() of a nested collection built from YAML aliases ("billion laughs") would
    # never finish, and documentation is text anyway.
    if (
        not isinstance(docs, dict)
        or any(k not in DOC_KEYS for k in docs)
        or any(isinstance(v, (dict, list, set)) for v in docs.values())
    ):
        raise RuleFileError(
            Text(
                "“docs”只能含 why、basis、bad、good，每项为一段文本",
                "'docs' may only hold why, basis, bad, good, each a text",
            ),
            path=path,
            line=at("docs"),
        )
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise RuleFileError(
            Text("“params”应为 名称: 取值 的映射", "'params' must be a mapping of names to values"),
            path=path,
            line=at("params"),
        )
    if any(isinstance(v, float) and not math.isfinite(v) for v in params.values()):
        raise RuleFileError(
            Text(
                "“params”中的数值应为有限数（不能是 .inf 或 .nan）",
                "numbers in 'params' must be finite (not .inf or .nan)",
            ),
            path=path,
            line=at("params"),
        )
    rule = Rule(
        code=code,
        name=name,
        category=category,
        severity=severity,
        summary=_bilingual(data.get("summary"), path, at("summary"), "summary"),
        message=_bilingual(data.get("message"), path, at("message"), "message"),
        help=_bilingual(data.get("help"), path, at("help"), "help", required=False),
        docs={k: visible(str(v)) for k, v in docs.items()},
        path=path,
        line=line,
        enabled=bool(data.get("enabled", True)),
        params=dict(params),
    )
    rule.from_year, rule.to_year = _applies(data.get("applies"), path, at("applies"))
    for_each = data.get("for_each") or {}
    if not isinstance(for_each, dict):
        raise RuleFileError(
            Text("“for_each”应为 变量: 集合 的映射", "'for_each' must map variable names to sets"),
            path=path,
            line=at("for_each"),
        )
    for var, spec in for_each.items():
        if isinstance(spec, str) and spec in LOOP_SETS:
            rule.for_each[str(var)] = LOOP_SETS[spec]
        elif isinstance(spec, list) and all(isinstance(v, str) and _LOOP_VALUE.fullmatch(v) for v in spec):
            # Values become segments of cell ids ("t3.total.$col"): letters, digits and "_" only, so
            # "../../etc" or "a.b" cannot reach anything a cell id could not.
            rule.for_each[str(var)] = tuple(spec)
        else:
            raise RuleFileError(
                Text(
                    f"“for_each”中“{var}”的集合无效（可用：{', '.join(LOOP_SETS)}，"
                    "或由字母、数字、下划线组成的名称列表）",
                    f"invalid set for '{var}' in 'for_each' "
                    f"(use one of {', '.join(LOOP_SETS)} or a list of names of letters, digits and _)",
                ),
                path=path,
                line=at("for_each"),
            )
    bindings = math.prod(len(values) for values in rule.for_each.values())
    if bindings > MAX_FOR_EACH_BINDINGS:
        raise RuleFileError(
            Text(
                f"“for_each”会产生 {bindings} 种组合，超过 {MAX_FOR_EACH_BINDINGS} 的上限",
                f"'for_each' makes {bindings} combinations, over the limit of {MAX_FOR_EACH_BINDINGS}",
            ),
            path=path,
            line=at("for_each"),
        )
    variables = CONTEXT_VARIABLES | PREVIOUS_VARIABLES | set(rule.for_each)
    extra = set(EXTRA_FUNCTIONS)
    for key in ("when", "assert"):
        source = data.get(key)
        if source is None:
            continue
        if not isinstance(source, str):
            raise RuleFileError(
                Text(f"“{key}”应为表达式文本", f"'{key}' must be an expression string"), path=path, line=at(key)
            )
        try:
            parsed = expressions.parse_expression(source)
            expressions.validate(parsed, known_cells=known_cells, variables=variables, functions=extra)
        except expressions.ExpressionError as exc:
            raise RuleFileError(
                Text(f"“{key}”表达式有误（第 {exc.column} 列）：", f"bad expression in '{key}' (column {exc.column}): ")
                + exc.text,
                path=path,
                line=at(key),
            ) from None
        rule.needs_previous = rule.needs_previous or expressions.uses_previous(parsed)
        if key == "when":
            rule.when, rule.when_text = parsed, source
        else:
            rule.assertion, rule.assertion_text = parsed, source
    check = data.get("check")
    if (check is None) == (rule.assertion is None):
        raise RuleFileError(
            Text(
                "规则须恰有“assert”（表达式）或“check”（内置检查）之一",
                "a rule needs exactly one of 'assert' (an expression) or 'check' (a built-in check)",
            ),
            path=path,
            line=line,
        )
    if check is not None:
        if not isinstance(check, str) or check not in check_names:
            from difflib import get_close_matches

            hint = get_close_matches(check, sorted(check_names), n=1) if isinstance(check, str) else []
            raise RuleFileError(
                Text(
                    f"未知的内置检查“{_shown(check)}”" + (f"，是否想写“{hint[0]}”？" if hint else ""),
                    f"unknown built-in check '{_shown(check)}'" + (f"; did you mean '{hint[0]}'?" if hint else ""),
                ),
                path=path,
                line=at("check"),
            )
        rule.check = str(check)
        rule.needs_previous = rule.needs_previous or CHECKS[rule.check].compares_years
    at_cell = data.get("at")
    if at_cell is not None:
        if not isinstance(at_cell, str):
            raise RuleFileError(Text("“at”应为单元格编号", "'at' must be a cell id"), path=path, line=at("at"))
        rule.at = at_cell
    _check_placeholders(rule, at)
    _check_cases(data.get("cases"), path, at("cases"))
    return rule


# Wider than what the engine fills (engine.render_template: lower-case letters and _), so that ``{colLabel}``
# or ``{col_label2}``, which would never be filled, is refused as well.
PLACEHOLDER = compile_re(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Values the engine gives every finding of an expression rule (engine._expression_findings); ``actual``,
# ``expected`` and ``diff`` when both sides of the relation are numbers, ``prev_year`` with a previous report.
EXPRESSION_VALUES = frozenset({"year", "prev_year", "actual", "expected", "diff", "equation"})
# The label a loop variable of each name brings along (engine._loop_labels).
LOOP_LABELS = {
    "col": "col_label",
    "column": "col_label",
    "row": "row_label",
    "group": "group_label",
    "kind": "kind_label",
}
# Templates in ``params`` that later stages fill, with the values they give: grouping.py (blank cells of one
# table as one finding) and localise.py (A300's wording of a likely wrong cell).
PARAM_TEMPLATES: dict[str, frozenset[str]] = {
    "group": frozenset({"table", "count", "cells"}),
    "matters": frozenset(),
    "change": frozenset({"table", "label", "value", "current"}),
    "candidate": frozenset({"table", "label", "value", "current"}),
    "ambiguous": frozenset({"table", "candidates"}),
}


def provided_values(rule: Rule) -> frozenset[str]:
    """The ``{placeholders}`` the rule's message and help may use: what its check or expression provides."""
    if rule.check is not None:
        spec = CHECKS.get(rule.check)
        return spec.provides if spec else frozenset()
    labels = {LOOP_LABELS[name] for name in rule.for_each if name in LOOP_LABELS}
    return EXPRESSION_VALUES | set(rule.for_each) | labels


def _check_placeholders(rule: Rule, at: Callable[[str], int]) -> None:
    """Refuse a message whose placeholder nothing fills: it would reach the user as ``{misspelt}``."""
    provided = provided_values(rule)
    texts: list[tuple[str, str, frozenset[str]]] = [
        (key, text, provided) for key in ("message", "help") for text in getattr(rule, key).values()
    ]
    for key, wanted in PARAM_TEMPLATES.items():
        template = rule.params.get(key)
        if isinstance(template, dict):
            texts += [("params", text, wanted) for text in template.values() if isinstance(text, str)]
    for key, text, values in texts:
        unknown = sorted(set(PLACEHOLDER.findall(text)) - values)
        if unknown:
            offered = "、".join(sorted(values)) or "无"
            raise RuleFileError(
                Text(
                    f"“{key}”中的占位符 {{{unknown[0]}}} 无人填写（可用：{offered}）",
                    f"placeholder {{{unknown[0]}}} in '{key}' is filled by nothing "
                    f"(available: {', '.join(sorted(values)) or 'none'})",
                ),
                path=rule.path,
                line=at(key),
            )


CASE_KINDS = ("fail", "pass", "example")


def _check_cases(cases: Any, path: str, line: int) -> None:
    """``cases`` holds the rule's own test cases (tests/rules/test_cases.py runs them; docs/rules.md has the
    format); the linter does not run them, it only refuses a section that could not hold cases."""
    if cases is None:
        return
    if (
        not isinstance(cases, dict)
        or any(k not in CASE_KINDS for k in cases)
        or not all(isinstance(c, dict) for k in ("fail", "pass") for c in _listed(cases.get(k)))
        or not isinstance(cases.get("example", {}), dict)
    ):
        raise RuleFileError(
            Text(
                "“cases”应为映射：fail、pass 为测试用例（映射）的列表，example 为一个映射",
                "'cases' must be a mapping: fail and pass lists of test cases (mappings), example one mapping",
            ),
            path=path,
            line=line,
        )


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [None]


APPLIES_KEYS = ("from_year", "to_year")


def _applies(value: Any, path: str, line: int) -> tuple[int | None, int | None]:
    """The year bounds of ``applies: {from_year: 2021, to_year: 2020}``: whole years, both optional."""
    if value is None:
        return None, None
    if not isinstance(value, dict) or not value or any(k not in APPLIES_KEYS for k in value):
        raise RuleFileError(
            Text(
                "“applies”应为含 from_year 和/或 to_year 的映射，如 applies: {from_year: 2021}",
                "'applies' must be a mapping with from_year and/or to_year, e.g. applies: {from_year: 2021}",
            ),
            path=path,
            line=line,
        )
    years: dict[str, int | None] = {}
    for key in APPLIES_KEYS:
        year = value.get(key)
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2200):
            raise RuleFileError(
                Text(
                    f"“applies”中的 {key} 应为四位年份（如 2021），而不是“{_shown(year)}”",
                    f"{key} in 'applies' must be a four-digit year such as 2021, not '{_shown(year)}'",
                ),
                path=path,
                line=line,
            )
        years[key] = year
    first, last = years["from_year"], years["to_year"]
    if first is not None and last is not None and first > last:
        raise RuleFileError(
            Text(
                f"“applies”的 from_year（{first}）晚于 to_year（{last}）",
                f"'applies' has from_year ({first}) after to_year ({last})",
            ),
            path=path,
            line=line,
        )
    return first, last


# Functions rule expressions may call besides the expression language's own (see engine.py).
EXTRA_FUNCTIONS = ("section_text", "section_present", "row_present")
