"""Structural facts come out of the report grammar's parse (``Report.layout_notes``) and the rules read
them: S002 (parts repeated or out of order), T107 (a row written twice with numbers), T110 (a row out of
the format's order). Also: ``extract --format json`` shows the notes, and the report declares its locator."""

from __future__ import annotations

import dataclasses
import json
import pickle
import subprocess
import sys

import reportgen
from conftest import shared_path

from disclosure_lint.model import Report
from disclosure_lint.pairing import snapshot
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

_ROWS_3_TO_4 = ("3.危及“三安全一稳定”", "4.保护第三方合法权益")


def _load(text: str, name: str = "r.txt") -> Report:
    return load_report(name, text.encode("utf-8"))


def _found(report: Report, code: str) -> list[tuple[int, str]]:
    return [(d.line, d.message.zh) for d in run_rules(report, load_rules()) if d.rule == code]


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[occurrence - 1]


def _table_three(text: str) -> str:
    start = text.index("申请人情况")
    end = text.index("四、政府信息公开行政复议")
    return text[start:end]


def test_a_table_printed_twice_notes_every_row_once_more_and_t107_names_each() -> None:
    text = reportgen.render("tab")
    copy = _table_three(text)
    # A second 表三 in part 六 (it happens: a report that repeats its table as an annex).
    doubled = text.replace("六、其他需要报告的事项", "六、其他需要报告的事项\n附表：\n" + copy, 1)
    report = _load(doubled)
    repeated = [n for n in report.layout_notes if n.kind == "repeated" and n.table == 3 and n.numbers]
    # Every row with numbers of the second copy, though the grammar accepts the copy as a new table.
    assert len(repeated) == len([line for line in copy.splitlines() if line.rstrip().endswith(tuple("0123456789"))])
    assert all(n.earlier_cells for n in repeated)
    found = _found(report, "T107")
    assert len(found) == len(repeated)
    assert found[0][0] == _line_of(doubled, "一、本年新收政府信息公开申请数量", 2)
    # The first copy's values are the ones read.
    assert report.cells["t3.new.total"].value == _load(text).cells["t3.new.total"].value


def test_a_repeated_heading_without_numbers_is_noted_but_is_not_a_duplicate_row() -> None:
    text = reportgen.render("tab")
    line = next(s for s in text.splitlines() if s.startswith("4.保护第三方合法权益"))
    report = _load(text.replace(line, line + "\n4.保护第三方合法权益", 1))
    assert [(n.kind, n.key, n.numbers) for n in report.layout_notes] == [("repeated", "denied.third_party", False)]
    assert _found(report, "T107") == []


def test_a_second_copy_of_a_row_with_numbers_after_one_without_is_the_row_read() -> None:
    """A label first written alone (a header cell) and then with its numbers: one row, no T107."""
    text = reportgen.render("tab")
    line = next(s for s in text.splitlines() if s.startswith("4.保护第三方合法权益"))
    label = "4.保护第三方合法权益"
    five = next(s for s in text.splitlines() if s.startswith("5.属于三类内部事务信息"))
    edited = text.replace(line, label, 1).replace(five, five + "\n" + line, 1)
    report = _load(edited)
    notes = [(n.kind, n.key, n.numbers, n.earlier_cells) for n in report.layout_notes]
    assert notes == [("repeated", "denied.third_party", True, False)]
    assert _found(report, "T107") == []
    assert report.cells["t3.denied.third_party.total"].value == 1


def test_rows_out_of_order_are_t110_infos_at_the_row_the_grammar_did_not_expect() -> None:
    text = reportgen.render("tab")
    lines = text.splitlines(keepends=True)
    third = next(i for i, s in enumerate(lines) if s.startswith(_ROWS_3_TO_4[0]))
    lines[third], lines[third + 1] = lines[third + 1], lines[third]
    swapped = "".join(lines)
    report = _load(swapped)
    assert [(n.kind, n.key, n.after_key) for n in report.layout_notes] == [
        ("out-of-order", "denied.security", "denied.third_party")
    ]
    [(line, message)] = _found(report, "T110")
    assert line == third + 2
    assert "「3.危及“三安全一稳定”」行排在「4.保护第三方合法权益」行之后" in message
    english = [d.message.en for d in run_rules(report, load_rules()) if d.rule == "T110"]
    assert english and "comes after" in english[0]
    assert _found(_load(text), "T110") == []


def test_parts_out_of_order_and_repeated_come_from_the_notes() -> None:
    text = reportgen.render("tab")
    five = text.index("五、存在的主要问题及改进情况")
    six = text.index("六、其他需要报告的事项")
    swapped = text[:five] + text[six:].rstrip("\n") + "\n" + text[five:six]
    report = _load(swapped)
    assert [(n.kind, n.key, n.after_key) for n in report.layout_notes] == [("out-of-order", "5", "6")]
    [(line, message)] = _found(report, "S002")
    assert line == _line_of(swapped, "五、存在的主要问题及改进情况") and "出现在第六部分之后" in message

    # Parts 一 to 六 and then 二, 三 once more: the grammar resumes the list at 二 and accepts 三 after it,
    # yet both are repeated (what was seen is kept for the whole report, not per resumed list).
    again = text + "\n二、主动公开政府信息情况\n正文。\n三、收到和处理政府信息公开申请情况\n正文。\n"
    report = _load(again)
    assert [(n.kind, n.key) for n in report.layout_notes] == [("repeated", "2"), ("repeated", "3")]
    assert [m for _line, m in _found(report, "S002")] == [
        "第二部分「二、主动公开政府信息情况」重复出现",
        "第三部分「三、收到和处理政府信息公开申请情况」重复出现",
    ]


def test_the_trial_table_two_repeats_its_column_words_without_a_note() -> None:
    # Real 2019 web pages: the trial 表二 prints 上一年项目数量 / 本年增/减 in each block.
    report = load_report(str(shared_path("corpus", "034_pingtan-lvyouwenti_2019.txt")))
    assert report.tables[2].trial_format
    assert [n for n in report.layout_notes if n.table == 2] == []


def test_real_reports_shuffled_by_a_converter_get_t110_and_nothing_else_new() -> None:
    report = load_report(str(shared_path("corpus", "005_shanghai-kewei_2024.md")))
    found = _found(report, "T110")
    # 表二's first block printed after its last one by the PDF-to-Markdown conversion.
    assert found == [(88, "表二「规章」行排在「行政事业性收费」行之后，与国家格式的行序不同；各格已按行名读取")]
    # 1.属于国家秘密 comes after the label 2.其他… that the conversion split off its row: a label alone
    # before it is not a row, so the note says so but no finding does.
    split_off = [n for n in report.layout_notes if n.key == "denied.state_secret"]
    assert [(n.kind, n.numbers, n.after_numbers) for n in split_off] == [("out-of-order", True, False)]
    # A flat web text whose prose names rows (予以公开, 规章) has notes, but they carry no numbers: no finding.
    prose = load_report(str(shared_path("corpus", "033_pingtan-shichangjianguan_2025.txt")))
    assert prose.layout_notes and not any(n.numbers for n in prose.layout_notes)
    assert _found(prose, "T110") == [] and _found(prose, "T107") == []


def test_extract_json_shows_the_layout_notes() -> None:
    path = shared_path("corpus", "006_shanghai-bangongting_2025.md")
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "extract", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert p.returncode == 0, p.stderr
    notes = json.loads(p.stdout)["reports"][0]["layout_notes"]
    assert [(n["kind"], n["terminal"], n["key"], n["line"]) for n in notes] == [
        ("out-of-order", "T2_REGULATIONS", "regulations", 97),
        ("out-of-order", "T3_UNAVAILABLE_UNCLEAR", "unavailable.unclear", 146),
    ]
    assert notes[0]["after"] == "T2_FEES" and notes[0]["table"] == 2 and notes[0]["numbers"] is True


def test_the_locator_is_a_field_of_the_report_and_survives_a_copy_but_not_a_snapshot() -> None:
    text = reportgen.render("tab")
    report = _load(text)
    start = text.index("国家秘密")
    span = report.span_of(start, start + 4)
    assert span is not None and (span.line, span.column) == (
        _line_of(text, "国家秘密"),
        text.splitlines()[span.line - 1].index("国家秘密") + 1,
    )
    # dataclasses.replace (a --pair-by identity) keeps it, so N501 and S015 still run on the copy.
    assert dataclasses.replace(report, year=2023).span_of(start, start + 4) == span
    small = snapshot(report)
    assert small.report().locator is None and small.report().span_of(0, 1) is None
    assert pickle.loads(pickle.dumps(small)).report().locator is None
