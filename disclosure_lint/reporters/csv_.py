"""``--format csv``: one row per report for auditors, UTF-8 with a byte-order mark so that Excel on a
Chinese Windows reads it as UTF-8 rather than GBK."""

from __future__ import annotations

import csv
import io
from typing import IO, TYPE_CHECKING

from .. import __version__
from . import FileResult, RuleMeta, Style, ordered, render_run, write_text
from .audit import report_headers, report_rows

if TYPE_CHECKING:
    from ..results import RunResult

BOM = "\ufeff"


def _cell(value: object) -> object:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; a report's title is untrusted.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(report_headers(lang))
    for row in report_rows(ordered(results), rules or [], lang):
        writer.writerow([_cell(v) for v in row])
    return BOM + out.getvalue()


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))
