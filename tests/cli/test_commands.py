"""The command line: check, extract, rules, explain, exit codes, languages (issues #2, #3)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import shared_path

from disclosure_lint import formats

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"


def run(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        **kw,
    )


def test_clean_report_exits_zero():
    p = run("check", str(CLEAN))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "0 个错误" in p.stdout


def test_shorthand_and_exit_one_with_code_frame():
    p = run(str(FAULTY))
    assert p.returncode == 1
    assert "错误[A300]" in p.stdout and "faulty-report.txt:53:7" in p.stdout
    assert "^" in p.stdout and "= 期望：21" in p.stdout


def test_the_process_ends_without_teardown_and_keeps_every_output(tmp_path):
    # cli.run leaves with os._exit once main is done: the status is main's, the text on stdout is whole, the file
    # written with -o is complete, and a profiler run still gets to write what it gathered.
    p = run(str(FAULTY))
    assert p.returncode == 1 and p.stdout.rstrip().endswith("结论：未通过（请按上面的问题修改）。")
    out = tmp_path / "r.json"
    assert run("check", "--format", "json", "-o", str(out), str(FAULTY)).returncode == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["errors"] == 2
    stats = tmp_path / "check.prof"
    profiled = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(stats), "-m", "disclosure_lint", "check", str(CLEAN)],
        capture_output=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )
    assert profiled.returncode == 0 and stats.stat().st_size > 0


def test_fail_on_and_exit_zero():
    seed4 = str(shared_path("seeds", "004_1e860eacff34bb2b.txt"))
    assert run(seed4).returncode == 0  # only a warning
    assert run(seed4, "--fail-on", "warning").returncode == 1
    assert run(str(FAULTY), "--exit-zero").returncode == 0


def test_json_output_document():
    p = run("check", str(FAULTY), "--format", "json")
    doc = json.loads(p.stdout)
    assert doc["version"] == 2
    diags = doc["files"][0]["diagnostics"]
    a301 = next(d for d in diags if d["rule"] == "A300")
    assert {
        "rule",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "cells",
        "section",
        "expected",
        "actual",
    } <= set(a301)
    assert a301["cells"][0] == "t3.total.natural_person" and a301["section"] is None
    s007 = next(d for d in diags if d["rule"] == "S007")
    assert s007["section"] == 6


def test_english_messages():
    p = run("check", str(FAULTY), "--lang", "en", "--format", "concise")
    assert "is probably 21 (reads 20)" in p.stdout


def test_unreadable_file_exits_two_and_others_are_checked(tmp_path):
    pdf = tmp_path / "report.txt"
    pdf.write_bytes(b"%PDF-1.4 binary")
    p = run("check", str(pdf), str(CLEAN), "--format", "concise")
    assert p.returncode == 2
    assert "PDF" in p.stdout and "Traceback" not in p.stderr + p.stdout


def test_extract_json_has_every_cell_id():
    p = run("extract", "--format", "json", str(shared_path("seeds", "002_30f21ffa1848b77a.txt")))
    assert p.returncode == 0
    report = json.loads(p.stdout)["reports"][0]
    assert set(report["cells"]) == set(formats.STANDARD_CELL_IDS)
    assert report["year"] == 2021 and report["edition"] == "2021"
    assert report["cells"]["t3.new.commercial"] == {
        "value": None,
        "raw": "\u00a0",
        "status": "blank",
        "line": 137,
        "column": 1,
        "end_line": 137,
        "end_column": 2,
    }
    assert report["cells"]["t4.litigation_after_review.total"]["status"] == "missing"
    assert [s["number"] for s in report["sections"]] == [1, 2, 3, 4, 5, 6]


def test_extract_csv_and_table():
    p = run("extract", "--format", "csv", str(CLEAN))
    header, row = p.stdout.strip().split("\n")
    assert header.split(",")[3:] == list(formats.STANDARD_CELL_IDS)
    assert row.split(",")[1] == "2024"
    p = run("extract", "--format", "table", str(CLEAN))
    assert p.returncode == 0 and "表三" in p.stdout and "（七）总计" in p.stdout


def test_rules_and_explain():
    p = run("rules")
    assert "A301" in p.stdout and "S001" in p.stdout
    p = run("explain", "A301")
    assert p.returncode == 0 and "勾稽关系" in p.stdout
    assert run("explain", "Z999").returncode == 2


def test_bad_rule_file_points_at_file_and_line(tmp_path):
    (tmp_path / "X001.yaml").write_text(
        "code: X001\nname: bad-rule\nsummary: s\nmessage: m\nassert: t3.bogus.total == 1\n", encoding="utf-8"
    )
    p = run("check", str(CLEAN), "--rule-dir", str(tmp_path))
    assert p.returncode == 2
    assert "X001.yaml:5" in p.stderr and "t3.bogus.total" in p.stderr


def test_user_rule_directory_adds_a_rule(tmp_path):
    (tmp_path / "P001.yaml").write_text(
        "code: P001\nname: fee-is-small\nseverity: warning\nsummary: 收费金额应小于10万元\n"
        "message: 行政事业性收费为 {actual} 万元\nassert: t2.fees.amount < 10\nat: t2.fees.amount\n",
        encoding="utf-8",
    )
    p = run("check", str(CLEAN), "--rule-dir", str(tmp_path), "--format", "concise")
    assert "P001" in p.stdout and "12.35" in p.stdout
