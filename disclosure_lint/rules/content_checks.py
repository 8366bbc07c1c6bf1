"""Built-in checks of what the prose says: the topics of part 一, part 五's account of last year, the years the
report gives itself, the documents it cites and the body that signs it.

Registered in :data:`disclosure_lint.rules.checks.CHECKS` like the other checks; the words the user reads
stay in the rule files.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..model import Report, Span
from ..text import fold, fold_with_map
from .checks import Finding, check

# --- S010: the five topics of part 一 ----------------------------------------------------------------


def _topics(params: dict[str, Any], key: str) -> list[tuple[str, list[str]]]:
    """``params[key]``: a mapping of topic name to the words, any of which shows the topic is covered."""
    value = params.get(key) or {}
    return [
        (str(name), [str(w) for w in (words if isinstance(words, list) else [words])]) for name, words in value.items()
    ]


def is_government(report: Report) -> bool:
    """The report of a 人民政府 itself (not of one of its departments or its office)."""
    body = title_body(report)
    return bool(body) and fold(body).endswith("人民政府")


@check("part-one-topics", provides=("missing", "missing_en", "count"))
def part_one_topics(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    section = report.section(1)
    if section is None:
        return
    text = fold(section.text)
    wanted = _topics(params, "topics")
    if is_government(report):
        wanted += _topics(params, "government_topics")
    missing = [name for name, words in wanted if not any(fold(w) in text for w in words)]
    if missing:
        yield Finding(
            span=section.span,
            values={"missing": "、".join(missing), "missing_en": ", ".join(missing), "count": len(missing)},
            section=1,
            key="topics",
        )


# --- S011: part 五 says how last year's problems were rectified ---------------------------------------

_LAST_YEAR = re.compile(r"上一?年度?|去年|前一年|以往年度|上年度报告")
_RECTIFIED = re.compile(r"整改|改进|落实|解决|完善|纠正|针对|销号|已")


@check("rectification-stated", provides=())
def rectification_stated(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    section = report.section(5)
    if section is None or not section.text.strip():
        return  # a missing or empty part five is S001 / S006's
    text = fold(section.text)
    previous = f"{report.year - 1}年" if report.year else None
    mentions_last_year = bool(_LAST_YEAR.search(text)) or (previous is not None and previous in text)
    if mentions_last_year and _RECTIFIED.search(text):
        return
    yield Finding(span=section.span, values={}, section=5, key="rectification")


# --- S012: the years the report gives itself ----------------------------------------------------------


@check("year-consistency", provides=("year", "written"))
def year_consistency(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if report.year is None:
        return
    for year, span in report.year_mentions:
        if year != report.year:
            yield Finding(
                span=span,
                values={"year": report.year, "written": year},
                expected=report.year,
                actual=year,
                key=f"year-{span.line}-{span.column}",
            )
            return  # one is enough: the others are the same slip copied along


# --- S013 / S014: documents cited -----------------------------------------------------------------------


def _citation_form(text: str) -> str:
    """Folded, with every kind of bracket around a year as [ ]: 〔2019〕, [2019], (2019), （2019） compare equal."""
    return fold(text).replace("(", "[").replace(")", "]")


def _cited(report: Report, document: str) -> Span | None:
    """Where the report's file first cites ``document`` (searched in the file as written, so a web page's
    position is in its HTML source, like every other position)."""
    if not document:
        return None
    folded, index = fold_with_map(report.text)
    wanted = _citation_form(document)
    at = folded.replace("(", "[").replace(")", "]").find(wanted)
    if at < 0:
        return None
    start, end = index[at], index[at + len(wanted) - 1] + 1
    starts = report.line_starts or [0]
    line = bisect_right(starts, start) - 1
    end_line = bisect_right(starts, max(start, end - 1)) - 1
    return Span(line + 1, start - starts[line] + 1, end_line + 1, end - starts[end_line] + 1)


@check("superseded-notice-cited", provides=("year", "document", "replacement"))
def superseded_notice_cited(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    document = str(params.get("document", ""))
    span = _cited(report, document)
    if span is not None:
        yield Finding(
            span=span,
            values={"year": report.year or "?", "document": document, "replacement": params.get("replacement", "")},
            key="notice",
        )


@check("later-document-cited", provides=("year", "document", "issued"))
def later_document_cited(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    """A document issued after the report was due (31 March of the next year) cannot be its basis."""
    if report.year is None:
        return
    due = date(report.year + 1, 3, 31)
    for document in params.get("documents") or []:
        if not isinstance(document, dict):
            continue
        name, issued = str(document.get("name", "")), str(document.get("issued", ""))
        try:
            issued_on = date.fromisoformat(issued)
        except ValueError:
            continue
        if issued_on <= due:
            continue
        span = _cited(report, name)
        if span is not None:
            yield Finding(
                span=span,
                values={"year": report.year, "document": name, "issued": issued},
                key=f"later-{name}",
            )


# --- S015: the body in the title and the body that signs ----------------------------------------------

_TITLE_BODY = re.compile(r"^(.*?)\s*(?:19|20)\d{2}\s*年")
_SIGNATURE = re.compile(
    r"(?P<body>[\u4e00-\u9fff（）()]{3,40}?(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|办公室|办公厅|管理委员会|管委会"
    r"|委员会|管理局|局|委|厅|署|中心|院))[\s\u3000\u00a0]*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
)


def title_body(report: Report) -> str:
    m = _TITLE_BODY.match(report.title or "")
    return m.group(1).strip() if m else ""


def _same_body(a: str, b: str) -> bool:
    """Names of one body: equal after dropping 人民, or one inside the other (区政府 signs as 区政府办公室)."""
    x, y = fold(a).replace("人民", ""), fold(b).replace("人民", "")
    return x in y or y in x


@check("signing-body", provides=("title_body", "signing_body"))
def signing_body(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    named = title_body(report)
    last = max(report.sections, key=lambda s: s.body_start, default=None)
    locator = getattr(report, "locator", None)
    if not named or last is None or locator is None:
        return
    tail_start = max(0, len(last.text) - 200)
    matches = list(_SIGNATURE.finditer(last.text, tail_start))
    if not matches:
        return
    m = matches[-1]
    body = m.group("body")
    # The name starts after the last sentence: "…处理费。 平潭综合实验区国有资产管理局 2025年1月26日".
    body = re.split(r"[。；;：:，,！!？?）)]", body)[-1].strip()
    if len(body) < 3 or _same_body(named, body):
        return
    start = last.body_start + m.start("body") + m.group("body").rfind(body)
    yield Finding(
        span=locator.span(start, start + len(body)),
        values={"title_body": named, "signing_body": body},
        related=[report.title_span] if report.title_span else [],
        key="signing-body",
    )
