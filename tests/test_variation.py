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
    assert [d.rule for d in found] == ["S003"], [(d.rule, d.message) for d in found]
    report = load_report("r" + suffix(layout), text.encode())
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_prose_that_starts_with_a_numeral_is_not_a_heading():
    text = render("tab").replace("五、存在的主要问题及改进情况\n", "五、存在的主要问题及改进情况\n一是总体情况良好。\n")
    assert [s.number for s in load_report("r.txt", text.encode()).sections] == [1, 2, 3, 4, 5, 6]


def test_real_heading_without_its_comma():
    found = real("corpus", "html", "012_pingtan-jinjingpianqu_2020.html")
    assert "S001" not in {d.rule for d in found}
    assert any(d.rule == "S003" and "一总体情况" in d.message for d in found)


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
    ],
)
def test_prose_numbers_are_compared_with_what_the_phrase_means(layout, sentence, fires):
    text = render(layout).replace(RECEIVED, sentence)
    found = [d for d in findings(text, layout) if d.rule == "N501"]
    assert bool(found) is fires, [d.message for d in found]
    for d in found:  # the message quotes the prose's own words
        quoted = d.message.split("「")[1].split("」")[0]
        assert quoted in sentence


def test_real_prose_phrasings_are_not_misread():
    assert "N501" not in {d.rule for d in real("corpus", "005_shanghai-kewei_2024.md")}  # 同意公开答复 9 件
    assert "N501" not in {d.rule for d in real("corpus", "004_shuyangxian_2025.md")}  # 受理 749 = 713 + 36
    assert "N501" not in {d.rule for d in real("corpus", "002_hongzequ_2024.txt")}  # 区政府办代表区政府受理 17 件
    found = [d for d in real("seeds", "004_1e860eacff34bb2b.txt") if d.rule == "N501"]
    assert len(found) == 1 and "现行有效的规范性文件共计488件" in found[0].message
