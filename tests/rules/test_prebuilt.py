"""The built-in rule set pre-built as literals: the same rules as the YAML gives, used only while it matches."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from disclosure_lint.errors import RuleFileError
from disclosure_lint.resources import rules_dir
from disclosure_lint.rules import engine, prebuilt
from disclosure_lint.rules.checks import CHECKS
from disclosure_lint.rules.exprtree import walk
from disclosure_lint.rules.loader import load_rule_file, rule_files

REGENERATE = "run: python -m disclosure_lint.rules.prebuilt"


def _from_yaml(directory: Path) -> list:
    return [
        rule
        for path in rule_files(directory)
        for rule in load_rule_file(path, engine.known_cell_ids(), set(CHECKS), trusted=True)
    ]


def test_the_committed_module_is_what_the_committed_rule_files_give() -> None:
    committed = (Path(prebuilt.__file__).parent / f"{prebuilt.MODULE}.py").read_text("utf-8")
    assert prebuilt.generate(rules_dir(), engine.known_cell_ids(), set(CHECKS)) == committed, REGENERATE


def test_the_prebuilt_rules_equal_the_yaml_rules_field_by_field_and_column_by_column() -> None:
    directory = rules_dir()
    built = prebuilt.load(directory, rule_files(directory))
    assert built is not None, REGENERATE
    from_yaml = _from_yaml(directory)
    assert len(built) == len(from_yaml) > 40
    for mine, theirs in zip(built, from_yaml):
        # repr, unlike ==, shows each expression node's column, which error messages point at.
        assert repr(mine) == repr(theirs)
        assert mine.path == theirs.path and Path(mine.path).is_file()
        for name in ("when", "assertion"):
            ours, yours = getattr(mine, name), getattr(theirs, name)
            if yours is not None:
                assert [type(n) for n in walk(ours)] == [type(n) for n in walk(yours)]


def test_load_rules_takes_the_prebuilt_module_without_reading_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a built-in rule file was read as YAML")

    monkeypatch.setattr(engine, "load_rule_file", refuse)
    engine._load_rules.cache_clear()
    try:
        assert "A301" in engine.load_rules().by_code()
    finally:
        engine._load_rules.cache_clear()


def test_an_edited_rule_file_is_read_from_yaml_not_from_the_stale_module(tmp_path: Path) -> None:
    directory = tmp_path / "rules"
    shutil.copytree(rules_dir(), directory)
    assert prebuilt.load(directory, rule_files(directory)) is not None
    [path] = [p for p in rule_files(directory) if "A301" in p.read_text("utf-8")]
    path.write_text(path.read_text("utf-8").replace("t3-balance", "t3-balance-edited"), "utf-8")
    files = rule_files(directory)
    assert prebuilt.load(directory, files) is None
    # A renamed file changes the hash too, though its bytes do not.
    directory2 = tmp_path / "rules2"
    shutil.copytree(rules_dir(), directory2)
    first = rule_files(directory2)[0]
    first.rename(first.with_name("zz-" + first.name))
    assert prebuilt.load(directory2, rule_files(directory2)) is None


def test_the_stale_module_falls_back_to_yaml_with_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = engine.load_rules()
    monkeypatch.setattr(prebuilt, "files_hash", lambda directory, files: "stale")
    engine._load_rules.cache_clear()
    try:
        reloaded = engine.load_rules()
    finally:
        engine._load_rules.cache_clear()
    assert reloaded is not fresh and repr(reloaded.rules) == repr(fresh.rules)


def test_user_rule_dirs_still_load_from_yaml_and_clash_with_built_in_codes(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "code: A301\nname: again\nsummary: s\nmessage: m\nassert: t3.new.total >= 0\n", encoding="utf-8"
    )
    with pytest.raises(RuleFileError) as raised:
        engine.load_rules([tmp_path])
    assert "duplicate rule code A301" in raised.value.text.en and raised.value.line == 1


def test_a_stored_expression_can_only_become_an_expression_node() -> None:
    with pytest.raises(KeyError):
        prebuilt._expr(("print", "x"))
    with pytest.raises(KeyError):
        prebuilt._expr(("Path", "/etc/passwd"))


def test_rules_handed_out_do_not_share_their_dicts_with_the_module() -> None:
    directory = rules_dir()
    first = prebuilt.load(directory, rule_files(directory))
    assert first is not None
    first[0].message["zh"] = "changed"
    again = prebuilt.load(directory, rule_files(directory))
    assert again is not None and again[0].message["zh"] != "changed"
    assert dataclasses.asdict(again[0]) != dataclasses.asdict(first[0])


def test_an_unreadable_rule_file_leaves_the_yaml_loader_to_report_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    directory = rules_dir()
    files = rule_files(directory)
    monkeypatch.setattr(Path, "read_bytes", unreadable)
    assert prebuilt.load(directory, files) is None


# --- the plain sums: assertions compiled only when a sum cannot decide ------------------------------------


def _reports() -> list:
    import random

    import reportgen

    from disclosure_lint.pipeline import load_report

    texts = [reportgen.render(layout) for layout in ("tab", "pipe", "pdf", "markdown", "cell-per-line")]
    rng = random.Random(14)
    base = reportgen.render("tab")
    digits = [i for i, ch in enumerate(base) if ch.isdigit()]
    for _ in range(40):  # digits changed at random: sums that fail, cells that no longer read as numbers
        chars = list(base)
        for i in rng.sample(digits, 3):
            chars[i] = rng.choice("0123456789/－ x")
        texts.append("".join(chars))
    root = Path(__file__).resolve().parents[2]
    texts.append((root / "examples" / "faulty-report.txt").read_text("utf-8"))
    return [load_report(f"r{i}.txt", text.encode("utf-8")) for i, text in enumerate(texts)]


def test_the_built_in_rules_come_with_a_plain_sum_for_each_case_of_an_equation() -> None:
    ruleset = engine.load_rules()
    assert ruleset.sums, "the built-in rule set was not given its pre-built sums"
    for rule in ruleset.rules:
        if rule.assertion is None:
            continue
        eager = engine.compile_rule(rule.when, rule.assertion, rule.for_each, engine._all_cell_ids(), rule)
        assert ruleset.sums[rule.code] == tuple(case.whole_numbers for case in eager.cases), rule.code


def test_findings_are_the_same_whether_assertions_are_compiled_at_once_or_when_needed() -> None:
    with_sums = engine.load_rules()
    eager = engine.RuleSet(list(with_sums.rules))  # no sums: every assertion compiled with its rule
    for report in _reports():
        got = engine.run_rules(report, with_sums)
        want = engine.run_rules(report, eager)
        assert [d.to_dict() for d in got] == [d.to_dict() for d in want], report.path


def test_a_report_whose_sums_all_balance_compiles_no_assertion() -> None:
    from disclosure_lint.pipeline import load_report

    ruleset = engine.RuleSet(list(engine.load_rules().rules), engine.load_rules().sums)
    root = Path(__file__).resolve().parents[2]
    report = load_report("clean.txt", (root / "examples" / "clean-report.txt").read_bytes())
    assert engine.run_rules(report, ruleset) == []
    sums_only = [
        case
        for rule in ruleset.rules
        if rule.code in ruleset._compiled
        for case in ruleset._compiled[rule.code].cases
        if case.whole_numbers is not None and not rule.needs_previous
    ]
    assert sums_only and all(case._assertion is None for case in sums_only)


def test_sums_made_for_other_cells_are_not_used() -> None:
    ids = engine._all_cell_ids()
    assert prebuilt.sums(ids)
    assert prebuilt.sums((*ids, "t9.new.row")) == {}
