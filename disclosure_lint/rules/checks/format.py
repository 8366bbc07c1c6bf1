"""Format checks (``rules/format/``): which edition of the national format the tables follow, against the
report's year (the 2019 trial format is superseded from the 2021 reports on).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...bilingual import Text
from ...model import Report
from .base import Finding, check


@check("superseded-format", provides=("year", "words", "what"))
def superseded_format(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if report.year is None or report.year < 2021 or not report.edition_evidence:
        return
    words = "、".join(dict.fromkeys(w for w, _ in report.edition_evidence))
    t3_rows = [w for w, _ in report.edition_evidence if "其他处理" in w]
    t2_words = list(dict.fromkeys(w for w, _ in report.edition_evidence if "其他处理" not in w))
    what: list[Text] = []
    if t2_words:
        what.append(
            Text(
                f"表二使用了试行格式的栏目或行「{'、'.join(t2_words)}」",
                f"table two has the trial format's columns or rows \u300c{'、'.join(t2_words)}\u300d",
            )
        )
    if t3_rows:
        what.append(
            Text(
                "表三「（六）其他处理」只有一行（试行格式的写法），现行格式将其分为「1.申请人无正当理由逾期不补正…」"
                "「2.申请人逾期未按收费通知要求缴纳费用…」「3.其他」三行",
                "table three has 「（六）其他处理」 as one row (the trial format); "
                "the 2021 format splits it into three rows (1. no correction, 2. fee not paid, 3. other)",
            )
        )
    if not t2_words:
        what.append(Text("其余表格符合现行格式", "the other tables follow the 2021 format"))
    yield Finding(
        span=report.edition_evidence[0][1],
        values={"year": report.year, "words": words, "what": Text("；", "; ").join(what)},
        related=[s for _, s in report.edition_evidence[1:4]],
        key="format",
    )


@check("trial-format-notice", provides=("year",))
def trial_format_notice(report: Report, params: dict[str, Any]) -> Iterable[Finding]:
    if report.edition != "2019-trial" or (report.year is not None and report.year >= 2021):
        return
    span = report.edition_evidence[0][1] if report.edition_evidence else report.title_span
    yield Finding(span=span, values={"year": report.year or "?"}, key="trial")
