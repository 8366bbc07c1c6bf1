"""Patterns compiled on first use (identity.same_body's are covered in tests/reading/test_identity.py)."""

from __future__ import annotations

import re

from disclosure_lint.lazyre import on_first_use


def test_a_pattern_is_compiled_once_with_its_flags() -> None:
    pattern = on_first_use(r"<title>(.*)</title>", re.IGNORECASE)
    first = pattern()
    assert first is pattern()
    assert first.flags & re.IGNORECASE
    m = first.search("<TITLE>报告</TITLE>")
    assert m is not None and m.group(1) == "报告"
