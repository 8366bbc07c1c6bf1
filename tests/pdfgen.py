"""Write PDF reports of our own, laid out the way Word/WPS print them: ruled tables, merged cells, page breaks.

The values and labels come from ``reportgen`` (through ``markupgen``'s table rows, merged as web pages and Word
draw them), so a PDF written here must read cell-for-cell like the text report. Cells are drawn as rectangles and
their text wrapped inside them character by character, as a word processor wraps Chinese text: a label too long for
its cell runs over several lines, a number too wide for a narrow cell wraps ("15" over "23"), and a label in a one-
character-wide column runs down the column. Tables that do not fit on a page continue on the next one, with or
without their header rows repeated, with a page number ("— 2 —") in the bottom margin.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markupgen import PROSE_HEAD, TAIL, paragraphs, table_rows

FONT_SIZE = 10.5
LINE = 5.2  # mm per text line
PAD = 1.2


def cjk_font() -> str:
    """A font file with Chinese glyphs, or skip the test that needs one."""
    candidates: list[str] = []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
        candidates = [line.split(":")[0].strip() for line in out.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    candidates += [str(p) for p in Path("/usr/share/fonts").rglob("*") if "wqy" in p.name or "NotoSansCJK" in p.name]
    for path in candidates:
        if path.endswith((".ttf", ".ttc", ".otf")) and Path(path).is_file():
            return path
    pytest.skip("no font with Chinese glyphs is installed (install fonts-wqy-microhei); PDF tests need one to draw")


Cell = tuple[str, int, int]  # text, rowspan, colspan


@dataclass
class PdfTable:
    rows: list[list[Cell]]
    widths: list[float]  # mm per grid column
    header_rows: int = 0  # rows repeated at the top of a continuation page when ``repeat_header``


@dataclass
class PdfWriter:
    page_height: float = 297.0
    repeat_header: bool = False
    footers: bool = True
    ruled: bool = True  # False: tables drawn without lines (the text alone says where cells are)
    left: float = 20.0
    width: float = 170.0
    top: float = 20.0
    bottom_margin: float = 22.0
    pdf: object = None
    y: float = 0.0
    pages: int = 0
    blank_pages: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        from fpdf import FPDF

        pdf = FPDF(unit="mm", format=(210, self.page_height))
        pdf.set_auto_page_break(False)
        font = cjk_font()
        pdf.add_font("cjk", "", font)
        pdf.set_font("cjk", size=FONT_SIZE)
        pdf.set_line_width(0.3)
        self.pdf = pdf
        self.new_page()

    # -- pages --------------------------------------------------------------------------------------

    def new_page(self) -> None:
        pdf = self.pdf
        if self.pages and self.footers:
            self._footer()
        pdf.add_page()
        self.pages += 1
        self.y = self.top

    def _footer(self) -> None:
        pdf = self.pdf
        pdf.text(100, self.page_height - 10, f"— {self.pages} —")

    @property
    def limit(self) -> float:
        return self.page_height - self.bottom_margin

    def output(self) -> bytes:
        if self.footers:
            self._footer()
        return bytes(self.pdf.output())

    def scan_page(self) -> None:
        """A page holding only a picture, as a scanner makes it."""
        from PIL import Image

        self.new_page()
        image = Image.new("L", (200, 280), 230)
        self.pdf.image(image, x=self.left, y=self.top, w=150)
        self.y = self.limit

    # -- text ---------------------------------------------------------------------------------------

    def wrap(self, text: str, width: float) -> list[str]:
        """Break ``text`` into lines no wider than ``width`` mm, between any two characters."""
        pdf = self.pdf
        lines: list[str] = []
        current = ""
        for ch in text:
            if current and pdf.get_string_width(current + ch) > width:
                lines.append(current)
                current = ch
            else:
                current += ch
        if current:
            lines.append(current)
        return lines

    def paragraph(self, text: str, indent: bool = True) -> None:
        first = "\u3000\u3000" if indent else ""
        for line in self.wrap(first + text, self.width):
            if self.y + LINE > self.limit:
                self.new_page()
            self.pdf.text(self.left, self.y + LINE - 1.3, line)
            self.y += LINE + 1.0

    # -- tables -------------------------------------------------------------------------------------

    def table(self, table: PdfTable) -> None:
        slots = _place(table.rows)
        heights = [self._row_height(table, slots, r) for r in range(len(table.rows))]
        xs = [self.left]
        for w in table.widths:
            xs.append(xs[-1] + w)
        # A row never splits: a row that does not fit starts the next page.
        r = 0
        drawn_from = 0
        while r < len(table.rows):
            if self.y + heights[r] > self.limit and r > drawn_from:
                self._draw(table, slots, heights, xs, drawn_from, r - 1)
                self.new_page()
                drawn_from = r
                if self.repeat_header and table.header_rows:
                    self._draw(table, slots, heights, xs, 0, table.header_rows - 1, advance=True)
                continue
            self.y += heights[r]
            r += 1
        self._draw(table, slots, heights, xs, drawn_from, len(table.rows) - 1)
        self.y += 2

    def _row_height(self, table: PdfTable, slots: dict[tuple[int, int], tuple[int, int]], r: int) -> float:
        lines = 1
        for (row, col), (rs, cs) in slots.items():
            if row == r and rs == 1:
                text = table.rows[row][_index(table.rows, slots, row, col)][0]
                width = sum(table.widths[col : col + cs]) - 2 * PAD
                lines = max(lines, len(self.wrap(text, width)))
        return lines * LINE + 2 * PAD

    def _draw(
        self,
        table: PdfTable,
        slots: dict[tuple[int, int], tuple[int, int]],
        heights: list[float],
        xs: list[float],
        first: int,
        last: int,
        advance: bool = False,
    ) -> None:
        """Draw rows first..last, which end at self.y (or start there when ``advance``)."""
        pdf = self.pdf
        total = sum(heights[first : last + 1])
        top = self.y if advance else self.y - total
        ys = [top]
        for h in heights[first : last + 1]:
            ys.append(ys[-1] + h)
        for (row, col), (rs, cs) in sorted(slots.items()):
            end = row + rs - 1
            if end < first or row > last:
                continue
            a, b = max(row, first), min(end, last)
            x0, x1 = xs[col], xs[col + cs]
            y0, y1 = ys[a - first], ys[b - first + 1]
            if self.ruled:
                pdf.rect(x0, y0, x1 - x0, y1 - y0)
            text = table.rows[row][_index(table.rows, slots, row, col)][0]
            lines = self.wrap(text, x1 - x0 - 2 * PAD)
            # The part of a merged cell on a later page shows the lines that did not fit above.
            before = sum(heights[row:a])
            skip = int((before - 2 * PAD) / LINE + 1e-6) if a > row else 0
            room = max(1, int((y1 - y0 - 2 * PAD) / LINE + 1e-6))
            for k, line in enumerate(lines[skip : skip + room]):
                pdf.text(x0 + PAD, y0 + PAD + (k + 1) * LINE - 1.3, line)
        if advance:
            self.y = top + total


def _place(rows: list[list[Cell]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Grid position of every cell: (row, column) -> (rowspan, colspan)."""
    occupied: set[tuple[int, int]] = set()
    slots: dict[tuple[int, int], tuple[int, int]] = {}
    for i, row in enumerate(rows):
        j = 0
        for _text, rs, cs in row:
            while (i, j) in occupied:
                j += 1
            slots[(i, j)] = (rs, cs)
            for a in range(i, i + rs):
                for b in range(j, j + cs):
                    occupied.add((a, b))
            j += cs
    return slots


def _index(rows: list[list[Cell]], slots: dict[tuple[int, int], tuple[int, int]], row: int, col: int) -> int:
    return sorted(c for (r, c) in slots if r == row).index(col)


# --- the generated report as a PDF --------------------------------------------------------------

HEADS = {3: "三、收到和处理政府信息公开申请情况", 4: "四、政府信息公开行政复议、行政诉讼情况"}
WIDTHS = {
    2: [80.0, 30.0, 30.0, 30.0],
    3: [9.0, 24.0, 40.0, *[14.0] * 7],
    4: [170.0 / 15] * 15,
}
HEADER_ROWS = {2: 0, 3: 3, 4: 3}


def make_pdf(
    *,
    repeat_header: bool = False,
    footers: bool = True,
    narrow_numbers: bool = False,
    rows: dict[int, list] | None = None,
    page_height: float = 297.0,
    scan_page: bool = False,
    extra_prose: int = 0,
    copies: int = 1,
    ruled: bool = True,
) -> bytes:
    """The generated report as a PDF; ``extra_prose`` repeats part one's prose that many times (benchmarks),
    ``copies`` bundles the report that many times in one file, each from a new page."""
    writer = PdfWriter(page_height=page_height, repeat_header=repeat_header, footers=footers, ruled=ruled)
    for copy in range(copies):
        if copy:
            writer.new_page()
        _write_report(writer, narrow_numbers, rows, extra_prose)
    if scan_page:
        writer.scan_page()
    return writer.output()


def _write_report(writer: PdfWriter, narrow_numbers: bool, rows: dict[int, list] | None, extra_prose: int) -> None:
    for p in paragraphs(PROSE_HEAD):
        if p.startswith("二、"):
            for _ in range(extra_prose):
                writer.paragraph(paragraphs(PROSE_HEAD)[-2])
        writer.paragraph(p, indent=not p.startswith(("一、", "二、")) and "年度报告" not in p)
    for n, table in (rows or table_rows()).items():
        if n in HEADS:
            writer.paragraph(HEADS[n], indent=False)
        widths = WIDTHS[n]
        if narrow_numbers and n == 2:
            widths = [161.0, 3.0, 3.0, 3.0]  # "1523" wraps to "152" over "3", "38" to "3" over "8"
        writer.table(PdfTable(table, widths, HEADER_ROWS[n]))
    writer.paragraph("五、存在的主要问题及改进情况", indent=False)
    for p in paragraphs(TAIL):
        writer.paragraph(p, indent=not p.startswith("六、"))
