"""The core (reading, model, rules) never imports rich or the CLI; reporters never import the parser."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "disclosure_lint.reading",
    "disclosure_lint.text",
    "disclosure_lint.bilingual",
    "disclosure_lint.lexer",
    "disclosure_lint.parser",
    "disclosure_lint.build",
    "disclosure_lint.model",
    "disclosure_lint.pipeline",
    "disclosure_lint.formats",
    "disclosure_lint.rules.engine",
    "disclosure_lint.rules.expr",
    "disclosure_lint.rules.checks",
    "disclosure_lint.rules.labels",
    "disclosure_lint.rules.loader",
    "disclosure_lint.rules.narrative",
    "disclosure_lint.extract",
    "disclosure_lint.readers.html",
    "disclosure_lint.config",
    "disclosure_lint.api",
    "disclosure_lint.results",
    "disclosure_lint.baseline",
]


def loaded_after(modules: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_core_does_not_import_rich_or_cli():
    mods = loaded_after(CORE)
    assert not {m for m in mods if m == "rich" or m.startswith("rich.")}
    assert "disclosure_lint.cli" not in mods
    assert not {m for m in mods if m.startswith("disclosure_lint.reporters")}


def test_machine_reporters_do_not_import_parsing():
    mods = loaded_after(["disclosure_lint.reporters.sarif", "disclosure_lint.reporters.json_"])
    assert not {"lark", "disclosure_lint.lexer", "disclosure_lint.parser", "disclosure_lint.build"} & mods


def test_rule_expressions_never_reach_eval():
    """No call of the builtins eval/exec/compile anywhere in the package, and YAML only loaded safely."""
    import ast
    import pathlib

    source = pathlib.Path(__file__).resolve().parents[1] / "disclosure_lint"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec", "compile", "__import__"), (path, node.lineno)
        assert "yaml.load(" not in text and "yaml.unsafe_load" not in text, path
