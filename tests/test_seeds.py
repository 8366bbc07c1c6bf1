"""The five real seed reports: every cell they contain is read with the right value, status and line,
and the rules report exactly the known faults (issues #2 and #3)."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import shared_path

from disclosure_lint import formats
from disclosure_lint.model import CellStatus
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

SEEDS = {
    "000": "000_9e832b1717b2646d.txt",
    "001": "001_f216bc686eab11d1.txt",
    "002": "002_30f21ffa1848b77a.txt",
    "003": "003_fe98648910e778a2.txt",
    "004": "004_1e860eacff34bb2b.txt",
}


def seed(name: str):
    return load_report(str(shared_path("seeds", SEEDS[name])))


def findings(name: str) -> list:
    return run_rules(seed(name), load_rules())


def cell(report, cid):
    c = report.cells[cid]
    return c.status.value, c.value, c.span.line if c.span else None


def test_seed_000_tab_indented_cells():
    r = seed("000")
    assert r.year == 2022 and r.edition == "2021"
    assert [s.number for s in r.sections] == [1, 2, 3, 4, 5, 6]
    assert all(c.status is CellStatus.OK for c in r.cells.values())
    assert cell(r, "t2.regulations.issued") == ("ok", 0, 40)  # "\t\u3000\u30000"
    assert cell(r, "t2.normative_docs.in_force") == ("ok", 50, 47)
    assert cell(r, "t2.licensing.decisions") == ("ok", 35779, 55)
    assert cell(r, "t2.fees.amount") == ("ok", 912, 74)
    assert cell(r, "t3.new.natural_person") == ("ok", 1, 98)
    assert cell(r, "t3.granted.natural_person") == ("ok", 1, 117)
    assert cell(r, "t3.total.natural_person") == ("ok", 0, 346)
    assert cell(r, "t3.carried_forward.total") == ("ok", 0, 361)
    # 表四: headers split over lines ("结果\n纠正"), values one per line after them.
    assert [r.cells[f"t4.review.{c}"].value for c in ("upheld", "corrected", "other", "pending", "total")] == [
        0,
        0,
        0,
        1,
        1,
    ]
    assert cell(r, "t4.litigation_after_review.total") == ("ok", 2, 417)
    # the column is that of the digit, after the tab and the nbsp
    assert r.cells["t3.total.natural_person"].span.column == 3


def test_seed_000_findings():
    found = Counter((d.rule, d.severity.value) for d in findings("000"))
    # The （七）总计 row was left at 0: one finding names its two non-zero cells instead of four relations.
    assert found == Counter({("A300", "error"): 1, ("S007", "warning"): 1, ("S011", "info"): 1})
    [a300] = [d for d in findings("000") if d.rule == "A300"]
    assert a300.cells == ["t3.total.natural_person", "t3.total.total"]
    assert sorted(r.message.zh.split(":")[0] for r in a300.related) == ["A301", "A301", "A302", "A302"]


def test_seed_001_tab_rows_extra_column():
    r = seed("001")
    assert all(r.cells[c].status is CellStatus.OK for c in formats.STANDARD_CELL_IDS)
    assert cell(r, "t2.fees.amount") == ("ok", 1856.554, 48)
    assert cell(r, "t3.new.total") == ("ok", 30, 55)
    assert cell(r, "t3.total.natural_person") == ("ok", 28, 79)  # leading empty merged cell skipped
    assert cell(r, "t3.carried_forward.natural_person") == ("ok", 2, 80)
    t3 = r.tables[3]
    assert [c.raw for c in t3.rows["new"].extra] == ["0"]
    assert [c.raw for c in t3.rows["carried_over"].extra] == ["0"]
    assert not t3.rows["granted"].extra
    assert [d.rule for d in findings("001") if d.severity.value == "error"] == []
    assert {d.cells[0].split(".")[1] for d in findings("001") if d.rule == "T104"} == {"new", "carried_over"}


def test_seed_002_one_cell_per_line_with_nbsp_blanks():
    r = seed("002")
    statuses = Counter(r.cells[c].status.value for c in formats.STANDARD_CELL_IDS)
    assert statuses == Counter({"blank": 143, "ok": 53, "missing": 4})
    assert cell(r, "t3.new.natural_person") == ("ok", 11, 135)
    assert cell(r, "t3.new.commercial") == ("blank", None, 137)
    assert cell(r, "t2.penalty.decisions") == ("ok", 6201, 91)
    assert cell(r, "t2.fees.amount") == ("ok", 798.84, 105)
    # 表四 has 11 of 15 cells: 9 numbers and two nbsp blanks.
    present = [
        c for c in formats.STANDARD_CELL_IDS if c.startswith("t4.") and r.cells[c].status is not CellStatus.MISSING
    ]
    assert len(present) == 11
    assert r.cells["t4.litigation_after_review.total"].status is CellStatus.MISSING
    assert r.tables[2].rows["normative_docs"].deviates
    assert r.section(5).deviates


def test_seed_002_findings():
    ds = findings("002")
    counts = Counter(d.rule for d in ds)
    # 143 blank cells, none of which breaks a relation when read as 0: one finding per table.
    assert counts["T101"] == 2
    assert sum(len(d.cells) for d in ds if d.rule == "T101") == 143
    assert counts["T105"] == 1 and counts["S003"] == 1 and counts["T103"] == 1 and counts["S007"] == 1
    assert not [d for d in ds if d.rule.startswith("A")]  # blanks do not cascade into arithmetic
    t103 = next(d for d in ds if d.rule == "T103")
    assert len(t103.cells) == 4
    assert counts["S010"] == 1 and counts["S011"] == 1  # part 一 says nothing of 政府信息管理; part 五 of last year
    assert {d.severity.value for d in ds if d.rule not in ("T101", "T103", "S011")} == {"warning"}


def test_seed_003_missing_heading_and_rows():
    r = seed("003")
    assert [s.number for s in r.sections] == [1, 2, 4, 5, 6]
    assert not r.tables[2].rows  # 表二 has a header only
    assert "new" not in r.tables[3].rows and "carried_over" not in r.tables[3].rows
    assert cell(r, "t3.granted.total") == ("ok", 5, 24)
    assert cell(r, "t3.total.total") == ("ok", 9, 46)
    assert cell(r, "t4.review.upheld") == ("ok", 1, 54)
    ds = findings("003")
    assert Counter(d.rule for d in ds if d.severity.value == "error") == Counter({"S001": 1, "S005": 1, "T103": 2})
    assert next(d for d in ds if d.rule == "S001").section == 3


def test_seed_004_pipes_and_prose():
    r = seed("004")
    assert all(r.cells[c].status is CellStatus.OK for c in formats.STANDARD_CELL_IDS)
    assert cell(r, "t2.normative_docs.in_force") == ("ok", 448, 34)
    assert cell(r, "t3.new.total") == ("ok", 98, 82)
    assert cell(r, "t4.review.total") == ("ok", 4, 331)
    ds = findings("004")
    assert [(d.rule, d.actual, d.expected) for d in ds] == [("N501", 488, 448), ("S011", None, None)]
    assert ds[0].line == 7 and ds[0].cells == ["t2.normative_docs.in_force"]
    assert ds[0].related and ds[0].related[0].span and ds[0].related[0].span.line == 34


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_every_finding_is_located_in_the_file(name):
    r = seed(name)
    lines = r.text.split("\n")
    for d in run_rules(r, load_rules()):
        assert 1 <= d.span.line <= len(lines)
        assert 1 <= d.span.column <= len(lines[d.span.line - 1]) + 1
