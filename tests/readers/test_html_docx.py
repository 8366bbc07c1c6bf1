"""Rendering web pages and Word documents into the tab-separated text the parser reads."""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from disclosure_lint.bilingual import Text
from disclosure_lint.errors import InputError, MissingDependencyError
from disclosure_lint.readers.docx import render_docx
from disclosure_lint.readers.html import (
    attachment_hint_pair,
    decode_html,
    render_html,
)

NBSP = "\u00a0"
ROOT = Path(__file__).resolve().parents[2]
SHANGHAI_2019 = ROOT.parent / "shared" / "corpus" / "022_shanghai-bangongting_2019.html"


def lines(html_source: str) -> list[str]:
    return render_html(html_source).text.splitlines()


def check_origin(rendered: Any) -> None:
    """Every rendered character that is not layout maps onto itself (or onto the entity it came from)."""
    assert len(rendered.origin) == len(rendered.text)
    for ch, o in zip(rendered.text, rendered.origin, strict=True):
        if ch in "\t\n " or ch == NBSP:
            continue
        src = rendered.source_text[o]
        assert src == ch or src == "&", (ch, o, rendered.source_text[o : o + 10])


# --------------------------------------------------------------------------------------------------
# Decoding


def test_decode_meta_charset_gbk_reads_gbk_only_characters() -> None:
    # 镕 is outside GB2312: pages labelled gb2312/gbk must still decode it.
    body = '<html><head><meta charset="gb2312"></head><body><p>朱镕基 一、总体情况</p></body></html>'
    text, enc = decode_html(body.encode("gb18030"), "page.html")
    assert enc == "gb18030"
    assert "朱镕基" in text


def test_decode_http_equiv_content_type() -> None:
    body = '<meta http-equiv="Content-Type" content="text/html; charset=GBK"><p>收到和处理政府信息公开申请情况</p>'
    text, enc = decode_html(body.encode("gbk"), "page.html")
    assert enc == "gb18030"
    assert "收到和处理" in text


def test_decode_without_declared_charset_tries_utf8_then_gb18030() -> None:
    body = "<p>主动公开政府信息情况</p>"
    assert decode_html(body.encode("utf-8"), "a.html") == (body, "utf-8")
    assert decode_html(body.encode("gb18030"), "b.html") == (body, "gb18030")


def test_decode_bom_wins_over_meta() -> None:
    body = '<meta charset="gbk"><p>总体情况</p>'
    text, enc = decode_html(b"\xef\xbb\xbf" + body.encode("utf-8"), "a.html")
    assert (text, enc) == (body, "utf-8-sig")
    text, enc = decode_html(body.encode("utf-16"), "b.html")
    assert (text, enc) == (body, "utf-16")


def test_decode_gb_label_over_utf8_bytes_trusts_the_bytes() -> None:
    body = '<meta charset="gb2312"><p>政府信息公开工作年度报告</p>'
    assert decode_html(body.encode("utf-8"), "a.html") == (body, "utf-8")


def test_decode_wrong_label_falls_back() -> None:
    body = '<meta charset="utf-8"><p>行政复议</p>'
    assert decode_html(body.encode("gb18030"), "a.html") == (body, "gb18030")


def test_decode_failures_raise_input_error() -> None:
    with pytest.raises(InputError) as info:
        decode_html(b"<p>\xff\xfe\xff</p>" + b"\x80" * 3, "bad.html")
    assert info.value.path == "bad.html"
    with pytest.raises(InputError, match="PDF"):
        decode_html(b"%PDF-1.7 ...", "report.html")
    with pytest.raises(InputError):
        decode_html(b"  \n", "empty.html")


# --------------------------------------------------------------------------------------------------
# Rendering


def test_paragraphs_and_blocks_become_lines_and_whitespace_collapses() -> None:
    page = (
        "<html><head><title>标题栏</title></head><body>\n"
        "<h1>2023年 政府信息公开\n  工作年度报告</h1>\n"
        "<div>一、总体情况<p>第一段\t文字</p>尾巴</div>"
        "<p>上行<br>下行</p><ul><li>甲<li>乙</ul>"
        "</body></html>"
    )
    assert lines(page) == [
        "2023年 政府信息公开 工作年度报告",
        "一、总体情况",
        "第一段 文字",
        "尾巴",
        "上行",
        "下行",
        "甲",
        "乙",
    ]


def test_table_rows_are_tab_separated_lines() -> None:
    page = """
    <p>二、主动公开政府信息情况</p>
    <table>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
      <tr><td>行政规范性文件</td><td>3</td><td>7</td><td>41</td></tr>
    </table>
    <p>三、收到和处理政府信息公开申请情况</p>
    """
    assert lines(page) == [
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t0",
        "行政规范性文件\t3\t7\t41",
        "三、收到和处理政府信息公开申请情况",
    ]


def test_unclosed_cells_and_rows_are_closed_like_a_browser_would() -> None:
    page = "<table><tr><td>规章<td>1<td>2<tr><td>行政规范性文件<td><p>3<td>4</table><p>后文"
    assert lines(page) == ["规章\t1\t2", "行政规范性文件\t3\t4", "后文"]


def test_entities_and_blank_cells() -> None:
    page = (
        "<p>贯彻&lt;规划纲要&gt;实施方案 A&amp;B</p>"
        "<table><tr>"
        "<td>&#19968;、本年新收</td><td>&#x33;&#48;</td><td>&nbsp;</td><td><p>&nbsp;&nbsp;</p></td>"
        "<td>\u3000</td><td></td><td> \n </td><td>&nbsp;5&nbsp;</td>"
        "</tr></table>"
    )
    out = lines(page)
    assert out[0] == "贯彻<规划纲要>实施方案 A&B"
    assert out[1].split("\t") == ["一、本年新收", "30", NBSP, NBSP, NBSP, "", "", "5"]


def test_br_only_cell_is_an_empty_field() -> None:
    page = "<table><tr><td>行政处罚</td><td><br></td><td><br/><br /></td><td>9</td></tr></table>"
    assert lines(page) == ["行政处罚\t\t\t9"]


def test_number_split_over_spans_and_paragraphs_joins() -> None:
    page = (
        "<table><tr>"
        "<td>一、本年新收<br>政府信息公开申请数量</td>"
        '<td><span style="x">20</span><span>23</span></td>'
        "<td><p>12</p><p>34</p></td>"
        "<td><p>1</p><br><p>0</p></td>"
        "<td><p>251000</p><p>元</p></td>"
        "</tr></table>"
    )
    fields = lines(page)[0].split("\t")
    assert fields == ["一、本年新收 政府信息公开申请数量", "2023", "1234", "10", "251000 元"]


TABLE3_HEADER = """
<table border="1"><tbody>
<tr><td colspan="3" rowspan="3">
      <p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>
    <td colspan="7"><p>申请人情况</p></td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>
    <td>30</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>30</td></tr>
<tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
    <td>13</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>13</td></tr>
<tr><td rowspan="8">（三）不予公开</td><td>1.属于国家秘密</td>
    <td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td>
    <td>5</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
</tbody></table>
"""


def test_table3_header_rowspan_and_colspan_emit_each_cell_once() -> None:
    assert lines(TABLE3_HEADER) == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
        "自然人\t法人或其他组织\t总计",
        "商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他",
        "一、本年新收政府信息公开申请数量\t30\t0\t0\t0\t0\t0\t30",
        "三、本年度办理结果\t（一）予以公开\t13\t0\t0\t0\t0\t0\t13",
        "（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
        "2.其他法律行政法规禁止公开\t5\t0\t0\t0\t0\t0\t5",
    ]


def test_navigation_chrome_is_dropped_conservatively() -> None:
    page = """
    <body class="page-header-fixed">
    <header><a href="/">首页</a><a href="/zwgk">政务公开</a></header>
    <nav><ul><li><a href="/a">机构概况</a></li></ul></nav>
    <div id="mainNav"><a href="/b">政策文件</a></div>
    <div class="crumb breadcrumb">当前位置：首页 &gt; 年度报告</div>
    <ul class="top-menu"><li><a href="/c">互动交流</a></li></ul>
    <div class="canvas-wrap"><p>画布里的正文</p></div>
    <article>
      <header><h1>2023年政府信息公开工作年度报告</h1></header>
      <p>一、总体情况</p>
      <div class="table-header"><table><tr><td>规章</td><td>0</td></tr></table></div>
    </article>
    <div class="footer">版权所有 网站标识码</div>
    <footer>主办单位：某某人民政府办公室</footer>
    </body>
    """
    assert lines(page) == [
        "画布里的正文",
        "2023年政府信息公开工作年度报告",
        "一、总体情况",
        "规章\t0",
    ]


def test_chrome_class_on_long_prose_is_kept() -> None:
    prose = "政府信息公开工作" * 100
    page = f'<div class="content-header-wrap"><p>{prose}</p></div>'
    assert lines(page) == [prose]


def test_script_style_head_and_noscript_are_dropped() -> None:
    page = (
        "<html><head><style>p { color: red }</style><script>var a = '<p>假</p>';</script></head>"
        "<body><script type='text/javascript'>document.write('<td>1</td>');</script>"
        "<noscript>请启用脚本</noscript><p>正文</p><style>.x{}</style></body></html>"
    )
    assert lines(page) == ["正文"]


def test_nested_tables_are_flattened() -> None:
    page = (
        "<table><tr><td>"
        "<p>说明文字</p>"
        "<table><tr><td>行政许可</td><td>54184</td></tr><tr><td>行政处罚</td><td>367</td></tr></table>"
        "</td></tr></table>"
    )
    assert lines(page) == ["说明文字", "行政许可\t54184", "行政处罚\t367"]


def test_layout_table_cells_with_long_prose_are_read_as_blocks() -> None:
    prose = "一、总体情况。" + "本机关认真贯彻落实条例。" * 40
    page = f"<table><tr><td><a href='/'>首页</a></td><td><p>{prose}</p><p>二、主动公开</p></td></tr></table>"
    assert lines(page) == ["首页", prose, "二、主动公开"]


def test_pre_keeps_tabs_and_line_breaks() -> None:
    page = "<pre>规章\t0\t0\t0\r\n行政规范性文件\t3\t7\t41\n</pre>"
    assert lines(page) == ["规章\t0\t0\t0", "行政规范性文件\t3\t7\t41"]


def test_origin_maps_cell_values_to_their_digits_in_the_source() -> None:
    page = (
        "<html>\n<body>\n<p>三、收到和处理政府信息公开申请情况</p>\n<table>\n"
        "<tr><td>一、本年新收政府信息公开申请数量</td>\n"
        '  <td><span style="font-size:12pt">8</span><span>59</span></td>\n'
        "  <td><p>1</p>\r\n<p>2</p></td><td>&#55;</td><td>&nbsp;</td></tr>\n</table>\n</body>\n</html>\n"
    )
    rendered = render_html(page)
    check_origin(rendered)
    text, origin = rendered.text, rendered.origin
    assert rendered.input_kind == "html"
    assert rendered.source_text == page

    line = next(ln for ln in text.splitlines() if ln.startswith("一、本年新收"))
    assert line.split("\t")[1:] == ["859", "12", "7", NBSP]
    at = text.index("859")
    assert [page[origin[at + k]] for k in range(3)] == ["8", "5", "9"]
    assert origin[at] == page.index(">8<") + 1
    assert origin[at + 1] == page.index("59</span>")
    at = text.index("\t12\t") + 1
    assert origin[at] == page.index("<p>1</p>") + 3
    assert origin[at + 1] == page.index("<p>2</p>") + 3
    assert origin[text.index("\t7\t") + 1] == page.index("&#55;")
    assert origin[text.index(NBSP)] == page.index("&nbsp;")
    # The tab before a cell points at that cell's start tag.
    assert page.startswith("<td>&#55;", origin[text.index("\t7\t")])


def test_origin_counts_lines_by_newline_only() -> None:
    # HTMLParser reports line/column with "\n" as the only line break; "\r" must not shift offsets.
    page = "<p>甲</p>\r\n\r<p>乙</p>\n\r\n<table><tr><td>6</td></tr></table>"
    rendered = render_html(page)
    check_origin(rendered)
    assert rendered.text == "甲\n乙\n6\n"
    assert rendered.origin[rendered.text.index("6")] == page.index("6")


# --------------------------------------------------------------------------------------------------
# Pages without tables


def test_image_only_page_is_detected() -> None:
    page = """
    <div class="logo"><img src="/images/logo.png"></div>
    <div class="article"><h1>2023年政府信息公开工作年度报告</h1>
    <p><img src="/uploads/2024/report-page1.jpg" width="800"></p>
    <p><img src="/uploads/2024/report-page2.jpg"></p></div>
    """
    hint = _english_hint(page)
    assert hint is not None and "image" in hint
    pair = attachment_hint_pair(page)
    assert pair is not None and "图片" in pair.zh


def test_pdf_attachment_page_is_detected() -> None:
    page = (
        "<h1>2023年度报告</h1><p>附件：<a href='/files/2023%E5%B9%B4%E6%8A%A5.pdf'>2023年报.pdf</a></p>"
        "<iframe src='/pdfjs/web/viewer.html?file=/files/x.pdf'></iframe>"
    )
    hint = _english_hint(page)
    assert hint is not None and "attachment" in hint and "2023年报.pdf" in hint


def test_no_hint_when_tables_are_present_or_images_are_decorative() -> None:
    with_tables = TABLE3_HEADER + '<p><img src="/uploads/chart.png"><a href="/f/a.pdf">附件</a></p>'
    assert _english_hint(with_tables) is None
    decorative = (
        '<p>正文</p><img src="/img/qrcode.png"><img src="/img/dot.gif" width="16">'
        '<nav><a href="/guide.pdf">指南</a></nav>'
    )
    assert _english_hint(decorative) is None


# --------------------------------------------------------------------------------------------------
# The real published page (2019 trial format)


@pytest.mark.skipif(not SHANGHAI_2019.exists(), reason="../shared/corpus is not next to the project")
def test_real_shanghai_2019_page_renders_its_three_tables() -> None:
    source, encoding = decode_html(SHANGHAI_2019.read_bytes(), str(SHANGHAI_2019))
    assert encoding == "utf-8"
    rendered = render_html(source, encoding=encoding)
    check_origin(rendered)
    out = rendered.text.splitlines()
    rows = {ln.split("\t")[0]: ln.split("\t")[1:] for ln in out if "\t" in ln}

    # 表二 (trial format): label + three numbers; colspan cells add no fields.
    assert rows["规章"] == ["13", "13", "524"]
    assert rows["政府集中采购"] == ["6", "251000元"]
    # 表三: blank cells are &nbsp; on this page.
    assert rows["一、本年新收政府信息公开申请数量"] == ["821", "35", NBSP, NBSP, "2", "1", "859"]
    assert rows["三、本年度办理结果"] == ["（一）予以公开", "258", "12", NBSP, NBSP, "1", "1", NBSP]
    assert rows["（三）不予公开"][:3] == ["1.属于国家秘密", "14", NBSP]
    assert rows["（七）总计"] == ["767", "35", NBSP, NBSP, "2", "1", "805"]
    assert rows["四、结转下年度继续办理"] == ["72", NBSP, NBSP, NBSP, NBSP, NBSP, "72"]
    # 表四: header rows and the one data row of 15 cells.
    assert rows["行政复议"] == ["行政诉讼"]
    data = next(ln for ln in out if ln.startswith("5\t"))
    assert data.split("\t") == ["5", NBSP, NBSP, "2", "7", "8", NBSP, NBSP, "1", "9"] + [NBSP] * 5
    # Section headings are ordinary lines, in order.
    numbers = ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert [ln[:2] for ln in out if ln[:2] in numbers and "\t" not in ln] == numbers
    assert _english_hint(source) is None


# --------------------------------------------------------------------------------------------------
# Word documents


@pytest.fixture
def wd() -> Any:
    """python-docx, used to write the test documents (the reader itself imports it lazily)."""
    return pytest.importorskip("docx", reason="python-docx is needed to build test documents")


def save(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def fill_row(table: Any, row: int, values: list[str]) -> None:
    for col, value in enumerate(values):
        table.cell(row, col).text = value


def test_docx_paragraphs_and_tables_keep_document_order(wd: Any) -> None:
    d = wd.Document()
    d.add_heading("2023年政府信息公开工作年度报告", level=1)
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=2, cols=4)
    fill_row(t, 0, ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    fill_row(t, 1, ["规章", "0", "0", "0"])
    d.add_paragraph("")  # empty paragraphs render nothing
    d.add_paragraph("三、收到和处理政府信息公开申请情况", style="Heading 2")
    rendered = render_docx(save(d), "report.docx")
    assert rendered.text.splitlines() == [
        "2023年政府信息公开工作年度报告",
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t0\t0\t0",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert rendered.input_kind == "docx"
    assert rendered.origin is None
    assert rendered.source_text == rendered.text


def test_docx_merged_cells_are_emitted_once(wd: Any) -> None:
    d = wd.Document()
    t = d.add_table(rows=4, cols=5)
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 0).merge(t.cell(1, 1)).text = note
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    fill_row_cells = [(1, 2, "自然人"), (1, 3, "商业企业"), (1, 4, "总计")]
    for r, c, v in fill_row_cells:
        t.cell(r, c).text = v
    t.cell(2, 0).merge(t.cell(3, 0)).text = "三、本年度办理结果"
    fill_row_cells = [(2, 1, "（一）予以公开"), (2, 2, "13"), (2, 3, "0"), (2, 4, "13")]
    fill_row_cells += [(3, 1, "（二）部分公开"), (3, 2, "1"), (3, 3, "0"), (3, 4, "1")]
    for r, c, v in fill_row_cells:
        t.cell(r, c).text = v
    rendered = render_docx(save(d), "merged.docx")
    assert rendered.text.splitlines() == [
        f"{note}\t申请人情况",
        "\t自然人\t商业企业\t总计",
        "三、本年度办理结果\t（一）予以公开\t13\t0\t13",
        "\t（二）部分公开\t1\t0\t1",
    ]


def test_docx_numbers_split_over_runs_and_paragraphs_join(wd: Any) -> None:
    d = wd.Document()
    p = d.add_paragraph("共收到申请")
    for part in ("1", "2", "34", "件"):
        p.add_run(part)
    t = d.add_table(rows=1, cols=4)
    cell = t.cell(0, 0)
    cell.paragraphs[0].add_run("行政")
    cell.paragraphs[0].add_run("许可")
    cell = t.cell(0, 1)
    cell.paragraphs[0].add_run("54")
    cell.paragraphs[0].add_run("184")
    cell = t.cell(0, 2)
    cell.paragraphs[0].add_run("1")
    cell.add_paragraph("0")
    t.cell(0, 3).text = "\u3000"
    rendered = render_docx(save(d), "runs.docx")
    assert rendered.text.splitlines() == ["共收到申请1234件", f"行政许可\t54184\t10\t{NBSP}"]


def test_docx_tabs_and_breaks_inside_cells_do_not_break_the_row(wd: Any) -> None:
    d = wd.Document()
    t = d.add_table(rows=1, cols=3)
    run = t.cell(0, 0).paragraphs[0].add_run("一、本年新收")
    run.add_break()
    run.add_text("政府信息公开申请数量")
    run = t.cell(0, 1).paragraphs[0].add_run("3")
    run.add_tab()
    t.cell(0, 2).text = "3"
    rendered = render_docx(save(d), "breaks.docx")
    assert rendered.text == "一、本年新收 政府信息公开申请数量\t3\t3\n"


def test_docx_table_split_by_page_break_renders_both_parts(wd: Any) -> None:
    d = wd.Document()
    first = d.add_table(rows=2, cols=2)
    fill_row(first, 0, ["（一）予以公开", "13"])
    fill_row(first, 1, ["（二）部分公开", "1"])
    second = d.add_table(rows=1, cols=2)
    fill_row(second, 0, ["（三）不予公开", "0"])
    rendered = render_docx(save(d), "split.docx")
    assert rendered.text.splitlines() == ["（一）予以公开\t13", "（二）部分公开\t1", "（三）不予公开\t0"]
    describe = rendered.describe
    assert describe(rendered.text.index("（三）")) == Text("表格 2 第 1 行第 1 列", "table 2, row 1, column 1")


def test_docx_describe_names_paragraphs_and_cells(wd: Any) -> None:
    d = wd.Document()
    d.add_paragraph("一、总体情况")
    d.add_paragraph("")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=2, cols=3)
    fill_row(t, 0, ["信息内容", "本年制发件数", "本年废止件数"])
    fill_row(t, 1, ["规章", "5", ""])
    rendered = render_docx(save(d), "where.docx")
    text, describe = rendered.text, rendered.describe
    assert describe(0) == Text("第 1 段", "paragraph 1")
    assert describe(text.index("二、")) == Text("第 2 段", "paragraph 2")
    assert describe(text.index("\t5") + 1) == Text("表格 1 第 2 行第 2 列", "table 1, row 2, column 2")
    # An empty cell has no characters: its place is where its field starts (the line end here).
    assert describe(len(text) - 1) == Text("表格 1 第 2 行第 3 列", "table 1, row 2, column 3")


def test_docx_nested_table_is_flattened(wd: Any) -> None:
    d = wd.Document()
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].add_run("外层说明")
    inner = cell.add_table(rows=2, cols=2)
    fill_row(inner, 0, ["行政处罚", "367"])
    fill_row(inner, 1, ["行政强制", "0"])
    rendered = render_docx(save(d), "nested.docx")
    assert rendered.text.splitlines() == ["外层说明", "行政处罚\t367", "行政强制\t0"]
    assert rendered.describe(rendered.text.index("367")).zh == "表格 1 第 1 行第 1 列"


def test_docx_automatic_numbering_is_rendered(wd: Any) -> None:
    d = wd.Document()
    # The default template's "List Number" style numbers "1." "2." …; switch it to Chinese counting
    # with "、" to get the section headings Word users create with the numbering button.
    styles = d.styles.element
    num_id = styles.xpath('w:style[@w:styleId="ListNumber"]/w:pPr/w:numPr/w:numId/@w:val')[0]
    numbering = d.part.numbering_part.element
    abstract_id = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    lvl = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="0"]')[0]
    from docx.oxml.ns import qn

    lvl.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    lvl.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    for title in ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况"):
        d.add_paragraph(title, style="List Number")
    d.add_paragraph("正文段落")
    rendered = render_docx(save(d), "numbered.docx")
    assert rendered.text.splitlines() == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "正文段落",
    ]


def test_docx_without_python_docx_asks_for_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingDependencyError) as info:
        render_docx(b"PK\x03\x04whatever", "report.docx")
    assert 'pip install "disclosure-lint[docx]"' in info.value.zh
    assert 'pip install "disclosure-lint[docx]"' in info.value.en
    assert info.value.path == "report.docx"


def test_docx_invalid_files_raise_input_error() -> None:
    with pytest.raises(InputError, match="ZIP"):
        render_docx(b"just some text", "notes.docx")
    with pytest.raises(InputError, match=r"\.doc"):
        render_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.docx")
    with pytest.raises(InputError, match="damaged"):
        render_docx(b"PK\x03\x04" + b"\0" * 100, "truncated.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "not a word document")
    with pytest.raises(InputError):
        render_docx(buf.getvalue(), "zip.docx")


def test_docx_tracked_changes_hyperlinks_and_content_controls(wd: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = wd.Document()
    # What Word shows: inserted text counts, deleted text does not, hyperlink and content-control text do.
    d.element.body.insert(
        0,
        parse_xml(
            f"<w:p {nsdecls('w')}>"
            "<w:r><w:t>共收到申请</w:t></w:r>"
            "<w:del><w:r><w:delText>99</w:delText></w:r></w:del>"
            "<w:ins><w:r><w:t>30</w:t></w:r></w:ins>"
            "<w:r><w:t>件，详见</w:t></w:r>"
            "<w:hyperlink><w:r><w:t>政府网站</w:t></w:r></w:hyperlink>"
            "<w:sdt><w:sdtContent><w:r><w:t>。</w:t></w:r></w:sdtContent></w:sdt>"
            "</w:p>"
        ),
    )
    rendered = render_docx(save(d), "tracked.docx")
    assert rendered.text == "共收到申请30件，详见政府网站。\n"


def test_docx_without_numbering_part(wd: Any) -> None:
    # Documents that never used a list have no numbering.xml at all.
    d = wd.Document()
    d.add_paragraph("一、总体情况")
    d.add_paragraph("二、主动公开政府信息情况")
    original = zipfile.ZipFile(io.BytesIO(save(d)))
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as out:
        for info in original.infolist():
            if info.filename == "word/numbering.xml":
                continue
            data = original.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb"<Relationship [^>]*numbering\.xml\"/>", b"", data)
            out.writestr(info, data)
    rendered = render_docx(stripped.getvalue(), "plain.docx")
    assert rendered.text == "一、总体情况\n二、主动公开政府信息情况\n"


def _english_hint(page: str) -> str | None:
    pair = attachment_hint_pair(page)
    return pair.en if pair else None
