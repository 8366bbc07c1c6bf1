"""The ``extract --format table`` view: the three tables as read, with blank and missing cells marked."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from rich.console import Console
from rich.table import Table as RichTable

from .. import formats
from ..model import CellStatus, Report

if TYPE_CHECKING:
    from ..results import Extracted
    from . import Style

_MARK = {
    CellStatus.BLANK: "[yellow]空[/]",
    CellStatus.PLACEHOLDER: "[yellow]{raw}[/]",
    CellStatus.MISSING: "[red]缺[/]",
    CellStatus.INVALID: "[red]✗ {raw}[/]",
}


def _show(report: Report, cell_id: str) -> str:
    cell = report.cells[cell_id]
    if cell.status is CellStatus.OK:
        value = cell.value
        return str(int(value)) if isinstance(value, float) and value == int(value) else str(value)
    raw = (cell.raw or "").strip()
    return _MARK[cell.status].format(raw=raw[:8].replace("[", "\\["))


def print_tables(console: Console, reports: list[Report], *, lang: str) -> None:
    for report in reports:
        console.print(f"[bold]{report.path}[/]  {report.title or ''}  year={report.year} edition={report.edition}")
        for n, spec in formats.TABLES.items():
            table = report.tables.get(n)
            note = "" if table is None or not table.unreadable else "  [red](无法可靠读取 / unreadable)[/]"
            title = f"{spec.name} {spec.title}{note}"
            columns = formats.T3_COLUMNS if n == 3 else formats.T4_COLUMNS if n == 4 else None
            if columns is not None:
                rt = RichTable(title=title, title_justify="left", show_lines=False)
                rt.add_column("行" if lang == "zh" else "row")
                for c in columns:
                    rt.add_column(c.label, justify="right")
                for row in spec.rows:
                    rt.add_row(row.label[:24], *[_show(report, formats.cell_id(n, row.key, c.key)) for c in columns])
            else:
                rt = RichTable(title=title, title_justify="left")
                rt.add_column("信息内容")
                rt.add_column("栏目")
                rt.add_column("数值", justify="right")
                for row in spec.rows:
                    for c in row.columns:
                        rt.add_row(row.label, c.label, _show(report, formats.cell_id(n, row.key, c.key)))
            console.print(rt)
        console.print()


def report(extracted: Extracted, out: IO[str], style: Style) -> None:
    print_tables(style.console(out), extracted.reports, lang=extracted.lang)
