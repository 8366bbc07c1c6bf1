"""Render a published web page (.html/.htm) into the text layout the parser reads.

Tables become one line per ``<tr>`` with a TAB between cells, everything else one line per block, and
every rendered character keeps the offset in the HTML source it came from, so a finding on a cell points
at that cell's text in the user's file. Only the standard library's tokenizer is used: report pages are
small, and a forgiving tree builder of our own is enough for the tag soup government CMSs produce.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import field
from html.parser import HTMLParser
from typing import SupportsIndex
from urllib.parse import unquote

from .. import limits
from ..bilingual import Text
from ..errors import InputError
from ..reading import Notice, Rendered, decode_prologue
from ..records import record
from ..regexcode import compile_re
from .cells import join_cell_pieces

# --------------------------------------------------------------------------------------------------
# Decoding

_META_CHARSET = compile_re(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Pages labelled GB2312 routinely contain GBK-only characters (e.g. 镕, 喆); GB18030 is a superset of both.
_GB_ALIASES = frozenset({"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "x-euc-cn", "hz-gb-2312"})


def decode_html(data: bytes, path: str) -> tuple[str, str]:
    """Decode a web page; returns (text, encoding name)."""
    decided = decode_prologue(
        data, path, expected=Text("网页；请确认文件扩展名", "a web page; check the file extension")
    )
    if decided is not None:
        return decided

    declared = _declared_charset(data[:4096])
    if declared:
        # A GB label over bytes that are valid UTF-8 is a CMS template that lies: Chinese text in GBK
        # practically never forms valid multi-byte UTF-8, so the bytes are the better witness.
        if declared == "gb18030" and _is_non_ascii_utf8(data):
            return data.decode("utf-8"), "utf-8"
        try:
            return data.decode(declared), declared
        except UnicodeError:  # (also the "undefined" codec, which refuses everything)
            pass  # the label is wrong; the bytes decide below
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError(
        Text(
            "无法识别网页编码：既不是声明的编码，也不是 UTF-8 或 GB18030/GBK",
            "cannot decode the web page: it is neither in its declared encoding nor UTF-8 nor GB18030/GBK",
        ),
        path=path,
    )


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    if label in _GB_ALIASES:
        return "gb18030"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # base64, rot13, zlib, hex … are codecs too, but not text encodings: such a label is as good as none.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _is_non_ascii_utf8(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Tree building

_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    }
)  # fmt: skip
# Elements whose start tag ends an open <p> (HTML's "closes a p element" list, trimmed to what occurs).
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
    }
)  # fmt: skip
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEAD_CONTENT = frozenset({"base", "link", "meta", "noscript", "script", "style", "template", "title"})
_TABLE_SECTIONS = frozenset({"tbody", "thead", "tfoot"})
_MAX_DEPTH = 200
# Table elements may go deeper (a report table inside a page of nested layout), but not without bound:
# every start tag searches the open-element stack, so its depth multiplies the work for each tag.
_MAX_TABLE_DEPTH = 260
_TABLE_STRUCTURE = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"})


@record
class _Text:
    text: str
    origins: list[int] | range


@record
class _Element:
    tag: str
    attrs: dict[str, str]
    start: int  # offset of the "<" of its start tag (for an implied <tr>, of the tag that implied it)
    children: list[_Element | _Text] = field(default_factory=list)


class _OpenElements(list[_Element]):
    """The open-element stack, counting the open elements of each tag so that a search for a tag that is
    not open costs nothing (a page of 10^5 nested <div> otherwise walks the whole stack at every tag)."""

    def __init__(self, items: list[_Element]) -> None:
        super().__init__(items)
        self.counts: dict[str, int] = {}
        for el in items:
            self.counts[el.tag] = self.counts.get(el.tag, 0) + 1

    def append(self, el: _Element) -> None:
        super().append(el)
        self.counts[el.tag] = self.counts.get(el.tag, 0) + 1

    def pop(self, index: SupportsIndex = -1) -> _Element:
        el = super().pop(index)
        self.counts[el.tag] -= 1
        return el

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        for el in self[index] if isinstance(index, slice) else [self[index]]:
            self.counts[el.tag] -= 1
        super().__delitem__(index)


class _Unterminated(Exception):
    """A markup construct that starts after the page's last ">" and so can never be completed."""

    def __init__(self, position: int) -> None:
        super().__init__(position)
        self.position = position


class _TreeBuilder(HTMLParser):
    """Build a forgiving element tree, closing what browsers would close implicitly.

    Unclosed <p>, <li>, <td> and <tr> are the norm on CMS pages, and a stray end tag inside a cell must
    not tear the table apart, so end tags never close anything beyond the cell or table they are in.
    """

    def __init__(self, source: str) -> None:
        # Entities are decoded here rather than by the tokenizer so each one keeps its own offset.
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts = [0]
        # HTMLParser counts lines by "\n" only, so "\r" stays an ordinary column character here too.
        pos = source.find("\n")
        while pos != -1:
            self._line_starts.append(pos + 1)
            pos = source.find("\n", pos + 1)
        self.root = _Element("#root", {}, 0)
        self._stack = _OpenElements([self.root])
        # Every construct the tokenizer starts at "<" ends with ">". Python 3.11's html.parser, at the end
        # of input, retries an unterminated construct at each following "<", scanning to the end each
        # time: '<a ' * 30000 took minutes. A construct after the last ">" is text from there on, at once.
        self._last_gt = source.rfind(">")
        self._closing = False

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _unterminated(self, i: int) -> bool:
        if i < self._last_gt:
            return False
        if self._closing:
            raise _Unterminated(i)
        return True  # while feeding: "wait for more input", which close() then settles

    def parse_starttag(self, i: int) -> int:
        return -1 if self._unterminated(i) else super().parse_starttag(i)

    def parse_endtag(self, i: int) -> int:
        return -1 if self._unterminated(i) else super().parse_endtag(i)

    def parse_comment(self, i: int, report: int = 1) -> int:
        return -1 if self._unterminated(i) else super().parse_comment(i, report)

    def parse_pi(self, i: int) -> int:
        return -1 if self._unterminated(i) else super().parse_pi(i)

    def parse_html_declaration(self, i: int) -> int:
        if self._unterminated(i):
            return -1
        saved = self.lineno, self.offset
        try:
            return super().parse_html_declaration(i)
        except AssertionError:
            # 3.11 asserts on "<![" not followed by CDATA or a known keyword (Word's "<![ endif]>");
            # browsers read any such "<!…>" as a bogus comment, and so does this.
            self.lineno, self.offset = saved
            return self.parse_bogus_comment(i)

    def close(self) -> None:
        self._closing = True
        try:
            super().close()
        except _Unterminated as stop:
            self.handle_data(self.rawdata[stop.position :])
            self.rawdata = ""

    def _find(self, tags: Iterable[str], stop: Iterable[str] = ()) -> int:
        """Index in the open-element stack of the innermost element named in ``tags``, or -1."""
        if not any(self._stack.counts.get(tag) for tag in tags):
            return -1  # (nothing to look for: the common case, answered without walking the stack)
        for i in range(len(self._stack) - 1, 0, -1):
            tag = self._stack[i].tag
            if tag in tags:
                return i
            if tag in stop:
                return -1
        return -1

    def _close_head_if_open(self) -> None:
        i = self._find(("head",))
        if i > 0:
            del self._stack[i:]

    def _text_closes_head(self) -> None:
        # Text in <title> or <style> belongs there; text loose in <head> means the body has begun.
        if self._stack[-1].tag == "head":
            self._stack.pop()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        off = self._offset()
        if tag not in _HEAD_CONTENT:
            self._close_head_if_open()
        if tag in ("td", "th"):
            if not self._open_row(off):
                tag = "div"  # a cell outside any table: show its text as a block
        elif tag == "tr":
            i = self._find(_TABLE_SECTIONS | {"table"})
            if i > 0:
                del self._stack[i + 1 :]
            else:
                tag = "div"
        elif tag in _TABLE_SECTIONS or tag in ("caption", "colgroup"):
            i = self._find(("table",))
            if i > 0:
                del self._stack[i + 1 :]
            else:
                tag = "div"
        elif tag == "li":
            i = self._find(("li",), stop=("ul", "ol", "table", "td", "th"))
            if i > 0:
                del self._stack[i:]
        if tag in _CLOSES_P:
            i = self._find(("p",), stop=("td", "th", "table", "caption", "button"))
            if i > 0:
                del self._stack[i:]
        if tag in _HEADINGS and self._stack[-1].tag in _HEADINGS:
            self._stack.pop()

        el = _Element(tag, {k: v or "" for k, v in attrs}, off)
        self._stack[-1].children.append(el)
        # Pages with thousands of never-closed <font> tags exist; past this depth content stays flat
        # rather than exhausting the recursion limit while rendering.
        depth = len(self._stack)
        if tag not in _VOID and (depth < _MAX_DEPTH or (tag in _TABLE_STRUCTURE and depth < _MAX_TABLE_DEPTH)):
            self._stack.append(el)

    def _open_row(self, off: int) -> bool:
        """Make the innermost open <tr> the current element; invent one if the table lacks it."""
        i = self._find(("tr",), stop=("table",))
        if i > 0:
            del self._stack[i + 1 :]
            return True
        i = self._find(_TABLE_SECTIONS | {"table"})
        if i <= 0:
            return False
        del self._stack[i + 1 :]
        row = _Element("tr", {}, off)
        self._stack[-1].children.append(row)
        self._stack.append(row)
        return True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            if tag == "br":  # browsers read </br> as <br>
                self.handle_starttag("br", [])
            return
        if tag in ("html", "body"):
            return  # text after </body> is still shown by browsers
        if tag == "table":
            stop: tuple[str, ...] = ()
        elif tag in ("td", "th", "tr", "caption", "colgroup") or tag in _TABLE_SECTIONS:
            stop = ("table",)
        else:
            stop = ("td", "th", "table", "caption")
        i = self._find((tag,), stop)
        if i > 0:
            del self._stack[i:]

    def handle_data(self, data: str) -> None:
        off = self._offset()
        if not data.isspace():
            self._text_closes_head()
        self._stack[-1].children.append(_Text(data, range(off, off + len(data))))

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def _reference(self, length: int) -> None:
        """Decode the reference at the current position; each decoded character maps to its "&"."""
        off = self._offset()
        end = off + length
        if self._source.startswith(";", end):
            end += 1
        raw = self._source[off:end]
        try:
            text = html.unescape(raw)
        except ValueError:  # "&#" and thousands of digits: more than int() converts; no such character
            text = "\ufffd"
        # html.unescape reads "&nbsp5" as nbsp + "5": those trailing characters keep their own offsets.
        kept = 0
        while kept < min(len(text), len(raw) - 1) and text[-1 - kept] == raw[-1 - kept]:
            kept += 1
        if text == raw:
            origins: list[int] = list(range(off, end))
        else:
            origins = [off] * (len(text) - kept) + list(range(end - kept, end))
        if text.strip():
            self._text_closes_head()
        self._stack[-1].children.append(_Text(text, origins))


def _parse(source: str) -> _Element:
    builder = _TreeBuilder(source)
    builder.feed(source)
    builder.close()
    return builder.root


# --------------------------------------------------------------------------------------------------
# Rendering

_SKIP = frozenset({"script", "style", "head", "noscript", "title", "template", "select", "textarea"})
_BLOCK = _CLOSES_P | {"body", "br", "caption", "dd", "dt", "html", "legend", "li", "tr", "option"}
_CHROME_WORDS = ("nav", "menu", "footer", "header", "breadcrumb")
# Class names that contain "nav" without being navigation.
_NOT_NAV = compile_re(r"canvas|unavail", re.IGNORECASE)
# Never page chrome, whatever their class says: they hold the document or the report tables.
_NEVER_CHROME = frozenset({"html", "body", "main", "article", "table", "thead", "tbody", "tfoot", "tr", "td", "th"})
# Navigation is link lists; more prose than this is content wearing an unlucky class name.
_CHROME_MAX_PROSE = 500
# A cell with more than this is a page-layout cell, not a report cell (the longest label is ~40 chars).
_LAYOUT_CELL_CHARS = 300
_LAYOUT_CELL_BLOCKS = 8

_HTML_SPACE = " \t\n\r\f"
_ATTACHMENT = compile_re(r"\.(pdf|docx?|wps)(?:$|[?#&])", re.IGNORECASE)
_DECORATIVE_IMG = compile_re(
    r"logo|icon|qrcode|qr[-_]|ewm|erweima|share|banner|spacer|blank\.gif|print|weixin|weibo", re.IGNORECASE
)


class _LineBuf:
    """One line being assembled, with HTML whitespace collapsing (runs become one space, ends trimmed)."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.origins: list[int] = []
        self._space: int | None = None

    def add(self, text: str, origins: list[int] | range, collapse: bool) -> None:
        for ch, o in zip(text, origins, strict=True):
            if collapse and ch in _HTML_SPACE:
                if self._space is None:
                    self._space = o
                continue
            if ch == "\r":
                continue
            if self._space is not None:
                if self.chars:
                    self.chars.append(" ")
                    self.origins.append(self._space)
                self._space = None
            self.chars.append(ch)
            self.origins.append(o)


class _Sink:
    """Where inline text goes: the page's lines, or the pieces of one table cell."""

    def text(self, node: _Text, pre: bool) -> None:
        raise NotImplementedError

    def brk(self) -> None:
        raise NotImplementedError


class _PageSink(_Sink):
    def __init__(self) -> None:
        self.lines: list[tuple[list[str], list[int]]] = []
        self._cur = _LineBuf()

    def text(self, node: _Text, pre: bool) -> None:
        if not pre:
            self._cur.add(node.text, node.origins, collapse=True)
            return
        # Preformatted text keeps its tabs and line breaks: a report pasted into <pre> is already laid out.
        start = 0
        for i, ch in enumerate(node.text):
            if ch == "\n":
                self._cur.add(node.text[start:i], node.origins[start:i], collapse=False)
                self.brk()
                start = i + 1
        self._cur.add(node.text[start:], node.origins[start:], collapse=False)

    def brk(self) -> None:
        cur = self._cur
        if cur.chars and not "".join(cur.chars).isspace():
            self.lines.append((cur.chars, cur.origins))
        self._cur = _LineBuf()

    def row(self, chars: list[str], origins: list[int]) -> None:
        self.brk()
        self.lines.append((chars, origins))


class _CellSink(_Sink):
    def __init__(self) -> None:
        self._pieces = [_LineBuf()]

    def text(self, node: _Text, pre: bool) -> None:
        text = node.text.replace("\t", " ")  # a TAB inside a cell would invent a field
        if pre:
            text = text.replace("\n", " ")
        self._pieces[-1].add(text, node.origins, collapse=True)

    def brk(self) -> None:
        if self._pieces[-1].chars:
            self._pieces.append(_LineBuf())

    def result(self) -> tuple[list[str], list[int]]:
        return join_cell_pieces((p.chars, p.origins) for p in self._pieces)


class _Renderer:
    def __init__(self) -> None:
        self.page = _PageSink()
        self.images: list[_Element] = []
        self.attachments: list[str] = []

    # -- deciding what to drop -----------------------------------------------------------------

    def _skipped(self, el: _Element, in_article: bool) -> bool:
        tag = el.tag
        if tag in _SKIP:
            return True
        if tag in _NEVER_CHROME:
            return False
        if tag == "nav" or (tag in ("header", "footer") and not in_article):
            return _looks_like_chrome(el)
        if tag in ("header", "footer"):
            return False  # an article's own header holds its title (HTML5 sectioning)
        name = f"{el.attrs.get('id', '')} {el.attrs.get('class', '')}"
        if not name.strip():
            return False
        name = _NOT_NAV.sub(" ", name).lower()
        return any(word in name for word in _CHROME_WORDS) and _looks_like_chrome(el)

    # -- walking ---------------------------------------------------------------------------------

    def walk(self, node: _Element, sink: _Sink, pre: bool = False, in_article: bool = False) -> None:
        for child in node.children:
            if isinstance(child, _Text):
                sink.text(child, pre)
                continue
            tag = child.tag
            if self._skipped(child, in_article):
                continue
            if tag == "br":
                sink.brk()
            elif tag == "img":
                self.images.append(child)
            elif tag in ("iframe", "embed", "object"):
                self._note_link(child.attrs.get("src") or child.attrs.get("data") or "")
            elif tag == "table" and isinstance(sink, _PageSink):
                self._table(child, in_article)
            elif tag in _BLOCK or tag in ("table", "td", "th"):
                sink.brk()
                self.walk(child, sink, pre or tag == "pre", in_article or tag in ("article", "main"))
                sink.brk()
            else:
                if tag == "a":
                    self._note_link(child.attrs.get("href", ""))
                self.walk(child, sink, pre, in_article)

    def _note_link(self, url: str) -> None:
        if _ATTACHMENT.search(url):
            name = unquote(url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]) or url
            self.attachments.append(name)

    def _table(self, table: _Element, in_article: bool) -> None:
        page = self.page
        page.brk()
        for item in _table_items(table):
            if isinstance(item, _Text):
                page.text(item, False)
                page.brk()
            elif item.tag != "tr":
                page.brk()
                self.walk(_Element("#wrap", {}, item.start, [item]), page, in_article=in_article)
                page.brk()
            else:
                self._row(item, in_article)
        page.brk()

    def _row(self, tr: _Element, in_article: bool) -> None:
        cells = [c for c in tr.children if isinstance(c, _Element) and c.tag in ("td", "th")]
        if not cells:
            return
        if any(_is_layout_cell(c) for c in cells):
            # A page-layout table (old CMS pages are built from them): its cells are page regions, so
            # their content is read as ordinary blocks, and report tables nested inside keep their rows.
            for cell in cells:
                self.page.brk()
                self.walk(cell, self.page, in_article=in_article)
                self.page.brk()
            return
        chars: list[str] = []
        origins: list[int] = []
        any_content = False
        for i, cell in enumerate(cells):
            if i:
                chars.append("\t")
                origins.append(cell.start)
            sink = _CellSink()
            self.walk(cell, sink, in_article=in_article)
            c_chars, c_origins = sink.result()
            any_content = any_content or bool(c_chars)
            chars.extend(c_chars)
            origins.extend(c_origins)
        if any_content:
            self.page.row(chars, origins)


def _table_items(node: _Element) -> Iterator[_Element | _Text]:
    """The rows of a table in order (through tbody/thead/tfoot), plus anything else that sits in it."""
    for child in node.children:
        if isinstance(child, _Text):
            if not child.text.isspace():
                yield child
        elif child.tag in _TABLE_SECTIONS:
            yield from _table_items(child)
        elif child.tag in ("colgroup", "col"):
            continue
        else:
            yield child


def _iter_elements(node: _Element) -> Iterator[_Element]:
    for child in node.children:
        if isinstance(child, _Element):
            yield child
            yield from _iter_elements(child)


def _text_length(node: _Element, skip_links: bool = False) -> int:
    total = 0
    for child in node.children:
        if isinstance(child, _Text):
            total += sum(1 for ch in child.text if not ch.isspace())
        elif child.tag not in _SKIP and not (skip_links and child.tag == "a"):
            total += _text_length(child, skip_links)
    return total


def _looks_like_chrome(el: _Element) -> bool:
    if any(d.tag == "table" for d in _iter_elements(el)):
        return False
    return _text_length(el, skip_links=True) <= _CHROME_MAX_PROSE


def _is_layout_cell(cell: _Element) -> bool:
    blocks = 0
    for d in _iter_elements(cell):
        if d.tag == "table":
            return True
        if d.tag in _BLOCK:
            blocks += 1
    return blocks > _LAYOUT_CELL_BLOCKS or _text_length(cell) > _LAYOUT_CELL_CHARS


def _render_tree(root: _Element) -> tuple[_Renderer, str, list[int]]:
    renderer = _Renderer()
    renderer.walk(root, renderer.page)
    renderer.page.brk()
    text_parts: list[str] = []
    origin: list[int] = []
    for chars, origins in renderer.page.lines:
        text_parts.append("".join(chars))
        text_parts.append("\n")
        origin.extend(origins)
        origin.append(origins[-1])  # the line break points at the end of the line it closes
    return renderer, "".join(text_parts), origin


def render_html(source_text: str, *, encoding: str = "utf-8") -> Rendered:
    """Render a web page's source into tab-separated text; ``origin`` maps every character back."""
    tags = source_text.count("<")
    if tags > limits.MAX_HTML_TAGS:
        # A report page has a few thousand tags; the tokenizer needs microseconds for each.
        raise InputError(
            Text(
                f"网页含有 {tags} 个标签，超过 {limits.MAX_HTML_TAGS} 的上限，不像是一份年度报告",
                f"the page holds {tags} tags, over the limit of {limits.MAX_HTML_TAGS}; it is not an annual report",
            ),
        )
    renderer, text, origin = _render_tree(_parse(source_text))
    rendered = Rendered(text=text, source_text=source_text, origin=origin, input_kind="html", encoding=encoding)
    # Found while the page is rendered anyway: the page is parsed once, whatever its tables turn out to hold.
    hint = _attachment_hint(renderer, text)
    if hint is not None:
        rendered.notices.append(Notice("attachment-only", hint, only_without_tables=True))
    return rendered


def render(data: bytes, path: str) -> Rendered:
    """The reader's entry point (see :mod:`disclosure_lint.readers`): a saved web page's bytes, rendered."""
    source, encoding = decode_html(data, path)
    return render_html(source, encoding=encoding)


# --------------------------------------------------------------------------------------------------
# Pages that only carry a picture or an attachment

# Labels that only the statistics tables use; prose rarely repeats two of them.
_TABLE_LABELS = (
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "结转下年度继续办理",
    "未经复议直接起诉",
    "第二十条第",
)


def _has_table_content(text: str) -> bool:
    if any(line.count("\t") >= 2 for line in text.splitlines()):
        return True
    squeezed = re.sub(r"\s+", "", text)
    return sum(1 for label in _TABLE_LABELS if label in squeezed) >= 2


def attachment_hint_pair(source_text: str) -> Text | None:
    """The explanation when the page has no tables but an attachment or a picture."""
    renderer, text, _ = _render_tree(_parse(source_text))
    return _attachment_hint(renderer, text)


def _attachment_hint(renderer: _Renderer, text: str) -> Text | None:
    if not (renderer.attachments or renderer.images) or _has_table_content(text):
        return None
    if renderer.attachments:
        names = "、".join(dict.fromkeys(renderer.attachments))
        return Text(
            f"网页正文没有统计表格，报告在附件中（{names}）",
            f"the page has no statistics tables; it links a PDF/Word attachment ({names})",
        )
    if any(not _decorative(img) for img in renderer.images):
        return Text(
            "网页正文没有统计表格，报告正文（或其表格）是图片",
            "the page has no statistics tables; the report body (or its tables) is an image",
        )
    return None


def _decorative(img: _Element) -> bool:
    a = img.attrs
    if _DECORATIVE_IMG.search(" ".join(a.get(k, "") for k in ("src", "alt", "class", "id"))):
        return True
    for dim in ("width", "height"):
        value = a.get(dim, "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 64:
            return True
    return False
