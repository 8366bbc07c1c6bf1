from __future__ import annotations

import pytest

from disclosure_lint.identity import issuing_body


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("淮安市洪泽区人民政府2023年政府信息公开工作年度报告", "淮安市洪泽区人民政府"),
        ("平潭综合实验区海坛片区管理局 2023年度政府信息公开工作年度报告", "平潭综合实验区海坛片区管理局"),
        ("绥芬河市 2023 年 政府信息公开工作年度报告", "绥芬河市"),
        ("2023年度 淮安市人民政府办公室 政府信息公开工作年度报告", "淮安市人民政府办公室"),
        ("关于淮安市交通运输局2022年政府信息公开工作的年度报告", "淮安市交通运输局"),
        ("沭阳县发展和改革局2023年政府信息公开年度报告-沭阳县发改局", "沭阳县发展和改革局"),
        ("成安县2021年度政府信息公开年度报告", "成安县"),
    ],
)
def test_body_is_the_title_without_year_and_document_name(title: str, body: str) -> None:
    assert issuing_body(title) == body


def test_office_and_government_stay_different_bodies() -> None:
    assert issuing_body("淮安市人民政府办公室2023年政府信息公开工作年度报告") != issuing_body(
        "淮安市人民政府2023年政府信息公开工作年度报告"
    )


@pytest.mark.parametrize("title", ["2023年度政府信息公开工作年度报告", "2022年度政府信息公开工作报告", "年度报告"])
def test_a_title_without_a_body_names_none(title: str) -> None:
    assert issuing_body(title) is None


# --- body and year when the text has no title line ---------------------------------------------------

from disclosure_lint import identity  # noqa: E402
from disclosure_lint.pipeline import load_report  # noqa: E402


def test_same_body_allows_a_city_in_front_but_not_a_bare_office():
    assert identity.same_body("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert identity.same_body("江苏省淮安市洪泽区人民政府", "洪泽区人民政府")
    assert not identity.same_body("淮安市人民政府", "人民政府")
    assert not identity.same_body("淮安市人民政府办公室", "淮安市人民政府")
    assert not identity.same_body("淮安市洪泽区人民政府", "淮安市清江浦区人民政府")


def test_signature_names_the_body():
    text = "……六、其他需要报告的事项\n无。\n\n  平潭综合实验区金井片区管理局\n 2020年1月6日   \n"
    assert identity.signature_body(text) == "平潭综合实验区金井片区管理局"
    assert identity.signature_body("……无。\n某某局 2024年1月3日\n") == "某某局"
    # A sentence before the date is not a signature.
    assert identity.signature_body("我局将继续加强政务公开工作，提高服务水平。\n2024年1月3日\n") is None


def test_web_page_title_and_signature_give_body_and_year():
    page = (
        "<html><head><title>平潭综合实验区金井片区管理局2019年政府信息公开工作年度报告</title></head><body>"
        "<p>本报告所列数据的统计期限自2019年9月1日起至2019年12月31日。</p><p>一、总体情况</p><p>略。</p>"
        "</body></html>"
    )
    report = load_report("p.html", page.encode())
    assert (report.body, report.year) == ("平潭综合实验区金井片区管理局", 2019)
    assert page[report.title_span.column - 1 :].startswith("平潭综合实验区金井片区管理局2019年")
    no_title = page.replace("<title>平潭综合实验区金井片区管理局2019年政府信息公开工作年度报告</title>", "")
    signed = no_title.replace("<p>略。</p>", "<p>略。</p><p>平潭综合实验区金井片区管理局</p><p>2020年1月6日</p>")
    report = load_report("p.html", signed.encode())
    # The year from the period statement, not the signature's date (reports are signed the year after).
    assert (report.body, report.year) == ("平潭综合实验区金井片区管理局", 2019)


def test_body_on_the_line_above_a_bare_title():
    text = "平潭综合实验区海坛片区管理局\n2023年度政府信息公开工作年度报告\n\n一、总体情况\n略。\n"
    report = load_report("r.txt", text.encode())
    assert (report.body, report.year) == ("平潭综合实验区海坛片区管理局", 2023)


def test_a_bare_place_is_its_government_and_site_names_are_dropped():
    assert identity.same_body("绥芬河市", "绥芬河市人民政府")
    assert identity.same_body("洪泽区", "淮安市洪泽区人民政府")
    assert not identity.same_body("绥芬河市", "绥芬河市人民政府办公室")
    assert issuing_body("沭阳县人民政府-沭阳县发展和改革局2023年政府信息公开工作年度报告") == "沭阳县发展和改革局"


def test_year_in_chinese_numerals():
    assert identity.title_year("某县交通运输局二〇二三年度政府信息公开工作年度报告") == 2023
    assert issuing_body("某县交通运输局二〇二三年度政府信息公开工作年度报告") == "某县交通运输局"
    report = load_report("r.txt", "某县交通运输局二〇二三年度政府信息公开工作年度报告\n\n一、总体情况\n略。\n".encode())
    assert (report.body, report.year) == ("某县交通运输局", 2023)
