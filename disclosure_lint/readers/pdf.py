"""Render a PDF report into the text layout the parser reads, from the geometry of its pages.

A PDF has no paragraphs or table cells, only characters, lines and rectangles placed on pages. Tables are
read from their ruling: pdfplumber finds the cell rectangles, and a cell is exactly the characters whose
centre lies inside its rectangle. So a label wrapped over five lines, a number wrapped inside a narrow
cell ("21" over "7" is 217) and a vertical label running down 22 rows are read as a person reads them.
Each table row becomes one line with a TAB between cells, like a Word table: a cell covered by a merged
cell from the row above is an empty field, a cell covered from the left is no field at all.

Text outside tables is grouped into lines by position; a line that runs to the right margin and is
followed by one starting at the left margin is a hard wrap and is joined back into its sentence. Page
numbers ("— 4 —") at the top or bottom of a page are dropped, so a table split over two pages continues
as one table; a header repeated at the top of the second page is read once.

Positions: every rendered field remembers its page and box (PDF points from the top-left corner of the
page, as ``(x0, top, x1, bottom)``), and ``describe`` names it ("第 3 页 表格 2 第 5 行第 3 列").
pdfplumber is an optional extra, imported only when a PDF is actually read.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import field
from typing import Any

from ..bilingual import Text
from ..errors import InputError, MissingDependencyError
from ..reading import Notice, Rendered
from ..records import record
from ..regexcode import compile_re

Box = tuple[float, float, float, float]
Where = Text  # a place in the document, in words

_INSTALL = 'pip install "disclosure-lint[pdf]"'

# A report is 3–40 pages. Beyond these limits the rest is not read (and the S016 finding says so),
# so a 300-page compilation or a hostile file cannot keep the tool busy for minutes.
MAX_PAGES = 80
MAX_SECONDS = 30.0
MAX_PAGE_SECONDS = 5.0  # a real page takes under 0.3 s; pdfminer's memory grows with every second spent
MAX_CHARS_PER_PAGE = 20000
MAX_CELLS_PER_TABLE = 3000  # 表三 has about 250
# A page of text is 10–200 KB of drawing commands; a compressed stream that inflates to more is a bomb.
MAX_PAGE_CONTENT = 8 * 1024 * 1024

# Page numbers printed in the page margin: "- 4 -", "— 4 —", "4", "第 4 页", "第4页 共6页", "4/6".
_PAGE_NUMBER = compile_re(
    r"^[\s\-—–－‒―~～·•]*(?:第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*(?:/\s*\d+)?)[\s\-—–－‒―~～·•]*$"
)
# The title line of a report: where a second report in the same file starts.
_TITLE = compile_re(r"(?:19|20)\d\d\s*年(?:度)?.{0,30}?(?:政府)?信息公开.{0,12}?年度?报告")
# A line that starts a heading or a numbered item: never the tail of the sentence above it.
_HEADING_START = compile_re(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．]|附件)")
_SENTENCE_END = "。！？；：”』」）)"


def _compat_table() -> dict[int, str]:
    """Kangxi radicals and compatibility ideographs to the ideographs they look like.

    PDF producers often map glyphs such as 一 and 二 to the Kangxi radicals ⼀ (U+2F00) and ⼆ (U+2F06),
    which look the same but would never match a heading or a row label.
    """
    import unicodedata

    table: dict[int, str] = {}
    for start, end in ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF)):
        for cp in range(start, end + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if len(folded) == 1 and "\u4e00" <= folded <= "\u9fff":
                table[cp] = folded
    return table


_COMPAT = _compat_table()
# pdfminer writes a glyph it cannot map to a character as "(cid:123)".
_UNMAPPED = "(cid:"


def _is_cjk(ch: str) -> bool:
    # CJK ideographs, CJK punctuation and full-width forms: no space is ever written between them.
    return ch >= "\u2e80"


def _label_number_boundary(left: str, right: str) -> bool:
    return (_is_cjk(left) and right.isdecimal()) or (left.isdecimal() and _is_cjk(right))


def _joiner(left: str, right: str) -> str:
    """What stands between two pieces of text that were on separate lines: nothing or one space."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    numeric = (a.isdecimal() or a in ".,") and (b.isdecimal() or b in ".,")  # "12." over "35" is 12.35
    if numeric or _is_cjk(a) or _is_cjk(b) or a in "-/" or b in "%％":
        return ""
    return " "


@record
class _Line:
    """Characters on one text line: text, where it lies, and the size of its characters."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float

    @property
    def box(self) -> Box:
        return (round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1))


def _lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    """Group characters into lines (top to bottom) and each line's characters left to right."""
    chars = sorted(chars, key=lambda c: (c["top"], c["x0"]))
    groups: list[list[dict[str, Any]]] = []
    for c in chars:
        size = max(float(c.get("size") or 0), 1.0)
        if groups:
            first = groups[-1][0]
            if c["top"] - first["top"] <= 0.5 * size:
                groups[-1].append(c)
                continue
        groups.append([c])
    out = []
    for group in groups:
        group.sort(key=lambda c: c["x0"])
        text: list[str] = []
        prev: dict[str, Any] | None = None
        for c in group:
            ch = c["text"].translate(_COMPAT)
            if prev is not None:
                gap = c["x0"] - prev["x1"]
                size = max(float(c.get("size") or 0), 1.0)
                # A gap of several characters separates the columns of a table drawn without lines; so
                # does a smaller one between a label and a number (prose writes "2023年" with none).
                if gap > 1.5 * size or (gap > 0.6 * size and text and _label_number_boundary(text[-1], ch)):
                    text.append("\t")
                # Justified Chinese text spreads characters apart; only Latin words need the space back.
                elif gap > 0.25 * size and text and text[-1] != " " and not (_is_cjk(ch) or _is_cjk(text[-1])):
                    text.append(" ")
            text.append(ch)
            prev = c
        line_text = re.sub(r"[ \u00a0\u3000]+", " ", "".join(text)).strip(" ")
        line_text = re.sub(r" ?\t ?", "\t", line_text).strip("\t")
        if not line_text:
            continue
        out.append(
            _Line(
                line_text,
                page,
                min(c["x0"] for c in group),
                min(c["top"] for c in group),
                max(c["x1"] for c in group),
                max(c["bottom"] for c in group),
                max(float(c.get("size") or 0) for c in group) or 10.0,
            )
        )
    return out


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """The text of one cell: its lines joined, without a space inside Chinese text or a wrapped number."""
    text = ""
    for line in _lines(chars, 0):
        piece = line.text.replace("\t", " ")
        text += _joiner(text, piece) + piece
    return text


@record
class _TableRow:
    fields: list[tuple[str, Box]]


@record
class _Grid:
    """One table found on a page: its rows of fields, and where it lies."""

    top: float
    bottom: float
    x0: float
    x1: float
    rows: list[_TableRow] = field(default_factory=list)
    # Rows that are one cell as wide as the table hold text, not data: they are read as lines of prose.
    prose: dict[int, list[_Line]] = field(default_factory=dict)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 1.5


def _grid(table: Any, chars: list[dict[str, Any]], page: int) -> _Grid:
    x0, top, x1, bottom = table.bbox
    grid = _Grid(top, bottom, x0, x1)
    cells: list[Box] = [tuple(c) for c in table.cells]
    row_tops = sorted({round(c[1], 1) for c in cells})
    col_lefts = sorted({round(c[0], 1) for c in cells})
    # Which cell covers each (row, column) slot of the grid.
    cover: dict[tuple[int, int], int] = {}
    for k, (cx0, ctop, cx1, cbottom) in enumerate(cells):
        rows = range(bisect_right(row_tops, ctop - 1.5), bisect_left(row_tops, cbottom - 1.5))
        cols = range(bisect_right(col_lefts, cx0 - 1.5), bisect_left(col_lefts, cx1 - 1.5))
        for r in rows:
            for c in cols:
                cover[(r, c)] = k
    # A slot no rectangle covers (a ruling line missing, often where a table breaks across pages) still
    # holds what is printed there: consecutive such slots of a row become one cell of their own.
    virtual: set[int] = set()
    edges_x = [*col_lefts, x1]
    edges_y = [*row_tops, bottom]
    for r in range(len(row_tops)):
        c = 0
        while c < len(col_lefts):
            if (r, c) in cover:
                c += 1
                continue
            end = c
            while end + 1 < len(col_lefts) and (r, end + 1) not in cover:
                end += 1
            virtual.add(len(cells))
            cells.append((edges_x[c], edges_y[r], edges_x[end + 1], edges_y[r + 1]))
            for slot in range(c, end + 1):
                cover[(r, slot)] = len(cells) - 1
            c = end + 1
    contents: dict[int, list[dict[str, Any]]] = {}
    for ch in chars:
        # Hanging punctuation may stick out of the table's frame: it belongs to the nearest cell.
        cx = min(max((ch["x0"] + ch["x1"]) / 2, x0 + 0.1), x1 - 0.1)
        cy = (ch["top"] + ch["bottom"]) / 2
        r = bisect_right(row_tops, cy) - 1
        c = bisect_right(col_lefts, cx) - 1
        k = cover.get((r, c))
        if k is not None:
            bx0, btop, bx1, bbottom = cells[k]
            if bx0 <= cx <= bx1 and btop <= cy <= bbottom:
                contents.setdefault(k, []).append(ch)
    for r, y in enumerate(row_tops):
        fields: list[tuple[str, Box]] = []
        starts_here: list[int] = []
        for c, x in enumerate(col_lefts):
            k = cover.get((r, c))
            if k is None:
                continue
            box = cells[k]
            if not _close(box[0], x):
                continue  # covered by a cell merged from the left
            if k in virtual and k not in contents:
                continue
            box_r = (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))
            if _close(box[1], y):
                starts_here.append(k)
                fields.append((_cell_text(contents.get(k, [])), box_r))
            else:
                fields.append(("", box_r))  # covered by a cell merged from above
        if not starts_here:
            continue
        if len(fields) == 1 and len(starts_here) == 1:
            k = starts_here[0]
            if cells[k][2] - cells[k][0] >= 0.9 * (x1 - x0):
                lines = _lines(contents.get(k, []), page)
                if lines:
                    grid.prose[len(grid.rows)] = lines
                    grid.rows.append(_TableRow([]))
                continue
        if any(text for text, _ in fields):
            grid.rows.append(_TableRow(fields))
    return grid


@record
class _Segment:
    start: int
    page: int
    box: Box | None
    where: Where
    cell: tuple[int, int, int] | None = None  # (table, row, column) for a table cell


@record
class _Output:
    chunks: list[str] = field(default_factory=list)
    pos: int = 0
    segments: list[_Segment] = field(default_factory=list)

    def put(
        self, text: str, page: int, box: Box | None, where: Where, cell: tuple[int, int, int] | None = None
    ) -> None:
        self.segments.append(_Segment(self.pos, page, box, where, cell))
        self.chunks.append(text)
        self.pos += len(text)

    def raw(self, text: str) -> None:
        self.chunks.append(text)
        self.pos += len(text)


@record
class PdfNotes:
    """What the reader could not read, for the S016 finding: pages without text, pages left unread."""

    scanned_pages: list[int] = field(default_factory=list)
    unmapped_pages: list[int] = field(default_factory=list)  # text whose glyphs have no character codes
    unread_from: int | None = None  # first page not read because of the page or time limit
    next_report_page: int | None = None  # first page of a second report bundled in the same file
    pages: int = 0
    text_pages: int = 0
    reading: int = 0  # the page being read (where a timeout struck)


class _Renderer:
    def __init__(self) -> None:
        self.out = _Output()
        self.pending: list[_Line] = []  # the prose line being built (hard wraps joined)
        self.margins: dict[int, tuple[float, float]] = {}
        self.tables = 0
        self.table_rows = 0  # rows emitted of the current table, for "第 n 行"
        self.header: list[list[str]] = []  # the first rows of the current table, to drop a repeated header
        self.last_was_table = False
        self.seen_table = False
        self.table_text: dict[int, list[str]] = {}  # the cells of each table, to tell 表二, 表三 and 表四

    def table_names(self) -> dict[int, Text]:
        """表二/表三/表四 for the tables whose cells say which they are (the first of each)."""
        names: dict[int, Text] = {}
        for n, texts in sorted(self.table_text.items()):
            joined = "".join("".join(texts).split())
            if "本年新收" in joined or "本年度办理结果" in joined:
                name = Text("表三", "table three")
            elif "行政复议" in joined and "行政诉讼" in joined:
                name = Text("表四", "table four")
            elif "第二十条" in joined or "行政许可" in joined:
                name = Text("表二", "table two")
            else:
                continue
            if name not in names.values():
                names[n] = name
        return names

    # -- prose -------------------------------------------------------------------------------------

    def _continues(self, prev: _Line, line: _Line) -> bool:
        """Is ``line`` the rest of the sentence on ``prev`` (a hard wrap), not a new paragraph?"""
        _, right = self.margins[prev.page]
        left, _ = self.margins[line.page]
        if prev.x1 < right - 1.5 * prev.size or line.x0 > left + 0.5 * line.size:
            return False
        if "\t" in prev.text or "\t" in line.text:
            return False  # a row of a table drawn without lines
        return not (prev.text[-1] in _SENTENCE_END and _HEADING_START.match(line.text))

    def prose(self, line: _Line) -> None:
        if self.pending and not self._continues(self.pending[-1], line):
            self.flush()
        self.pending.append(line)
        self.last_was_table = False

    def flush(self) -> None:
        if not self.pending:
            return
        text = ""
        for line in self.pending:
            piece = _joiner(text, line.text) + line.text
            self.out.put(piece, line.page, line.box, Text(f"第 {line.page} 页", f"page {line.page}"))
            text += piece
        self.out.raw("\n")
        self.pending = []

    # -- tables ------------------------------------------------------------------------------------

    def table(self, grid: _Grid, page: int, continued: bool) -> None:
        # Frames around prose are tables to pdfplumber: a table is counted at its first row of cells.
        counted = continued
        skipping_header = continued and bool(self.header)
        for i, row in enumerate(grid.rows):
            if i in grid.prose:
                skipping_header = False
                for line in grid.prose[i]:
                    self.prose(line)
                continue
            self.flush()
            if not counted:
                counted = True
                self.tables += 1
                self.table_rows = 0
                self.header = []
            texts = [text for text, _ in row.fields]
            if skipping_header and i < len(self.header) and texts == self.header[i]:
                continue  # the table's header, printed again at the top of the next page
            skipping_header = False
            if len(self.header) < 4 and self.table_rows == len(self.header):
                self.header.append(texts)
            self.table_rows += 1
            n, r = self.tables, self.table_rows
            for c, (text, box) in enumerate(row.fields, 1):
                if c > 1:
                    self.out.raw("\t")
                where = Text(
                    f"第 {page} 页 表格 {n} 第 {r} 行第 {c} 列", f"page {page}, table {n}, row {r}, column {c}"
                )
                self.out.put(text, page, box, where, (n, r, c))
                self.table_text.setdefault(n, []).append(text)
            self.out.raw("\n")
        data_rows = len(grid.rows) - len(grid.prose)
        if data_rows:
            # A table may end its page with a caption row of its next block (表二's 第二十条第（六）项):
            # the table still runs on to the next page.
            self.last_was_table = True
            self.seen_table = True


def _page_items(page: Any, number: int, chars: list[dict[str, Any]]) -> list[tuple[float, object]]:
    """The tables and prose lines of one page, top to bottom, page numbers in the margins left out."""
    tables = page.find_tables()
    grids: list[_Grid] = []
    outside = chars
    for table in tables:
        if len(table.cells) > MAX_CELLS_PER_TABLE:
            continue  # a mesh of lines, not a report table: what is printed there is read as text
        x0, top, x1, bottom = table.bbox
        inside = [c for c in outside if _inside(c, x0, top, x1, bottom)]
        if not inside:
            continue
        ids = {id(c) for c in inside}
        outside = [c for c in outside if id(c) not in ids]
        grids.append(_grid(table, inside, number))
    height = float(page.height)
    items: list[tuple[float, object]] = []
    for line in _lines(outside, number):
        in_margin = line.top > 0.85 * height or line.bottom < 0.12 * height
        if in_margin and _PAGE_NUMBER.match(line.text):
            continue
        items.append((line.top, line))
    items.extend((grid.top, grid) for grid in grids)
    items.sort(key=lambda item: item[0])
    return items


def _inside(c: dict[str, Any], x0: float, top: float, x1: float, bottom: float) -> bool:
    # Half a character of slack sideways: punctuation hangs into the margin at the end of a line.
    slack = 0.5 * float(c.get("size") or 0)
    return x0 - slack <= (c["x0"] + c["x1"]) / 2 <= x1 + slack and top <= (c["top"] + c["bottom"]) / 2 <= bottom


def _margins(items: list[tuple[float, object]]) -> tuple[float, float] | None:
    lines: list[_Line] = [x for _, x in items if isinstance(x, _Line)]
    for _, x in items:
        if isinstance(x, _Grid):
            for row_lines in x.prose.values():
                lines.extend(row_lines)
    long_lines = [line for line in lines if len(line.text) >= 8] or lines
    if not long_lines:
        return None
    return min(line.x0 for line in long_lines), max(line.x1 for line in long_lines)


def _open(data: bytes, path: str) -> Any:
    try:
        import pdfplumber
    except ImportError:
        raise MissingDependencyError(
            Text(
                f"读取 PDF 文件需要可选组件 pdfplumber，请运行：{_INSTALL}",
                f"reading PDF files needs the optional pdfplumber package; run: {_INSTALL}",
            ),
            path=path,
        ) from None
    import io
    import logging

    # pdfminer logs every oddity of a file (missing font boxes, bad xref entries) as warnings; the user
    # gets one clear message from us instead, or nothing when the file could be read.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].find(b"%PDF") >= 0:
        raise InputError(
            Text("不是有效的 PDF 文件：文件开头没有 %PDF 标记", "not a valid PDF file: it does not start with %PDF"),
            path=path,
        )
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise _damaged(exc, path) from None
    return pdf


def _damaged(exc: BaseException, path: str) -> InputError:
    name = type(exc).__name__
    text = f"{name} {exc}".lower()
    if "password" in text or "encrypt" in text:
        return InputError(
            Text(
                "PDF 文件已加密（需要密码才能打开），无法读取；请提供未加密的文件",
                "the PDF file is encrypted (it needs a password to open) and cannot be read; "
                "provide an unencrypted copy",
            ),
            path=path,
        )
    return InputError(
        Text(
            f"PDF 文件已损坏或不完整，无法读取（{name}）",
            f"the PDF file is damaged or incomplete and cannot be read ({name}: {exc})",
        ),
        path=path,
    )


class _OutOfTime(BaseException):  # not an Exception: pdfminer catches those
    """Raised by the alarm when one page takes longer than the whole file may."""


_ALARM_REPEAT_SECONDS = 0.2


class _Alarm:
    """Interrupts a page that never ends (forms drawing forms a million times).

    Between pages the loop checks the clock itself; inside pdfminer only a signal can stop it. Signals
    exist only in the main thread of a process on Unix, which is where the CLI and its workers run;
    elsewhere only the checks between pages apply.
    """

    def __init__(self) -> None:
        self.usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def arm(self, seconds: float) -> None:
        if self.usable:
            # Repeating until disarmed: an alarm that lands where Python ignores exceptions (a finaliser
            # the garbage collector runs) would otherwise leave the page running, and its memory growing.
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01), _ALARM_REPEAT_SECONDS)

    @contextmanager
    def installed(self) -> Iterator[_Alarm]:
        if not self.usable:
            yield self
            return

        def expire(signum: int, frame: object) -> None:
            raise _OutOfTime

        previous = signal.signal(signal.SIGALRM, expire)
        try:
            yield self
        finally:
            while True:
                try:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                    signal.signal(signal.SIGALRM, previous)
                    break
                except _OutOfTime:  # a repeat that fired during the clean-up itself: clean up again
                    continue


def render_pdf(data: bytes, path: str) -> tuple[Rendered, PdfNotes]:
    """Render a PDF's pages; raises MissingDependencyError without pdfplumber, InputError when unreadable."""
    pdf = _open(data, path)
    notes = PdfNotes()
    renderer = _Renderer()
    try:
        with _Alarm().installed() as alarm:
            _read_pages(pdf, path, notes, renderer, alarm)
    except _OutOfTime:
        notes.unread_from = notes.unread_from or notes.reading or 1
    renderer.flush()
    return _rendered(renderer), notes


def render(data: bytes, path: str) -> Rendered:
    """The reader's entry point (see :mod:`disclosure_lint.readers`): the pages, and what of them was not read."""
    rendered, notes = render_pdf(data, path)
    hint = notes_hint(notes)
    if hint:
        # A file that is only a scan has nothing else to check: the structure rules stay quiet (S016 says why).
        nothing_read = not notes.text_pages and (notes.scanned_pages or notes.unmapped_pages)
        rendered.notices.append(Notice("scan-only" if nothing_read else "pdf-not-fully-read", hint))
    return rendered


def _read_pages(pdf: Any, path: str, notes: PdfNotes, renderer: _Renderer, alarm: _Alarm) -> None:
    started = time.monotonic()
    try:
        # Not ``with pdf``: pdfplumber's close() builds every page of the file to close it; each page read
        # here is closed as soon as it is read, and the in-memory file needs no closing.
        notes.pages = _page_count(pdf)
        for number, page in enumerate(_pages(pdf), 1):
            if number > MAX_PAGES or time.monotonic() - started > MAX_SECONDS:
                notes.unread_from = number
                break
            notes.reading = number
            alarm.arm(min(MAX_PAGE_SECONDS, MAX_SECONDS - (time.monotonic() - started)))
            try:
                _check_content_size(page, number, path)
                chars = [c for c in page.chars if c["text"] and not c["text"].isspace()]
                if len(chars) > MAX_CHARS_PER_PAGE:
                    chars = chars[:MAX_CHARS_PER_PAGE]
                if chars and sum(c["text"].startswith(_UNMAPPED) for c in chars) > 0.3 * len(chars):
                    notes.unmapped_pages.append(number)  # reading it would give nonsense, not a report
                    continue
                items = _page_items(page, number, chars) if chars else []
                if not items:
                    # Nothing but a picture (and perhaps a page number): a scanned page.
                    if page.images:
                        notes.scanned_pages.append(number)
                    continue
                notes.text_pages += 1
            except (InputError, MissingDependencyError, _OutOfTime):
                raise
            except Exception as exc:  # a damaged content stream on this page
                raise _damaged(exc, path) from None
            finally:
                page.close()
            margins = _margins(items)
            if margins:
                renderer.margins[number] = margins
            if _second_report(renderer, items):
                notes.next_report_page = number
                break
            for k, (_, item) in enumerate(items):
                if isinstance(item, _Line):
                    renderer.prose(item)
                else:
                    assert isinstance(item, _Grid)
                    renderer.table(item, number, continued=k == 0 and renderer.last_was_table)
    except (InputError, _OutOfTime):
        raise
    except Exception as exc:
        raise _damaged(exc, path) from None


def _rendered(renderer: _Renderer) -> Rendered:
    out = renderer.out
    text = "".join(out.chunks)
    starts = [s.start for s in out.segments]
    segments = out.segments

    def segment(offset: int) -> _Segment | None:
        i = bisect_right(starts, offset) - 1
        return segments[i] if i >= 0 else None

    names = renderer.table_names()

    def describe(offset: int) -> Where:
        s = segment(offset)
        if s is None:
            return Text("第 1 页", "page 1")
        if s.cell and s.cell[0] in names:
            n, r, c = s.cell
            name = names[n]
            return Text(
                f"第 {s.page} 页 {name.zh} 第 {r} 行第 {c} 列", f"page {s.page}, {name.en}, row {r}, column {c}"
            )
        return s.where

    def locate(offset: int) -> tuple[int | None, Box | None]:
        s = segment(offset)
        return (s.page, s.box) if s else (None, None)

    rendered = Rendered(text=text, source_text=text, origin=None, input_kind="pdf", encoding="utf-8")
    rendered.describe = describe
    rendered.locate = locate
    return rendered


def _pages(pdf: Any) -> Iterator[Any]:
    """The pages one by one. (``pdf.pages`` builds every page of the file first: minutes for 100,000.)"""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    doctop = 0.0
    for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), 1):
        page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
        doctop += float(page.height)
        yield page


def _page_count(pdf: Any) -> int:
    """The page count the file declares (0 when it declares none)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"]).get("Count"))
    except Exception:  # a damaged page tree: the pages themselves will say so
        return 0
    return count if isinstance(count, int) and count >= 0 else 0


def _check_content_size(page: Any, number: int, path: str) -> None:
    """Refuse a page whose drawing commands inflate beyond any real page, before pdfminer inflates them."""
    import zlib

    contents = page.page_obj.contents or []
    total = 0
    for stream in contents if isinstance(contents, list) else [contents]:
        raw = getattr(stream, "rawdata", None)
        if raw is None:
            total += len(getattr(stream, "data", b"") or b"")
            continue
        names = [str(getattr(f, "name", f)) for f, _ in stream.get_filters()]
        if names in (["FlateDecode"], ["Fl"]):
            try:
                total += len(zlib.decompressobj().decompress(raw, MAX_PAGE_CONTENT + 1))
            except zlib.error:
                total += len(raw)  # pdfminer reports the damage in its own way
        else:
            total += len(raw)
        if total > MAX_PAGE_CONTENT:
            raise InputError(
                Text(
                    f"PDF 第 {number} 页的内容异常庞大（解压后超过 {MAX_PAGE_CONTENT // (1024 * 1024)} MB），"
                    "不像是报告页面，已停止读取",
                    f"page {number} of the PDF is abnormally large (over {MAX_PAGE_CONTENT // (1024 * 1024)} MB "
                    "of drawing commands once inflated); it is not a report page and reading stopped",
                ),
                path=path,
            )


def _second_report(renderer: _Renderer, items: Iterable[tuple[float, object]]) -> bool:
    """Does this page start a second report (a title line at its top after the tables of the first)?"""
    if not renderer.seen_table:
        return False
    for _, item in list(items)[:3]:
        if isinstance(item, _Line) and len(item.text) <= 60 and _TITLE.search(item.text):
            return True
    return False


def notes_hint(notes: PdfNotes) -> Text | None:
    """What was not read, or None when everything was."""
    parts: list[Text] = []
    scanned, unmapped = _page_list(notes.scanned_pages), _page_list(notes.unmapped_pages)
    if notes.scanned_pages and not notes.text_pages and not notes.unmapped_pages:
        parts.append(
            Text(
                "整个文件是扫描图片，没有文字层，无法核对；请提供由 Word/WPS 直接导出的 PDF 或原文档",
                "the whole file is a scanned image with no text layer and cannot be checked; "
                "provide a PDF exported from Word/WPS or the original document",
            )
        )
    elif notes.scanned_pages:
        parts.append(
            Text(
                f"第 {scanned} 页是扫描图片，没有文字层，其中的内容无法核对；请提供由 Word/WPS 直接导出的 PDF",
                f"page(s) {scanned} are scanned images with no text layer and cannot be checked; "
                "provide a PDF exported from Word/WPS",
            )
        )
    if notes.unmapped_pages:
        parts.append(
            Text(
                f"第 {unmapped} 页的文字无法提取（字体没有文字编码），其中的内容无法核对；请用 Word/WPS 重新导出 PDF",
                f"the text of page(s) {unmapped} cannot be extracted (its fonts have no character codes) and cannot "
                "be checked; export the PDF again from Word/WPS",
            )
        )
    if notes.unread_from:
        parts.append(
            Text(
                f"文件共 {notes.pages} 页，超出读取上限（页数或时间），从第 {notes.unread_from} 页起未读取",
                f"the file has {notes.pages} pages, beyond the reading limit; pages from {notes.unread_from} on "
                "were not read",
            )
        )
    if notes.next_report_page:
        parts.append(
            Text(
                f"第 {notes.next_report_page} 页起是另一份报告，未检查；请将每份报告分别保存为一个文件",
                f"another report starts on page {notes.next_report_page} and was not checked; "
                "save each report as its own file",
            )
        )
    if not parts:
        return None
    return Text("；", "; ").join(parts)


def _page_list(pages: list[int]) -> str:
    shown = ", ".join(str(p) for p in pages[:10])
    return shown + (" …" if len(pages) > 10 else "")


__all__ = ["MAX_PAGES", "PdfNotes", "notes_hint", "render", "render_pdf"]
