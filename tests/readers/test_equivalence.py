"""Web pages and Word documents read cell-for-cell like the equivalent text report (issue #6)."""

from __future__ import annotations

import io

import pytest
from conftest import shared_path
from markupgen import cells_of, make_docx, make_html, text_cells

from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules


@pytest.mark.parametrize("split", [False, True])
def test_html_page_reads_like_the_text_report(split):
    page = make_html(split).encode("gb18030")
    report = load_report("report.html", page)
    assert report.input_kind == "html"
    assert cells_of(report) == text_cells()
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert run_rules(report, load_rules()) == []


def test_html_positions_point_into_the_source():
    source = make_html()
    report = load_report("report.html", source.encode("gb18030"))
    lines = source.split("\n")
    for cid in ("t3.total.total", "t2.fees.amount", "t4.litigation_direct.total"):
        c = report.cells[cid]
        line = lines[c.span.line - 1]
        assert line[c.span.column - 1 : c.span.end_column - 1] == c.raw.strip(), cid


def test_html_blank_cells_and_findings_are_located():
    source = make_html().replace('<td colspan="3"><p>87</p></td>', '<td colspan="3">&nbsp;</td>')
    report = load_report("report.html", source.encode("utf-8"))
    assert report.cells["t2.penalty.decisions"].status.value == "blank"
    found = [d for d in run_rules(report, load_rules()) if d.rule == "T101"]
    assert len(found) == 1 and "&nbsp;" in source.split("\n")[found[0].line - 1]


def test_html_attachment_only_page():
    page = (
        '<html><head><meta charset="utf-8"></head><body><h1>某县2023年政府信息公开工作年度报告</h1>'
        '<p>附件：<a href="/u/nb2023.pdf">年度报告.pdf</a></p></body></html>'
    )
    found = run_rules(load_report("p.html", page.encode()), load_rules())
    assert [d.rule for d in found] == ["S008"]


def test_docx_reads_like_the_text_report():
    report = load_report("report.docx", make_docx())
    assert report.input_kind == "docx"
    assert cells_of(report) == text_cells()
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert run_rules(report, load_rules()) == []


def test_docx_findings_name_table_row_and_column():
    data = make_docx()
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(data))
    for table in doc.tables:
        for row in table.rows:
            if row.cells[0].text == "行政处罚":
                row.cells[1].paragraphs[0].runs[0].text = ""
                row.cells[1].paragraphs[0].runs[1].text = ""
    buf = io.BytesIO()
    doc.save(buf)
    found = [d for d in run_rules(load_report("r.docx", buf.getvalue()), load_rules()) if d.rule == "T101"]
    assert len(found) == 1
    assert found[0].span.where and "表格" in found[0].span.where.zh and "行" in found[0].span.where.zh
    assert found[0].to_dict()["where"] == found[0].span.where.zh


def test_real_html_page_trial_format():
    report = load_report(str(shared_path("corpus", "022_shanghai-bangongting_2019.html")))
    assert report.edition == "2019-trial" and report.year == 2019
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert report.cells["t3.new.natural_person"].value == 821
    assert report.cells["t3.new.total"].value == 859
    found = {d.rule for d in run_rules(report, load_rules())}
    assert "F002" in found and "F001" not in found


def test_docx_headings_in_a_heading_style_without_numerals():
    report = load_report("report.docx", make_docx(strip_numerals=True))
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]  # 六 stays numbered text in the tail
    assert cells_of(report) == text_cells()
    assert {d.rule for d in run_rules(report, load_rules())} == {"S003"}
