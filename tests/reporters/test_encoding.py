"""Output never fails on its encoding: a GBK console or redirected file, an ASCII locale, -o files, CSV for Excel."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ("000_9e832b1717b2646d.txt", "002_30f21ffa1848b77a.txt")


def run(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args], env={**base, **env}, capture_output=True, cwd=cwd
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_a_gbk_stream_never_crashes(seed: str, fmt: str):
    p = run("check", "--format", fmt, str(shared_path("seeds", seed)), env={"PYTHONIOENCODING": "gbk"})
    assert p.returncode == 1, p.stderr.decode("gbk", "replace")
    text = p.stdout.decode("gbk")  # what cmd on Chinese Windows shows
    assert "内部错误" not in text + p.stderr.decode("gbk") and "共检查 1 个文件" in text


def test_an_ascii_locale_gets_utf8():
    p = run("check", str(shared_path("seeds", SEEDS[0])), env={"LC_ALL": "C", "PYTHONUTF8": "0"})
    assert p.returncode == 1 and "共检查 1 个文件" in p.stdout.decode("utf-8")


def test_output_file_is_utf8_whatever_the_console(tmp_path: Path):
    out = tmp_path / "结果.txt"
    p = run("check", "-o", str(out), str(shared_path("seeds", SEEDS[1])), env={"PYTHONIOENCODING": "gbk"})
    assert p.returncode == 1 and "共检查 1 个文件" in out.read_text(encoding="utf-8")


def test_extract_csv_starts_with_a_bom_for_excel(tmp_path: Path):
    out = tmp_path / "cells.csv"
    p = run("extract", "--format", "csv", "-o", str(out), str(ROOT / "examples" / "clean-report.txt"), env={})
    assert p.returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpath,year,edition,")
