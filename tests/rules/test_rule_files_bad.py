"""Malformed rule files given with ``--rule-dir``: refused with file, line and reason, exit 2, nothing run.

Rule files are data that anyone may hand to the tool (a province's extra rules, a colleague's
directory), so a bad one must never execute anything, hang, crash the interpreter or end in a
traceback: it is reported like a syntax error in source code, in Chinese by default and in English with
``--lang en``, and no report is checked with a rule set that could not be loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "clean-report.txt"

GOOD_RULE = """\
code: X900
name: new-applications-not-negative
category: value
summary: 本年新收申请数不应为负数
message: 本年新收申请数为负数
assert: t3.new.total >= 0
"""


def run(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m disclosure_lint ARGS`` from ``tmp_path`` (where payloads would drop their files)."""
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={
            "NO_COLOR": "1",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": str(ROOT),
            "PYTHONIOENCODING": "utf-8",
        },
        timeout=timeout,
    )
    out = p.stdout + p.stderr
    assert "Traceback" not in out, out
    assert "内部错误" not in out and "internal error" not in out, out
    return p


def rule_dir(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir(exist_ok=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return directory


def assert_refused(tmp_path: Path, directory: Path, file: str, line: int | None, zh: str, en: str) -> None:
    """Both languages: exit 2, the file (and line) named, the reason given, no report checked."""
    where = f"{directory / file}:{line}:" if line else f"{directory / file}:"
    for lang, reason in (("zh", zh), ("en", en)):
        p = run(tmp_path, "check", "--lang", lang, "--rule-dir", str(directory), str(CLEAN))
        out = p.stdout + p.stderr
        assert p.returncode == 2, out
        assert where in out, out
        assert reason in out, out
        assert "clean-report.txt" not in p.stdout, "a report was checked with a rule set that failed to load"


def test_the_good_rule_loads(tmp_path):
    """The baseline the other cases break: this directory is accepted and its rule runs."""
    directory = rule_dir(tmp_path, {"X900.yaml": GOOD_RULE})
    p = run(tmp_path, "check", "--rule-dir", str(directory), str(CLEAN))
    assert p.returncode == 0, p.stdout + p.stderr
    p = run(tmp_path, "rules", "--rule-dir", str(directory))
    assert "X900" in p.stdout


def test_yaml_syntax_error(tmp_path):
    directory = rule_dir(
        tmp_path,
        {
            "X901.yaml": """\
                code: X901
                name: broken
                summary: s
                message: m
                assert: t3.new.total >= 0
                  help: [unclosed
            """
        },
    )
    assert_refused(tmp_path, directory, "X901.yaml", 6, "YAML 语法错误", "YAML syntax error")


def test_unknown_key(tmp_path):
    directory = rule_dir(tmp_path, {"X902.yaml": GOOD_RULE.replace("assert:", "asert:")})
    assert_refused(
        tmp_path, directory, "X902.yaml", 6, "未知的键“asert”", "unknown key 'asert'; did you mean 'assert'?"
    )


PAYLOADS = {
    "os-system": '!!python/object/apply:os.system ["echo pwned > PWNED"]',
    "builtins-open": '!!python/object/apply:builtins.open ["PWNED", "w"]',
    "object-new": '!!python/object/new:builtins.open ["PWNED", "w"]',
    "name": "!!python/name:os.system",
}


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
def test_python_tags_are_refused_and_never_run(tmp_path, payload):
    text = GOOD_RULE.replace("summary: 本年新收申请数不应为负数", "summary: " + PAYLOADS[payload])
    directory = rule_dir(tmp_path, {"X903.yaml": text})
    assert_refused(tmp_path, directory, "X903.yaml", 4, "python/", "python/")
    # Each payload would have created this file in the working directory (tmp_path) had it run.
    assert not (tmp_path / "PWNED").exists()
    assert not list(tmp_path.rglob("PWNED"))


def test_expression_that_does_not_parse(tmp_path):
    directory = rule_dir(tmp_path, {"X904.yaml": GOOD_RULE.replace("t3.new.total >= 0", "t3.new.total >= (1 +")})
    assert_refused(tmp_path, directory, "X904.yaml", 6, "“assert”表达式有误", "bad expression in 'assert'")


def test_reference_to_a_cell_that_does_not_exist(tmp_path):
    directory = rule_dir(tmp_path, {"X905.yaml": GOOD_RULE.replace("t3.new.total", "t3.bogus.total")})
    assert_refused(
        tmp_path, directory, "X905.yaml", 6, "t3.bogus.total", "'t3.bogus.total' does not match any known cell"
    )


def test_duplicate_rule_code_with_a_builtin_rule(tmp_path):
    directory = rule_dir(tmp_path, {"X906.yaml": GOOD_RULE.replace("X900", "A301")})
    assert_refused(tmp_path, directory, "X906.yaml", 1, "规则代码 A301 重复", "duplicate rule code A301")


def test_duplicate_rule_code_between_two_user_files(tmp_path):
    directory = rule_dir(tmp_path, {"a.yaml": GOOD_RULE, "b.yaml": GOOD_RULE.replace("new-applications", "again")})
    assert_refused(tmp_path, directory, "b.yaml", 1, "规则代码 X900 重复", "already defined in")


def test_bad_rule_in_a_list_file_points_at_its_line(tmp_path):
    second = textwrap.indent(GOOD_RULE.replace("X900", "X908").replace("new.total", "bogus.total"), "    ")
    text = "rules:\n  - " + textwrap.indent(GOOD_RULE, "    ").lstrip() + "  - " + second.lstrip()
    directory = rule_dir(tmp_path, {"X907.yaml": text})
    assert_refused(tmp_path, directory, "X907.yaml", 13, "t3.bogus.total", "t3.bogus.total")


# --- files built to hurt the loader ------------------------------------------------------------------

LAUGHS = """\
code: X910
name: laughs
summary: s
message: m
params:
  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
  i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
{target}
assert: t3.new.total >= 0
"""


@pytest.mark.parametrize(
    ("target", "line", "zh", "en"),
    [
        # The bounded loader stops at the anchor whose expansion passes 100,000 values (g, line 11),
        # wherever the bomb is used, and even where it is not used at all (params are free-form).
        ("docs:\n  why: *i", 11, "别名", "aliases"),
        ("category: *i", 11, "别名", "aliases"),
        ("severity: *i", 11, "别名", "aliases"),
        ("name: *i", 10, "别名", "aliases"),
        ("", 11, "别名", "aliases"),
    ],
)
def test_alias_bomb_is_refused_quickly(tmp_path, target, line, zh, en):
    """Nine levels of nine aliases: printing the value would take 387 million items, and forever."""
    text = LAUGHS.replace("{target}", target)
    if target.startswith("name:"):
        text = text.replace("name: laughs\n", "")
    directory = rule_dir(tmp_path, {"X910.yaml": text})
    assert_refused(tmp_path, directory, "X910.yaml", line, zh, en)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_an_error_not_a_crash(tmp_path, style):
    depth = 20000
    # "[[[…]]]", or compact block sequences "- - - … x", each level one collection deeper.
    nested = "[" * depth + "]" * depth if style == "flow" else "\n    " + "- " * depth + "x"
    directory = rule_dir(tmp_path, {"X911.yaml": GOOD_RULE + "params:\n  deep: " + nested + "\n"})
    for lang in ("zh", "en"):
        p = run(tmp_path, "check", "--lang", lang, "--rule-dir", str(directory), str(CLEAN))
        assert p.returncode == 2, (p.returncode, p.stdout + p.stderr)  # a negative code: killed by a signal
        assert "X911.yaml" in p.stderr + p.stdout


@pytest.mark.parametrize(
    ("replace", "by", "zh", "en"),
    [
        ("assert: t3.new.total >= 0", "params: [1, 2]\nassert: t3.new.total >= 0", "“params”", "'params'"),
        ("assert: t3.new.total >= 0", "check: [sections-present]", "未知的内置检查", "unknown built-in check"),
        ("assert: t3.new.total >= 0", "assert: [1, 2]", "“assert”", "'assert'"),
        ("category: value", "category: 42", "未知的类别“42”", "unknown category '42'"),
        ("code: X900", "code: x900", "“code”", "'code'"),
    ],
)
def test_wrong_types_are_reported(tmp_path, replace, by, zh, en):
    directory = rule_dir(tmp_path, {"X912.yaml": GOOD_RULE.replace(replace, by)})
    p = run(tmp_path, "check", "--rule-dir", str(directory), str(CLEAN))
    assert p.returncode == 2
    assert_refused(tmp_path, directory, "X912.yaml", None, zh, en)


def test_rule_file_that_is_not_utf8(tmp_path):
    directory = rule_dir(tmp_path, {"X913.yaml": GOOD_RULE.encode("gb18030")})
    assert_refused(tmp_path, directory, "X913.yaml", None, "无法读取规则文件", "cannot read rule file")


def test_huge_rule_file_is_refused_before_parsing(tmp_path):
    directory = rule_dir(tmp_path, {"X914.yaml": GOOD_RULE + "# " + "x" * (2 * 1024 * 1024) + "\n"})
    assert_refused(tmp_path, directory, "X914.yaml", None, "规则文件过大", "rule file too large")


def test_rule_directory_that_does_not_exist(tmp_path):
    p = run(tmp_path, "check", "--rule-dir", str(tmp_path / "nowhere"), str(CLEAN))
    assert p.returncode == 2
    assert "nowhere" in p.stderr and "规则目录不存在" in p.stderr
    p = run(tmp_path, "check", "--lang", "en", "--rule-dir", str(tmp_path / "nowhere"), str(CLEAN))
    assert p.returncode == 2
    assert "rule directory not found" in p.stderr


def test_an_edited_rule_file_takes_effect_at_once(tmp_path):
    """Fixing a rule file takes effect at once, and breaking a good one is noticed at once."""
    directory = rule_dir(tmp_path, {"X900.yaml": GOOD_RULE})
    assert run(tmp_path, "check", "--rule-dir", str(directory), str(CLEAN)).returncode == 0
    (directory / "X900.yaml").write_text(GOOD_RULE.replace("t3.new.total", "t3.bogus.total"), encoding="utf-8")
    assert_refused(tmp_path, directory, "X900.yaml", 6, "t3.bogus.total", "t3.bogus.total")
    (directory / "X900.yaml").write_text(GOOD_RULE.replace(">= 0", "< 0"), encoding="utf-8")
    p = run(tmp_path, "check", "--format", "concise", "--rule-dir", str(directory), str(CLEAN))
    assert p.returncode == 1 and "X900" in p.stdout


def test_a_type_error_in_an_expression_is_refused_when_the_file_is_loaded(tmp_path):
    """Before, such a rule loaded and then ended every report as an internal error of the tool."""
    bad = GOOD_RULE.replace("assert: t3.new.total >= 0", "assert: t3.new.total + 'a' >= 0")
    directory = rule_dir(tmp_path, {"X900.yaml": bad})
    assert_refused(
        tmp_path,
        directory,
        "X900.yaml",
        6,
        "“+”两边都必须是数字，实际为数字和字符串",
        "'+' needs two numbers, got a number and a string",
    )


def test_a_type_error_only_the_evaluation_finds_names_the_rule_not_the_tool(tmp_path):
    # section_text() gives a string, which the load-time check cannot know of an extra function.
    bad = GOOD_RULE.replace("assert: t3.new.total >= 0", "assert: section_text(1) + 1 >= 0")
    directory = rule_dir(tmp_path, {"X900.yaml": bad})
    for lang, words in (("zh", "规则 X900（"), ("en", "rule X900 (")):
        p = run(tmp_path, "check", "--lang", lang, "--rule-dir", str(directory), str(CLEAN))
        out = p.stdout + p.stderr
        assert p.returncode == 2, out
        assert words in out and f"{directory / 'X900.yaml'}:1" in out, out
