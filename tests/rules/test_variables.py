"""A report's variables in rule expressions: ``edition`` and ``input_kind``, and the names rule packs used first."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportgen import render

from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

RULE = """\
code: X950
name: edition-seen
category: format
summary: 规则看到的格式版本
message: 本报告按 2021 年版格式编制（{when}）
when: {when}
assert: "false"
"""


@pytest.mark.parametrize(
    "when",
    [
        'edition == "2021" and input_kind == "text"',
        # The names of version one's rule files: a province's rule pack written then must keep working.
        'format == "2021" and source_format == "text"',
    ],
)
def test_edition_and_input_kind_reach_a_user_rule(tmp_path: Path, when: str):
    (tmp_path / "X950.yaml").write_text(RULE.format(when=when), encoding="utf-8")
    report = load_report("report.txt", render("tab").encode())
    assert report.edition == "2021" and report.input_kind == "text"
    fired = [d for d in run_rules(report, load_rules([tmp_path])) if d.rule == "X950"]
    assert len(fired) == 1


def test_a_2019_report_is_not_the_2021_edition(tmp_path: Path):
    (tmp_path / "X950.yaml").write_text(RULE.format(when='edition == "2021"'), encoding="utf-8")
    # The trial format's column words in 表二, as a 2020 report wrote them.
    text = render("tab").replace(
        "本年制发件数\t本年废止件数\t现行有效件数", "本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    report = load_report("report.txt", text.replace("2024", "2020").encode())
    assert report.edition == "2019-trial"
    assert not [d for d in run_rules(report, load_rules([tmp_path])) if d.rule == "X950"]
