"""``--format xlsx``: the auditor's workbook, a summary sheet (one row per report) and a findings sheet.

XlsxWriter is an optional extra (``pip install "disclosure-lint[xlsx]"``), imported only here. Cells are
written as plain strings and numbers: a report's title that starts with ``=`` must never become a formula.
"""

from __future__ import annotations

import io
from typing import IO, TYPE_CHECKING, Any

from .. import __version__
from ..bilingual import Text
from ..errors import MissingDependencyError
from ..text import display_width
from . import FileResult, RuleMeta, Style, ordered, render_run
from .audit import finding_headers, finding_rows, report_headers, report_rows

if TYPE_CHECKING:
    from ..results import RunResult

_INSTALL = 'pip install "disclosure-lint[xlsx]"'
SHEETS = {"zh": ("汇总", "问题清单"), "en": ("summary", "findings")}
MAX_COLUMN_WIDTH = 60


def require() -> Any:
    """The xlsxwriter module, or a clear message (exit 2) naming the extra to install."""
    try:
        import xlsxwriter
    except ImportError:
        raise MissingDependencyError(
            Text(
                f"输出 Excel 表格（.xlsx）需要可选组件 XlsxWriter，请运行：{_INSTALL}",
                f"writing Excel workbooks (.xlsx) needs the optional XlsxWriter package; run: {_INSTALL}",
            ),
        ) from None
    return xlsxwriter


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> bytes:
    xlsxwriter = require()
    lang = "en" if lang == "en" else "zh"
    files = ordered(results)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    workbook.set_properties({"title": SHEETS[lang][0], "comments": f"disclosure-lint {tool_version}"})
    header = workbook.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True})
    summary_name, findings_name = SHEETS[lang]
    _sheet(workbook, summary_name, report_headers(lang), report_rows(files, rules or [], lang), header)
    _sheet(workbook, findings_name, finding_headers(lang), finding_rows(files, rules or [], lang), header)
    workbook.close()
    return buffer.getvalue()


def _sheet(workbook: Any, name: str, headers: list[str], rows: list[list[object]], header_format: Any) -> None:
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, headers, header_format)
    widths = [display_width(h) for h in headers]
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
            widths[c] = max(widths[c], display_width(str(value)))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width + 2, MAX_COLUMN_WIDTH))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(headers) - 1)


def report(run: RunResult, out: IO[bytes], style: Style) -> None:
    out.write(render_run(render, run))
