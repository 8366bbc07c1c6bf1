"""Every text layout and encoding reads into the same cells (issue #2), with our own fixtures."""

from __future__ import annotations

import pytest
from reportgen import LAYOUTS, T2_DATA, T3_DATA, T4_DATA, render

from disclosure_lint import formats
from disclosure_lint.errors import InputError
from disclosure_lint.model import CellStatus
from disclosure_lint.pipeline import load_report


def expected_values() -> dict[str, float]:
    out: dict[str, float] = {}
    for key, values in T3_DATA.items():
        for col, v in zip(formats.T3_COLUMNS, values):
            out[formats.cell_id(3, key, col.key)] = v
    for key, values in T2_DATA.items():
        for col, v in zip(formats.TABLE2.row(key).columns, values):
            out[formats.cell_id(2, key, col.key)] = float(v)
    for (g, c), v in zip([(r.key, c.key) for r in formats.TABLE4.rows for c in r.columns], T4_DATA):
        out[formats.cell_id(4, g, c)] = v
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_reads_every_cell(layout):
    report = load_report(f"r.{'md' if layout == 'markdown' else 'txt'}", render(layout).encode())
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    values = {cid: report.cells[cid].value for cid in formats.STANDARD_CELL_IDS}
    assert values == expected_values()
    assert report.year == 2024 and report.edition == "2021" and report.period == (2024, 2024)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_positions_point_at_the_digits(layout):
    text = render(layout)
    report = load_report("r.txt", text.encode())
    lines = text.split("\n")
    for cid in formats.STANDARD_CELL_IDS:
        c = report.cells[cid]
        line = lines[c.span.line - 1]
        assert line[c.span.column - 1 : c.span.end_column - 1] == c.raw.strip(), cid


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b""), ("utf-16", b"")],
)
def test_encodings(encoding, prefix):
    data = prefix + render("tab").encode(encoding)
    report = load_report("r.txt", data)
    assert report.cells["t3.total.total"].value == 26
    assert report.title.startswith("青松县")


def test_crlf_keeps_columns():
    text = render("tab").replace("\n", "\r\n")
    report = load_report("r.txt", text.encode())
    c = report.cells["t3.new.total"]
    assert c.value == 25
    assert text.split("\n")[c.span.line - 1][c.span.column - 1] == "2"


@pytest.mark.parametrize(
    "raw,status,value",
    [
        ("12", "ok", 12),
        ("１２", "ok", 12),
        ("1,234", "ok", 1234),
        ("1，234", "ok", 1234),
        ("12.50", "ok", 12.5),
        ("", "blank", None),
        ("\u00a0", "blank", None),
        ("\u3000", "blank", None),
        (" ", "blank", None),
        ("/", "placeholder", None),
        ("-", "placeholder", None),
        ("—", "placeholder", None),
        ("无", "placeholder", None),
        ("见附件", "invalid", None),
    ],
)
def test_cell_values(raw, status, value):
    t2 = dict(T2_DATA, licensing=[raw])
    report = load_report("r.txt", render("tab", t2=t2).encode())
    cell = report.cells["t2.licensing.decisions"]
    assert (cell.status.value, cell.value) == (status, value)


def test_blank_placeholder_zero_missing_are_distinct():
    t2 = dict(T2_DATA, regulations=["", "—", "0"])
    t2.pop("coercion")
    report = load_report("r.txt", render("tab", t2=t2).encode())
    assert [report.cells[f"t2.regulations.{c}"].status.value for c in ("issued", "repealed", "in_force")] == [
        "blank",
        "placeholder",
        "ok",
    ]
    assert report.cells["t2.coercion.decisions"].status is CellStatus.MISSING


def test_label_variants_and_split_headers():
    text = render("cell-per-line")
    text = text.replace("（七）总计", "(七) 总 计").replace("1.属于国家秘密", "1．属于国家秘密")
    text = text.replace("2.重复申请", "2、重复申请").replace("商业企业", "商业\n企业")
    text = text.replace("二、主动公开政府信息情况", "\u3000\u3000二、主动公开政府信息情况")
    report = load_report("r.txt", text.encode())
    assert report.cells["t3.total.total"].value == 26
    assert report.cells["t3.denied.state_secret.total"].status is CellStatus.OK
    assert report.cells["t3.not_processed.duplicate.total"].status is CellStatus.OK
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_missing_section_still_yields_other_cells():
    text = render("tab")
    start = text.index("三、收到和处理")
    end = text.index("四、政府信息公开行政复议")
    report = load_report("r.txt", (text[:start] + text[end:]).encode())
    assert [s.number for s in report.sections] == [1, 2, 4, 5, 6]
    assert report.cells["t4.review.total"].value == 1
    assert report.cells["t2.fees.amount"].value == 12.35
    assert report.cells["t3.new.total"].status is CellStatus.MISSING


def test_glued_digits_are_read_only_when_one_reading_exists():
    """``规章000`` has one digit per cell; ``101000011`` reads as 10 1 0 0 0 0 11 and as 1 0 10 0 0 0 11 (both add
    up): the first is read, the second refused; ``行政规范性文件5238`` (no total to decide by) is refused."""
    t3 = dict(T3_DATA, new=[10, 1, 0, 0, 0, 0, 11])
    text = (
        render("pdf", t3=t3)
        .replace("规章 0 0 0", "规章000")
        .replace("行政规范性文件 5 2 38", "行政规范性文件5238")
        .replace("一、本年新收政府信息公开申请数量 10 1 0 0 0 0 11", "一、本年新收政府信息公开申请数量 101000011")
        .replace("（七）总计 21 3 0 1 0 1 26", "（七）总计 213010126")
    )
    report = load_report("r.txt", text.encode())
    assert [report.cells[f"t2.regulations.{c}"].value for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert report.cells["t2.regulations.issued"].reading == "digit-count"
    assert report.tables[2].glued_rows == ["normative_docs"]
    assert report.cells["t2.normative_docs.issued"].status is CellStatus.INVALID
    assert report.cells["t2.normative_docs.issued"].value is None
    assert report.tables[3].glued_rows == ["new"] and report.cells["t3.new.total"].value is None
    total = [report.cells[f"t3.total.{c.key}"] for c in formats.T3_COLUMNS]
    assert [c.value for c in total] == [21, 3, 0, 1, 0, 1, 26] and {c.reading for c in total} == {"row-total"}
    assert report.cells["t3.granted.total"].value == 13 and report.cells["t3.granted.total"].reading is None


def test_trial_format_is_recognised():
    text = render("tab").replace(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    text = text.replace("2024", "2020")
    report = load_report("r.txt", text.encode())
    assert report.edition == "2019-trial"
    assert report.tables[2].trial_format


def test_pdf_numbers_before_wrapped_label():
    """PDF text prints a wrapped label around its numbers; numbers may come first."""
    text = (
        render("pdf")
        .replace(
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形） 3 0 0 0 0 0 3",
            "（二）部分公开（区分处理的，只计这一情 形，不\n3 0 0 0 0 0 3\n计其他情形）",
        )
        .replace("（三）不予公开 1.属于国家秘密 0 0 0 0 0 0 0", "（三）不予公开\n0 0 0 0 0 0 0\n1.属于国家秘密")
    )
    report = load_report("r.txt", text.encode())
    assert report.cells["t3.partial.total"].value == 3
    assert report.cells["t3.denied.state_secret.total"].value == 0
    assert report.cells["t3.denied.prohibited.total"].value == 1


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"%PDF-1.7\n...", b"PK\x03\x04zip", b"\x89PNG\r\n\x1a\n"])
def test_not_a_report_is_a_clear_input_error(data):
    with pytest.raises(InputError) as exc:
        load_report("r.txt", data)
    assert exc.value.zh and exc.value.en


def test_unseen_layout_variants_read_the_same():
    """Variants not in any fixture file: merged Markdown cells, 件 units, ideographic spaces, 第一部分 headings,
    bold headings, 表四 as three labelled rows, odd heading punctuation."""
    base = {c: load_report("r.txt", render("tab").encode()).cells[c].value for c in formats.STANDARD_CELL_IDS}
    tab = render("tab")
    start, end = tab.index("行政复议\t行政诉讼"), tab.index("\n五、")
    t4_rows = "行政复议\t1\t0\t0\t0\t1\n未经复议直接起诉\t0\t1\t0\t0\t1\n复议后起诉\t0\t0\t0\t0\t0\n"
    markdown = "\n".join(
        "|  " + line[1:] if line.startswith("| ") and line[2:4] in ("2.", "3.", "4.", "5.") else line
        for line in render("markdown").split("\n")
    )
    variants = {
        "markdown-merged": (markdown, ".md"),
        "units": (tab.replace("\t25\n", "\t25件\n"), ".txt"),
        "pdf-ideographic-spaces": (render("pdf").replace(" ", "\u3000"), ".txt"),
        "part-headings": (tab.replace("一、总体情况", "第一部分 总体情况"), ".txt"),
        "bold-headings": (
            tab.replace("三、收到和处理政府信息公开申请情况", "**三、收到和处理政府信息公开申请情况**"),
            ".txt",
        ),
        "t4-rows": (tab[:start] + t4_rows + tab[end:], ".txt"),
        "heading-punctuation": (tab.replace("四、政府", "四． 政府").replace("五、存在", "五 、存在"), ".txt"),
    }
    for name, (text, suffix) in variants.items():
        report = load_report("r" + suffix, text.encode())
        assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6], name
        assert {c: report.cells[c].value for c in formats.STANDARD_CELL_IDS} == base, name
        assert not any(s.deviates for s in report.sections), name
