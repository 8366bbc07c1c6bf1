"""Project configuration: discovery, strict validation, presets, and layering with the command line.

Where settings come from, lowest priority first:

1. built-in defaults;
2. the *profile* (a preset shipped in ``disclosure_lint/profiles/``, written in the same YAML as a
   project file);
3. the project file: ``.disclosure-lint.yaml`` or ``[tool.disclosure-lint]`` in ``pyproject.toml``,
   the nearest one found by walking up from the checked file (or the one named by ``--config``);
4. the environment (``DISCLOSURE_LINT_LANG`` only);
5. the command line.

Every value remembers its :class:`Origin` so that ``disclosure-lint config --show`` can say where it
came from, and every mistake in a file is reported with the file and line (exit status 2). This module
never imports rich or the command line: it is usable from any front end.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .bilingual import Text
from .diagnostics import Severity
from .errors import ConfigError, InputError
from .limits import (
    DEFAULT_MAX_MEMORY_MB,
    MAX_CONFIG_FILE_SIZE,
    MAX_FILE_SIZE,
    MAX_GLOB_LENGTH,
    MAX_GLOBS,
    MAX_NESTING,
    MB,
)
from .reading import read_small_text
from .records import record
from .regexcode import compile_re

if TYPE_CHECKING:
    import yaml

    from .rules.engine import RuleSet

CONFIG_NAMES = (".disclosure-lint.yaml", ".disclosure-lint.yml")
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "disclosure-lint"
# Where a pyproject.toml can name our table: the key "disclosure-lint", bare or quoted, ending a table header
# or followed by "." (a dotted key) or "=" ([tool.disclosure-lint], tool."disclosure-lint".x, or
# disclosure-lint = {…} under [tool]). Not the name of the project or of a dependency ("disclosure-lint>=1").
_NAMES_OUR_TABLE = compile_re(r"(?<![\w-])[\"']?disclosure-lint[\"']?\s*[\].=]")
LANG_ENV = "DISCLOSURE_LINT_LANG"
DEFAULT_PROFILE = "default"
LANGS = ("zh", "en")

# "ALL" selects every rule; otherwise a selector is a code or a code prefix (category letter, …).
ALL = "ALL"
_SELECTOR = compile_re(r"^[A-Z][0-9]{0,3}$")


# --- where a value came from --------------------------------------------------------------------


@record(frozen=True)
class Origin:
    kind: str  # "default" | "profile" | "file" | "env" | "cli" | "derived"
    detail: str = ""  # profile name, file path or variable name

    def describe(self, line: int | None = None) -> Text:
        if self.kind == "default":
            return Text("默认值", "default")
        if self.kind == "profile":
            return Text(f"预设 {self.detail}", f"profile {self.detail}")
        if self.kind == "env":
            return Text(f"环境变量 {self.detail}", f"environment {self.detail}")
        if self.kind == "cli":
            return Text("命令行", "command line")
        if self.kind == "derived":
            return Text("由以上设置得出", "from the settings above")
        return Text.same(f"{self.detail}:{line}" if line else self.detail)


DEFAULT = Origin("default")
CLI = Origin("cli")
DERIVED = Origin("derived")


@record(frozen=True)
class Item:
    """One value with its origin and, for files, its line (for error messages and ``config --show``)."""

    value: Any
    origin: Origin
    line: int | None = None

    def where(self) -> Text:
        return self.origin.describe(self.line)


@record
class Options:
    """The settings one source states, validated in shape but not yet checked against the rules."""

    origin: Origin
    base_dir: Path  # what relative paths and globs in this source are relative to
    select: list[Item] | None = None
    extend_select: list[Item] = field(default_factory=list)
    ignore: list[Item] = field(default_factory=list)
    severity: list[tuple[Item, Severity]] = field(default_factory=list)
    per_file_ignores: list[tuple[Item, list[Item]]] = field(default_factory=list)
    rule_dirs: list[Item] = field(default_factory=list)
    exclude: list[Item] | None = None  # None: not set here; the command line can also extend
    extend_exclude: list[Item] = field(default_factory=list)
    # Every setting with one value (a :class:`Scalar` of the table), by key: "fail-on", "lang", "pairing" …
    scalars: dict[str, Item] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Item | None:
        # ``opts.fail_on``, ``opts.pairing``: the one-value setting of that name as this source states it, or None.
        scalars = self.__dict__.get("scalars")
        key = name.replace("_", "-")
        if scalars is None or not any(isinstance(s, Scalar) and s.key == key for s in SETTINGS):
            raise AttributeError(name)
        return scalars.get(key)


def _error(text: Text, origin: Origin, line: int | None = None) -> ConfigError:
    if origin.kind == "file":
        return ConfigError(text, path=origin.detail, line=line)
    if origin.kind == "profile":
        return ConfigError(Text(f"预设 {origin.detail}：", f"profile {origin.detail}: ") + text, line=line)
    if origin.kind == "env":
        return ConfigError(Text(f"环境变量 {origin.detail}：", f"environment variable {origin.detail}: ") + text)
    return ConfigError(text)


_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _hint(word: str, choices: Iterable[str]) -> Text:
    from difflib import get_close_matches  # (only a mistyped word needs it: not imported at start-up)

    choices = sorted(set(choices))
    # A letter typed for its look-alike digit (T1O1 for T101) is the likely slip; difflib alone ties T101
    # with T110 and picks the latter.
    lookalike = word.upper().translate(_LOOKALIKE_DIGITS)
    close = [lookalike] if lookalike in choices else get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        return Text.same("")
    return Text(f"，是否想写“{close[0]}”？", f"; did you mean '{close[0]}'?")


# --- a small tree of values with line numbers ----------------------------------------------------


@record
class _Node:
    """A parsed value that remembers its line, for YAML (exact) and TOML (found by searching)."""

    data: Any
    line: int | None
    items: list[_Node] | None = None  # for sequences
    entries: list[tuple[str, int | None, _Node]] | None = None  # for mappings: key, key line, value


def _from_yaml(node: yaml.Node, origin: Origin) -> _Node:
    import yaml  # (here and below: a run without a configuration file never pays for importing YAML or TOML)

    line = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        items = [_from_yaml(n, origin) for n in node.value]
        return _Node([i.data for i in items], line, items=items)
    if isinstance(node, yaml.MappingNode):
        entries: list[tuple[str, int | None, _Node]] = []
        seen: set[str] = set()
        for knode, vnode in node.value:
            kline = knode.start_mark.line + 1
            if not isinstance(knode, yaml.ScalarNode):
                raise _error(Text("键应为文本", "keys must be plain text"), origin, kline)
            key = str(knode.value)
            # A YAML loader silently keeps the last of two equal keys; a config file must not.
            if key in seen:
                raise _error(Text(f"键“{key}”重复", f"duplicate key '{key}'"), origin, kline)
            seen.add(key)
            entries.append((key, kline, _from_yaml(vnode, origin)))
        return _Node({k: v.data for k, _, v in entries}, line, entries=entries)
    loader = yaml.SafeLoader("")
    try:
        return _Node(loader.construct_object(node, deep=True), line)
    except yaml.YAMLError as exc:
        raise _error(Text(f"无法解析的值：{exc}", f"cannot read value: {exc}"), origin, line) from None


_TOML_LOOKAHEAD_LINES = 500


class _TomlLines:
    """Best-effort line numbers for ``[tool.disclosure-lint]``: tomllib does not report positions."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        header = re.compile(r"^\s*\[+\s*tool\s*\.\s*[\"']?disclosure-lint[\"']?\s*[\].]")
        self.start = next((i for i, s in enumerate(self.lines) if header.match(s)), 0)

    def find(self, token: str, after: int | None = None) -> int | None:
        """The first line (1-based) at or after ``after`` in the tool section that mentions ``token``."""
        begin = (after - 1) if after else self.start
        pattern: re.Pattern[str] | None = None
        # A bounded look ahead: a value not written literally (escapes) would otherwise be searched for to
        # the end of the file, once for each of thousands of values.
        for i in range(begin, min(len(self.lines), begin + _TOML_LOOKAHEAD_LINES)):
            if token not in self.lines[i]:
                continue
            pattern = pattern or re.compile(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])")
            if pattern.search(self.lines[i]):
                return i + 1
        return after


def _from_toml(value: Any, lines: _TomlLines, line: int | None) -> _Node:
    if isinstance(value, list):
        items = [_from_toml(v, lines, lines.find(str(v), line) if isinstance(v, str) else line) for v in value]
        return _Node(value, line, items=items)
    if isinstance(value, dict):
        entries = []
        for k, v in value.items():
            kline = lines.find(str(k), line)
            entries.append((str(k), kline, _from_toml(v, lines, kline)))
        return _Node(value, line, entries=entries)
    return _Node(value, line)


# --- reading one source --------------------------------------------------------------------------


_EXAMPLES = {"exclude": '["drafts/", "*.bak.md"]', "rule-dirs": "[rules/province]"}


def _strings(node: _Node, key: str, origin: Origin, line: int | None) -> list[Item]:
    if node.items is None or not all(isinstance(v, str) for v in node.data):
        example = _EXAMPLES.get(key, "[A301, S007]")
        raise _error(
            Text(f"“{key}”应为文本列表，例如 {example}", f"'{key}' must be a list of strings, e.g. {example}"),
            origin,
            node.line or line,
        )
    return [Item(i.data, origin, i.line) for i in node.items]


def _codes(node: _Node, key: str, origin: Origin, line: int | None) -> list[Item]:
    return [Item(i.value.strip().upper(), origin, i.line) for i in _strings(node, key, origin, line)]


def _choice(node: _Node, key: str, choices: Sequence[str], origin: Origin, line: int | None) -> str:
    if not isinstance(node.data, str) or node.data not in choices:
        tip = _hint(str(node.data), choices) if isinstance(node.data, str) else Text.same("")
        raise _error(
            Text(
                f"“{key}”应为 {'、'.join(choices)} 之一，而不是“{node.data}”{tip.zh}",
                f"'{key}' must be one of {', '.join(choices)}, not '{node.data}'{tip.en}",
            ),
            origin,
            node.line or line,
        )
    return node.data


def _options(root: _Node, origin: Origin, base_dir: Path, allowed: Sequence[str]) -> Options:
    opts = Options(origin, base_dir)
    if root.data is None:
        return opts
    if root.entries is None:
        raise _error(Text("配置应为“键: 值”的映射", "the configuration must be a mapping of keys to values"), origin, 1)
    by_key = {s.key: s for s in SETTINGS}
    for key, line, node in root.entries:
        if key not in allowed:
            tip = _hint(key, allowed)
            extra = Text("（预设中不能使用）", " (not allowed in a profile)") if key in file_keys() else Text.same("")
            raise _error(
                Text(f"未知的配置项“{key}”{extra.zh}{tip.zh}", f"unknown key '{key}'{extra.en}{tip.en}"), origin, line
            )
        by_key[key].read_file(opts, node, line)
    return opts


# --- what a file's value may be: one reader per shape, each with its own clear message ------------


def _read_codes(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    setattr(opts, setting.attr, _codes(node, setting.key, opts.origin, line))


def _read_severity(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    origin = opts.origin
    if node.entries is None:
        raise _error(
            Text(
                "“severity”应为“规则代码: 级别”的映射，例如 {T102: error}",
                "'severity' must map rule codes to levels, e.g. {T102: error}",
            ),
            origin,
            node.line or line,
        )
    for code, kline, value in node.entries:
        level = _choice(value, f"severity.{code}", [s.value for s in Severity], origin, kline)
        opts.severity.append((Item(code.strip().upper(), origin, kline), Severity(level)))


def _read_per_file_ignores(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    origin = opts.origin
    if node.entries is None:
        raise _error(
            Text(
                "“per-file-ignores”应为“文件模式: [规则代码…]”的映射",
                "'per-file-ignores' must map file globs to lists of rule codes",
            ),
            origin,
            node.line or line,
        )
    _check_globs([Item(pattern, origin, kline) for pattern, kline, _value in node.entries])
    for pattern, kline, value in node.entries:
        opts.per_file_ignores.append((Item(pattern, origin, kline), _codes(value, pattern, origin, kline)))


def _read_rule_dirs(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    for item in _strings(node, setting.key, opts.origin, line):
        directory = (opts.base_dir / item.value).resolve()
        if not directory.is_dir():
            raise _error(
                Text(f"规则目录不存在：{item.value}", f"rule directory not found: {item.value}"), opts.origin, item.line
            )
        opts.rule_dirs.append(Item(str(directory), opts.origin, item.line))


def _read_globs(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    opts.exclude = _check_globs(_strings(node, setting.key, opts.origin, line))


def _severity_value(node: _Node, key: str, opts: Options, line: int | None) -> Severity:
    return Severity(_choice(node, key, [s.value for s in Severity], opts.origin, line))


def _lang_value(node: _Node, key: str, opts: Options, line: int | None) -> str:
    return _choice(node, key, LANGS, opts.origin, line)


def _profile_value(node: _Node, key: str, opts: Options, line: int | None) -> str:
    return _choice(node, key, available_profiles(), opts.origin, line)


def _bool_value(node: _Node, key: str, opts: Options, line: int | None) -> bool:
    if not isinstance(node.data, bool):
        raise _error(
            Text(f"“{key}”应为 true 或 false", f"'{key}' must be true or false"), opts.origin, node.line or line
        )
    return node.data


def _path_value(node: _Node, key: str, opts: Options, line: int | None) -> str:
    if not isinstance(node.data, str) or not node.data.strip():
        raise _error(Text(f"“{key}”应为文件路径", f"'{key}' must be a file path"), opts.origin, node.line or line)
    return str((opts.base_dir / node.data).resolve())


def _csv_path_value(node: _Node, key: str, opts: Options, line: int | None) -> str:
    if not isinstance(node.data, str) or not node.data.strip():
        raise _error(
            Text(
                f"“{key}”应为 CSV 文件路径（列：file,body,year）",
                f"'{key}' must be the path of a CSV file (columns file,body,year)",
            ),
            opts.origin,
            node.line or line,
        )
    return str((opts.base_dir / node.data).resolve())


def _megabytes_value(lowest: int) -> Callable[[_Node, str, Options, int | None], int]:
    def read(node: _Node, key: str, opts: Options, line: int | None) -> int:
        value = node.data
        if isinstance(value, bool) or not isinstance(value, int) or not lowest <= value <= 1_000_000:
            raise _error(
                Text(
                    f"“{key}”应为 {lowest} 到 1000000 之间的整数（单位 MB）",
                    f"'{key}' must be a whole number of MB from {lowest} to 1000000",
                ),
                opts.origin,
                node.line or line,
            )
        return value

    return read


def _check_globs(items: list[Item]) -> list[Item]:
    if len(items) > MAX_GLOBS:
        # Every file of a run is matched against every glob: thousands of them would cost seconds per file.
        first = items[0]
        raise _error(
            Text(
                f"文件模式过多（{len(items)} 个，上限 {MAX_GLOBS}）",
                f"too many globs ({len(items)}, at most {MAX_GLOBS})",
            ),
            first.origin,
            first.line,
        )
    for item in items:
        why = check_glob(item.value)
        if why is not None:
            raise _error(
                Text(f"无效的文件模式“{item.value}”：{why}", f"invalid glob '{item.value}': {why}"),
                item.origin,
                item.line,
            )
    return items


def load_config_file(path: str | Path) -> Options:
    """Read and validate one project file (YAML, or ``pyproject.toml`` with a tool table)."""
    path = Path(path)
    origin = Origin("file", str(path))
    try:
        text = read_small_text(path, MAX_CONFIG_FILE_SIZE)
    except InputError as exc:
        raise _error(Text("无法读取配置文件：", "cannot read configuration file: ") + exc.text, origin) from None
    except UnicodeDecodeError as exc:
        raise _error(Text(f"无法读取配置文件：{exc}", f"cannot read configuration file: {exc}"), origin) from None
    base_dir = path.resolve().parent
    if path.name == PYPROJECT or path.suffix == ".toml":
        table = _tool_table(text, origin)
        if table is None:
            raise _error(Text(f"没有 [tool.{TOOL_TABLE}] 配置节", f"no [tool.{TOOL_TABLE}] table in this file"), origin)
        lines = _TomlLines(text)
        return _options(_from_toml(table, lines, lines.start + 1), origin, base_dir, file_keys())
    return _options(_parse_yaml(text, origin), origin, base_dir, file_keys())


def _parse_yaml(text: str, origin: Origin) -> _Node:
    import yaml

    from . import safeyaml

    try:
        root = safeyaml.compose(text)
    except safeyaml.YAMLLimitError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise _error(Text("YAML 过大：", "YAML too large: ") + exc.text, origin, line) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise _error(Text(f"YAML 语法错误：{exc.problem}", f"YAML syntax error: {exc.problem}"), origin, line) from None
    except yaml.YAMLError as exc:
        raise _error(Text(f"YAML 错误：{exc}", f"YAML error: {exc}"), origin) from None
    return _Node(None, 1) if root is None else _from_yaml(root, origin)


def _nesting(value: Any) -> int:
    """How deeply lists and tables nest in ``value`` (without recursion, whatever the depth)."""
    deepest = 0
    todo: list[tuple[Any, int]] = [(value, 1)]
    while todo:
        item, depth = todo.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        todo.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _tool_table(text: str, origin: Origin) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 needs the backport (see the report to the lead)
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(Text(f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}"), origin) from None
    except RecursionError:
        raise _error(Text("TOML 嵌套层次过深", "TOML tables or arrays are nested too deeply"), origin) from None
    except ValueError as exc:  # a number of thousands of digits, beyond what int() converts
        raise _error(Text(f"TOML 中有无法读取的值：{exc}", f"TOML value cannot be read: {exc}"), origin) from None
    if _nesting(data) > MAX_NESTING:
        raise _error(Text("TOML 嵌套层次过深", "TOML tables or arrays are nested too deeply"), origin)
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        return None  # "tool = 1": no tool tables at all, so none of ours
    table = tool.get(TOOL_TABLE)
    if table is not None and not isinstance(table, dict):
        raise _error(Text(f"[tool.{TOOL_TABLE}] 应为表", f"[tool.{TOOL_TABLE}] must be a table"), origin)
    return table


# --- presets --------------------------------------------------------------------------------------


def _profiles_dir() -> Path:
    # The presets are plain files inside the package (wheel or checkout alike); importlib.resources would
    # add ~25 ms of import time to every run for the same answer.
    return Path(__file__).resolve().parent / "profiles"


@lru_cache(maxsize=1)
def available_profiles() -> tuple[str, ...]:
    names = [p.name.rsplit(".", 1)[0] for p in _profiles_dir().iterdir() if p.name.endswith(".yaml")]
    return tuple(sorted(names))


@lru_cache(maxsize=8)
def load_profile(name: str) -> Options:
    origin = Origin("profile", name)
    if name not in available_profiles():
        tip = _hint(name, available_profiles())
        raise _error(Text(f"未知的预设{tip.zh}", f"unknown profile{tip.en}"), origin)
    text = _profiles_dir().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    # The default profile is all comments, and every run reads it: no YAML parse for nothing.
    root = _Node(None, 1) if _only_comments(text) else _parse_yaml(text, origin)
    return _options(root, origin, Path.cwd(), profile_keys())


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


# --- the command line as one more source ---------------------------------------------------------


def _split(text: str | None) -> list[str]:
    return [s.strip() for s in (text or "").split(",") if s.strip()]


def _cli_keywords() -> set[str]:
    return {f.keyword or f.dest for f in flags()}


def cli_options(*, cwd: Path | None = None, **values: Any) -> Options:
    """Command-line values as an :class:`Options` layer, by the keywords of the table's flags (``select="A,T101"``,
    ``severity=["T102=error"]``, ``rule_dirs=["rules"]``, ``pairing=False`` …): comma-separated lists,
    ``CODE=LEVEL`` pairs. Relative paths are relative to ``cwd``."""
    unknown = sorted(set(values) - _cli_keywords())
    if unknown:
        raise TypeError(f"cli_options() got unexpected keyword arguments: {', '.join(unknown)}")
    opts = Options(CLI, cwd or Path.cwd())
    for setting in SETTINGS:
        setting.read_cli(opts, values)
    return opts


def _take_codes(setting: Setting, opts: Options, values: dict[str, Any]) -> None:
    raw = values.get(setting.attr)
    if raw is not None:
        setattr(opts, setting.attr, [Item(c.upper(), CLI) for c in _split(raw)])


def _take_severity(setting: Setting, opts: Options, values: dict[str, Any]) -> None:
    for pair in values.get("severity", ()):
        code, sep, level = pair.partition("=")
        if not sep or level.strip() not in [s.value for s in Severity]:
            raise ConfigError(
                Text(
                    f"--severity 应写作“规则代码=级别”（级别为 error、warning 或 info），而不是“{pair}”",
                    f"--severity takes CODE=LEVEL (level: error, warning or info), not '{pair}'",
                ),
            )
        opts.severity.append((Item(code.strip().upper(), CLI), Severity(level.strip())))


def _known_profile(profile: str) -> str:
    if profile not in available_profiles():
        tip = _hint(profile, available_profiles())
        raise ConfigError(
            Text(
                f"--profile：未知的预设“{profile}”（可用：{'、'.join(available_profiles())}）{tip.zh}",
                f"--profile: unknown profile '{profile}' (available: {', '.join(available_profiles())}){tip.en}",
            ),
        )
    return profile


def _take_rule_dirs(setting: Setting, opts: Options, values: dict[str, Any]) -> None:
    for d in values.get("rule_dirs", ()):
        path = (opts.base_dir / d).resolve()
        if not path.is_dir():
            raise ConfigError(Text(f"--rule-dir：规则目录不存在：{d}", f"--rule-dir: rule directory not found: {d}"))
        opts.rule_dirs.append(Item(str(path), CLI))


def _take_globs(setting: Setting, opts: Options, values: dict[str, Any]) -> None:
    if values.get("exclude") is not None:
        opts.exclude = _check_globs([Item(p, CLI) for p in _split(values["exclude"])])
    opts.extend_exclude = _check_globs([Item(p, CLI) for p in _split(values.get("extend_exclude"))])


def env_options(environ: dict[str, str] | None = None) -> Options:
    env = os.environ if environ is None else environ
    origin = Origin("env", LANG_ENV)
    opts = Options(origin, Path.cwd())
    value = env.get(LANG_ENV, "").strip()
    if value:
        if value not in LANGS:
            raise _error(Text(f"应为 zh 或 en，而不是“{value}”", f"must be zh or en, not '{value}'"), origin)
        opts.scalars["lang"] = Item(value, origin)
    return opts


# --- glob matching ----------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    # fnmatch lets "*" cross "/", which would make "drafts/*.md" match "drafts/a/b.md"; here "*" stays
    # within one path segment and "**" spans segments, as in .gitignore and ruff.
    #
    # Every wildcard but the last, with the fixed text after it, is an atomic group that takes the
    # earliest place that text occurs (as fnmatch does): a plain translation backtracks through every
    # way to split the name among the stars, and a glob of 14 stars then ran for hours.
    if len(pattern) > MAX_GLOB_LENGTH:
        raise re.error(f"glob longer than {MAX_GLOB_LENGTH} characters")
    pieces: list[tuple[str, str]] = []  # (wildcard regex or "", fixed text after it)
    wildcard, fixed = "", []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i) or pattern.startswith("**", i) or pattern[i] == "*":
            if pattern.startswith("**/", i):
                new, step = "(?:.*?/)??", 3
            elif pattern.startswith("**", i):
                new, step = ".*?", 2
            else:
                new, step = "[^/]*?", 1
            if wildcard and not fixed:
                # Wildcards with nothing between them are one: "**/*" is any path, "**" then "*" too.
                new = "[^/]*?" if new == wildcard == "[^/]*?" else ".*?"
            else:
                pieces.append((wildcard, "".join(fixed)))
            wildcard, fixed = new, []
            i += step
        elif pattern[i] == "?":
            fixed.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            fixed.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            fixed.append(re.escape(pattern[i]))
            i += 1
    pieces.append((wildcard, "".join(fixed)))
    out = [pieces[0][1]]
    for n, (wild, text) in enumerate(pieces[1:], 1):
        if n == len(pieces) - 1:
            out.append(wild.replace("*?", "*").replace("??", "?") + text)  # the last one may backtrack freely
        else:
            # An atomic group, written as a lookahead and a back-reference (Python 3.10 has no "(?>").
            out.append(f"(?=(?P<g{n}>{wild}{text}))(?P=g{n})")
    return re.compile("".join(out))


def check_glob(pattern: str) -> str | None:
    """Why ``pattern`` is not a valid glob (``[z-a]``, too long), or None."""
    try:
        _glob_regex(pattern.strip().rstrip("/").removeprefix("./").lstrip("/"))
    except re.error as exc:
        return str(exc)
    return None


def glob_matches(pattern: str, path: str | Path, base: Path, *, is_dir: bool = False) -> bool:
    """Does ``pattern`` (relative to ``base``) cover ``path``?

    A pattern without "/" matches any single path component (``drafts``, ``*.docx``); a pattern with
    "/" is anchored at ``base`` and matches the path or any directory above it (``archive/2019``).
    A trailing "/" restricts the pattern to directories. Paths outside ``base`` never match.
    """
    # realpath on both sides: a config directory reached through a symlink (macOS /tmp) must still match.
    rel = os.path.relpath(os.path.realpath(path), os.path.realpath(base))
    if rel == "." or rel.startswith(".."):
        return False
    parts = PurePosixPath(rel.replace(os.sep, "/")).parts
    pattern = pattern.strip()
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    if not pattern:
        return False
    regex = _glob_regex(pattern)
    # The last part is the path itself; it counts for a directory-only pattern only if it is a directory.
    last = len(parts) if (is_dir or not dir_only) else len(parts) - 1
    if anchored:
        candidates: Iterable[str] = ("/".join(parts[:k]) for k in range(1, last + 1))
    else:
        candidates = parts[:last]
    return any(regex.fullmatch(c) for c in candidates)


# --- resolved settings ----------------------------------------------------------------------------


@record(frozen=True)
class PerFileIgnore:
    pattern: str
    base: Path
    codes: frozenset[str]


@record
class Shown:
    """One line of ``config --show``: a setting, its value, and where the value came from."""

    key: str
    value: str
    origin: str


@record
class Settings:
    """Everything needed to check the files one configuration applies to."""

    config_path: Path | None
    ruleset: RuleSet
    enabled: frozenset[str]
    severities: dict[str, Severity]  # exact code -> level, only where it differs from the rule file
    per_file_ignores: list[PerFileIgnore]
    fail_on: Severity
    lang: str
    profile: str
    rule_dirs: tuple[str, ...]
    exclude: list[tuple[str, Path]]
    baseline: Path | None
    shown: list[tuple[str, str, Item | None]] = field(default_factory=list)
    pairing: bool = True
    pair_by: Path | None = None
    max_file_size_mb: int = MAX_FILE_SIZE // MB
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    values: dict[str, Any] = field(default_factory=dict)  # every setting's merged value by key, new ones included

    def codes_for(self, path: str | Path) -> frozenset[str]:
        """The rules that run on ``path``: the enabled ones minus its per-file ignores."""
        if not self.per_file_ignores and type(self.enabled) is frozenset:
            # (the enabled set itself: the files of a batch then share one object, which a batch of jobs sent to a
            # worker pickles once instead of once for each file)
            return self.enabled
        codes = set(self.enabled)
        for pfi in self.per_file_ignores:
            if glob_matches(pfi.pattern, path, pfi.base):
                codes -= pfi.codes
        return frozenset(codes)

    def excluded(self, path: str | Path, *, is_dir: bool = False) -> bool:
        return any(glob_matches(p, path, base, is_dir=is_dir) for p, base in self.exclude)

    def show(self, lang: str = "zh") -> list[Shown]:
        out = []
        for key, value, item in self.shown:
            out.append(Shown(key, value, (item.where() if item else DEFAULT.describe()).resolve(lang)))
        return out


def _expand(selector: str, codes: Sequence[str]) -> set[str]:
    return set(codes) if selector == ALL else {c for c in codes if c.startswith(selector)}


def _check_code(item: Item, codes: Sequence[str], key: str) -> None:
    """A selector must name at least one rule; a typo must not silently select nothing."""
    code = str(item.value)
    if code == ALL or (_SELECTOR.match(code) and _expand(code, codes)):
        return
    prefixes = {c[:1] for c in codes} | {c[:2] for c in codes}
    tip = _hint(code, [*codes, *prefixes, ALL])
    label = f"--{key}" if item.origin.kind == "cli" else key
    raise _error(
        Text(
            f"“{label}”中未知的规则代码“{code}”{tip.zh}（用 disclosure-lint rules 查看全部规则）",
            f"unknown rule code '{code}' in '{label}'{tip.en} (see: disclosure-lint rules)",
        ),
        item.origin,
        item.line,
    )


def _check_codes(layer: Options, codes: Sequence[str]) -> None:
    for key, items in (
        ("select", layer.select or []),
        ("extend-select", layer.extend_select),
        ("ignore", layer.ignore),
    ):
        for item in items:
            _check_code(item, codes, key)
    for item, _level in layer.severity:
        _check_code(item, codes, "severity")
    for glob, items in layer.per_file_ignores:
        for item in items:
            _check_code(item, codes, f"per-file-ignores.{glob.value}")


@record
class _Sources:
    """The layers of one resolution, lowest first, with what every setting's merge needs to know."""

    layers: list[Options]  # profile, file, environment, command line (those present)
    paths: list[Options]  # the layers whose paths and globs count: file and command line
    ruleset: RuleSet
    profile: Merged
    rule_dirs: Merged

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.ruleset.rules]


def _merge_last(setting: Setting, sources: _Sources) -> Merged:
    assert isinstance(setting, Scalar)
    found = Item(setting.default, DEFAULT)
    for layer in sources.layers:
        found = layer.scalars.get(setting.key, found)
    return Merged(setting.final(found.value), [(setting.key, setting.show(found.value), _real(found))])


def _merge_selection(sources: _Sources) -> Merged:
    # Each layer's "select" starts over, then "extend-select" adds and "ignore" removes, so a command-line
    # --select replaces the project's choice while --ignore only narrows it.
    codes = sources.codes
    default_enabled = [r.code for r in sources.ruleset.rules if r.enabled]
    enabled = set(default_enabled)
    select_item: list[Item] | None = None
    ignores: list[Item] = []
    extends: list[Item] = []
    for lay in sources.layers:
        if lay.select is not None:
            enabled = set().union(*(_expand(i.value, default_enabled) for i in lay.select))
            select_item, ignores, extends = lay.select, [], []
        for item in lay.extend_select:
            enabled |= _expand(item.value, default_enabled)
            extends.append(item)
        for item in lay.ignore:
            enabled -= _expand(item.value, codes)
            ignores.append(item)
    shown: list[tuple[str, str, Item | None]] = [("select", ALL, None)] if select_item is None else []
    shown += [("select", item.value, item) for item in select_item or []]
    shown += [("extend-select", item.value, item) for item in extends]
    shown += [("ignore", item.value, item) for item in ignores]
    return Merged(frozenset(enabled), shown)


def _merge_severity(sources: _Sources) -> Merged:
    # Later layers win; inside one layer the longest (most specific) prefix wins.
    codes = sources.codes
    severities: dict[str, Severity] = {}
    severity_items: dict[str, tuple[Item, Severity]] = {}
    for lay in sources.layers:
        ordered = sorted(lay.severity, key=lambda pair: 0 if pair[0].value == ALL else len(pair[0].value))
        for item, level in ordered:
            for code in _expand(item.value, codes):
                severities[code] = level
            severity_items[item.value] = (item, level)
    defaults = {r.code: r.severity for r in sources.ruleset.rules}
    severities = {c: s for c, s in severities.items() if defaults.get(c) is not s}
    shown = [(f"severity.{code}", level.value, item) for code, (item, level) in sorted(severity_items.items())]
    return Merged(severities, list(shown))


def _merge_per_file_ignores(sources: _Sources) -> Merged:
    codes = sources.codes
    pfis: list[PerFileIgnore] = []
    shown: list[tuple[str, str, Item | None]] = []
    for lay in sources.layers:
        for glob, items in lay.per_file_ignores:
            expanded = frozenset().union(*(_expand(i.value, codes) for i in items)) if items else frozenset()
            pfis.append(PerFileIgnore(glob.value, lay.base_dir, frozenset(expanded)))
            shown.append((f"per-file-ignores.{glob.value}", ", ".join(i.value for i in items), glob))
    return Merged(pfis, shown)


def _merge_exclude(sources: _Sources) -> Merged:
    # Only the file and the command line hold globs: a preset has no directory for them to be relative to.
    exclude: list[tuple[str, Path]] = []
    exclude_items: list[Item] = []
    for lay in sources.paths:
        if lay.exclude is not None:
            exclude = [(i.value, lay.base_dir) for i in lay.exclude]
            exclude_items = list(lay.exclude)
        exclude += [(i.value, lay.base_dir) for i in lay.extend_exclude]
        exclude_items += lay.extend_exclude
    return Merged(exclude, [("exclude", item.value, item) for item in exclude_items])


def resolve(
    file_opts: Options | None,
    cli: Options,
    env: Options | None = None,
) -> Settings:
    """Combine default < profile < project file < environment < command line into :class:`Settings`."""
    # Imported here: the command line's parser reads the table of settings, and --help or --version must not
    # pay for loading the rule engine.
    from .rules.engine import load_rules

    paths = [lay for lay in (file_opts, cli) if lay is not None]
    profile_item = Item(DEFAULT_PROFILE, DEFAULT)
    for lay in paths:
        profile_item = lay.scalars.get("profile", profile_item)
    profile = load_profile(profile_item.value)
    rule_dir_items = [item for lay in paths for item in lay.rule_dirs]
    rule_dirs = tuple(dict.fromkeys(i.value for i in rule_dir_items))
    sources = _Sources(
        layers=[lay for lay in (profile, file_opts, env, cli) if lay is not None],
        paths=paths,
        ruleset=load_rules(rule_dirs),
        profile=Merged(profile_item.value, [("profile", profile_item.value, _real(profile_item))]),
        rule_dirs=Merged(rule_dirs, [("rule-dirs", item.value, item) for item in rule_dir_items]),
    )
    for lay in sources.layers:
        _check_codes(lay, sources.codes)
    merged = {s.key: s.merge(s, sources) for s in SETTINGS if s.merge is not None}
    fields = {s.field: merged[s.key].value for s in SETTINGS if s.field and s.key in merged}
    settings = Settings(
        config_path=Path(file_opts.origin.detail) if file_opts else None,
        ruleset=sources.ruleset,
        values={key: m.value for key, m in merged.items()},
        **fields,
    )
    for m in merged.values():
        settings.shown.extend(m.shown)
    codes = sources.codes
    settings.shown.append(("rules.enabled", f"{len(settings.enabled)}/{len(codes)}", Item(None, DERIVED)))
    disabled = sorted(set(codes) - settings.enabled)
    if disabled:
        settings.shown.append(("rules.disabled", " ".join(disabled), Item(None, DERIVED)))
    return settings


def _real(item: Item) -> Item | None:
    return None if item.origin == DEFAULT else item


# --- the table of settings ------------------------------------------------------------------------
#
# Every setting is one entry below: its key in a file, how a file's value is read and checked, its
# command-line flags with their help, whether a preset may state it, how the sources combine, and how
# ``config --show`` prints it. Parsing, the flags, the layering and ``config --show`` all follow the table.


@record(frozen=True)
class Flag:
    """A command-line option of a setting."""

    option: str  # "--fail-on"
    help: Text
    commands: str = "settings"  # "settings": check, rules and config; "all": every command; "check": check only
    keyword: str = ""  # the cli_options keyword it feeds ("" for the setting's own name)
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    repeat: bool = False  # may be given several times
    switch: Any = None  # a flag without a value that, given, sets the setting to this value (--no-pairing)
    type: Callable[[str], Any] | None = None

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")

    def argparse_options(self, lang: str) -> dict[str, Any]:
        """What ``ArgumentParser.add_argument(self.option, **…)`` needs."""
        options: dict[str, Any] = {"help": self.help.resolve(lang)}
        if self.switch is not None:
            return {**options, "action": "store_true"}
        options["default"] = [] if self.repeat else None
        if self.repeat:
            options["action"] = "append"
        for name in ("metavar", "choices", "type"):
            if getattr(self, name) is not None:
                options[name] = getattr(self, name)
        return options


@record
class Merged:
    """A setting combined over the sources: its value for :class:`Settings`, and its lines of ``config --show``."""

    value: Any
    shown: list[tuple[str, str, Item | None]]


@record(frozen=True)
class Setting:
    """A setting with a shape of its own (lists of codes, maps): its readers and its merge are named per entry."""

    key: str
    read: Callable[[Setting, Options, _Node, int | None], None]  # a file's value, checked, into the layer
    take: Callable[[Setting, Options, dict[str, Any]], None]  # the command line's values, checked, into the layer
    merge: Callable[[Setting, _Sources], Merged] | None  # None: merged by the entry it belongs with (select)
    flags: tuple[Flag, ...] = ()
    in_profile: bool = False  # a preset may state it (paths in a preset would have nothing to be relative to)
    field: str | None = None  # the Settings attribute that holds the merged value

    @property
    def attr(self) -> str:
        return self.key.replace("-", "_")

    def read_file(self, opts: Options, node: _Node, line: int | None) -> None:
        self.read(self, opts, node, line)

    def read_cli(self, opts: Options, values: dict[str, Any]) -> None:
        self.take(self, opts, values)


@record(frozen=True, kw_only=True)
class Scalar(Setting):
    """A setting with one value: the last source that states it wins (default < profile < file < env < CLI)."""

    parse: Callable[[_Node, str, Options, int | None], Any]  # a file's value, checked
    convert: Callable[[Any, Path], Any]  # a command-line value, checked
    default: Any
    show: Callable[[Any], str]  # the value as ``config --show`` prints it
    final: Callable[[Any], Any]  # the value as :class:`Settings` holds it


def scalar(
    key: str,
    parse: Callable[[_Node, str, Options, int | None], Any],
    *,
    default: Any,
    flags: tuple[Flag, ...] = (),
    convert: Callable[[Any, Path], Any] = lambda value, base: value,
    show: Callable[[Any], str] = str,
    final: Callable[[Any], Any] = lambda value: value,
    in_profile: bool = False,
    field: str | None = None,
    merge: Callable[[Setting, _Sources], Merged] | None = None,
) -> Scalar:
    """A one-value setting: ``parse`` checks a file's value, ``convert`` a command-line one; ``final`` gives the
    :class:`Settings` value (``Settings.values[key]``, and ``field`` when Settings has an attribute for it)."""
    return Scalar(
        key,
        _read_scalar,
        _take_scalar,
        merge or _merge_last,
        flags,
        in_profile,
        field,
        parse=parse,
        convert=convert,
        default=default,
        show=show,
        final=final,
    )


def _read_scalar(setting: Setting, opts: Options, node: _Node, line: int | None) -> None:
    assert isinstance(setting, Scalar)
    opts.scalars[setting.key] = Item(setting.parse(node, setting.key, opts, line), opts.origin, line)


def _take_scalar(setting: Setting, opts: Options, values: dict[str, Any]) -> None:
    assert isinstance(setting, Scalar)
    raw = values.get(setting.attr)
    if raw is not None:
        opts.scalars[setting.key] = Item(setting.convert(raw, opts.base_dir), CLI)


def _optional_path(value: Any) -> Path | None:
    return Path(value) if value else None


def _relative_to(value: str, base: Path) -> str:
    return str((base / value).resolve())


def megabytes_argument(text: str) -> int:
    """argparse's reading of ``--max-file-size MB`` and ``--max-memory MB``."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected a whole number of MB from 0 to 1000000, got {text!r}")
    return value


_CODES = "CODES"
SETTINGS: tuple[Setting, ...] = (
    scalar(
        "profile",
        _profile_value,
        field="profile",
        default=DEFAULT_PROFILE,
        flags=(Flag("--profile", Text("规则预设（default、strict）", "rule preset (default, strict)")),),
        convert=lambda name, base: _known_profile(name),
        merge=lambda setting, sources: sources.profile,
    ),
    Setting(
        "select",
        read=_read_codes,
        take=_take_codes,
        merge=lambda setting, sources: _merge_selection(sources),
        flags=(
            Flag(
                "--select",
                Text("只运行这些规则（逗号分隔的规则代码或前缀）", "comma-separated rule codes or prefixes to run"),
                metavar=_CODES,
            ),
        ),
        in_profile=True,
        field="enabled",
    ),
    Setting(
        "extend-select",
        read=_read_codes,
        take=_take_codes,
        merge=None,
        flags=(
            Flag("--extend-select", Text("在已选规则之外再加上这些规则", "add rules to the selection"), metavar=_CODES),
        ),
        in_profile=True,
    ),
    Setting(
        "ignore",
        read=_read_codes,
        take=_take_codes,
        merge=None,
        flags=(
            Flag(
                "--ignore",
                Text("不运行这些规则（逗号分隔的规则代码或前缀）", "comma-separated rule codes or prefixes to skip"),
                metavar=_CODES,
            ),
        ),
        in_profile=True,
    ),
    Setting(
        "severity",
        read=_read_severity,
        take=_take_severity,
        merge=lambda setting, sources: _merge_severity(sources),
        flags=(
            Flag(
                "--severity",
                Text(
                    "修改规则的级别，如 T102=error（可重复）", "override a rule's level, e.g. T102=error (repeatable)"
                ),
                metavar="CODE=LEVEL",
                repeat=True,
            ),
        ),
        in_profile=True,
        field="severities",
    ),
    Setting(
        "per-file-ignores",
        read=_read_per_file_ignores,
        take=lambda setting, opts, values: None,
        merge=lambda setting, sources: _merge_per_file_ignores(sources),
        field="per_file_ignores",
    ),
    scalar(
        "fail-on",
        _severity_value,
        field="fail_on",
        default=Severity.ERROR,
        flags=(
            Flag(
                "--fail-on",
                Text("达到此级别的问题视为未通过（默认 error）", "lowest level that fails the run (default error)"),
                choices=tuple(s.value for s in Severity),
            ),
        ),
        convert=lambda value, base: Severity(value),
        show=lambda level: level.value,
        in_profile=True,
    ),
    scalar(
        "lang",
        _lang_value,
        field="lang",
        default="zh",
        flags=(
            Flag(
                "--lang",
                Text("输出语言：zh 中文（默认）、en 英文", "message language: zh (default) or en"),
                "all",
                choices=LANGS,
            ),
        ),
    ),
    Setting(
        "rule-dirs",
        read=_read_rule_dirs,
        take=_take_rule_dirs,
        merge=lambda setting, sources: sources.rule_dirs,
        flags=(
            Flag(
                "--rule-dir",
                Text("额外的 YAML 规则目录", "extra YAML rule directory"),
                "all",
                "rule_dirs",
                metavar="DIR",
                repeat=True,
            ),
        ),
        field="rule_dirs",
    ),
    Setting(
        "exclude",
        read=_read_globs,
        take=_take_globs,
        merge=lambda setting, sources: _merge_exclude(sources),
        flags=(
            Flag(
                "--exclude",
                Text("替换配置中的排除规则（逗号分隔的通配符）", "replace the configured exclude globs"),
                metavar="GLOBS",
            ),
            Flag(
                "--extend-exclude", Text("增加排除规则", "add exclude globs"), keyword="extend_exclude", metavar="GLOBS"
            ),
        ),
        field="exclude",
    ),
    scalar(
        "baseline",
        _path_value,
        field="baseline",
        default=None,
        flags=(
            Flag(
                "--baseline",
                Text("只报告基线文件中没有的问题", "report only findings not in FILE"),
                "check",
                metavar="FILE",
            ),
        ),
        convert=_relative_to,
        show=lambda path: path or "-",
        final=_optional_path,
    ),
    scalar(
        "pairing",
        _bool_value,
        field="pairing",
        default=True,
        flags=(
            Flag(
                "--no-pairing",
                Text("不与上一年度的报告比较", "do not compare reports with last year's"),
                "check",
                "pairing",
                switch=False,
            ),
        ),
        show=lambda on: "true" if on else "false",
        final=bool,
    ),
    scalar(
        "pair-by",
        _csv_path_value,
        field="pair_by",
        default=None,
        flags=(
            Flag(
                "--pair-by",
                Text(
                    "CSV 文件（文件,机关,年度），指明配对所用的机关和年度",
                    "CSV (file,body,year) naming body and year for pairing",
                ),
                "check",
                metavar="FILE.csv",
            ),
        ),
        convert=_relative_to,
        show=lambda path: path or "-",
        final=_optional_path,
    ),
    scalar(
        "max-file-size",
        _megabytes_value(1),
        default=MAX_FILE_SIZE // MB,
        flags=(
            Flag(
                "--max-file-size",
                Text("最大读取的文件大小，单位 MB（默认 50）", "largest input file read, in MB (default 50)"),
                "check",
                metavar="MB",
                type=megabytes_argument,
            ),
        ),
        show=lambda mb: f"{mb} MB",
        field="max_file_size_mb",
    ),
    scalar(
        "max-memory",
        _megabytes_value(0),
        default=DEFAULT_MAX_MEMORY_MB,
        flags=(
            Flag(
                "--max-memory",
                Text(
                    "每个工作进程可用的内存上限，单位 MB（默认不限；0 表示不限）",
                    "address-space limit per worker process, in MB (default none; 0 for none)",
                ),
                "check",
                metavar="MB",
                type=megabytes_argument,
            ),
        ),
        show=lambda mb: f"{mb} MB" if mb else "-",
        field="max_memory_mb",
    ),
)


def file_keys() -> tuple[str, ...]:
    """Every key a project file may hold. Anything else is an error with a "did you mean" hint."""
    return tuple(s.key for s in SETTINGS)


def profile_keys() -> tuple[str, ...]:
    """The keys a preset may hold: only those that adjust rules."""
    return tuple(s.key for s in SETTINGS if s.in_profile)


def flags(commands: str | None = None) -> list[Flag]:
    """The command-line options of the settings, in the table's order (those of ``commands`` only, if given)."""
    return [f for s in SETTINGS for f in s.flags if commands is None or f.commands == commands]


def flag_values(namespace: object) -> dict[str, Any]:
    """The :func:`cli_options` keywords a parsed command line gives; options the command lacks are left out."""
    values: dict[str, Any] = {}
    for flag in flags():
        given = getattr(namespace, flag.dest, None)
        if flag.switch is not None:
            given = flag.switch if given else None
        if given is not None:
            values[flag.keyword or flag.dest] = given
    return values


# --- discovery ------------------------------------------------------------------------------------


class Resolver:
    """Finds and caches the settings for each checked file.

    The nearest project file wins and parent files are not merged (as in ruff): a sub-directory's file
    states everything for its tree. ``--config`` names one file for every input; ``--isolated``
    ignores all files.
    """

    def __init__(
        self,
        cli: Options,
        *,
        config_file: str | Path | None = None,
        isolated: bool = False,
        environ: dict[str, str] | None = None,
    ) -> None:
        if config_file is not None and isolated:
            raise ConfigError(Text("--config 与 --isolated 不能同时使用", "--config and --isolated cannot be combined"))
        self.cli = cli
        self.isolated = isolated
        self.env = env_options(environ)
        self.explicit = load_config_file(config_file) if config_file is not None else None
        # By folder name: every file of a batch asks for its folder, and building Path objects to ask cost more
        # than checking the file.
        self._found: dict[str, Path | None] = {}
        self._settings: dict[Path | None, Settings] = {}

    def config_for(self, path: str | Path, *, is_dir: bool = False) -> Path | None:
        """The project file that applies to ``path`` (``None``: defaults only)."""
        if self.isolated:
            return None
        if self.explicit is not None:
            return Path(self.explicit.origin.detail)
        folder = os.path.abspath(path) if is_dir else os.path.dirname(os.path.abspath(path))
        return self._found[folder] if folder in self._found else self._find(folder)

    def _find(self, folder: str) -> Path | None:
        """The project file of ``folder`` or its nearest parent that has one; every folder passed on the way up
        remembers the answer."""
        chain: list[str] = []
        found: Path | None = None
        directory: str | None = folder
        while directory is not None:
            if directory in self._found:
                found = self._found[directory]
                break
            chain.append(directory)
            found = _config_in(Path(directory))
            parent = os.path.dirname(directory)
            directory = None if found is not None or parent == directory else parent
        for d in chain:
            self._found[d] = found
        return found

    def settings_for(self, path: str | Path, *, is_dir: bool = False) -> Settings:
        config = self.config_for(path, is_dir=is_dir)
        if config not in self._settings:
            if self.explicit is not None:
                file_opts: Options | None = self.explicit
            else:
                file_opts = load_config_file(config) if config is not None else None
            self._settings[config] = resolve(file_opts, self.cli, self.env)
        return self._settings[config]

    def run_settings(self) -> Settings:
        """Settings for the whole run (language, fail level, baseline): those of the current directory."""
        return self.settings_for(Path.cwd(), is_dir=True)

    def files_read(self) -> tuple[list[Path], list[str]]:
        """The configuration files and rule directories the settings resolved so far were read from."""
        configs = [p for p in self._settings if p is not None]
        rule_dirs = list(dict.fromkeys(d for s in self._settings.values() for d in s.rule_dirs))
        return configs, rule_dirs


def _config_in(directory: Path) -> Path | None:
    try:
        return _config_file_in(directory)
    except OSError:
        # A directory that may be listed but not entered: its files cannot be read either, and the walk
        # reports them; its configuration cannot be known, so the defaults apply.
        return None


def _config_file_in(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file() or candidate.is_symlink() or candidate.exists():
            return candidate  # (a device or pipe by that name is an error when read, not silently ignored)
    pyproject = directory / PYPROJECT
    if pyproject.is_file():
        try:
            text = read_small_text(pyproject, MAX_CONFIG_FILE_SIZE)
        except (InputError, UnicodeDecodeError):
            return None
        # Only a pyproject.toml that names our table is parsed; an unrelated broken one must not stop the
        # search (its syntax errors are not ours to report), nor one that only depends on the tool.
        if _NAMES_OUR_TABLE.search(text) and _tool_table(text, Origin("file", str(pyproject))) is not None:
            return pyproject
    return None
