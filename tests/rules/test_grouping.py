"""Grouped per-cell findings: the blanks of one table are one finding; a blank that matters stands alone, first."""

from __future__ import annotations

import json

import reportgen
from conftest import shared_path

from disclosure_lint.cli import main
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

ZERO_ROWS = ("denied.state_secret", "denied.security", "denied.internal", "unavailable.unclear")


def _blank(t3: dict[str, list[int]], row: str, columns: range | list[int]) -> None:
    for i in columns:
        t3[row][i] = ""  # type: ignore[call-overload]


def _t3() -> dict[str, list[int]]:
    return {k: list(v) for k, v in reportgen.T3_DATA.items()}


def _check(t3: dict[str, list[int]]) -> list:
    text = reportgen.render("tab", t3=t3)
    return run_rules(load_report("r.txt", text.encode()), load_rules())


def test_blanks_that_stand_for_zero_are_one_finding():
    t3 = _t3()
    for row in ZERO_ROWS:
        _blank(t3, row, range(1, 6))
    found = [d for d in _check(t3) if d.rule == "T101"]
    [grouped] = found
    assert len(grouped.cells) == 4 * 5 and grouped.key == "T101:t3.*"
    assert "表三有 20 个单元格为空" in grouped.message.zh
    assert [r.cell for r in grouped.related] == grouped.cells


def test_a_single_blank_is_reported_as_before():
    t3 = _t3()
    _blank(t3, "denied.security", [2])
    [single] = [d for d in _check(t3) if d.rule == "T101"]
    assert single.cells == ["t3.denied.security.research"] and single.key == "T101:t3.denied.security.research"
    assert "为空" in single.message.zh and "个单元格" not in single.message.zh


def test_a_blank_total_beside_numbers_stands_alone_and_first():
    t3 = _t3()
    for row in ZERO_ROWS:
        _blank(t3, row, range(1, 6))
    _blank(t3, "granted", [6])  # 10 + 2 + 0 + 1 + 0 + 0 beside it: not 0
    found = [d for d in _check(t3) if d.rule == "T101"]
    assert [d.key for d in found] == ["T101:t3.granted.total", "T101:t3.*"]
    assert "此格应有实际数字" in found[0].message.zh
    assert "t3.granted.total" not in found[1].cells


def test_a_blank_part_that_the_total_needs_stands_alone():
    t3 = _t3()
    for row in ZERO_ROWS:
        _blank(t3, row, range(1, 6))
    _blank(t3, "partial", [0])  # 3 in a row whose total says 3
    found = [d for d in _check(t3) if d.rule == "T101"]
    assert found[0].key == "T101:t3.partial.natural_person"


def test_seed_002_blanks_are_grouped_through_the_cli(capsys):
    path = str(shared_path("seeds", "002_30f21ffa1848b77a.txt"))
    assert main(["check", path, "--format", "json", "--isolated"]) == 1
    findings = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    blanks = [d for d in findings if d["rule"] == "T101"]
    assert len(blanks) == 2  # one per table, instead of 143
    t3 = next(d for d in blanks if d["cells"][0].startswith("t3."))
    assert len(t3["cells"]) > 100 and f"有 {len(t3['cells'])} 个单元格为空" in t3["message"]
    assert len(t3["related"]) == len(t3["cells"]) and all(r["cell"] for r in t3["related"])


def test_corpus_022_the_blank_total_that_matters_comes_first(capsys):
    path = str(shared_path("corpus", "022_shanghai-bangongting_2019.html"))
    main(["check", path, "--format", "json", "--isolated"])
    findings = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    blanks = [d for d in findings if d["rule"] == "T101"]
    assert len(blanks) < 20  # 128 before
    assert blanks[0]["cells"] == ["t3.granted.total"]
    grouped = [d for d in blanks if len(d["cells"]) > 1]
    assert grouped and all("t3.granted.total" not in d["cells"] for d in grouped)
    assert findings.index(blanks[0]) < findings.index(grouped[0])


def test_placeholders_are_grouped_too():
    t3 = _t3()
    for row in ZERO_ROWS:
        for i in range(1, 6):
            t3[row][i] = "—"  # type: ignore[call-overload]
    found = [d for d in _check(t3) if d.rule == "T102"]
    [grouped] = found
    assert "表三有 20 个单元格填的是符号而不是数字" in grouped.message.zh and grouped.key == "T102:t3.*"


def test_english_grouped_message():
    t3 = _t3()
    for row in ZERO_ROWS:
        _blank(t3, row, range(1, 6))
    report = load_report("r.txt", reportgen.render("tab", t3=t3).encode())
    [grouped] = [d for d in run_rules(report, load_rules()) if d.rule == "T101"]
    assert grouped.message.en.startswith("20 cells of table 3 are blank:")
