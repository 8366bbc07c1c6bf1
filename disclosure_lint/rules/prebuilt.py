"""The built-in rule set, pre-built so that a cold start neither reads YAML nor parses expressions.

Loading the package's 40-odd rule files costs about as much as the rest of a single-file check: the
YAML, then every ``when``/``assert`` parsed by the expression grammar (whose parser is itself built
on first use). What that produces for the package's own files is the same on every run, so it is
written once, at build time, into ``_builtin_rules.py`` (plain literals: importing it runs no code
and unpickles nothing; the expression trees are nested tuples rebuilt here through a fixed table of
node classes, so nothing in the module can name a class or function to call) by::

    python -m disclosure_lint.rules.prebuilt

The module records the hash of the rule files it was made from; when the files on disk hash
differently (an edited rule), they are loaded from YAML as before, so a stale module can only cost
time. User rule directories (``--rule-dir``) always load from YAML. ``tests/rules/test_prebuilt.py``
checks that the committed module is the one the committed rule files give.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import Severity
from . import exprtree
from .compiled import WholeNumberSum, compile_rule
from .loader import Rule, load_rule_file, rule_files

MODULE = "_builtin_rules"
_MODULE_PATH = Path(__file__).resolve().parent / f"{MODULE}.py"
# The only classes a stored expression may rebuild into.
_NODES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        exprtree.Const,
        exprtree.ListExpr,
        exprtree.Name,
        exprtree.CellRef,
        exprtree.Unary,
        exprtree.Binary,
        exprtree.Logical,
        exprtree.Compare,
        exprtree.Call,
    )
}
_EXPR_FIELDS = ("when", "assertion")


def files_hash(directory: Path, files: list[Path]) -> str:
    """The hash of the rule files' names (relative to ``directory``) and bytes, in load order."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(directory).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _expr_literal(node: Any) -> Any:
    if node is None:
        return None
    if isinstance(node, tuple):
        return tuple(_expr_literal(item) for item in node)
    if type(node).__name__ in _NODES and type(node) is _NODES[type(node).__name__]:
        values = tuple(_expr_literal(getattr(node, f.name)) for f in dataclasses.fields(node))
        return (type(node).__name__, *values)
    return node


def _expr(literal: Any) -> Any:
    """The expression tree ``literal`` stands for: (class name, field values…), tuples of trees for tuples."""
    if literal is None:
        return None
    cls = _NODES[literal[0]]
    values = []
    for f, value in zip(dataclasses.fields(cls), literal[1:]):
        if isinstance(value, tuple) and f.name in ("items", "args"):
            value = tuple(_expr(item) for item in value)
        elif isinstance(value, tuple) and f.name != "parts":
            value = _expr(value)
        values.append(value)
    return cls(*values)


def _rule_literal(rule: Rule, directory: Path) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for f in dataclasses.fields(rule):
        value = getattr(rule, f.name)
        if f.name in _EXPR_FIELDS:
            value = _expr_literal(value)
        elif f.name == "severity":
            value = value.value
        elif f.name == "path":
            # Stored relative: the package may be installed anywhere.
            value = Path(value).relative_to(directory).as_posix()
        entry[f.name] = value
    return entry


def _rule(entry: dict[str, Any], directory: Path) -> Rule:
    fields = dict(entry)
    fields["severity"] = Severity(fields["severity"])
    fields["path"] = str(directory / fields["path"])
    for name in _EXPR_FIELDS:
        fields[name] = _expr(fields[name])
    # Copies, so that a caller changing a rule's dicts cannot change the module's literals.
    for name in ("summary", "message", "help", "docs", "params", "for_each"):
        fields[name] = dict(fields[name])
    return Rule(**fields)


def load(directory: Path, files: list[Path]) -> list[Rule] | None:
    """The rules of the built-in ``directory`` from the pre-built module, or None when it is missing or was
    made from other files than ``files``."""
    try:
        module = importlib.import_module(f"{__package__}.{MODULE}")
    except ImportError:
        return None
    try:
        if files_hash(directory, files) != module.RULES_SHA256:
            return None
    except OSError:
        return None  # an unreadable file: reading the YAML says which, with the documented error
    return [_rule(entry, directory) for entry in module.RULES]


def sums(known: Sequence[str]) -> dict[str, tuple[WholeNumberSum | None, ...]]:
    """Each built-in rule's plain sums, one per case (see compiled.WholeNumberSum), as the module stores them
    for the cell ids ``known``; empty when the module was made for other cell ids (an edited format).

    Asked only once :func:`load` has taken the rules from the module, so they are the rules these were made
    from."""
    module = importlib.import_module(f"{__package__}.{MODULE}")
    if getattr(module, "KNOWN_CELLS_CRC32", None) != known_cells_crc32(known):
        return {}
    return {
        code: tuple(WholeNumberSum(*terms) if terms is not None else None for terms in cases)
        for code, cases in module.SUMS.items()
    }


def known_cells_crc32(known: Sequence[str]) -> int:
    return zlib.crc32("\n".join(known).encode("utf-8"))


def generate(directory: Path, known_cells: set[str], check_names: set[str]) -> str:
    """The source of the pre-built module for the rule files under ``directory``."""
    import pprint  # (only generating the module needs it)

    from .engine import _all_cell_ids

    files = rule_files(directory)
    rules = [rule for path in files for rule in load_rule_file(path, known_cells, check_names, trusted=True)]
    literals = [_rule_literal(rule, directory) for rule in rules]
    known = _all_cell_ids()
    # What a report whose cells are all whole numbers is checked by, without compiling the assertion.
    plain_sums = {}
    for rule in rules:
        if rule.assertion is not None:
            cases = compile_rule(rule.when, rule.assertion, rule.for_each, known, rule).cases
            plain_sums[rule.code] = [
                (case.whole_numbers.left, case.whole_numbers.right) if case.whole_numbers is not None else None
                for case in cases
            ]
    return (
        '"""Generated by `python -m disclosure_lint.rules.prebuilt` from the rule files: do not edit."""\n\n'
        f"RULES_SHA256 = {files_hash(directory, files)!r}\n"
        f"RULES = {pprint.pformat(literals, width=120, sort_dicts=False)}\n"
        f"KNOWN_CELLS_CRC32 = {known_cells_crc32(known)!r}\n"
        f"SUMS = {pprint.pformat(plain_sums, width=120, sort_dicts=False)}\n"
    )


def main() -> int:
    from ..resources import rules_dir
    from .checks import CHECKS
    from .engine import known_cell_ids

    _MODULE_PATH.write_text(generate(rules_dir(), known_cell_ids(), set(CHECKS)), encoding="utf-8")
    print(f"wrote {_MODULE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
