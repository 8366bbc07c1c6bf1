"""Structure checks (``rules/structure/``): the six parts, their order and titles, the statistical period,
the tables' presence, what parts 一, 五 and 六 must say, the years and documents the report cites, the body
that signs it, and a page or PDF whose content the reader could not reach.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from typing import Any

from ... import formats
from ...bilingual import Text
from ...model import Report, Span
from ...regexcode import compile_re
from ...text import fold, folded_text_pattern
from .base import NUMERALS, Finding, check, end_span, part_number, section_label, table_name


def _content_elsewhere(report: Report) -> bool:
    """The page only links or shows the report: S008 says so once, structure rules stay quiet."""
    return any(p.kind in ("attachment-only", "scan-only") for p in report.problems)


@check("sections-present", provides=("what", "found"))
def sections_present(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if _content_elsewhere(report):
        return
    if not report.sections:
        yield Finding(
            span=report.title_span or Span(1, 1, 1, 1),
            values={
                "what": Text("全部六个部分（没有识别出任何部分标题）", "all six parts (no part heading was found)"),
                "found": "—",
            },
            key="section-all",
        )
        return
    found = {s.number for s in report.sections}
    for n in range(1, 7):
        if n in found:
            continue
        after = [s for s in report.sections if s.number > n]
        span = after[0].span if after else report.sections[-1].span
        yield Finding(
            span=span,
            values={
                "what": Text(
                    f"第{NUMERALS[n - 1]}部分「{section_label(n)}」", f"part {n} \u300c{section_label(n)}\u300d"
                ),
                "found": Text(" ", " ").join(part_number(s.number) for s in report.sections),
            },
            section=n,
            key=f"section-{n}",
        )


@check("sections-order", provides=("section", "title", "problem"))
def sections_order(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    """The parts the report grammar's parse found repeated or out of order (``Report.layout_notes``)."""
    headings: dict[Span, str] | None = None  # (made for the first such note: hashing a span costs ~1 µs)
    for note in report.layout_notes:
        if note.table is not None or note.key is None or note.kind not in ("repeated", "out-of-order"):
            continue
        if headings is None:
            headings = {s.span: s.heading for s in report.sections}
        number = int(note.key)
        if note.kind == "repeated":
            problem, key = Text("重复出现", "appears twice"), f"dup-{number}"
        elif note.after_key is not None:
            after = int(note.after_key)
            problem = Text(f"出现在第{NUMERALS[after - 1]}部分之后", f"comes after part {after}")
            key = f"order-{number}"
        else:
            problem, key = Text("不在应有的位置", "is out of order"), f"order-{number}"
        yield Finding(
            span=note.span,
            values={"section": part_number(number), "title": headings.get(note.span, note.text), "problem": problem},
            section=number,
            key=key,
        )


@check("section-title", provides=("written", "standard"))
def section_title(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for s in report.sections:
        wrong_number = s.written_number is not None and s.written_number != s.number
        if s.deviates or wrong_number or s.numbering_deviates:
            yield Finding(
                span=s.span,
                values={"written": s.heading, "standard": s.standard_title},
                section=s.number,
                key=f"title-{s.number}",
            )


@check("statistical-period", provides=("year", "problem"))
def statistical_period(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if _content_elsewhere(report) or not report.sections:
        return
    year = report.year or "?"
    if report.period is None:
        yield Finding(
            span=report.title_span or Span(1, 1, 1, 1),
            values={
                "year": year,
                "problem": Text(
                    f"未写明统计期限（如“本报告所列数据统计期限自{year}年1月1日至{year}年12月31日”）",
                    f"the statistical period (1 January to 31 December {year}) is not stated",
                ),
            },
            key="missing",
        )
        return
    first, last = report.period
    if report.year is not None and (first != report.year or last != report.year):
        period = f"{first}年" if first == last else f"{first}—{last}年"
        yield Finding(
            span=report.period_span,
            values={
                "year": year,
                "problem": Text(
                    f"统计期限写的是{period}，与报告年度 {year} 年不一致",
                    f"the statistical period names {first}–{last}, not the report year {year}",
                ),
            },
            expected=report.year,
            actual=first if first != report.year else last,
            key="mismatch",
        )


@check("statistical-period-partial", provides=("period",))
def statistical_period_partial(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    """A stated period that is not 1 January to 31 December: usually a reason given (a new body), so info."""
    if report.period_dates is None:
        return
    (y1, m1, d1), (y2, m2, d2) = report.period_dates
    if (m1, d1, m2, d2) == (1, 1, 12, 31):
        return
    yield Finding(
        span=report.period_span,
        values={
            "period": Text(
                f"{y1}年{m1}月{d1}日至{y2}年{m2}月{d2}日", f"{y1}-{m1:02d}-{d1:02d} to {y2}-{m2:02d}-{d2:02d}"
            ),
        },
        key="partial",
    )


@check("table-present", provides=("table", "title", "section"))
def table_present(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for n in (2, 3, 4):
        section = report.section(n)
        table = report.tables.get(n)
        if section is None and (table is None or not table.present):
            continue  # the missing section is reported already
        has_rows = bool(table and (table.rows or table.unreadable or table.extra_rows or table.trial_format))
        if not has_rows:
            span = section.span if section else (table.span if table and table.span else end_span(report))
            yield Finding(
                span=span,
                values={
                    "table": table_name(n),
                    "title": formats.TABLES[n].title,
                    "section": part_number(n),
                },
                section=n,
                key=f"table-{n}",
            )


_SPACES_AND_PUNCTUATION = compile_re(r"[\s\u3000\u00a0。.,，:：;；、]")


@check("section-substance", provides=("section", "text"))
def section_substance(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    number = int(params.get("section", 5))
    min_chars = int(params.get("min_chars", 15))
    s = report.section(number)
    if s is None:
        return
    body = _SPACES_AND_PUNCTUATION.sub("", s.text)
    if not body or body in ("无", "暂无", "没有") or len(body) < min_chars:
        yield Finding(
            span=s.span,
            values={"section": part_number(number), "text": s.text.strip()[:20] or Text("（空）", "(empty)")},
            section=number,
            key=f"section-{number}",
        )


_FEE_WORDS = compile_re(
    r"信息处理费|处理费|收费通知|(?:收取|收缴|缴纳)[^。]{0,10}费|(?:未|不|没有)收费|免费|收费情况|收费"
)


@check("fee-statement", provides=("text",))
def fee_statement(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    s = report.section(6)
    if s is None:
        return
    # 行政事业性收费 is table 二's administrative fees, not the information processing fee asked for here.
    text = fold(s.text).replace("行政事业性收费", "")
    if _FEE_WORDS.search(text):
        return
    shown = s.text.strip().lstrip(":：").strip()[:30] or Text("（空）", "(empty)")
    yield Finding(span=s.span, values={"text": shown}, section=6, key="fee")


@check("content-not-text", provides=("hint",))
def content_not_text(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for p in report.problems:
        if p.kind == "attachment-only":
            yield Finding(span=p.span, values={"hint": p.message}, key="attachment")


@check("pdf-not-fully-read", provides=("hint",))
def pdf_not_fully_read(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    for p in report.problems:
        if p.kind in ("scan-only", "pdf-not-fully-read"):
            yield Finding(span=p.span, values={"hint": p.message}, key=p.kind)


# --- S010: the five topics of part 一 --------------------------------------------------------------


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


@check("part-one-topics", provides=("missing", "count"))
def part_one_topics(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    section = report.section(1)
    if section is None:
        return
    wanted = _topics(params, "topics")
    if is_government(report):
        wanted += _topics(params, "government_topics")
    text = section.text
    # Folding maps each character on its own, so a word found as written is found folded too: the whole
    # part is folded only when some topic's words are not there as written.
    unfound = [(name, words) for name, words in wanted if not any(w in text for w in words)]
    folded = fold(text) if unfound else ""
    missing = [name for name, words in unfound if not any(fold(w) in folded for w in words)]
    if missing:
        yield Finding(
            span=section.span,
            values={
                "missing": Text("、".join(missing), ", ".join(f"\u300c{name}\u300d" for name in missing)),
                "count": len(missing),
            },
            section=1,
            key="topics",
        )


# --- S011: part 五 says how last year's problems were rectified ------------------------------------


_LAST_YEAR = compile_re(r"上一?年度?|去年|前一年|以往年度|上年度报告")


_RECTIFIED = compile_re(r"整改|改进|落实|解决|完善|纠正|针对|销号|已")


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


# --- S012: the years the report gives itself ------------------------------------------------------


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


# --- S013 / S014: documents cited -----------------------------------------------------------------


def _citation_form(text: str) -> str:
    """Folded, with every kind of bracket around a year as [ ]: 〔2019〕, [2019], (2019), （2019） compare equal."""
    return fold(text).replace("(", "[").replace(")", "]")


def _cited(report: Report, document: str) -> Span | None:
    """Where the report's file first cites ``document`` (searched in the file as written, so a web page's
    position is in its HTML source, like every other position)."""
    if not document:
        return None
    wanted = _citation_form(document)
    if not wanted:
        return None
    found = folded_text_pattern(wanted, (("(", "["), (")", "]"))).search(report.text)
    if found is None:
        return None
    start, end = found.span()
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


# --- S015: the body in the title and the body that signs ------------------------------------------


_TITLE_BODY = compile_re(r"^(.*?)\s*(?:19|20)\d{2}\s*年")
_SENTENCE_END = compile_re(r"[。；;：:，,！!？?）)]")


_SIGNING_DATE = r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_SIGNATURE = compile_re(
    r"(?P<body>[\u4e00-\u9fff（）()]{3,40}?(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|办公室|办公厅|管理委员会|管委会"
    r"|委员会|管理局|局|委|厅|署|中心|院))[\s\u3000\u00a0]*(?P<date>" + _SIGNING_DATE + ")"
)
# Every signature ends with a date: where none is written, trying the signature's name at each of the 200 places
# (up to 40 characters each) is ~15 µs for nothing, and a search for the date's digits finds that at once.
_DATE_ANYWHERE = compile_re(_SIGNING_DATE)


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
    if not named or last is None or report.locator is None:
        return
    tail_start = max(0, len(last.text) - 200)
    if _DATE_ANYWHERE.search(last.text, tail_start) is None:
        return  # (a signature's date is a match of this pattern at or after tail_start)
    matches = list(_SIGNATURE.finditer(last.text, tail_start))
    if not matches:
        return
    m = matches[-1]
    body = m.group("body")
    # The name starts after the last sentence: "…处理费。 平潭综合实验区国有资产管理局 2025年1月26日".
    body = _SENTENCE_END.split(body)[-1].strip()
    if len(body) < 3 or _same_body(named, body):
        return
    start = last.body_start + m.start("body") + m.group("body").rfind(body)
    yield Finding(
        span=report.locator.span(start, start + len(body)),
        values={"title_body": named, "signing_body": body},
        related=[report.title_span] if report.title_span else [],
        key="signing-body",
    )
