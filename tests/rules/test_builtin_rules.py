"""Every built-in rule fires on a report that breaks it and stays silent on a clean one (issue #3)."""

from __future__ import annotations

import copy

import pytest
from reportgen import T2_DATA, T3_DATA, T4_DATA, render

from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules


def check(text: str) -> list:
    return run_rules(load_report("r.txt", text.encode()), load_rules())


def clean() -> str:
    return render("tab")


def t3_with(**rows: list[int]) -> str:
    t3 = copy.deepcopy(T3_DATA)
    t3.update(rows)
    return render("tab", t3=t3)


MUTATIONS = {
    "S001": lambda: clean().replace("五、存在的主要问题及改进情况\n", "\n"),
    "S002": lambda: (
        clean()
        .replace("一、总体情况", "一、总体情况临时")
        .replace("\n六、其他需要报告的事项\n\n本年度发出收费通知0件，未收取信息处理费。\n", "\n")
        .replace(
            "\n一、总体情况临时",
            "\n六、其他需要报告的事项\n\n本年度发出收费通知0件，未收取信息处理费。\n\n一、总体情况",
        )
    ),
    "S003": lambda: clean().replace("五、存在的主要问题及改进情况", "五、存在问题及下一步打算"),
    "S004": lambda: clean().replace(
        "统计期限自2024年1月1日起至2024年12月31日止", "统计期限自2023年1月1日起至2023年12月31日止"
    ),
    "S005": lambda: render("tab", t2={}),
    "S009": lambda: clean().replace("统计期限自2024年1月1日", "统计期限自2024年7月1日"),
    "S010": lambda: clean().replace("政府信息管理、", ""),
    "S011": lambda: clean().replace("上年度报告指出的依申请公开答复不规范问题，已通过制定答复文书模板完成整改。", ""),
    "S012": lambda: clean().replace("本报告根据", "现编制完成2023年度政府信息公开工作年度报告。本报告根据"),
    "S013": lambda: clean().replace("国办公开办函〔2021〕30号", "国办公开办函〔2019〕60号"),
    "S014": lambda: (
        clean().replace("2024", "2019").replace("未收取信息处理费", "未依国办函〔2020〕109号收取信息处理费")
    ),
    "S015": lambda: clean() + "\n青松县财政局\n2025年1月20日\n",
    "S006": lambda: clean().replace(clean().split("五、存在的主要问题及改进情况\n\n")[1].split("\n")[0], "无。"),
    "S007": lambda: clean().replace("本年度发出收费通知0件，未收取信息处理费。", "无。"),
    "T101": lambda: render("tab", t2=dict(T2_DATA, penalty=[""])),
    "T102": lambda: render("tab", t2=dict(T2_DATA, penalty=["/"])),
    "T103": lambda: render("tab", t3={k: v for k, v in T3_DATA.items() if k != "carried_over"}).replace(
        "不含上年结转2件", "不含上年结转"
    ),
    "T104": lambda: t3_with(new=[20, 3, 0, 1, 0, 1, 0, 25]),
    "T105": lambda: clean().replace("行政规范性文件\t5", "规范性文件\t5"),
    "T106": lambda: render("pdf").replace("行政规范性文件 5 2 38", "行政规范性文件5238"),
    "T108": lambda: render("pdf").replace("规章 0 0 0", "规章000"),
    "T107": lambda: clean().replace("行政强制\t4", "行政强制\t4\n行政强制\t4"),
    "V201": lambda: render("tab", t2=dict(T2_DATA, penalty=["见附件"])),
    "V202": lambda: render("tab", t2=dict(T2_DATA, penalty=["-3"])),
    "A301": lambda: t3_with(carried_forward=[2, 0, 0, 0, 0, 0, 2]),
    "A302": lambda: t3_with(total=[22, 3, 0, 1, 0, 1, 27], carried_forward=[0, 0, 0, 0, 0, 0, 0]),
    # Two rows each one off in the total column: no single cell explains both, so A304 is reported as it is.
    "A304": lambda: t3_with(granted=[10, 2, 0, 1, 0, 0, 14], partial=[3, 0, 0, 0, 0, 0, 2]),
    "A401": lambda: render("tab", t4=[1, 0, 0, 0, 2, *T4_DATA[5:]]),
    "F001": lambda: clean().replace(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    ),
    "N501": lambda: clean().replace("全年共收到政府信息公开申请25件", "全年共收到政府信息公开申请52件"),
}


def test_clean_report_has_no_findings():
    assert check(clean()) == []


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_rule_fires(code):
    found = check(MUTATIONS[code]())
    assert code in {d.rule for d in found}, [(d.rule, d.message.zh) for d in found]


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_rule_silent_on_clean(code):
    assert code not in {d.rule for d in check(clean())}


def test_a303_single_other_row_and_f002_trial_notice():
    t3 = {k: v for k, v in T3_DATA.items() if not k.startswith("other.")}
    text = render("tab", t3=t3).replace("（六）其他处理\t", "")
    text = text.replace(
        "（七）总计", "（六）其他处理\t2\t0\t0\t0\t0\t1\t3\n（七）总计"
    )  # 3 instead of 2: breaks the sum
    found = {d.rule for d in check(text)}
    assert "A303" in found
    trial = text.replace("2024", "2020").replace(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    found = {d.rule: d for d in check(trial)}
    assert "F002" in found and "F001" not in found


def test_blank_cells_do_not_cascade_into_arithmetic():
    found = check(
        t3_with(new=[20, 3, 0, 1, 0, 1, 25], total=[21, 3, 0, 1, 0, 1, 26]).replace(
            "\t21\t3\t0\t1\t0\t1\t26", "\t\t3\t0\t1\t0\t1\t26"
        )
    )
    rules = [d.rule for d in found]
    assert rules.count("T101") == 1
    assert not any(r.startswith("A") for r in rules)


def test_arithmetic_finding_names_every_cell_and_the_numbers():
    found = [d for d in check(t3_with(carried_forward=[2, 0, 0, 0, 0, 0, 2])) if d.rule == "A301"]
    natural = next(d for d in found if d.cells[0].endswith("natural_person"))
    assert set(natural.cells) == {
        "t3.total.natural_person",
        "t3.carried_forward.natural_person",
        "t3.new.natural_person",
        "t3.carried_over.natural_person",
    }
    assert (natural.actual, natural.expected) == (23, 22)
    assert natural.place.zh == "表三 ·「（七）总计」行 ·「自然人」列"
    assert "21 + 2 = 20 + 2" in natural.equation


def test_narrative_includes_carried_over():
    text = clean().replace(
        "全年共收到政府信息公开申请25件（不含上年结转2件）", "全年共受理政府信息公开申请27件（含上年结转2件）"
    )
    assert "N501" not in {d.rule for d in check(text)}
    text = text.replace("申请27件", "申请25件")
    assert "N501" in {d.rule for d in check(text)}


def test_messages_in_english():
    found = run_rules(load_report("r.txt", MUTATIONS["A301"]().encode()), load_rules())
    assert any("does not balance" in d.message.en for d in found)


def test_fee_statement_is_not_table_two_fees():
    """S007 asks for the information processing fee; table 二's 行政事业性收费 does not answer it."""
    text = clean().replace("本年度发出收费通知0件，未收取信息处理费。", "本年度行政事业性收费12.35万元，已在表二列明。")
    assert "S007" in {d.rule for d in check(text)}


def test_unnumbered_heading_is_a_part_but_a_deviation():
    found = check(clean().replace("五、存在的主要问题及改进情况", "存在的主要问题及改进情况"))
    assert [d.rule for d in found] == ["S003"]
    assert "五、存在的主要问题及改进情况" in found[0].message.zh
