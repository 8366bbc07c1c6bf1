"""The auditor's tables: one row per report and one row per finding, shared by the CSV and xlsx formats."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Severity
from . import AUDIT_CATEGORIES, AUDIT_CATEGORY_ZH, FileResult, RuleMeta, audit_category, category_counts

_REPORT_HEADERS = {
    "zh": ["文件", "标题", "发布机关", "年度", "格式版本", "输入类型", "状态", "错误", "警告", "提示"],
    "en": ["path", "title", "body", "year", "edition", "input kind", "status", "errors", "warnings", "infos"],
}
_REPORT_TAIL = {"zh": ["规则", "无法读取的原因"], "en": ["rules", "unreadable because"]}
_STATUS = {
    "zh": {"ok": "通过", "findings": "有问题", "unreadable": "无法读取"},
    "en": {"ok": "ok", "findings": "findings", "unreadable": "unreadable"},
}
_FINDING_HEADERS = {
    "zh": [
        "文件",
        "标题",
        "发布机关",
        "年度",
        "规则",
        "级别",
        "类别",
        "问题",
        "行",
        "列",
        "位置",
        "单元格",
        "期望",
        "实际",
        "可能的改法",
    ],
    "en": [
        "path",
        "title",
        "body",
        "year",
        "rule",
        "severity",
        "category",
        "message",
        "line",
        "column",
        "place",
        "cells",
        "expected",
        "actual",
        "likely fix",
    ],
}


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "zh"


def report_headers(lang: str) -> list[str]:
    lang = _lang(lang)
    categories = list(AUDIT_CATEGORIES) if lang == "en" else [AUDIT_CATEGORY_ZH[c] for c in AUDIT_CATEGORIES]
    return [*_REPORT_HEADERS[lang], *categories, *_REPORT_TAIL[lang]]


def _identity(r: FileResult) -> list[object]:
    s = r.summary
    if s is None:
        return [r.path, "", "", ""]
    return [r.path, s.title or "", s.body or "", s.year if s.year is not None else ""]


def report_rows(results: list[FileResult], rules: list[RuleMeta], lang: str) -> list[list[object]]:
    """One row per report, in the order of :func:`report_headers`."""
    lang = _lang(lang)
    categories = {r.code: r.category for r in rules}
    rows: list[list[object]] = []
    for r in results:
        severities = Counter(d.severity for d in r.diagnostics)
        s = r.summary
        status = "unreadable" if r.error is not None else "findings" if r.diagnostics else "ok"
        by_category = category_counts(r, categories)
        codes = Counter(d.rule for d in r.diagnostics)
        rows.append(
            [
                *_identity(r),
                s.edition if s else "",
                s.input_kind if s else "",
                _STATUS[lang][status],
                severities[Severity.ERROR],
                severities[Severity.WARNING],
                severities[Severity.INFO],
                *(by_category[c] for c in AUDIT_CATEGORIES),
                " ".join(f"{code}×{n}" if n > 1 else code for code, n in sorted(codes.items())),
                r.error.resolve(lang) if r.error else "",
            ]
        )
    return rows


def finding_headers(lang: str) -> list[str]:
    return list(_FINDING_HEADERS[_lang(lang)])


def finding_rows(results: list[FileResult], rules: list[RuleMeta], lang: str) -> list[list[object]]:
    """One row per finding, in the order of :func:`finding_headers`."""
    lang = _lang(lang)
    categories = {r.code: r.category for r in rules}
    rows: list[list[object]] = []
    for r in results:
        for d in r.diagnostics:
            category = audit_category(d.rule, categories.get(d.rule))
            fix = ""
            if d.fix is not None:
                current = "?" if d.fix.current is None else d.fix.current
                fix = f"{d.fix.cell}: {current} → {d.fix.value}"
            rows.append(
                [
                    *_identity(r),
                    d.rule,
                    d.severity.text.resolve(lang),
                    category if lang == "en" else AUDIT_CATEGORY_ZH[category],
                    d.message.resolve(lang),
                    d.span.line if d.span else "",
                    d.span.column if d.span else "",
                    (d.span.where.resolve(lang) + " " if d.span and d.span.where else "")
                    + (d.place.resolve(lang) if d.place else ""),
                    " ".join(d.cells),
                    "" if d.expected is None else d.expected,
                    "" if d.actual is None else d.actual,
                    fix,
                ]
            )
    return rows
