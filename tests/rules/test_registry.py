"""The built-in checks are one explicit list of modules, one per folder of ``rules/``, and every check is
used by a rule: the loader refuses a rule whose check does not exist, and a check no rule runs is dead code."""

from __future__ import annotations

import ast
import textwrap
import types
from pathlib import Path

import pytest

from disclosure_lint.errors import RuleFileError
from disclosure_lint.rules import checks
from disclosure_lint.rules.checks.base import check
from disclosure_lint.rules.engine import known_cell_ids, load_rules
from disclosure_lint.rules.loader import load_rule_file

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_is_used_by_a_builtin_rule():
    used = {rule.check for rule in load_rules().rules if rule.check is not None}
    assert set(checks.CHECKS) - used == set()
    assert used <= set(checks.CHECKS)


def test_one_check_module_per_rule_folder():
    folders = {p.name for p in (ROOT / "rules").iterdir() if p.is_dir()}
    modules = {m.__name__.rsplit(".", 1)[1] for m in checks.MODULES}
    assert modules == folders
    # Each check sits in the module of the folder its rules are in.
    for rule in load_rules().rules:
        if rule.check is not None:
            module = checks.CHECKS[rule.check].run.__module__
            assert Path(rule.path).parent.name in (module.rsplit(".", 1)[1], "arithmetic"), (rule.code, module)


def test_registration_is_explicit_and_refuses_two_checks_of_one_name():
    @check("twice", provides=())
    def first(report, params):
        return []

    @check("twice", provides=())
    def second(report, params):
        return []

    one, both = types.ModuleType("one"), types.ModuleType("both")
    one.first = first  # type: ignore[attr-defined]
    both.first, both.second = first, second  # type: ignore[attr-defined]
    assert checks.collect([one]).keys() == {"twice"}
    with pytest.raises(RuntimeError, match="twice"):
        checks.collect([both])
    # Declared but in no listed module: not a check the rule files can name.
    assert "twice" not in checks.CHECKS


def test_loader_refuses_a_check_that_does_not_exist(tmp_path):
    path = tmp_path / "X950.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            code: X950
            name: no-such-check
            category: structure
            summary: 无
            message: 无
            check: sections-presnt
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError) as raised:
        load_rule_file(path, known_cell_ids(), set(checks.CHECKS))
    assert "sections-present" in raised.value.en  # the near name is suggested
    assert raised.value.line == 6


def test_engine_imports_the_registry_not_specific_checks():
    tree = ast.parse((ROOT / "disclosure_lint" / "rules" / "engine.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or ""))
            imported.update(f"{'.' * node.level}{node.module or ''}.{a.name}" for a in node.names)
    specific = {f".checks.{m.__name__.rsplit('.', 1)[1]}" for m in checks.MODULES}
    assert ".checks" in imported
    assert not {name for name in imported if any(name.startswith(s) for s in specific)}
    assert ".localise" not in imported and "..localise" not in imported
