"""Cross-year checks (``rules/crossyear/``) that compare a report with the same body's report of the year before.

Cell relations between two years are plain expression rules (``prev.t3.carried_forward.$col``); what an
expression cannot say lives here, registered with ``compares_years=True`` and the signature
``(report, previous, params)``: their rules run only when the report is paired with last year's.

Similarity of part 五
---------------------
Measure: the share of this year's character 5-grams that also occur in last year's text, after folding
(full-width to half-width, no whitespace or punctuation, every digit written as 0). Why this measure:

* Character n-grams need no word segmentation, which Chinese text would otherwise require.
* Digits are folded because the typical copy changes only the years (「2023年」→「2024年」) and counts.
* The share is of *this* year's text (containment, not Jaccard): a copy of last year's problems with one
  new paragraph added is still mostly copied, and Jaccard would fall with every added sentence.
* Five characters are longer than the stock phrases every report shares (「进一步加强」 is five; a shared
  5-gram is mostly a shared sentence fragment).

Threshold 0.6, measured on the real reports in ``../shared/corpus``: the same body's part 五 of two
consecutive years shares 0.02–0.11 when rewritten and 0.48 at most when partly reused, and the parts of
different bodies share at most 0.51 (median 0.03); a copy with the years changed shares 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ... import formats
from ...diagnostics import Related
from ...model import Report
from ...regexcode import compile_re
from ...text import fold
from .base import Finding, check

DEFAULT_SIMILARITY_THRESHOLD = 0.6


DEFAULT_SECTION = 5  # 五、存在的主要问题及改进情况


DEFAULT_NGRAM = 5


# Below this many folded characters a part says too little to call it copied (「无。」, 「见上年」).
DEFAULT_MIN_CHARS = 40


_NOT_TEXT = compile_re(r"[\W_]+")


_DIGIT = compile_re(r"\d")


def folded_for_similarity(text: str) -> str:
    return _NOT_TEXT.sub("", _DIGIT.sub("0", fold(text)))


def shared_share(current: str, previous: str, n: int = DEFAULT_NGRAM) -> float | None:
    """The share of ``current``'s character n-grams that also occur in ``previous`` (both folded first),
    or None when ``current`` has no n-gram at all."""
    a = folded_for_similarity(current)
    b = folded_for_similarity(previous)
    grams = {a[i : i + n] for i in range(len(a) - n + 1)}
    if not grams:
        return None
    last_year = {b[i : i + n] for i in range(len(b) - n + 1)}
    return len(grams & last_year) / len(grams)


@check(
    "section-similarity",
    provides=("share", "threshold", "section_title", "previous_year"),
    compares_years=True,
    cells_read=(),  # the parts' texts only
    parts_read=lambda params: (int(params.get("section", DEFAULT_SECTION)),),
)
def section_similarity(report: Report, previous: Report, params: dict[str, Any]) -> Iterable[Finding]:
    number = int(params.get("section", DEFAULT_SECTION))
    threshold = float(params.get("threshold", DEFAULT_SIMILARITY_THRESHOLD))
    n = int(params.get("ngram", DEFAULT_NGRAM))
    min_chars = int(params.get("min_chars", DEFAULT_MIN_CHARS))
    this_year = report.section(number)
    last_year = previous.section(number)
    if this_year is None or last_year is None:
        return
    if len(folded_for_similarity(this_year.text)) < min_chars:
        return
    share = shared_share(this_year.text, last_year.text, n)
    if share is None or share < threshold:
        return
    percent = round(share * 100)
    title = f"{formats.CHINESE_NUMERALS[number - 1]}、{formats.SECTION_BY_NUMBER[number].title}"
    yield Finding(
        span=this_year.span,
        section=number,
        values={
            "share": f"{percent}%",
            "threshold": f"{round(threshold * 100)}%",
            "section_title": title,
            "previous_year": previous.year or "?",
        },
        actual=round(share, 4),
        related=[Related(last_year.span, path=previous.path, message=None)],
        key=f"section-{number}",
    )
