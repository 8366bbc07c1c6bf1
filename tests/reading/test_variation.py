"""Ordinary variation in real reports gives no false finding (issue #11).

Each class of variation is generated in every text layout the tests have (``reportgen.LAYOUTS``), and the
named real report in ../shared is checked too.
"""

from __future__ import annotations

import pytest
from conftest import shared_path
from reportgen import LAYOUTS, render

from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules


def suffix(layout: str) -> str:
    return ".md" if layout == "markdown" else ".txt"


def findings(text: str, layout: str = "tab") -> list:
    return run_rules(load_report("r" + suffix(layout), text.encode()), load_rules())


def codes(text: str, layout: str = "tab") -> set[str]:
    return {d.rule for d in findings(text, layout)}


def real(*parts: str) -> list:
    return run_rules(load_report(str(shared_path(*parts))), load_rules())


# --- S004 / S009: the statistical period -------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_period_sentence_broken_by_a_hard_wrap_is_one_sentence(layout):
    text = render(layout).replace("统计期限自2024年1月1日起至", "统计期限自2024年1月1日\n起至")
    report = load_report("r" + suffix(layout), text.encode())
    assert report.period == (2024, 2024)
    assert report.period_span is not None and report.period_span.end_line == report.period_span.line + 1
    assert codes(text, layout) == set()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_part_year_period_is_an_info_at_the_sentence(layout):
    text = render(layout).replace("统计期限自2024年1月1日起至", "统计期限自2024年9月1日起至")
    found = findings(text, layout)
    assert [d.rule for d in found] == ["S009"]
    line = text.split("\n")[found[0].span.line - 1]
    assert "2024年9月1日" in line and found[0].severity.value == "info"


def test_a_date_range_that_is_not_the_period_is_not_read_as_one():
    text = render("tab").replace(
        "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。", "2024年3月1日至2024年5月31日开展专项检查。"
    )
    assert "S004" in codes(text)


def test_real_reports_period_statements():
    for name in ("001_hongzequ_2023.txt", "002_hongzequ_2024.txt"):
        assert "S004" not in {d.rule for d in real("corpus", name)}, name
    for parts in (
        ("corpus", "034_pingtan-lvyouwenti_2019.txt"),
        ("corpus", "html", "013_pingtan-jinjingpianqu_2019.html"),
    ):
        found = [d for d in real(*parts) if d.rule in ("S004", "S009")]
        assert [d.rule for d in found] == ["S009"] and found[0].span.line > 1, parts


# --- S001 / S003: heading numbering ------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    "written", ["一总体情况", "一.总体情况", "一．总体情况", "一 总体情况", "一 、总体情况", "一，总体情况"]
)
def test_part_heading_with_a_numbering_slip_is_found_and_warned(layout, written):
    text = render(layout).replace("一、总体情况", written, 1)
    found = findings(text, layout)
    assert [d.rule for d in found] == ["S003"], [(d.rule, d.message.zh) for d in found]
    report = load_report("r" + suffix(layout), text.encode())
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_prose_that_starts_with_a_numeral_is_not_a_heading():
    text = render("tab").replace("五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n一是总体情况良好。\n")
    assert [s.number for s in load_report("r.txt", text.encode()).sections] == [1, 2, 3, 4, 5, 6]


def test_real_heading_without_its_comma():
    found = real("corpus", "html", "012_pingtan-jinjingpianqu_2020.html")
    assert "S001" not in {d.rule for d in found}
    assert any(d.rule == "S003" and "一总体情况" in d.message.zh for d in found)


# --- S007: rules declare the report years they apply to ----------------------------------------


@pytest.mark.parametrize("year,fires", [(2019, False), (2020, False), (2021, True), (2024, True)])
def test_fee_statement_applies_from_2021(year, fires):
    text = render("tab").replace("本年度发出收费通知0件，未收取信息处理费。", "无。").replace("2024", str(year))
    assert ("S007" in codes(text)) is fires


def test_real_2019_2020_reports_have_no_fee_finding():
    for name in ("010_pingtan_2019.txt", "011_pingtan_2020.txt", "017_pingtan-shichangjianguan_2020.txt"):
        assert "S007" not in {d.rule for d in real("corpus", name)}, name


@pytest.mark.parametrize(
    "applies,error",
    [
        ("{from_year: 2021}", None),
        ("{to_year: 2020}", None),
        ("{from_year: 2019, to_year: 2020}", None),
        ("2021", "applies"),
        ("{since: 2021}", "applies"),
        ("{from_year: '2021'}", "from_year"),
        ("{from_year: 21}", "from_year"),
        ("{from_year: 2022, to_year: 2021}", "from_year"),
    ],
)
def test_applies_is_validated(tmp_path, applies, error):
    from disclosure_lint.errors import RuleFileError
    from disclosure_lint.rules.engine import known_cell_ids
    from disclosure_lint.rules.loader import load_rule_file

    path = tmp_path / "X900.yaml"
    path.write_text(
        f"code: X900\nname: x\nsummary: s\nmessage: m\napplies: {applies}\nassert: t3.new.total >= 0\n",
        encoding="utf-8",
    )
    if error is None:
        (rule,) = load_rule_file(path, known_cell_ids(), set())
        assert rule.applies_to(2020) is (rule.to_year is not None) and rule.applies_to(2022) is (rule.to_year is None)
        assert rule.applies_to(None)
    else:
        with pytest.raises(RuleFileError) as exc:
            load_rule_file(path, known_cell_ids(), set())
        assert error in exc.value.en and exc.value.line == 5


# --- N501: a prose number is compared with the cell its phrase means ----------------------------

RECEIVED = "全年共收到政府信息公开申请25件（不含上年结转2件），已办结26件"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    "sentence,fires",
    [
        ("全年共收到政府信息公开申请25件（不含上年结转2件），同意公开答复13件，已办结26件", False),
        ("全年共收到政府信息公开申请25件（不含上年结转2件），同意公开答复12件，已办结26件", True),
        ("全年共受理政府信息公开申请27件，已办结26件", False),  # new + carried over
        ("全年共受理政府信息公开申请25件，已办结26件", False),  # new only
        ("全年共受理政府信息公开申请30件，已办结26件", True),
        ("全年共收到政府信息公开申请27件（不含上年结转2件），已办结26件", True),
        ("区政府办代表区政府受理政府信息公开申请5件，已办结26件", False),
        ("全年共收到政府信息公开申请25件（不含上年结转2件），因无法提供相关信息答复4件，已办结26件", False),
        ("全年共收到政府信息公开申请25件（不含上年结转2件），已答复20件", True),
    ],
)
def test_prose_numbers_are_compared_with_what_the_phrase_means(layout, sentence, fires):
    text = render(layout).replace(RECEIVED, sentence)
    found = [d for d in findings(text, layout) if d.rule == "N501"]
    assert bool(found) is fires, [d.message.zh for d in found]
    for d in found:  # the message quotes the prose's own words
        quoted = d.message.zh.split("「")[1].split("」")[0]
        assert quoted in sentence


def test_real_prose_phrasings_are_not_misread():
    assert "N501" not in {d.rule for d in real("corpus", "005_shanghai-kewei_2024.md")}  # 同意公开答复 9 件
    assert "N501" not in {d.rule for d in real("corpus", "004_shuyangxian_2025.md")}  # 受理 749 = 713 + 36
    assert "N501" not in {d.rule for d in real("corpus", "002_hongzequ_2024.txt")}  # 区政府办代表区政府受理 17 件
    found = [d for d in real("seeds", "004_1e860eacff34bb2b.txt") if d.rule == "N501"]
    assert len(found) == 1 and "现行有效的规范性文件共计488件" in found[0].message.zh


# --- glued digits: read when only one reading exists ---------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
def test_glued_rows_with_one_reading_are_read_in_every_layout(layout):
    from reportgen import T2_DATA, T3_DATA

    t3 = dict(T3_DATA, total=["213010126"], carried_forward=["1000001"])  # by its total; one digit per cell
    text = render(layout, t3=t3, t4=["100010100100000"], t2=dict(T2_DATA, normative_docs=["5238"]))
    report = load_report("r" + suffix(layout), text.encode())
    assert [report.cells[f"t3.total.{c}"].value for c in ("natural_person", "commercial", "total")] == [21, 3, 26]
    assert report.cells["t3.total.total"].reading == "row-total"
    assert report.cells["t3.carried_forward.natural_person"].reading == "digit-count"
    assert report.cells["t4.litigation_direct.total"].value == 1
    lines = text.split("\n")
    cell = report.cells["t3.total.commercial"]  # located on its own digit
    assert lines[cell.span.line - 1][cell.span.column - 1 : cell.span.end_column - 1] == "3"
    # 5238 has no total to choose a reading by: refused, never guessed
    assert report.cells["t2.normative_docs.in_force"].value is None
    found = findings(text, layout)
    assert sorted({d.rule for d in found}) == ["T106", "T108"], [(d.rule, d.message.zh) for d in found]
    assert all(d.severity.value != "error" for d in found)
    assert all("原始页面" in (d.help.zh if d.help else "") for d in found if d.rule == "T106")
    assert all("原始页面" in d.message.zh for d in found if d.rule == "T108")


def test_ambiguous_glued_row_is_refused():
    from reportgen import T3_DATA

    t3 = dict(T3_DATA, new=[10, 1, 0, 0, 0, 0, 11], total=["101000011"])  # 10 1 0 0 0 0 11 or 1 0 10 0 0 0 11
    report = load_report("r.txt", render("pdf", t3=t3).encode())
    assert report.tables[3].glued_rows == ["total"] and report.cells["t3.total.total"].value is None


PAIRS = {  # the same report as a saved web page (tables intact) and as crawler text (cells glued)
    "001_pingtan_2024.html": "014_pingtan_2024.txt",
    "002_pingtan_2025.html": "015_pingtan_2025.txt",
    "003_pingtan_2023.html": "013_pingtan_2023.txt",
    "004_pingtan-xingzhengshenpi_2025.html": "037_pingtan-xingzhengshenpi_2025.txt",
    "005_pingtan-xingzhengshenpi_2023.html": "028_pingtan-xingzhengshenpi_2023.txt",
    "006_pingtan-ziranziyuan_2024.html": "031_pingtan-ziranziyuan_2024.txt",
    "008_pingtan-shehuishiye_2024.html": "042_pingtan-shehuishiye_2024.txt",
    "009_pingtan-haitanpianqu_2023.html": "040_pingtan-haitanpianqu_2023.txt",
    "014_pingtan-jiaotongjianshe_2024.html": "025_pingtan-jiaotongjianshe_2024.txt",
    "015_pingtan-nongyenongcun_2025.html": "026_pingtan-nongyenongcun_2025.txt",
    "018_pingtan-caizhengjinrong_2024.html": "023_pingtan-caizhengjinrong_2024.txt",
}


@pytest.mark.parametrize("html,text", sorted(PAIRS.items()))
def test_no_wrong_value_is_ever_read_from_glued_text(html, text):
    page = load_report(str(shared_path("corpus", "html", html)))
    glued = load_report(str(shared_path("corpus", text)))
    read = {cid: c.value for cid, c in glued.cells.items() if c.ok and cid in page.cells}
    assert read == {cid: page.cells[cid].value for cid in read}
    assert len(read) >= 180  # most of the 199 cells are read


def broken_relations(diagnostics) -> set[str]:
    """The rules that fired, counting those an A300 finding stands for (it names one likely wrong cell in their
    place and lists them as related locations, "A301: …")."""
    codes = {d.rule for d in diagnostics}
    for d in diagnostics:
        if d.rule == "A300":
            codes |= {r.message.zh.split(":")[0] for r in d.related if r.message}
    return codes


@pytest.mark.parametrize(
    "name,rules",
    [
        ("011_pingtan_2020.txt", {"A303"}),  # outcome rows add up to 27, （七）总计 says 21
        ("018_pingtan-gonganju_2021.txt", {"A301"}),  # 1 new counted as handled and carried forward
        ("021_pingtan-nongyenongcun_2023.txt", {"A304"}),  # column shift between 一 and 二
        ("026_pingtan-nongyenongcun_2025.txt", {"A302", "A304"}),  # 总计 column wrong
        ("035_pingtan-jingjifazhan_2025.txt", {"A301", "A302", "A401"}),  # （七）总计0000000; 复议 total 0
    ],
)
def test_arithmetic_faults_of_glued_reports_are_found(name, rules):
    assert rules <= broken_relations(real("corpus", name))


def test_glued_table_four_that_does_not_add_up_is_not_read():
    """042's 表四 "00202000001324015" has no reading whose totals hold (its web copy says 15 where 19 is due)."""
    report = load_report(str(shared_path("corpus", "042_pingtan-shehuishiye_2024.txt")))
    assert report.tables[4].unreadable == "glued" and report.cells["t4.review.total"].value is None


# --- rows that are there are read ----------------------------------------------------------------


def _before_row(text: str, layout: str, label: str, insert: str) -> str:
    """``insert`` as a line of its own just before the line holding ``label`` (a row of 表三)."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if label in line)
    return "\n".join([*lines[:at], insert, *lines[at:]])


CONVERTER_HEADER = ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"]


def _as_row(cells: list[str], layout: str) -> str:
    if layout == "tab":
        return "\t".join(cells)
    if layout == "markdown":
        return "| " + " | ".join(cells) + " |\n|" + "---|" * len(cells)
    if layout == "pipe":
        return "\n".join(c + " |" for c in cells)
    if layout == "cell-per-line":
        return "\n\n".join(cells)
    return " ".join(cells)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_sub_heading_and_converter_header_are_never_rows(layout):
    text = render(layout)
    heading = "### (六) 其他" if layout == "markdown" else "(六) 其他"
    text = _before_row(text, layout, "1.申请人无正当理由逾期不补正", heading)
    text = _before_row(text, layout, "3.其他", _as_row(CONVERTER_HEADER, layout))
    report = load_report("r" + suffix(layout), text.encode())
    assert report.cells["t3.other.other.total"].value == 2
    assert report.cells["t3.carried_forward.total"].value == 1
    assert report.cells["t3.new.total"].value == 25
    assert codes(text, layout) == set(), [(d.rule, d.message.zh) for d in findings(text, layout)]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_of_two_occurrences_of_a_row_the_one_with_values_wins(layout):
    text = _before_row(render(layout), layout, "（七）总计", "四、结转下年度继续办理")  # a stray label, no values
    report = load_report("r" + suffix(layout), text.encode())
    assert report.cells["t3.carried_forward.total"].value == 1
    assert "T103" not in codes(text, layout)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_prose_after_table_four_is_not_cells(layout):
    text = (
        render(layout)
        .replace("\n五、", "\n我局 2024 年根据机构改革工作安排，已有近 1400 个政策文件实现阅办联动。\n\n五、")
        .replace("\n## 五、", "\n我局 2024 年根据机构改革工作安排，已有近 1400 个政策文件实现阅办联动。\n\n## 五、")
    )
    assert "1400" in text
    assert codes(text, layout) == set(), [(d.rule, d.message.zh) for d in findings(text, layout)]


@pytest.mark.parametrize("layout", ["tab", "cell-per-line", "pipe", "markdown"])
def test_blank_cell_written_as_a_lone_no_break_space_stays_a_blank_cell(layout):
    from reportgen import T2_DATA, T3_DATA

    t3 = dict(T3_DATA, granted=["\u00a0", 2, 0, 1, 0, 0, 13])
    text = render(layout, t2=dict(T2_DATA, regulations=["\u00a0", "0", "0"]), t3=t3)
    report = load_report("r" + suffix(layout), text.encode())
    assert [report.cells[f"t2.regulations.{c}"].status.value for c in ("issued", "repealed", "in_force")] == [
        "blank",
        "ok",
        "ok",
    ]
    assert [report.cells[f"t3.granted.{c}"].value for c in ("natural_person", "commercial", "total")] == [None, 2, 13]
    assert {d.rule for d in findings(text, layout)} == {"T101"}


def test_pdf_label_wrapped_around_the_vertical_header_is_one_label():
    text = render("pdf").replace(
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 0 0 0 0 0 0 0",
        "2、申请人逾期未按收费通知要\n他处理\n求缴纳费用、行政机关不再处理 0 0 0 0 0 0 0\n其政府信息公开申请",
    )
    assert "他处理" in text
    assert codes(text, "pdf") == set(), [(d.rule, d.message.zh) for d in findings(text, "pdf")]


@pytest.mark.parametrize(
    "name",
    ["003_huaianshi_2024.txt", "004_shuyangxian_2025.md", "008_pingtan-jiaotongjianshe_2022.txt"],
)
def test_real_rows_that_are_there_are_read(name):
    found = real("corpus", name)
    assert not {"T103", "T104", "T105", "T107"} & {d.rule for d in found}, [(d.rule, d.message.zh) for d in found]


def test_real_prose_after_table_four_is_not_cells():
    for name in ("005_shanghai-kewei_2024.md", "006_shanghai-bangongting_2025.md"):
        assert not [d for d in real("corpus", name) if d.rule == "T104" and d.message.zh.startswith("表四")], name


# --- F001: exactly what is old, and the old row's numbers count ---------------------------------


def _single_other_row(layout: str, values: list[str]) -> str:
    from reportgen import T3_DATA

    t3 = {k: v for k, v in T3_DATA.items() if not k.startswith("other.")}
    text = render(layout, t3=t3)
    return _before_row(text, layout, "（七）总计", _as_row(["（六）其他处理", *values], layout))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_single_other_row_is_named_exactly_and_its_numbers_count(layout):
    text = _single_other_row(layout, ["1", "0", "0", "0", "0", "1", "2"])
    found = findings(text, layout)
    assert [d.rule for d in found] == ["F001"], [(d.rule, d.message.zh) for d in found]
    assert "（六）其他处理」只有一行" in found[0].message.zh and "其余表格符合现行格式" in found[0].message.zh
    report = load_report("r" + suffix(layout), text.encode())
    assert report.cells["t3.other.total"].value == 2
    # the row takes part in the outcome sum: a wrong number there is an arithmetic fault
    wrong = _single_other_row(layout, ["1", "0", "0", "0", "0", "1", "5"])
    assert "A303" in broken_relations(findings(wrong, layout))


def test_real_single_other_row_report():
    (f001,) = [d for d in real("corpus", "001_hongzequ_2023.txt") if d.rule == "F001"]
    assert "（六）其他处理」只有一行" in f001.message.zh and "表二" not in f001.message.zh


# --- checks that were missing --------------------------------------------------------------------

TOPICS = "围绕主动公开、依申请公开、政府信息管理、平台建设和监督保障五个方面推进政务公开工作"
ASSESSMENT = "，工作考核、社会评议和责任追究结果均已公开"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_part_one_topics(layout):
    assert "S010" not in codes(render(layout), layout)
    text = render(layout).replace(TOPICS + ASSESSMENT, "围绕主动公开、依申请公开和平台建设推进政务公开工作")
    (found,) = [d for d in findings(text, layout) if d.rule == "S010"]
    assert "政府信息管理" in found.message.zh and "监督保障" in found.message.zh and "主动公开" not in found.message.zh


def test_part_one_topics_are_those_of_the_2021_format():
    """2019 and 2020 reports followed the trial notice, which did not ask for the five topics."""
    text = render("tab").replace(TOPICS + ASSESSMENT, "围绕主动公开推进政务公开工作")
    assert "S010" in codes(text)
    old = text.replace("2024", "2020").replace("2023", "2019")
    assert load_report("r.txt", old.encode()).year == 2020 and "S010" not in codes(old)


def test_part_one_topics_of_a_peoples_government_include_assessment_and_accountability():
    text = render("tab").replace(ASSESSMENT, "")  # 青松县人民政府: 考核、评议、责任追究 are due too
    assert "S010" not in codes(text.replace("青松县人民政府", "青松县交通运输局"))
    (found,) = [d for d in findings(text) if d.rule == "S010"]
    assert set(found.message.zh.split("：")[1].split("、")) == {"工作考核", "社会评议", "责任追究"}


LAST_YEAR = "上年度报告指出的依申请公开答复不规范问题，已通过制定答复文书模板完成整改。"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_rectification_of_last_years_problems(layout):
    assert "S011" not in codes(render(layout), layout)
    found = [d for d in findings(render(layout).replace(LAST_YEAR, ""), layout) if d.rule == "S011"]
    assert len(found) == 1 and found[0].severity.value == "info"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_year_the_report_gives_itself(layout):
    text = render(layout).replace("本报告根据", "现编制完成2023年度政府信息公开工作年度报告。本报告根据")
    (found,) = [d for d in findings(text, layout) if d.rule == "S012"]
    assert "2023" in found.message.zh and "2023年度" in text.split("\n")[found.span.line - 1]
    same = render(layout).replace("本报告根据", "现编制完成2024年度政府信息公开工作年度报告。本报告根据")
    cited = render(layout).replace(
        "本报告根据", "根据《关于做好2023年政府信息公开工作年度报告编制工作的通知》，本报告根据"
    )
    assert "S012" not in codes(same, layout) | codes(cited, layout)


def test_real_year_mismatch():
    (found,) = [d for d in real("corpus", "027_pingtan-lvyouwenti_2022.txt") if d.rule == "S012"]
    assert "2023" in found.message.zh


TRIAL_NOTICE = "（国办公开办函〔2021〕30号）"


@pytest.mark.parametrize("year,fires", [(2021, False), (2022, True), (2024, True)])
def test_superseded_notice_cited(year, fires):
    text = render("tab").replace(TRIAL_NOTICE, "（国办公开办函〔2019〕60号）").replace("2024", str(year))
    assert ("S013" in codes(text)) is fires
    assert "S013" not in codes(render("tab").replace("2024", str(year)))


@pytest.mark.parametrize("year,fires", [(2019, True), (2020, False), (2021, False)])
def test_document_issued_after_the_report_was_due(year, fires):
    fee = "本年度发出收费通知0件，未收取信息处理费。"
    text = render("tab").replace(fee, "依据国办函〔2020〕109号，" + fee).replace("2024", str(year))
    text = text.replace(TRIAL_NOTICE, "（国办公开办函〔2019〕60号）")  # what a 2019–2020 report cites
    assert ("S014" in codes(text)) is fires


def test_real_citations():
    for name in ("030_pingtan-guoziju_2022.txt", "036_pingtan-touzicujin_2024.txt"):
        assert "S013" in {d.rule for d in real("corpus", name)}, name
    found = [d for d in real("corpus", "html", "013_pingtan-jinjingpianqu_2019.html") if d.rule == "S014"]
    assert len(found) == 1 and "109号" in found[0].message.zh
    assert "S014" not in {d.rule for d in real("corpus", "html", "012_pingtan-jinjingpianqu_2020.html")}


SIGNED = "\n青松县人民政府办公室\n2025年1月20日\n"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_signing_body(layout):
    assert "S015" not in codes(render(layout) + SIGNED, layout)
    text = render(layout) + "\n青松县发展和改革委员会\n2025年1月20日\n"
    (found,) = [d for d in findings(text, layout) if d.rule == "S015"]
    assert "青松县发展和改革委员会" in found.message.zh and "青松县人民政府" in found.message.zh
    assert text.split("\n")[found.span.line - 1] == "青松县发展和改革委员会"


def test_real_signing_body():
    (found,) = [d for d in real("corpus", "036_pingtan-touzicujin_2024.txt") if d.rule == "S015"]
    assert "国有资产管理局" in found.message.zh and "投资促进局" in found.message.zh
    assert "S015" not in {d.rule for d in real("corpus", "030_pingtan-guoziju_2022.txt")}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(
    "cell,raw",
    [("granted", "-1"), ("granted", "1.5"), ("t4", "-1"), ("t4", "0.5")],
)
def test_negative_or_fractional_counts(layout, cell, raw):
    """T2-2/T3-4/T4-4: counts are whole numbers ≥ 0 (rule V202)."""
    from reportgen import T3_DATA, T4_DATA

    if cell == "t4":
        text = render(layout, t4=[raw, *map(str, T4_DATA[1:])])
    else:
        text = render(layout, t3=dict(T3_DATA, granted=[raw, 2, 0, 1, 0, 0, 13]))
    found = [d for d in findings(text, layout) if d.rule == "V202"]
    assert len(found) == 1 and raw in found[0].message.zh


@pytest.mark.parametrize("layout", ["pdf", "tab", "cell-per-line"])
def test_a_rows_digits_run_into_the_next_sentence(layout):
    """ "…总计100010100100000我局严格规范…": the digits are the table's, the sentence is prose."""
    text = render(layout, t4=["100010100100000我局严格规范政府信息公开流程。"])
    report = load_report("r.txt", text.encode())
    assert report.cells["t4.review.total"].value == 1 and report.cells["t4.litigation_direct.corrected"].value == 1
    assert {d.rule for d in findings(text, layout)} == {"T108"}


def test_real_table_four_glued_to_prose_is_not_a_missing_table():
    found = {d.rule for d in real("corpus", "033_pingtan-shichangjianguan_2025.txt")}
    assert not {"S005", "T103", "N501"} & found


def test_a_clean_report_flattened_like_a_crawler_copy_has_no_error():
    """The whole report on one line with every row's digits glued: rows with one reading are read, the
    others are named (T106, a warning), and nothing is reported that the report does not get wrong."""
    import re

    flat = re.sub(r"(?<=\d) (?=\d)", "", render("pdf")).replace("\n", "")
    found = findings(flat, "pdf")
    assert {d.rule for d in found} == {"T106", "T108"}, [(d.rule, d.message.zh) for d in found]
    report = load_report("r.txt", flat.encode())
    assert report.cells["t3.total.total"].value == 26 and report.cells["t4.review.total"].value == 1
    assert report.cells["t3.granted.total"].value is None  # 102010013: 10 2 0 1 0 0 13 or 1 0 2 0 10 0 13


@pytest.mark.parametrize("layout", ["pdf", "tab"])
def test_a_value_followed_by_a_sub_heading(layout):
    """ "行政事业性收费5949.09(二)主动公开…": the value ends where the sub-heading's numbering starts."""
    from reportgen import T2_DATA

    text = render(layout, t2=dict(T2_DATA, fees=["12.35(二)主动公开政府信息的主要类别"]))
    assert load_report("r.txt", text.encode()).cells["t2.fees.amount"].value == 12.35
    assert codes(text, layout) == set()


def test_real_value_followed_by_a_sub_heading():
    assert "T103" not in {d.rule for d in real("corpus", "043_pingtan-caizhengjinrong_2023.txt")}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_numbered_heading_that_is_no_part_ends_the_table(layout):
    """A small table of the report's own after 表四 ("七、信息处理费收取情况" …) adds no cells to 表四."""
    fee_table = "\n".join(
        [
            "七、信息处理费收取情况",
            _as_row(["通知收取件数", "通知收取金额（元）", "实际收取金额（元）"], layout),
            _as_row(["0", "0", "0"], layout),
        ]
    )
    heading = "## 五、" if layout == "markdown" else "五、"
    text = render(layout).replace(f"\n{heading}", f"\n{fee_table}\n\n{heading}", 1)
    assert "通知收取件数" in text
    assert codes(text, layout) == set(), [(d.rule, d.message.zh) for d in findings(text, layout)]


def test_real_fee_table_after_table_four_adds_no_cells():
    found = real("corpus", "html", "017_pingtan-jinjingpianqu_2025.html")
    assert not [d for d in found if d.rule == "T104"]


def test_a_wrapped_label_piece_like_a_heading_does_not_end_the_table():
    """006 prints "三、本法提供" (pieces of 三、本年度办理结果 and （四）无法提供) inside 表三: not a heading."""
    found = real("corpus", "006_shanghai-bangongting_2025.md")
    assert not [d for d in found if d.rule == "T103" and "信访举报投诉类申请" in d.message.zh]
