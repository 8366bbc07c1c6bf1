"""The pre-compiled patterns (``regexcode``): the same patterns as ``re.compile``'s, and a table that is current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from disclosure_lint import _regex_code, regexcode

ROOT = Path(__file__).resolve().parents[1]
SAME_INTERPRETER = tuple(_regex_code.INTERPRETER) == regexcode.INTERPRETER
needs_same_interpreter = pytest.mark.skipif(
    not SAME_INTERPRETER, reason=f"the table was made by {_regex_code.INTERPRETER}, this is {regexcode.INTERPRETER}"
)


@needs_same_interpreter
@pytest.mark.parametrize("key", sorted(_regex_code.CODE, key=lambda key: (isinstance(key[0], bytes), key)))
def test_each_pattern_of_the_table_is_the_one_re_compiles(key: tuple[str, int]) -> None:
    pattern, flags = key
    made, compiled = regexcode.compile_re(pattern, flags), re.compile(pattern, flags)
    assert key in regexcode._TABLE
    # Pattern equality compares the pattern, the flags and the compiled code.
    assert made == compiled
    assert (made.pattern, made.flags, made.groups, made.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groups,
        compiled.groupindex,
    )


@needs_same_interpreter
def test_regenerating_the_table_reproduces_it_exactly() -> None:
    """In a new process, as ``python -m disclosure_lint.regexcode`` runs: every pattern the package compiles at
    import and while checking the examples is in the table, and nothing else (run it after editing a pattern)."""
    code = (
        "import sys; from disclosure_lint import regexcode as r; "
        "sys.stdout.write(r.table_source(r.requested_patterns()))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout
    committed = (ROOT / "disclosure_lint" / "_regex_code.py").read_text("utf-8")
    assert fresh == committed, "run: python -m disclosure_lint.regexcode"


def test_a_pattern_not_in_the_table_is_compiled_by_re() -> None:
    pattern = r"not (?:in )?the table \d+"
    assert (pattern, 0) not in regexcode._TABLE
    assert regexcode.compile_re(pattern) == re.compile(pattern)
    with pytest.raises(re.error):
        regexcode.compile_re(r"unbalanced (")


def test_another_interpreter_uses_no_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexcode, "INTERPRETER", ("cpython", (3, 99, 0), 0, 4, 1114111, "little", 4))
    assert regexcode._load_table() == {}
