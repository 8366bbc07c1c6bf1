"""``--statistics``: counts per rule and per file, telling "the report is wrong" from "the tool could not
read this" (a table whose digits are glued together, rule T106, or a file that could not be read at all).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from ..diagnostics import Severity
from ..records import record
from . import UNREADABLE_RULES, FileResult, RuleMeta, Style, audit_category

if TYPE_CHECKING:
    from ..results import RunResult

# Per-file status, worst first: the tool could not read the file; the report is wrong; the report reads
# as right but parts of it could not be read, so nobody knows; all is well.
STATUS_WORDS = {
    "en": {"unreadable": "unreadable", "findings": "findings", "partly-unreadable": "partly-unreadable", "ok": "ok"},
    "zh": {"unreadable": "无法读取", "findings": "有问题", "partly-unreadable": "部分无法读取", "ok": "通过"},
}


@record
class FileStats:
    result: FileResult
    errors: int
    warnings: int
    infos: int
    wrong: int  # findings that say the report is wrong
    unread: int  # what the tool could not read: T106 findings, or 1 for a file that could not be read
    rules: Counter[str]

    @property
    def status(self) -> str:
        if self.result.error is not None:
            return "unreadable"
        if self.wrong:
            return "findings"
        return "partly-unreadable" if self.unread else "ok"

    def rules_text(self) -> str:
        return " ".join(f"{code}×{n}" if n > 1 else code for code, n in sorted(self.rules.items()))


def file_stats(results: list[FileResult]) -> list[FileStats]:
    out = []
    for r in results:
        severities = Counter(d.severity for d in r.diagnostics)
        unread = sum(1 for d in r.diagnostics if d.rule in UNREADABLE_RULES) + (1 if r.error is not None else 0)
        wrong = sum(1 for d in r.diagnostics if d.rule not in UNREADABLE_RULES)
        out.append(
            FileStats(
                r,
                severities[Severity.ERROR],
                severities[Severity.WARNING],
                severities[Severity.INFO],
                wrong,
                unread,
                Counter(d.rule for d in r.diagnostics),
            )
        )
    return out


def document(results: list[FileResult], rules: list[RuleMeta], lang: str = "zh") -> dict[str, object]:
    """The statistics as JSON data (``--statistics --format json``)."""
    meta = {r.code: r for r in rules}
    per_rule: Counter[tuple[str, str]] = Counter((d.rule, d.severity.value) for r in results for d in r.diagnostics)
    files = file_stats(results)
    return {
        "rules": [
            {
                "code": code,
                "name": meta[code].name if code in meta else "",
                "severity": severity,
                "category": audit_category(code, meta[code].category if code in meta else None),
                "count": n,
            }
            for (code, severity), n in sorted(per_rule.items())
        ],
        "files": [
            {
                "path": f.result.path,
                "errors": f.errors,
                "warnings": f.warnings,
                "infos": f.infos,
                "status": f.status,
                "wrong": f.wrong,
                "unreadable": f.unread,
                "rules": dict(sorted(f.rules.items())),
                "error": f.result.error.resolve(lang) if f.result.error else None,
            }
            for f in files
        ],
        "summary": _summary_counts(files),
    }


def _summary_counts(files: list[FileStats]) -> dict[str, int]:
    statuses = Counter(f.status for f in files)
    return {
        "files": len(files),
        "findings": sum(sum(f.rules.values()) for f in files),
        "reports_wrong": sum(1 for f in files if f.wrong),
        "reports_partly_unreadable": sum(1 for f in files if f.result.error is None and f.unread),
        "files_unreadable": statuses["unreadable"],
        "ok": statuses["ok"],
    }


def print_statistics(console: Console, results: list[FileResult], rules: list[RuleMeta], lang: str) -> None:
    en = lang == "en"
    words = STATUS_WORDS["en" if en else "zh"]
    meta = {r.code: r for r in rules}
    per_rule: Counter[tuple[str, str]] = Counter((d.rule, d.severity.value) for r in results for d in r.diagnostics)
    by_rule = Table(
        *(("code", "count", "severity", "name", "summary") if en else ("规则", "数量", "级别", "名称", "说明")),
        box=None,
        pad_edge=False,
    )
    for (code, severity), n in sorted(per_rule.items()):
        rule = meta.get(code)
        shown = Severity(severity).text.resolve("en" if en else "zh")
        by_rule.add_row(code, str(n), shown, rule.name if rule else "", rule.summary if rule else "")
    heads = (
        ("file", "errors", "warnings", "infos", "status", "wrong", "unread", "rules")
        if en
        else ("文件", "错误", "警告", "提示", "状态", "报告问题", "无法读取", "规则")
    )
    per_file = Table(*heads, box=None, pad_edge=False)
    files = file_stats(results)
    for f in files:
        per_file.add_row(
            f.result.path,
            str(f.errors),
            str(f.warnings),
            str(f.infos),
            words[f.status],
            str(f.wrong),
            str(f.unread),
            f.rules_text() or (f.result.error.resolve(lang) if f.result.error else ""),
        )
    console.print(by_rule if per_rule else ("no findings" if en else "没有发现问题"))
    console.print()
    console.print(per_file)
    s = _summary_counts(files)
    if en:
        console.print(
            f"\n{s['files']} file(s), {s['findings']} finding(s): {s['reports_wrong']} report(s) wrong; "
            f"the tool could not read {s['reports_partly_unreadable']} report(s) in part "
            f"and {s['files_unreadable']} file(s) at all"
        )
    else:
        console.print(
            f"\n共 {s['files']} 个文件，{s['findings']} 条问题：{s['reports_wrong']} 份报告本身有问题；"
            f"{s['reports_partly_unreadable']} 份报告有部分内容本工具无法读取，"
            f"{s['files_unreadable']} 个文件完全无法读取"
        )


def report_text(run: RunResult, out: IO[str], style: Style) -> None:
    print_statistics(style.console(out), run.files, run.rules(), run.lang)


def report_json(run: RunResult, out: IO[str], style: Style) -> None:
    out.write(json.dumps(document(run.files, run.rules(), run.lang), ensure_ascii=False, indent=2) + "\n")
