"""The layers of the package, checked on every import statement, including the ones inside functions.

An import-time check only sees what one run happens to load; a lazy ``from ..reporters import x`` inside a
function would slip past it. Here every ``import`` and ``from … import`` in the source is read with the
``ast`` module, relative imports are resolved, and each module's imports are held to its layer:

- the core (reading, model, rules, configuration, the public helpers) never imports rich, the command line
  or a reporter;
- reporters see findings and summaries, never the parsing stages (lexer, parser, builder, readers, lark).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "disclosure_lint"
FRONT = {"disclosure_lint.cli", "disclosure_lint.cli_parser", "disclosure_lint.__main__"}
PARSING = {
    "lark",
    "disclosure_lint.lexer",
    "disclosure_lint.parser",
    "disclosure_lint.build",
    "disclosure_lint.pipeline",
    "disclosure_lint.readers",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file, as absolute dotted names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            # "from . import reporters" names a module, not an attribute
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def within(imported: str, layer: set[str]) -> bool:
    return any(imported == m or imported.startswith(m + ".") for m in layer)


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_walk_sees_imports_inside_functions() -> None:
    cli = imports_of(PACKAGE / "cli.py")
    # cli.py imports its reporters lazily, inside functions: the walk must find them.
    assert any(m.startswith("disclosure_lint.reporters") for m in cli)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_core_never_imports_rich_the_cli_or_a_reporter(path: Path) -> None:
    name = module_name(path)
    if name in FRONT or within(name, {"disclosure_lint.reporters"}):
        return
    bad = {m for m in imports_of(path) if within(m, {"rich", *FRONT, "disclosure_lint.reporters"})}
    assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "reporters").glob("*.py")), ids=lambda p: module_name(p))
def test_reporters_never_import_the_parsing_stages(path: Path) -> None:
    bad = {m for m in imports_of(path) if within(m, PARSING)}
    assert not bad, f"{module_name(path)} imports {sorted(bad)}"
