"""The core builds its words as one :class:`~disclosure_lint.bilingual.Text` and never chooses a language.

Read from the package's source (an AST walk, so a comment or a docstring that mentions ``lang == "en"`` does
not count): outside the command line and the reporters, which write the output, no comparison of a language
with "en" or "zh" decides which words to build, and every error is raised with one ``Text``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from disclosure_lint.bilingual import Text
from disclosure_lint.errors import ConfigError, InputError, RuleFileError
from disclosure_lint.rules.exprtree import ExpressionError

PACKAGE = Path(__file__).resolve().parents[1] / "disclosure_lint"
# The output side: these know --lang and resolve Text into the words written.
OUTPUT_SIDE = ("cli.py", "cli_parser.py", "reporters/")
# Places where a comparison with a language chooses something other than words. Each with the reason.
ALLOWED = {
    # Text.resolve: the one place a language becomes a choice between the two strings.
    ("bilingual.py", "resolve"),
}
ERROR_TYPES = {"LintError", "InputError", "RuleFileError", "ConfigError", "MissingDependencyError", "OutputError"}
# Raised with a Text and something else (a column, a YAML mark): still only one Text for the words.
ONE_TEXT_TYPES = ERROR_TYPES | {"ExpressionError", "YAMLLimitError"}


def core_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if not p.relative_to(PACKAGE).as_posix().startswith(OUTPUT_SIDE))


def _is_language(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in ("en", "zh")


def _names_a_language(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name == "lang" or name.endswith("_lang")


def language_choices(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, enclosing function) of each ``lang == "en"``, ``"zh" != lang``, ``lang in ("en", …)``."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            constants = [
                c for s in sides for c in ([s] if not isinstance(s, (ast.Tuple, ast.List, ast.Set)) else s.elts)
            ]
            if any(_names_a_language(s) for s in sides) and any(_is_language(c) for c in constants):
                found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def two_string_errors(tree: ast.AST) -> list[int]:
    """Lines that raise an error with other than one Text for its words (the old ``(zh, en)`` form)."""
    bad = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in ONE_TEXT_TYPES:
            continue
        strings = [
            a
            for a in node.args
            if isinstance(a, ast.JoinedStr) or (isinstance(a, ast.Constant) and isinstance(a.value, str))
        ]
        if not node.args or strings or (name in ERROR_TYPES and len(node.args) != 1):
            bad.append(node.lineno)
    return bad


def test_the_core_never_chooses_words_by_language():
    found = []
    for path in core_files():
        relative = path.relative_to(PACKAGE).as_posix()
        for line, function in language_choices(ast.parse(path.read_text(encoding="utf-8"))):
            if (relative, function) not in ALLOWED:
                found.append(f"{relative}:{line} in {function or 'module'}")
    assert found == []


def test_every_error_in_the_package_is_raised_with_one_text():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        found += [f"{relative}:{line}" for line in two_string_errors(ast.parse(path.read_text(encoding="utf-8")))]
    assert found == []


def test_the_scans_find_what_they_look_for():
    source = """
def pick(lang):
    words = "yes" if lang == "en" else "是"
    if settings.lang in ("zh",):
        pass
    return words
raise InputError("坏", "bad", path=p)
raise ConfigError(Text("坏", "bad"), path=p)
raise ExpressionError("bad", 3)
raise ExpressionError(Text("坏", "bad"), 3)
"""
    tree = ast.parse(source)
    assert language_choices(tree) == [(3, "pick"), (4, "pick")]
    assert two_string_errors(tree) == [7, 9]


@pytest.mark.parametrize("error_type", [InputError, ConfigError, RuleFileError])
def test_the_two_string_form_is_gone(error_type: type[InputError]):
    with pytest.raises(TypeError):
        error_type("坏", "bad")  # type: ignore[call-arg]
    error = error_type(Text("坏", "bad"), path="x.txt", line=2)
    assert (error.message("zh"), error.located("en")) == ("坏", "x.txt:2: bad")


def test_an_expression_error_carries_one_text():
    error = ExpressionError(Text("第 3 列有语法错误", "syntax error at column 3"), 3)
    assert error.text.resolve("en") == "syntax error at column 3" and str(error).endswith("(column 3)")
