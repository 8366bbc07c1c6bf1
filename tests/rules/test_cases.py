"""Every rule file's own cases: each built-in rule fires on its ``fail`` edits, at the place they name, and stays
silent on its ``pass`` edits; the ``docs.bad`` / ``docs.good`` examples ``explain`` shows do the same when put
into a generated report. The case format is in ``rulecases.py`` and docs/rules.md."""

from __future__ import annotations

import pytest
import yaml
from rulecases import Case, located, rule_cases, run

from disclosure_lint.resources import rules_dir
from disclosure_lint.rules.loader import rule_files

RULE_FILES = rule_files(rules_dir())
CASES = [case for path in RULE_FILES for case in rule_cases(path)]

# Rules whose firing needs an input a generated text report cannot be, with the tests that show them firing
# and staying silent instead.
ELSEWHERE = {
    "S016": "a PDF without a text layer: tests/readers/test_pdf.py (pdfgen builds the PDFs)",
}
# Rules whose docs.bad / docs.good do not run yet, with the reason. Most are written as a summary of a
# report (「一 1 / 二 0 / （七）总计 0」, 「… 出现两次」) rather than text a report holds; rewriting each as text
# and adding ``cases.example`` takes it off this list.
SCHEMATIC = "the example summarises a report rather than quoting its text"
EXAMPLES_ELSEWHERE: dict[str, str] = {
    **{
        code: SCHEMATIC
        for code in [
            "A301",
            "A302",
            "A303",
            "A401",
            "T103",
            "T109",
            "F002",
            "S014",
            "S015",
        ]
    },
    **{code: "the example describes two reports of one body" for code in ["Y601", "Y602", "Y603", "Y604", "Y605"]},
    "S016": "the example describes a scanned PDF",
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_case(case: Case):
    source, found = run(case)
    mine = [d for d in found if d.rule == case.code]
    if case.kind in ("pass", "example-good"):
        assert mine == [], [(d.line, d.message.zh) for d in mine]
        return
    assert mine, f"{case.code} did not fire; found {[(d.rule, d.message.zh) for d in found]}"
    at = case.spec.get("at")
    if case.kind == "fail":
        assert at, "a fail case names where the finding is (at: line, text, cell or section)"
    if at:
        assert any(located(d, at, source) for d in mine), [(d.line, d.cells, d.section) for d in mine]


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem.split("-")[0])
def test_every_rule_shows_firing_and_staying_silent(path):
    code = yaml.safe_load(path.read_text(encoding="utf-8"))["code"]
    kinds = {case.kind for case in CASES if case.code == code}
    if code in ELSEWHERE:
        assert not kinds & {"fail", "pass"}, f"{code} has cases now: take it off ELSEWHERE"
        return
    assert {"fail", "pass"} <= kinds, f"{path.name} needs at least one fail and one pass case"
    if code in EXAMPLES_ELSEWHERE:
        assert "example-bad" not in kinds, f"{code}'s examples run now: take it off EXAMPLES_ELSEWHERE"
    else:
        assert {"example-bad", "example-good"} <= kinds, f"{path.name} needs cases.example for its docs examples"


# --- messages are checked against what the check or expression provides, when the file is loaded ----------


def _load(tmp_path, text: str):
    from disclosure_lint.rules.engine import known_cell_ids
    from disclosure_lint.rules.loader import load_rule_file

    path = tmp_path / "X900.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rule_file(path, known_cell_ids(), {"blank-cells", "section-similarity"})


EXPRESSION_RULE = """\
code: X900
name: balance
summary: s
message:
  zh: "「{col_label}」列：{actual} ≠ {expected}"
  en: "column {col_label}: {actual} != {expected}"
for_each:
  col: t3.columns
assert: t3.total.$col >= 0
"""


@pytest.mark.parametrize(
    ("text", "line", "placeholder"),
    [
        (EXPRESSION_RULE.replace('{expected}"\n  en', '{expectd}"\n  en'), 4, "expectd"),
        (EXPRESSION_RULE + "help: 见 {row_label}\n", 10, "row_label"),
        (
            EXPRESSION_RULE + "help: 见 {colLabel}\n",
            10,
            "colLabel",
        ),  # the engine fills lower-case names only  # the loop is over columns, not rows
        (
            'code: X900\nname: b\nsummary: s\nmessage: "{place} 为空"\nhelp: "{raw} {cell}"\ncheck: blank-cells\n',
            5,
            "cell",
        ),
        (
            'code: X900\nname: b\nsummary: s\nmessage: "{place}"\ncheck: blank-cells\n'
            'params:\n  group: {zh: "{count} {cell}"}\n',
            6,
            "cell",
        ),
        ('code: X900\nname: b\nsummary: s\nmessage: "{share} {year}"\ncheck: section-similarity\n', 4, "year"),
    ],
)
def test_a_placeholder_nothing_fills_is_refused_at_load(tmp_path, text, line, placeholder):
    from disclosure_lint.errors import RuleFileError

    with pytest.raises(RuleFileError) as caught:
        _load(tmp_path, text)
    assert caught.value.line == line and caught.value.path.endswith("X900.yaml")
    assert f"{{{placeholder}}}" in caught.value.en and f"{{{placeholder}}}" in caught.value.zh


def test_provided_placeholders_load(tmp_path):
    (rule,) = _load(tmp_path, EXPRESSION_RULE + 'help: "{equation}（{year} 年，差 {diff}，{col}）"\n')
    assert rule.code == "X900"


def test_loop_labels_the_loader_knows_are_those_the_engine_fills():
    from disclosure_lint.rules.engine import _loop_labels
    from disclosure_lint.rules.loader import LOOP_LABELS

    for name, label in LOOP_LABELS.items():
        assert set(_loop_labels({name: "total"})) == {label}
    assert _loop_labels({"other": "x"}) == {}


def test_bad_cases_section_is_refused(tmp_path):
    from disclosure_lint.errors import RuleFileError

    with pytest.raises(RuleFileError) as caught:
        _load(tmp_path, EXPRESSION_RULE + "cases:\n  fial: []\n")
    assert caught.value.line == 10
