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
