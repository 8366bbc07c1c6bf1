"""Fault localisation (A300): one wrong cell gives one finding that names it and the value it should have."""

from __future__ import annotations

import json

import pytest
import reportgen
from conftest import shared_path

from disclosure_lint import formats
from disclosure_lint.cli import main
from disclosure_lint.diagnostics import Fix
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules
from disclosure_lint.rules.localise import cell_label

RELATION_RULES = {"A301", "A302", "A303", "A304", "A401"}
T3_COLUMNS = [c.key for c in formats.T3_COLUMNS]
T4_CELLS = [
    f"t4.{g}.{c}"
    for g in ("review", "litigation_direct", "litigation_after_review")
    for c in ("upheld", "corrected", "other", "pending", "total")
]
T3_CELLS = [f"t3.{row}.{col}" for row in reportgen.T3_DATA for col in T3_COLUMNS]
SHIFT = 3


def _check(text: str) -> list:
    return run_rules(load_report("r.txt", text.encode()), load_rules())


def _with_t3_cell(cell: str, delta: int) -> tuple[str, int, int]:
    row, col = cell[3:].rsplit(".", 1)
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    i = T3_COLUMNS.index(col)
    original = t3[row][i]
    t3[row][i] = original + delta
    return reportgen.render("tab", t3=t3), original, original + delta


def test_consistent_report_has_no_localised_finding():
    assert not {d.rule for d in _check(reportgen.render("tab"))} & (RELATION_RULES | {"A300"})


@pytest.mark.parametrize("cell", T3_CELLS)
def test_one_changed_cell_of_table_three_is_named_with_its_original_value(cell: str):
    text, original, changed = _with_t3_cell(cell, SHIFT)
    found = _check(text)
    assert not {d.rule for d in found} & RELATION_RULES, [d.message.zh for d in found]
    [primary] = [d for d in found if d.rule == "A300"]
    assert primary.fix == Fix(cell, changed, original)
    assert primary.cells == [cell]
    assert f"{cell_label(cell).zh}可能应为 {original}（现为 {changed}）" in primary.message.zh
    assert primary.related and all(r.message and r.cell for r in primary.related)


NONZERO_T3_CELLS = [
    c for c in T3_CELLS if reportgen.T3_DATA[c[3:].rsplit(".", 1)[0]][T3_COLUMNS.index(c.rsplit(".", 1)[1])]
]


@pytest.mark.parametrize("cell", NONZERO_T3_CELLS)
def test_a_cell_left_at_zero_is_named_too(cell: str):
    row, col = cell[3:].rsplit(".", 1)
    text, original, changed = _with_t3_cell(cell, -reportgen.T3_DATA[row][T3_COLUMNS.index(col)])
    assert changed == 0
    [primary] = [d for d in _check(text) if d.rule == "A300"]
    assert primary.fix == Fix(cell, 0, original)


@pytest.mark.parametrize("position", range(15))
def test_one_changed_cell_of_table_four_is_among_the_named_candidates(position: int):
    """A group of 表四 has one relation, so any of its five cells mends it: the finding says so and names each."""
    t4 = list(reportgen.T4_DATA)
    original = t4[position]
    t4[position] = original + SHIFT
    found = _check(reportgen.render("tab", t4=t4))
    assert "A300" not in {d.rule for d in found}
    [relation] = [d for d in found if d.rule == "A401"]
    cell = T4_CELLS[position]
    assert relation.help and "无法确定是哪一格填错" in relation.help.zh
    assert f"{cell_label(cell).zh}应为 {original}（现为 {original + SHIFT}）" in relation.help.zh


@pytest.mark.parametrize("cell", [f"t3.{row}.{col}" for row in ("granted", "total", "new") for col in T3_COLUMNS])
def test_single_other_row_layout_of_the_trial_format(cell: str):
    row, col = cell[3:].rsplit(".", 1)
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items() if not k.startswith("other.")}
    i = T3_COLUMNS.index(col)
    original = t3[row][i]
    t3[row][i] += SHIFT
    text = reportgen.render("tab", t3=t3).replace(
        "（七）总计\t", "（六）其他处理\t1\t0\t0\t0\t0\t1\t2\n（七）总计\t", 1
    )
    found = _check(text)
    assert "A303" in load_rules().by_code()
    assert not {d.rule for d in found} & RELATION_RULES, [d.message.zh for d in found]
    [primary] = [d for d in found if d.rule == "A300"]
    assert primary.fix == Fix(cell, original + SHIFT, original)


def test_two_unrelated_faults_in_one_column_are_reported_as_before():
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    t3["granted"][0] += 1
    t3["new"][0] += 5
    found = _check(reportgen.render("tab", t3=t3))
    assert "A300" not in {d.rule for d in found}
    assert {"A301", "A302", "A304"} <= {d.rule for d in found}


def test_faulty_example_names_the_total_cell_through_the_cli(capsys):
    assert main(["check", "examples/faulty-report.txt", "--format", "json", "--isolated"]) == 1
    doc = json.loads(capsys.readouterr().out)
    findings = doc["files"][0]["diagnostics"] if "files" in doc else doc["diagnostics"]
    arithmetic = [d for d in findings if d["rule"].startswith("A")]
    assert [d["rule"] for d in arithmetic] == ["A300"]
    [primary] = arithmetic
    assert "「（七）总计·自然人」可能应为 21（现为 20）" in primary["message"]
    assert primary["fix"] == {"cell": "t3.total.natural_person", "current": 20, "value": 21}
    assert {r["message"].split(":")[0] for r in primary["related"]} == {"A301", "A302", "A304"}


def test_faulty_example_in_sarif_has_related_locations(capsys):
    main(["check", "examples/faulty-report.txt", "--format", "sarif", "--isolated"])
    sarif = json.loads(capsys.readouterr().out)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "A300"]
    assert len(result["relatedLocations"]) == 3


def test_seed_000_whole_total_row_left_at_zero():
    report = load_report(str(shared_path("seeds", "000_9e832b1717b2646d.txt")))
    found = run_rules(report, load_rules())
    arithmetic = [d for d in found if d.rule.startswith("A")]
    assert [d.rule for d in arithmetic] == ["A300"]
    assert arithmetic[0].cells[0] == "t3.total.natural_person"
    assert all(c.startswith("t3.total.") for c in arithmetic[0].cells)
    assert all(f.startswith("A30") for f in (r.message.zh if r.message else "" for r in arithmetic[0].related))


def test_ignoring_a300_keeps_the_relations():
    found = [d.rule for d in _check(_with_t3_cell("t3.total.natural_person", 1)[0])]
    assert "A300" in found
    report = load_report("r.txt", _with_t3_cell("t3.total.natural_person", 1)[0].encode())
    kept = {d.rule for d in run_rules(report, load_rules(), select=lambda code: code != "A300")}
    assert {"A301", "A302", "A304"} <= kept


def test_a_settled_group_is_named_while_an_ambiguous_one_keeps_its_relation():
    # 行政复议: only the total can mend it (lowering a part would make it negative); 复议后起诉: any cell can.
    t4 = [3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3]
    found = _check(reportgen.render("tab", t4=t4))
    [primary] = [d for d in found if d.rule == "A300"]
    assert primary.fix == Fix("t4.review.total", 0, 5)
    assert primary.message.zh.endswith("A401 因此不成立")
    [left] = [d for d in found if d.rule == "A401"]
    assert left.cells[0] == "t4.litigation_after_review.total"
    assert left.help and "「复议后起诉·总计」应为 1（现为 3）" in left.help.zh
