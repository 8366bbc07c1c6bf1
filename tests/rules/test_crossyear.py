"""Comparing a report with the same body's report of the year before (issue #13)."""

from __future__ import annotations

import io
import itertools
import json
import pickle
import random
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import shared_path
from pdfgen import make_pdf
from yeargen import OTHER_PART_FIVES, PART_FIVE, encoded, report_text

from disclosure_lint.cli import main
from disclosure_lint.pairing import cross_year_reads, snapshot
from disclosure_lint.pipeline import load_report
from disclosure_lint.resources import rules_dir
from disclosure_lint.rules import expr
from disclosure_lint.rules.checks.crossyear import shared_share
from disclosure_lint.rules.engine import load_rules, run_rules

KINDS = ("txt", "html", "docx")


def read(text: str, kind: str = "txt", name: str = "r"):
    suffix, data = encoded(text, kind)
    return load_report(f"{name}{suffix}", data)


def cross(current, previous):
    return run_rules(current, load_rules(), previous=previous, cross_year_only=True)


def rules_of(diagnostics) -> list[str]:
    return sorted(d.rule for d in diagnostics)


# --- the rules, on pairs built as text, web pages and Word documents ----------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_consistent_pair_is_silent(kind):
    last = read(report_text(2023, carried_forward=3, part_five=OTHER_PART_FIVES[0]), kind, "2023")
    this = read(report_text(2024, carried_over=3, normative=(5, 2, 38 + 3)), kind, "2024")
    assert last.body == this.body == "青松县人民政府"
    assert cross(this, last) == []
    assert run_rules(this, load_rules()) == []  # and nothing single-year either


@pytest.mark.parametrize("kind", KINDS)
def test_y601_carried_over_differs_from_last_years_carried_forward(kind):
    last = read(report_text(2023, carried_forward=3, normative=(5, 2, 35)), kind, "2023")
    this = read(report_text(2024, carried_over=1, part_five=OTHER_PART_FIVES[0]), kind, "2024")
    found = [d for d in cross(this, last) if d.rule == "Y601"]
    assert [d.cells for d in found] == [
        ["t3.carried_over.natural_person", "prev.t3.carried_forward.natural_person"],
        ["t3.carried_over.total", "prev.t3.carried_forward.total"],
    ]
    d = found[0]
    assert (d.actual, d.expected) == (1, 3) and d.severity.value == "error"
    assert d.span == this.cells["t3.carried_over.natural_person"].span  # this year's cell
    (related,) = d.related
    assert related.path == last.path and related.cell == "t3.carried_forward.natural_person"
    assert related.span == last.cells["t3.carried_forward.natural_person"].span  # last year's cell
    assert "上年报告（2023年）" in (related.message.zh if related.message else "")
    if kind == "docx":
        assert related.span.where and "表格" in related.span.where.zh


def test_y601_silent_when_a_cell_is_blank():
    last = read(report_text(2023, carried_forward=3).replace("四、结转下年度继续办理\t3", "四、结转下年度继续办理\t"))
    this = read(report_text(2024, carried_over=1, normative=(5, 2, 41), part_five=OTHER_PART_FIVES[0]))
    found = [d for d in cross(this, last) if d.rule == "Y601"]
    # 自然人 is blank last year (T101 says so there): only 总计 is compared.
    assert [d.cells[0] for d in found] == ["t3.carried_over.total"]


def test_y602_stock_continuity_gives_the_computed_value():
    last = read(report_text(2023, normative=(4, 1, 30)))
    this = read(report_text(2024, normative=(5, 2, 38), part_five=OTHER_PART_FIVES[0]))
    (d,) = [d for d in cross(this, last) if d.rule == "Y602"]
    assert d.severity.value == "info"
    assert (d.actual, d.expected) == (38, 33)  # 30 + 5 - 2
    assert "33" in d.message.en and "lapse" in d.message.en
    assert d.equation == "38 = 30 + 5 - 2"
    assert d.related[0].cell == "t2.normative_docs.in_force" and d.related[0].path == last.path
    consistent = read(report_text(2024, normative=(5, 2, 33), part_five=OTHER_PART_FIVES[0]))
    assert [x for x in cross(consistent, last) if x.rule == "Y602"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_y603_part_five_copied_with_the_years_changed(kind):
    copied = PART_FIVE.replace("上年度", "2023年度")
    last = read(report_text(2023, part_five=PART_FIVE.replace("上年度", "2022年度")), kind, "2023")
    this = read(report_text(2024, normative=(5, 2, 38 + 3), part_five=copied), kind, "2024")
    (d,) = [d for d in cross(this, last) if d.rule == "Y603"]
    assert d.severity.value == "warning" and "100%" in d.message.zh
    assert d.span == this.section(5).span and d.section == 5
    assert d.related[0].path == last.path and d.related[0].span == last.section(5).span


def test_y603_silent_for_rewritten_or_short_parts():
    last = read(report_text(2023, part_five=OTHER_PART_FIVES[0]))
    for text in (OTHER_PART_FIVES[1], "无。"):
        this = read(report_text(2024, normative=(5, 2, 41), part_five=text))
        assert [d for d in cross(this, last) if d.rule == "Y603"] == []


def test_similarity_measure():
    assert shared_share("2024年，我局将加强培训。", "2023年，我局将加强培训。") == 1.0  # digits folded
    assert shared_share("甲乙丙丁戊己庚", "子丑寅卯辰巳午") == 0.0
    assert shared_share("短", "短") is None
    # A copy with a new paragraph added is still mostly copied (containment, not Jaccard).
    share = shared_share(PART_FIVE + OTHER_PART_FIVES[0][:40], PART_FIVE)
    assert share is not None and 0.6 < share < 1.0
    # Real rewritten and unrelated texts stay far below the threshold.
    assert (shared_share(OTHER_PART_FIVES[1], OTHER_PART_FIVES[0]) or 0) < 0.2


def test_y604_years_not_consecutive_and_y605_older_edition():
    last = read(report_text(2022))
    this = read(report_text(2024, part_five=OTHER_PART_FIVES[0]))
    (d,) = [d for d in cross(this, last) if d.rule == "Y604"]
    assert "2024" in d.message.zh and "2022" in d.message.zh and d.span == this.title_span
    assert d.related[0].path == last.path and d.related[0].span == last.title_span
    assert [d for d in cross(this, read(report_text(2023))) if d.rule == "Y604"] == []

    newer = read(report_text(2021))
    older = read(report_text(2022, trial=True, part_five=OTHER_PART_FIVES[0]))
    assert older.edition == "2019-trial" and newer.edition == "2021"
    assert [d.rule for d in cross(older, newer) if d.rule == "Y605"] == ["Y605"]
    assert [d for d in cross(newer, read(report_text(2020, trial=True))) if d.rule == "Y605"] == []


def test_without_a_previous_report_cross_year_rules_are_silent():
    this = read(report_text(2024, carried_over=5))  # would contradict any plausible last year
    assert [d for d in run_rules(this, load_rules()) if d.rule.startswith("Y")] == []
    assert cross(this, None) == []


# --- the expression language ---------------------------------------------------------------------


def test_prev_references_parse_validate_and_mark_the_rule():
    tree = expr.parse_expression("t3.carried_over.$col == prev.t3.carried_forward.$col")
    assert expr.uses_previous(tree)
    expr.validate(tree, known_cells=_known(), variables={"col"})
    assert not expr.uses_previous(expr.parse_expression("t3.new.total >= 0"))
    year = expr.parse_expression("year == prev.year + 1")
    assert expr.uses_previous(year)
    expr.validate(year, known_cells=_known(), variables={"year", "prev.year"})
    with pytest.raises(expr.ExpressionError, match=r"prev\.colour"):
        expr.validate(expr.parse_expression("prev.colour == 1"), known_cells=_known(), variables={"prev.year"})
    with pytest.raises(expr.ExpressionError, match="does not match any known cell"):
        expr.validate(expr.parse_expression("prev.t3.nothing.total == 1"), known_cells=_known(), variables=set())
    with pytest.raises(expr.ExpressionError, match="not a cell reference"):
        expr.parse_expression("prev.t9.x.y == 1")
    # Wildcards over last year's cells work inside aggregates.
    ctx = expr.SimpleContext(
        values={"prev.t3.carried_forward.natural_person": 2, "prev.t3.carried_forward.total": 2},
        known_cells=("t3.carried_forward.natural_person", "t3.carried_forward.total"),
    )
    assert expr.evaluate(expr.parse_expression("sum(prev.t3.carried_forward.*)"), ctx) == 4


def _known() -> set[str]:
    from disclosure_lint.rules.engine import known_cell_ids

    return known_cell_ids()


def test_loader_knows_which_rules_need_a_previous_report(tmp_path):
    rules = {r.code: r for r in load_rules().rules}
    assert {c for c, r in rules.items() if r.needs_previous} == {"Y601", "Y602", "Y603", "Y604", "Y605"}
    assert all(rules[c].category == "cross-year" for c in ("Y601", "Y603"))
    (tmp_path / "P950.yaml").write_text(
        "code: P950\nname: same-licensing\nseverity: info\nsummary: s\nmessage: m\n"
        "assert: t2.licensing.decisions == prev.t2.licensing.decisions\n",
        encoding="utf-8",
    )
    user = {r.code: r for r in load_rules([str(tmp_path)]).rules}
    assert user["P950"].needs_previous
    this, last = read(report_text(2024, part_five=OTHER_PART_FIVES[0])), read(report_text(2023).replace("1523", "9"))
    assert [d.rule for d in run_rules(this, load_rules([str(tmp_path)]), previous=last) if d.rule == "P950"] == ["P950"]
    assert [d.rule for d in run_rules(this, load_rules([str(tmp_path)])) if d.rule == "P950"] == []


# --- pairing on the command line -----------------------------------------------------------------


def write_series(folder: Path, kind: str = "txt", *, fault: bool = True) -> dict[int, Path]:
    """2023–2025 of one body (2025 carries over 4 instead of 2024's 2 when ``fault``), plus another body."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        2023: report_text(2023, carried_forward=2, normative=(5, 2, 30), part_five=OTHER_PART_FIVES[0]),
        2024: report_text(2024, carried_over=2, carried_forward=2, normative=(5, 2, 33), part_five=OTHER_PART_FIVES[1]),
        2025: report_text(2025, carried_over=4 if fault else 2, normative=(5, 2, 36), part_five=OTHER_PART_FIVES[2]),
    }
    paths = {}
    for year, text in texts.items():
        suffix, data = encoded(text, kind)
        paths[year] = folder / f"report-{year}{suffix}"
        paths[year].write_bytes(data)
    other = report_text(2024, body="白桦县人民政府", carried_over=9, part_five=OTHER_PART_FIVES[2])
    (folder / "baihua-2024.txt").write_text(other, encoding="utf-8")
    return paths


def cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(["check", "--isolated", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("kind", KINDS)
def test_folder_is_paired_automatically(tmp_path, capsys, kind):
    paths = write_series(tmp_path / "reports", kind)
    code, out, err = cli([str(tmp_path / "reports"), "--format", "json"], capsys)
    doc = json.loads(out)
    pairs = {(Path(p["path"]).name, Path(p["previous"]).name) for p in doc["pairing"]["pairs"]}
    assert pairs == {(paths[2024].name, paths[2023].name), (paths[2025].name, paths[2024].name)}
    unpaired = {Path(u["path"]).name: u["reason"] for u in doc["pairing"]["unpaired"]}
    assert unpaired == {paths[2023].name: "no-predecessor", "baihua-2024.txt": "no-predecessor"}
    found = [(Path(f["path"]).name, d["rule"]) for f in doc["files"] for d in f["diagnostics"]]
    assert found == [(paths[2025].name, "Y601"), (paths[2025].name, "Y601")]
    related = next(d for f in doc["files"] for d in f["diagnostics"])["related"][0]
    assert related["path"] == str(paths[2024]) and related["cell"] == "t3.carried_forward.natural_person"
    assert code == 1 and err == ""


def test_clean_series_and_human_notes(tmp_path, capsys):
    write_series(tmp_path / "reports", fault=False)
    code, _, err = cli([str(tmp_path / "reports"), "--format", "concise"], capsys)
    assert code == 0
    assert "跨年度比较" in err and "report-2025.txt ← " in err and "report-2024.txt" in err
    assert "2 份报告在本次检查中没有上一年度的报告可比较" in err and "baihua-2024.txt" in err


def test_no_pairing(tmp_path, capsys):
    write_series(tmp_path / "reports")
    code, out, err = cli([str(tmp_path / "reports"), "--format", "json", "--no-pairing"], capsys)
    doc = json.loads(out)
    assert code == 0 and "pairing" not in doc and err == ""
    assert all(not f["diagnostics"] for f in doc["files"])
    (tmp_path / "reports" / ".disclosure-lint.yaml").write_text("pairing: false\n", encoding="utf-8")
    config = tmp_path / "reports" / ".disclosure-lint.yaml"
    code = main(["check", str(tmp_path / "reports"), "--format", "json", "--config", str(config)])
    assert code == 0 and "pairing" not in json.loads(capsys.readouterr().out)


def test_previous_option_compares_one_pair(tmp_path, capsys):
    paths = write_series(tmp_path / "reports")
    code, out, err = cli([str(paths[2025]), "--previous", str(paths[2024]), "--format", "concise"], capsys)
    assert code == 1 and out.count("Y601") == 2 and "另见" in out and str(paths[2024]) in out
    assert "跨年度比较" in err
    # The predecessor's own findings are not reported: only the report checked is.
    assert str(paths[2024]) + ":" not in out.replace(f"另见 {paths[2024]}", "")
    sarif = json.loads(cli([str(paths[2025]), "--previous", str(paths[2024]), "--format", "sarif"], capsys)[1])
    related = sarif["runs"][0]["results"][0]["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"].endswith("report-2024.txt")


def test_previous_unreadable_or_of_another_body(tmp_path, capsys):
    paths = write_series(tmp_path / "reports")
    missing = tmp_path / "nope.txt"
    code, out, err = cli([str(paths[2025]), "--previous", str(missing), "--format", "concise"], capsys)
    assert code == 2 and "作为上年报告无法读取" in out and "只做了单年度检查" in out
    binary = tmp_path / "last.txt"
    binary.write_bytes(b"%PDF-1.4 binary")
    code, out, _ = cli([str(paths[2025]), "--previous", str(binary), "--format", "json", "--lang", "en"], capsys)
    doc = json.loads(out)
    assert code == 2 and doc["pairing"]["unpaired"][0]["reason"] == "unreadable"
    assert "cannot be read as last year's report" in next(f["error"] for f in doc["files"] if "error" in f)
    # Single-year checks of the report itself still ran (a faulty one still shows its fault).
    faulty = tmp_path / "faulty.txt"
    faulty.write_text(report_text(2025, normative=(5, 2, 36)).replace("（七）总计\t21", "（七）总计\t22"), "utf-8")
    code, out, _ = cli([str(faulty), "--previous", str(missing), "--format", "concise"], capsys)
    assert code == 2 and "A301" in out

    code, out, err = cli([str(paths[2025]), "--previous", str(tmp_path / "reports" / "baihua-2024.txt")], capsys)
    assert code == 2 and "另一机关" in out and "白桦县人民政府" in out and "Y601" not in out

    code, _, err = cli([str(paths[2025]), str(paths[2024]), "--previous", str(paths[2023])], capsys)
    assert code == 2 and "--previous" in err


def test_pair_by_mapping_when_titles_are_not_enough(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    for year, carried in ((2023, 0), (2024, 5)):
        stock = (5, 2, 30 + 3 * (year - 2023))
        text = report_text(year, carried_over=carried, normative=stock, part_five=OTHER_PART_FIVES[year - 2023])
        text = text.replace(f"青松县人民政府{year}年政府信息公开工作年度报告", f"{year}年度政府信息公开工作年度报告")
        (folder / f"nb{year}.txt").write_text(text, encoding="utf-8")
    code, out, _ = cli([str(folder), "--format", "json"], capsys)
    doc = json.loads(out)
    assert doc["pairing"]["pairs"] == [] and {u["reason"] for u in doc["pairing"]["unpaired"]} == {"no-body"}
    mapping = tmp_path / "pairs.csv"
    mapping.write_text("file,body,year\nreports/nb2023.txt,青松县人民政府,2023\nnb2024.txt,青松县人民政府,2024\n")
    code, out, _ = cli([str(folder), "--format", "json", "--pair-by", str(mapping)], capsys)
    doc = json.loads(out)
    assert [(Path(p["path"]).name, p["how"]) for p in doc["pairing"]["pairs"]] == [("nb2024.txt", "pair-by")]
    assert code == 1 and {d["rule"] for f in doc["files"] for d in f["diagnostics"]} == {"Y601"}
    # The same through the configuration file, relative to it.
    config = tmp_path / ".disclosure-lint.yaml"
    config.write_text("pair-by: pairs.csv\n", encoding="utf-8")
    code = main(["check", str(folder), "--format", "json", "--config", str(config)])
    assert code == 1 and json.loads(capsys.readouterr().out)["pairing"]["pairs"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("name,year\na.txt,2023\n", "file,body,year"),
        ("file,body,year\na.txt,X局,二〇二三\n", "第 2 行"),
        ("", "为空"),
    ],
)
def test_bad_mapping_file(tmp_path, capsys, content, words):
    (tmp_path / "a.txt").write_text(report_text(2023), encoding="utf-8")
    (tmp_path / "b.txt").write_text(report_text(2024), encoding="utf-8")
    mapping = tmp_path / "pairs.csv"
    mapping.write_text(content, encoding="utf-8")
    code, _, err = cli([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pair-by", str(mapping)], capsys)
    assert code == 2 and words in err and "Traceback" not in err


def test_other_output_formats_name_last_years_cell(tmp_path, capsys):
    paths = write_series(tmp_path / "reports")
    base = [str(paths[2025]), "--previous", str(paths[2024])]
    for fmt, marker in (("github", "%0A另见："), ("junit", "另见: "), ("gitlab", "（另见 "), ("full", "= 另见：")):
        code, out, _ = cli([*base, "--format", fmt], capsys)
        assert code == 1 and marker in out and "report-2024.txt" in out, fmt


# --- the real series --------------------------------------------------------------------------------

JINJING = ("013", "012", "010", "011", "016", "007", "017")  # 2019 … 2025
PINGTAN = ("003", "001", "002")  # 2023 … 2025


def test_real_series_are_paired_and_checked(capsys):
    folder = shared_path("corpus", "html")
    code, out, _ = cli([str(folder), "--format", "json", "--select", "Y"], capsys)
    doc = json.loads(out)
    assert code == 0  # the findings on the real series are infos
    number = {p.name[:3]: p.name for p in folder.glob("*.html")}
    pairs = {(Path(p["path"]).name[:3], Path(p["previous"]).name[:3]) for p in doc["pairing"]["pairs"]}
    for series in (JINJING, PINGTAN):
        for previous, current in itertools.pairwise(series):
            assert (current, previous) in pairs, (number[current], number[previous])
    assert len(pairs) == 8
    found = sorted(
        (Path(f["path"]).name[:3], d["rule"], d["actual"], d["expected"])
        for f in doc["files"]
        for d in f["diagnostics"]
    )
    # 规范性文件 stock: 470 + 62 − 33 = 499 ≠ 440; 440 + 58 − 45 = 453 ≠ 546; 金井 7 + 0 − 0 = 7 ≠ 1.
    assert found == [("001", "Y602", 440, 499), ("002", "Y602", 546, 453), ("007", "Y602", 1, 7)]


def test_pairing_rules_ambiguous_and_city_prefix():
    from disclosure_lint.pairing import AMBIGUOUS, NO_PREDECESSOR, Identity, pair_automatically, pair_explicitly

    idents = [
        Identity("a/2023.txt", "淮安市洪泽区人民政府", 2023),
        Identity("b/2024.txt", "洪泽区人民政府", 2024),  # the city dropped from the name: same body
        Identity("c/2024-copy.html", "洪泽区人民政府", 2024),
        Identity("d/2024.txt", "淮安市人民政府办公室", 2024),
        Identity("e/2023.txt", "淮安市人民政府", 2023),  # the government, not its office
        Identity("f/2025.txt", "洪泽区人民政府", 2025),
    ]
    result = pair_automatically(idents)
    assert {(p.current, p.previous) for p in result.pairs} == {
        ("b/2024.txt", "a/2023.txt"),
        ("c/2024-copy.html", "a/2023.txt"),
    }
    reasons = {u.path: u.reason for u in result.unpaired}
    assert reasons["f/2025.txt"] == AMBIGUOUS and reasons["d/2024.txt"] == NO_PREDECESSOR
    assert next(u for u in result.unpaired if u.reason == AMBIGUOUS).candidates == ("b/2024.txt", "c/2024-copy.html")
    assert pair_explicitly(idents[1], idents[0]).pairs[0].previous_body == "淮安市洪泽区人民政府"
    assert pair_explicitly(idents[3], idents[4]).unpaired[0].reason == "other-body"


def test_regions_in_front_of_a_place_are_read_as_the_pattern_that_defined_them():
    # Once a regular expression (exponential on a long run of regions), now one pass: the same prefixes.
    import random
    import re

    from disclosure_lint.identity import _region_prefix_ends

    pattern = re.compile(r"(?:[\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州|州|地区|盟))+")
    alphabet = "省自治区市州地盟江苏淮安县旗镇乡a1 "
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        ends = _region_prefix_ends(text)
        assert ends == [i > 0 and pattern.fullmatch(text, 0, i) is not None for i in range(len(text) + 1)], text


def test_pairing_a_large_batch_compares_only_reports_of_matching_names(monkeypatch):
    # A province's audit of two years is thousands of reports: comparing each with every report of the year
    # before was quadratic. Only names that can match are compared now, and the pairs are the same.
    from disclosure_lint import pairing

    compared = []
    same_body = pairing.same_body
    monkeypatch.setattr(pairing, "same_body", lambda a, b: compared.append((a, b)) or same_body(a, b))
    places = [chr(0x4E00 + i) + chr(0x4E80 + i) for i in range(400)]
    idents = [
        pairing.Identity(f"{year}/{place}.txt", f"{place}县人民政府", year) for year in (2023, 2024) for place in places
    ]
    # Last year's reports of other bodies, which match nothing: each was compared with every one of them.
    idents += [pairing.Identity(f"2024/{place}局.txt", f"{place}县教育局", 2024) for place in places]
    idents += [pairing.Identity("2024/city.txt", f"某某市{places[7]}县人民政府", 2024)]  # the city written in front
    result = pairing.pair_automatically(idents)
    assert len(compared) < 3 * len(idents)
    paired = {(p.current, p.previous) for p in result.pairs}
    assert len(paired) == 401 and (f"2024/{places[5]}.txt", f"2023/{places[5]}.txt") in paired
    assert ("2024/city.txt", f"2023/{places[7]}.txt") in paired
    assert sum(u.reason == pairing.NO_PREDECESSOR for u in result.unpaired) == 800  # 2023's, and the 教育局


def test_the_documented_example_rule_works(tmp_path):
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cross-year.md").read_text(encoding="utf-8")
    (tmp_path / "P960.yaml").write_text(re.search(r"```yaml\n(code: P960.*?)```", doc, re.S).group(1), "utf-8")
    ruleset = load_rules([str(tmp_path)])
    last = read(report_text(2023).replace("行政许可\t1523", "行政许可\t100"))
    this = read(report_text(2024, part_five=OTHER_PART_FIVES[0]))
    found = [d for d in run_rules(this, ruleset, previous=last) if d.rule == "P960"]
    assert [(d.actual, d.expected) for d in found] == [(1523, 1000)]
    assert found[0].related[0].cell == "t2.licensing.decisions"
    assert [d for d in run_rules(this, ruleset, previous=read(report_text(2023))) if d.rule == "P960"] == []


def test_mapping_year_is_what_the_rules_see(tmp_path, capsys):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(report_text(2023, carried_forward=2, part_five=OTHER_PART_FIVES[0]), "utf-8")
    # Last year's title left in this year's report: detected as 2023 too, so nothing pairs by itself.
    stale = report_text(2024, normative=(5, 2, 41), part_five=OTHER_PART_FIVES[1]).replace(
        "青松县人民政府2024年政府信息公开工作年度报告", "青松县人民政府2023年政府信息公开工作年度报告"
    )
    (folder / "b.txt").write_text(stale, encoding="utf-8")
    code, out, _ = cli([str(folder), "--format", "json", "--select", "Y"], capsys)
    assert json.loads(out)["pairing"]["pairs"] == []
    mapping = tmp_path / "pairs.csv"
    mapping.write_text("文件,机关,年度\nb.txt,,2024年\n", encoding="gb18030")
    code, out, _ = cli([str(folder), "--format", "json", "--select", "Y", "--pair-by", str(mapping)], capsys)
    doc = json.loads(out)
    assert [(Path(p["path"]).name, p["year"], p["previous_year"]) for p in doc["pairing"]["pairs"]] == [
        ("b.txt", 2024, 2023)
    ]
    assert code == 0 and all(not f["diagnostics"] for f in doc["files"])  # no Y604: the stated year counts


def test_mapping_file_with_control_characters_is_refused(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(report_text(2023), encoding="utf-8")
    (tmp_path / "b.txt").write_text(report_text(2024), encoding="utf-8")
    mapping = tmp_path / "pairs.csv"
    mapping.write_bytes(b"file,body,year\na.txt,\x00,2023\n")
    code, _, err = cli([str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--pair-by", str(mapping)], capsys)
    assert code == 2 and "第 2 行含有控制字符" in err and "内部错误" not in err


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_code_frame_of_a_cross_year_finding_shows_its_line(tmp_path, capsys, jobs):
    # The lines a cross-year finding points at are known only once the run is paired, in the parent: they are
    # taken from the text the snapshot kept (compressed, when it came back from another process).
    paths = write_series(tmp_path / "reports", "text")
    code, out, _ = cli([str(tmp_path / "reports"), "--format", "json", "--jobs", jobs], capsys)
    finding = next(d for f in json.loads(out)["files"] for d in f["diagnostics"])
    line = paths[2025].read_text(encoding="utf-8").split("\n")[finding["line"] - 1]
    code, out, _ = cli([str(tmp_path / "reports"), "--format", "full", "--jobs", jobs, "--color", "never"], capsys)
    assert code == 1 and finding["rule"] == "Y601"
    assert f" {finding['line']} | {line.split(chr(9))[0]} " in out  # the frame's gutter and the row's label


# --- what a snapshot keeps ----------------------------------------------------------------------------


def test_a_snapshot_keeps_only_the_cells_the_cross_year_rules_read():
    compared = cross_year_reads(load_rules())
    report = read(report_text(2024))
    kept = {cell.id for cell in snapshot(report, compared).report().cells.values()}
    # Y601 reads 表三's carried-over and carried-forward rows, Y602 表二's issued, repealed and in-force counts.
    assert kept == {
        cid
        for cid in report.cells
        if cid.startswith(("t3.carried_over.", "t3.carried_forward."))
        or (cid.startswith("t2.") and cid.endswith((".issued", ".repealed", ".in_force")))
    }
    assert 14 < len(kept) < len(report.cells) / 5
    assert all(snapshot(report, compared).report().cells[cid] == report.cells[cid] for cid in kept)
    assert len(snapshot(report).report().cells) == len(report.cells)  # without a selection: every cell


def test_a_snapshot_keeps_only_the_texts_of_the_parts_the_cross_year_rules_read():
    reads = cross_year_reads(load_rules())
    assert reads.parts == {5}  # Y603 compares part five; no other cross-year rule reads a part's text
    report = read(report_text(2024))
    kept = snapshot(report, reads).report()
    assert [s.number for s in kept.sections] == [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    for mine, theirs in zip(kept.sections, report.sections):
        # Every part stays, heading and place; only the texts no rule reads are left behind.
        assert mine == (theirs if mine.number == 5 else replace(theirs, text=""))
    assert snapshot(report).report().sections == report.sections  # without a selection: every text


def _rule_pack(folder: Path, name: str, text: str) -> list[str]:
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return [str(folder)]


def test_a_rule_that_reads_another_part_s_text_keeps_it(tmp_path):
    rule = (
        "code: P953\nname: part-kept\nseverity: info\nsummary: s\nmessage: m\n"
        "assert: {} or prev.t2.licensing.decisions >= 0\n"
    )
    two = _rule_pack(tmp_path / "two", "P953.yaml", rule.format('section_text(2) == ""'))
    assert cross_year_reads(load_rules(two)).parts == {2, 5}
    some = _rule_pack(tmp_path / "some", "P953.yaml", rule.format('section_text(t2.licensing.decisions) == ""'))
    assert cross_year_reads(load_rules(some)).parts is None  # which part, only the report says


def test_a_similarity_rule_of_another_part_keeps_that_part_s_text(tmp_path):
    text = (rules_dir() / "crossyear" / "Y603-problems-copied.yaml").read_text(encoding="utf-8")
    three = _rule_pack(
        tmp_path / "three", "P954.yaml", text.replace("code: Y603", "code: P954").replace("section: 5", "section: 3")
    )
    assert cross_year_reads(load_rules(three)).parts == {3, 5}
    bad = _rule_pack(
        tmp_path / "bad", "P954.yaml", text.replace("code: Y603", "code: P954").replace("section: 5", "section: three")
    )
    assert cross_year_reads(load_rules(bad)).parts is None  # params it cannot read: every text


class _PlainValuesOnly(pickle.Unpickler):
    """Unpickles builtin values alone (and a cell's status, a str enum): no record of the package."""

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("disclosure_lint.model", "CellStatus"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} in a packed snapshot")


@pytest.mark.parametrize("kind", (*KINDS, "pdf"))
def test_a_snapshot_crosses_processes_as_plain_values_and_gives_the_report_back(kind):
    # Part six before part five gives the report a layout note; spans of web pages and Word documents say
    # where (a Text), a PDF's give the page and box: every record a report holds is packed and made again.
    text = report_text(2024)
    five, six = text.index("五、存在的主要问题"), text.index("六、其他需要报告")
    text = text[:five] + text[six:] + "\n\n" + text[five:six]
    report = load_report("r.pdf", make_pdf()) if kind == "pdf" else read(text, kind)
    assert report.sections and report.year_mentions and report.title_span
    assert kind == "pdf" or report.layout_notes
    every = snapshot(report)
    back = pickle.loads(pickle.dumps(every))
    packed = _PlainValuesOnly(io.BytesIO(back._pickled)).load()
    assert isinstance(packed, tuple)
    left_behind = {"text": "", "tables": {}, "problems": [], "edition_evidence": [], "line_starts": [], "locator": None}
    assert back.report() == every.report() == replace(report, **left_behind)
    spans = [c.span for c in report.cells.values()]
    assert [c.span for c in back.report().cells.values()] == spans and all(spans)
    assert [s.span for s in back.report().sections] == [s.span for s in report.sections]


def _damaged(text: str, rng: random.Random) -> str:
    """``text`` with a few of its table digits changed or blanked, at random."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines) if "\t" in line and any(ch.isdigit() for ch in line)]
    for i in rng.sample(rows, min(len(rows), rng.randint(1, 4))):
        cells = lines[i].split("\t")
        j = rng.randrange(1, len(cells))
        cells[j] = "" if rng.random() < 0.2 else str(rng.randint(0, 60))
        lines[i] = "\t".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("kind", KINDS)
def test_cross_year_findings_from_the_kept_cells_are_those_from_every_cell(kind):
    # The snapshot's selection is read from the rules; this holds it against keeping everything, on pairs
    # whose linked and unlinked cells alike were damaged at random, with part five copied now and then.
    compared = cross_year_reads(load_rules())
    rng = random.Random(14)
    fired: set[str] = set()
    for round_ in range(12 if kind == "txt" else 3):
        five = PART_FIVE if round_ % 3 == 0 else OTHER_PART_FIVES[round_ % 3]
        last = read(_damaged(report_text(2023, carried_forward=3, trial=round_ == 5), rng), kind, "2023")
        this = read(_damaged(report_text(2024 + (round_ == 7), carried_over=3, part_five=five), rng), kind, "2024")
        every = cross(snapshot(this).report(), snapshot(last).report())
        kept = cross(snapshot(this, compared).report(), snapshot(last, compared).report())
        assert kept == every
        fired.update(d.rule for d in every)
    if kind == "txt":
        assert {"Y601", "Y602", "Y603"} <= fired  # the pairs did give the rules something to say


def test_a_rule_pack_that_compares_other_cells_keeps_them_in_the_snapshot(tmp_path):
    (tmp_path / "P951.yaml").write_text(
        "code: P951\nname: licensing-steady\nseverity: info\nsummary: s\nmessage: m\n"
        "at: t2.licensing.decisions\nassert: t2.licensing.decisions == prev.t2.licensing.decisions\n",
        encoding="utf-8",
    )
    rules = load_rules([str(tmp_path)])
    compared = cross_year_reads(rules)
    assert compared.keeps("t2.licensing.decisions")
    this = read(report_text(2024, part_five=OTHER_PART_FIVES[0]))
    last = read(report_text(2023).replace("1523", "9"))
    found = run_rules(
        snapshot(this, compared).report(), rules, previous=snapshot(last, compared).report(), cross_year_only=True
    )
    assert [d.rule for d in found if d.rule == "P951"] == ["P951"]


def test_a_loop_value_with_dots_keeps_its_cells(tmp_path):
    # A loop value may hold dots (t3.rows has "denied.prohibited"): t3.$row.total then names a four-part id.
    (tmp_path / "P952.yaml").write_text(
        "code: P952\nname: denials-steady\nseverity: info\nsummary: s\nmessage: m\n"
        "for_each: {row: t3.rows}\n"
        "assert: t3.$row.total == prev.t3.$row.total\n",
        encoding="utf-8",
    )
    compared = cross_year_reads(load_rules([str(tmp_path)]))
    assert compared.keeps("t3.denied.prohibited.total") and compared.keeps("t3.denied.state_secret.total")
    assert not compared.keeps("t3.denied.prohibited.natural_person")


def test_a_cross_year_check_that_does_not_say_which_cells_it_reads_keeps_every_cell(monkeypatch):
    from disclosure_lint.rules import checks
    from disclosure_lint.rules.engine import RuleSet

    spec = checks.CHECKS["section-similarity"]
    monkeypatch.setitem(checks.CHECKS, "section-similarity", replace(spec, cells_read=None, parts_read=None))
    reads = cross_year_reads(RuleSet(list(load_rules().rules)))
    assert reads.patterns is None and reads.parts is None
    report = read(report_text(2024))
    assert snapshot(report, reads).report() == replace(
        report, text="", tables={}, problems=[], edition_evidence=[], line_starts=[], locator=None
    )
