"""The command line speaks Chinese first: help, option errors with a suggestion, mistyped commands, tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args], env=base, capture_output=True, text=True, cwd=cwd
    )


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["extract", "-h"], ["rules", "--help"]])
def test_help_is_chinese_by_default(args: list[str]):
    p = run(*args)
    assert p.returncode == 0
    assert p.stdout.startswith("用法：") and "选项：" in p.stdout and "显示本帮助并退出" in p.stdout
    assert "usage:" not in p.stdout and "show this help" not in p.stdout


def test_check_help_explains_every_option_in_chinese():
    text = run("check", "--help").stdout
    assert "输出格式" in text and "把结果写入文件" in text and "达到此级别的问题视为未通过" in text


@pytest.mark.parametrize("how", [("--lang", "en"), ("--lang=en",), ()])
def test_help_in_english_on_request(how: tuple[str, ...]):
    env = {"DISCLOSURE_LINT_LANG": "en"} if not how else None
    p = run("check", *how, "--help", env=env)
    assert p.stdout.startswith("usage:") and "show this help message and exit" in p.stdout


def test_a_mistyped_option_names_the_one_meant():
    p = run("check", "--formt", "json", "examples/clean-report.txt")
    assert p.returncode == 2
    assert "无法识别的参数：--formt" in p.stderr and "您是否想输入 --format？" in p.stderr
    assert len(p.stderr.splitlines()) <= 4  # no usage dump


def test_a_mistyped_choice_names_the_one_meant():
    p = run("check", "--format", "jsn", "examples/clean-report.txt")
    assert p.returncode == 2 and "您是否想输入 json？" in p.stderr


def test_a_mistyped_command_is_not_taken_as_a_file():
    p = run("chek", "examples/clean-report.txt")
    assert p.returncode == 2 and "您是否想输入 check？" in p.stderr and "文件不存在" not in p.stderr
    p = run("chek", "--lang", "en")
    assert "did you mean check?" in p.stderr


def test_a_file_named_like_a_command_is_still_checked(tmp_path: Path):
    (tmp_path / "chek").write_text(
        (ROOT / "examples" / "clean-report.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    p = run("chek", cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr


def test_rules_table_and_summary_are_chinese():
    p = run("rules")
    head = p.stdout.splitlines()[0].split()
    assert head == ["规则", "名称", "级别", "类别", "启用", "说明"]
    p = run("check", "examples/faulty-report.txt")
    assert "= 修改建议：" in p.stdout and "help:" not in p.stdout and "退出码" not in p.stdout
    assert p.stdout.rstrip().endswith("结论：未通过（请按上面的问题修改）。")


def test_explain_heading_is_chinese():
    assert run("explain", "A300").stdout.splitlines()[0] == "A300 likely-wrong-cell（错误，勾稽关系）"
