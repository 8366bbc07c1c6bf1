"""The narrative patterns written so that ``re`` can skip to their first characters match exactly what the
plainer forms they replace matched (``(?:被申请|收到|发生|涉及)?行政复议`` and the like), on real report text."""

from __future__ import annotations

import re

import pytest
from conftest import shared_path

from disclosure_lint.rules.narrative import PATTERNS, UNIT, N

PLAIN = {
    "t3-new": PATTERNS[0].regex.pattern.replace("(?:新收到|收到|", "(?:新?收到|", 1),
    "t4-review": r"(?:被申请|收到|发生|涉及)?行政复议(?:案件|申请)?(?:共|共计)?\s*" + N + UNIT,
    "t4-litigation": r"(?:被提起|提起|发生|涉及)?行政诉讼(?:案件)?(?:共|共计)?\s*" + N + UNIT,
}
WRITTEN = [
    "本年度新收到政府信息公开申请12件，收到行政复议3件，被申请行政复议 2 件；新受理申请4件。",
    "被提起行政诉讼1件，提起行政诉讼案件共2件，发生行政诉讼0件，涉及行政诉讼３件，行政诉讼5件。",
    "新新收到信息公开申请7件；接收政府信息公开申请共8件；被申请人行政复议9件；被行政复议1件。",
]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], tuple[str | None, ...]]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("kind", sorted(PLAIN))
def test_same_matches_as_the_plain_pattern(kind: str) -> None:
    fast = next(p.regex for p in PATTERNS if p.kind == kind)
    plain = re.compile(PLAIN[kind])
    assert fast.pattern != plain.pattern
    texts = WRITTEN + [p.read_text(encoding="utf-8") for p in sorted(shared_path("corpus").glob("*.txt"))]
    found = 0
    for text in texts:
        assert _matches(fast, text) == _matches(plain, text)
        found += len(_matches(fast, text))
    assert found
