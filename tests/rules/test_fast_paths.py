"""The rules' fast paths say exactly what the general code says.

A clean report's equations are checked by adding whole numbers (``WholeNumberSum``) and its cells are
scanned for a status once in C (``standard_cells_with_status``); anything else goes the general way. These
tests run the same reports both ways (the fast path switched off by giving it no numbers) and compare every
diagnostic, and check the arithmetic shortcut against the evaluator on random values.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
import reportgen
from conftest import shared_path

from disclosure_lint import formats
from disclosure_lint.model import CellStatus, Report
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules import engine
from disclosure_lint.rules.census import AMOUNT_CELL, cell_census, standard_cells, start_sharing, stop_sharing
from disclosure_lint.rules.checks import structure
from disclosure_lint.rules.checks.base import standard_cells_with_status
from disclosure_lint.rules.compiled import WholeNumberSum, compile_expression
from disclosure_lint.rules.engine import load_rules, run_rules
from disclosure_lint.rules.expr import NotApplicable, SimpleContext, parse_expression
from disclosure_lint.rules.narrative import PATTERNS, _LeadingWords, leading_words, narrative_claims

ARITHMETIC = ("A301", "A302", "A303", "A304", "A401")


def _t3(**changes: list[Any]) -> dict[str, list[Any]]:
    t3: dict[str, list[Any]] = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    t3.update(changes)
    return t3


def _variants() -> dict[str, str]:
    t2 = dict(reportgen.T2_DATA)
    return {
        "clean": reportgen.render("tab"),
        "clean-markdown": reportgen.render("markdown"),
        "one-wrong-total": reportgen.render("tab", t3=_t3(total=[21, 3, 0, 1, 0, 1, 27])),
        "wrong-row-total": reportgen.render("pipe", t3=_t3(granted=[10, 2, 0, 1, 0, 0, 14])),
        "blanks": reportgen.render("tab", t3=_t3(partial=["", "", "0", "0", "0", "0", "3"])),
        "placeholders": reportgen.render("tab", t3=_t3(partial=["/", "0", "0", "0", "0", "0", "3"])),
        "fractions": reportgen.render("tab", t3=_t3(partial=["2.5", "0.5", "0", "0", "0", "0", "3"])),
        "negative": reportgen.render("tab", t3=_t3(partial=["-3", "6", "0", "0", "0", "0", "3"])),
        "whole-row-zero": reportgen.render("tab", t3=_t3(total=[0, 0, 0, 0, 0, 0, 0])),
        "fee-in-yuan": reportgen.render("tab", t2={**t2, "fees": ["1200元"]}),
        "missing-rows": reportgen.render("tab", t3={k: v for k, v in _t3().items() if not k.startswith("denied.")}),
        "t4-broken": reportgen.render("tab", t4=[1, 0, 0, 0, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]),
        # The trial format's single （六） row: cells outside the format's ids (t3.other.<column>), for A303.
        "single-other-row": _single_other_row("\t1\t0\t0\t0\t0\t1\t2"),
        "single-other-row-wrong": _single_other_row("\t2\t0\t0\t0\t0\t1\t3"),
    }


def _single_other_row(numbers: str) -> str:
    t3 = {k: v for k, v in _t3().items() if not k.startswith("other.")}
    return reportgen.render("tab", t3=t3).replace("（七）总计", "（六）其他处理" + numbers + "\n（七）总计", 1)


def _signature(diagnostics: list[Any]) -> list[dict[str, Any]]:
    return [d.to_dict() if hasattr(d, "to_dict") else repr(d) for d in diagnostics]


def _both_ways(report_text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    rules = load_rules()
    fast = run_rules(load_report("r.txt", report_text.encode()), rules)
    with monkeypatch.context() as patch:
        # No whole numbers: every equation goes through the general evaluator.
        patch.setattr(engine.ReportContext, "whole_numbers", property(lambda self: {}))
        general = run_rules(load_report("r.txt", report_text.encode()), rules)
    return fast, general


@pytest.mark.parametrize("name", sorted(_variants()))
def test_generated_reports_give_the_same_findings_with_and_without_the_fast_path(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general = _both_ways(_variants()[name], monkeypatch)
    assert _signature(fast) == _signature(general)
    if name.startswith("clean"):
        assert not [d for d in fast if d.rule in ARITHMETIC or d.rule == "A300"]
    elif name in ("one-wrong-total", "wrong-row-total", "whole-row-zero", "t4-broken"):
        assert [d for d in fast if d.rule in ARITHMETIC or d.rule == "A300"], "the fault must still be found"


def test_real_reports_give_the_same_findings_with_and_without_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(p for p in shared_path("seeds").iterdir() if p.suffix in (".txt", ".md"))
    assert paths
    for path in paths:
        fast, general = _both_ways(path.read_text(encoding="utf-8", errors="replace"), monkeypatch)
        assert _signature(fast) == _signature(general), path.name


def test_every_built_in_equation_has_a_whole_number_form() -> None:
    rules = load_rules()
    for rule in rules.rules:
        if rule.code in ARITHMETIC:
            assert all(case.assertion.whole_numbers is not None for case in rules.compiled(rule).cases), rule.code
    a301 = next(r for r in rules.rules if r.code == "A301")
    case = next(c for c in rules.compiled(a301).cases if c.bindings == {"col": "natural_person"})
    # t3.total.$col + t3.carried_forward.$col == t3.new.$col + t3.carried_over.$col
    assert case.assertion.whole_numbers == WholeNumberSum(
        ("t3.total.natural_person", "t3.carried_forward.natural_person"),
        ("t3.new.natural_person", "t3.carried_over.natural_person"),
    )


@pytest.mark.parametrize(
    "source",
    [
        "t3.new.total * 2 == t3.total.total",
        "t3.new.total == t3.total.total within 1",
        "t3.new.total != t3.total.total",
        "t3.new.total <= t3.total.total",
        "t3.new.total + 1 == t3.total.total",
        "t3.new.total == year",
        "count(t3.denied.*.total) == t3.total.total",
        "max(t3.denied.*.total) == t3.total.total",
        "abs(t3.new.total) == t3.total.total",
        "t3.new.$col == t3.total.total",  # a loop variable the bindings do not fix
    ],
)
def test_anything_but_added_cells_has_no_whole_number_form(source: str) -> None:
    compiled = compile_expression(parse_expression(source), {}, engine._all_cell_ids())
    assert compiled.whole_numbers is None


def test_subtraction_moves_cells_to_the_other_side() -> None:
    compiled = compile_expression(
        parse_expression(
            "t3.total.total - t3.new.total == sum(t3.denied.*.total) - (t3.partial.total - t3.granted.total)"
        ),
        {},
        engine._all_cell_ids(),
    )
    denied = tuple(f"t3.{r.key}.total" for r in formats.TABLE3.rows if r.key.startswith("denied."))
    assert compiled.whole_numbers == WholeNumberSum(
        ("t3.total.total", "t3.partial.total"), (*denied, "t3.granted.total", "t3.new.total")
    )


def _evaluate(compiled: Any, ctx: SimpleContext) -> bool | None:
    try:
        return bool(compiled.evaluate(ctx))
    except NotApplicable:
        return None


def test_the_whole_number_check_agrees_with_the_evaluator_on_random_values() -> None:
    rules = load_rules()
    known = engine._all_cell_ids()
    cases = [case for r in rules.rules if r.code in ARITHMETIC for case in rules.compiled(r).cases]
    rng = random.Random(14)
    kinds = ["int", "int", "int", "int", "float", "blank", "missing", "placeholder"]
    checked = balanced = 0
    for _ in range(300):
        values: dict[str, int | float | None] = {}
        statuses: dict[str, str] = {}
        for cid in known:
            kind = rng.choice(kinds) if rng.random() < 0.05 else "int"
            if kind == "int":
                values[cid] = rng.choice([0, 0, 1, 2, 3, -1, 10**20])
            elif kind == "float":
                values[cid] = rng.choice([0.0, 1.5, 2.0, 1e-12])
            elif kind == "blank":
                values[cid] = None
            elif kind == "placeholder":
                values[cid] = 0
                statuses[cid] = "placeholder"
        ctx = SimpleContext(values=values, statuses=statuses, known_cells=known)
        whole = {cid: v for cid, v in values.items() if type(v) is int and statuses.get(cid, "ok") == "ok"}
        for case in cases:
            form = case.assertion.whole_numbers
            assert form is not None
            said = _evaluate(case.assertion, ctx)
            checked += 1
            if form.balances(whole):
                balanced += 1
                assert said is True
            elif all(c in whole for c in form.left + form.right):
                assert said is False  # whole numbers only: the evaluator's answer is the sum's
    assert balanced > 100 and checked - balanced > 100


def test_a_rule_s_sums_tried_together_balance_exactly_when_each_case_balances() -> None:
    rules = load_rules()
    arithmetic = [rules.compiled(r) for r in rules.rules if r.code in ARITHMETIC]
    assert all(compiled.plain is not None for compiled in arithmetic)
    known = engine._all_cell_ids()
    clean = cell_census(load_report("r.txt", reportgen.render("tab").encode())).whole_numbers
    rng = random.Random(7)
    agreed = {True: 0, False: 0}
    for round_ in range(400):
        whole = dict(clean)
        for cid in rng.sample(known, rng.choice([0, 0, 1, 2, 5])):  # a value changed, or the cell not a whole number
            if rng.random() < 0.3:
                whole.pop(cid, None)
            else:
                whole[cid] = rng.choice([0, 1, 2, -3, 10**20])
        if round_ % 50 == 0:
            whole = {cid: rng.choice([0, 0, 1]) for cid in known}
        for compiled in arithmetic:
            assert compiled.plain is not None
            each = all(case.whole_numbers is not None and case.whole_numbers.balances(whole) for case in compiled.cases)
            assert compiled.plain.balance(whole) is each
            agreed[each] += 1
    assert agreed[True] > 100 and agreed[False] > 100


def test_cells_of_a_status_are_those_a_full_scan_finds() -> None:
    t3 = _t3(partial=["", "/", "x", "0", "0", "0", "3"])
    report = load_report("r.txt", reportgen.render("tab", t3=t3).encode())
    for status in CellStatus:
        expected = tuple(c for c in standard_cells(report) if c.status is status)
        assert standard_cells_with_status(report, status) == expected
    assert standard_cells_with_status(report, CellStatus.BLANK)
    assert standard_cells_with_status(report, CellStatus.PLACEHOLDER)
    assert [c.id for c in standard_cells(report)] == list(formats.STANDARD_CELL_IDS)


def test_part_one_topics_are_found_as_written_and_across_spaces() -> None:
    clean = reportgen.render("tab")
    assert "S010" not in {d.rule for d in run_rules(load_report("r.txt", clean.encode()), load_rules())}
    # "政府信息管理" split by a space and by U+3000: found only in the folded text, as before.
    for split in ("政府 信息管理", "政府信息\u3000管理"):
        text = clean.replace("政府信息管理", split, 1).replace("信息管理", "信息 管理")
        codes = {d.rule for d in run_rules(load_report("r.txt", text.encode()), load_rules())}
        assert "S010" not in codes, split
    missing = clean.replace("政府信息管理、", "")
    (found,) = [d for d in run_rules(load_report("r.txt", missing.encode()), load_rules()) if d.rule == "S010"]
    assert "政府信息管理" in found.message.zh


def test_one_census_serves_a_run_and_the_next_run_takes_a_new_one() -> None:
    report = load_report("r.txt", reportgen.render("tab").encode())
    assert cell_census(report) is not cell_census(report)  # outside a run: nothing kept
    token = start_sharing(report)
    try:
        assert cell_census(report) is cell_census(report)
        other = load_report("o.txt", reportgen.render("pipe").encode())
        assert cell_census(other) is not cell_census(other)  # only the report the run is about
    finally:
        stop_sharing(token)
    assert cell_census(report) is not cell_census(report)  # stopped: nothing kept
    rules = load_rules()
    assert not [d for d in run_rules(report, rules) if d.rule in ("T101", "V202")]
    # The same report object changed between two runs: the second run sees the change.
    report.cells["t3.new.natural_person"].status = CellStatus.BLANK
    report.cells["t3.new.natural_person"].value = None
    report.cells["t4.review.upheld"].value = -1
    found = {(d.rule, d.cells[0]) for d in run_rules(report, rules) if d.rule in ("T101", "V202")}
    assert found == {("T101", "t3.new.natural_person"), ("V202", "t4.review.upheld")}


def test_the_census_has_every_whole_number_of_the_report_and_copes_with_a_report_made_by_hand() -> None:
    report = load_report("r.txt", _variants()["single-other-row"].encode())
    assert "t3.other.total" not in formats.STANDARD_CELL_IDS
    census = cell_census(report)
    assert census.whole_numbers["t3.other.total"] == 2
    expected = {cid: c.value for cid, c in report.cells.items() if c.status is CellStatus.OK and type(c.value) is int}
    assert census.whole_numbers == expected
    partial = Report(path="p.txt", text="", cells={cid: report.cells[cid] for cid in list(report.cells)[:40]})
    assert cell_census(partial).whole_numbers == {cid: expected[cid] for cid in partial.cells if cid in expected}
    assert run_rules(partial, load_rules(), select=lambda code: code in ARITHMETIC) == []


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("上年(?:度)?结转", ("上年",)),
        ("(?:同意公开|予以公开)(?:答复)?", ("同意公开", "予以公开")),
        ("新?收到", None),  # the first character is optional
        ("收到+", ("收",)),
        ("(?:收到|接到)?申请", None),
        ("(?:收到|)申请", None),  # an empty alternative matches anywhere
        ("收到|接到", None),  # an alternative outside a group
        ("收到[|]件|接到", None),
        ("收到[]|]件", ("收到",)),
        ("(收到)申请", None),
        (r"\d+件", None),
        ("(?i)abc", None),
        ("[收接]到", None),
    ],
)
def test_leading_words_are_read_only_from_plain_sources(source: str, words: tuple[str, ...] | None) -> None:
    assert leading_words(re.compile(source)) == words


OVERLAPPING = [
    "新新收到信息公开申请7件；收到行政复议3件，被申请行政复议 2 件，被提起行政诉讼1件，提起行政诉讼2件。",
    "已办结申请5件，办结答复6件，已答复申请共计7件；上年结转上年结转3件，结转下一年度1件。予以公开同意公开2件。",
    "制发印发规范性文件4件，主动公开规范性文件共5件，废止废止了规范性文件2件，现行有效规范性文件38件。",
]


def test_one_scan_for_leading_words_finds_what_each_pattern_finds_on_its_own() -> None:
    texts = OVERLAPPING + [reportgen.render(layout) for layout in ("tab", "markdown", "pdf")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(shared_path("corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(shared_path("seeds").iterdir())]
    assert sum(leading_words(p.regex) is not None for p in PATTERNS) >= 8
    found = 0
    for text in texts:
        starts = _LeadingWords(text)
        for pattern in PATTERNS:
            alone = [(m.span(), m.groups()) for m in pattern.regex.finditer(text)]
            assert [(m.span(), m.groups()) for m in starts.finditer(pattern, text)] == alone, pattern.kind
            found += len(alone)
    assert found > 50


def _census_cell_by_cell(report: Report) -> tuple[dict[CellStatus, tuple[Any, ...]], tuple[Any, ...], dict[str, Any]]:
    """What ``CellCensus.of`` computes, one cell at a time."""
    ok = CellStatus.OK
    standard = [(cid, report.cells[cid]) for cid in formats.STANDARD_CELL_IDS if cid in report.cells]
    by_status: dict[CellStatus, list[Any]] = {}
    for _cid, cell in standard:
        by_status.setdefault(cell.status, []).append(cell)
    not_plain = [
        cell
        for cid, cell in standard
        if cell.status is ok and (type(cell.value) is not int or cell.value < 0 or cid == AMOUNT_CELL)
    ]
    whole = {cid: c.value for cid, c in report.cells.items() if c.status is ok and type(c.value) is int}
    return {status: tuple(cells) for status, cells in by_status.items()}, tuple(not_plain), whole


def test_the_census_is_what_a_scan_of_one_cell_at_a_time_finds() -> None:
    reports = [load_report("r.txt", text.encode()) for text in _variants().values()]
    reports += [load_report(str(p)) for p in sorted(shared_path("seeds").iterdir())]
    rng = random.Random(14)
    statuses = list(CellStatus)
    for _ in range(60):  # cells changed at random, cells taken away and cells added, as a report made by hand
        report = load_report("r.txt", reportgen.render("tab").encode())
        for cid in rng.sample(sorted(report.cells), rng.choice([0, 1, 5, 40])):
            cell = report.cells[cid]
            cell.status = rng.choice(statuses)
            cell.value = rng.choice([None, 0, 3, -1, -2, 1.5, -0.5, 10**20, True])
        for cid in rng.sample(sorted(report.cells), rng.choice([0, 0, 1, 30])):
            del report.cells[cid]
        if rng.random() < 0.3:
            extra = report.cells.pop(rng.choice(sorted(report.cells)))
            report.cells["t3.other.total"] = extra
        reports.append(report)
    reports.append(Report(path="empty.txt", text=""))
    assert any(CellStatus.BLANK in cell_census(r).by_status for r in reports)
    for report in reports:
        census = cell_census(report)
        by_status, not_plain, whole = _census_cell_by_cell(report)
        assert census.by_status == by_status
        assert census.not_plain_counts == not_plain
        assert census.whole_numbers == whole


def test_the_disputed_claims_are_the_claims_no_reading_of_the_tables_agrees_with() -> None:
    texts = list(_variants().values())
    clean = reportgen.render("tab")
    # Prose that disagrees with the tables, in each way the check reads it.
    for old, new in (("收到政府信息公开申请", "收到政府信息公开申请1"), ("规范性文件", "规范性文件9")):
        texts.append(re.sub(old + r"(\d)", new + r"\1", clean, count=1))
    reports = [load_report("r.txt", text.encode()) for text in texts]
    reports += [load_report(str(p)) for p in sorted(shared_path("seeds").iterdir())]
    reports += [load_report(str(p)) for p in sorted(shared_path("corpus").glob("*.txt"))]
    disputed = 0
    for report in reports:
        every = list(narrative_claims(report))
        expected = [c for c in every if (r := c.readings(report)) and all(c.value != v for v, _p in r)]
        assert list(narrative_claims(report, disputed_only=True)) == expected
        disputed += len(expected)
    assert disputed >= 3


def test_a_part_with_no_date_near_its_end_has_no_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        *_variants().values(),
        *(p.read_text(encoding="utf-8") for p in sorted(shared_path("corpus").glob("*.txt"))),
    ]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(shared_path("seeds").iterdir())]
    clean = reportgen.render("tab")
    signed = clean.rstrip() + "\n\n{}\n2025年1月26日\n"
    texts += [
        signed.format(body) for body in ("临江区卫生健康委员会", "临江区人民政府办公室", "某某局", "临江区教育局")
    ]
    texts.append(clean.rstrip() + "临江区教育局 2025 年 1 月 26 日。另附说明。")
    signatures = 0
    for text in texts:
        report = load_report("r.txt", text.encode())
        last = max(report.sections, key=lambda s: s.body_start, default=None)
        if last is not None:
            start = max(0, len(last.text) - 200)
            if any(structure._SIGNATURE.finditer(last.text, start)):
                signatures += 1
                assert structure._DATE_ANYWHERE.search(last.text, start) is not None
        found = list(structure.signing_body(report, {}))
        with monkeypatch.context() as patch:
            patch.setattr(structure, "_DATE_ANYWHERE", re.compile(""))  # the date always "found": no shortcut
            assert list(structure.signing_body(report, {})) == found
    assert signatures >= 5
