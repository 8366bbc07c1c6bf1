"""The 43 real reports of ../shared/corpus are all read without a crash; flat ones are unreadable."""

from __future__ import annotations

from conftest import shared_path

from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules


def test_every_corpus_report_reads_and_checks():
    corpus = shared_path("corpus")
    rules = load_rules()
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html"))
    assert len(files) == 43
    for path in files:
        report = load_report(str(path))
        run_rules(report, rules)
        assert report.sections, path.name


def test_flat_reports_read_rows_with_one_reading_and_refuse_the_rest():
    report = load_report(str(shared_path("corpus", "007_pingtan_2022.txt")))
    assert report.tables[3].unreadable is None and len(report.tables[3].split_rows) == 25
    assert report.cells["t3.unavailable.not_held.total"].value == 37  # "3700000372.没有现成…": 37 … 37, then row 2
    assert report.cells["t3.total.total"].value == 75
    assert report.tables[2].glued_rows == ["normative_docs"]  # 8855698: 88/55/698 or 8/85/5698 …
    codes = {d.rule for d in run_rules(report, load_rules())}
    assert {"T106", "T108"} <= codes and not {c for c in codes if c.startswith("A")}  # the report balances
    for name in ("012_pingtan_2021.txt", "013_pingtan_2023.txt"):
        report = load_report(str(shared_path("corpus", name)))
        assert report.tables[3].unreadable == "glued", name
        codes = {d.rule for d in run_rules(report, load_rules())}
        assert "T106" in codes and not {c for c in codes if c.startswith("A3")}, name


def test_flat_spaced_report_is_read():
    report = load_report(str(shared_path("corpus", "008_pingtan-jiaotongjianshe_2022.txt")))
    assert not any(t.unreadable for t in report.tables.values())
    assert report.cells["t2.normative_docs.in_force"].value == 16


def test_trial_format_reports_recognised():
    for name in ("010_pingtan_2019.txt", "022_shanghai-bangongting_2019.html"):
        report = load_report(str(shared_path("corpus", name)))
        assert report.edition == "2019-trial", name
        assert "F002" in {d.rule for d in run_rules(report, load_rules())}


def test_hongzequ_single_other_row_is_superseded_format():
    report = load_report(str(shared_path("corpus", "001_hongzequ_2023.txt")))
    assert report.cells["t3.granted.total"].value == 0 and report.cells["t3.partial.total"].value == 4
    assert report.cells["t3.denied.state_secret.total"].value == 1  # numbers printed before the wrapped label
    found = {d.rule for d in run_rules(report, load_rules())}
    assert "F001" in found and "A401" in found  # 表四 totals really do not add up in this report
