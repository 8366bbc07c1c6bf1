"""Render a Word document (.docx) into the text layout the parser reads.

Paragraphs become lines and table rows become lines with a TAB between cells, in document order. Word
has no lines the user could look up, so instead of an origin map the result carries ``describe``: it
turns an offset in the rendered text into "第 12 段" or "表格 2 第 5 行第 3 列" (and the English).
python-docx is an optional extra, imported only when a .docx file is actually read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from .. import limits
from ..bilingual import Text
from ..errors import InputError, MissingDependencyError
from ..reading import Rendered, sniff_binary
from ..records import record
from .cells import join_cell_pieces

Where = Text  # a place in the document, in words

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
_VAL = _W + "val"
# Wrappers that do not change what is shown: content controls, custom XML, tracked insertions …
_TRANSPARENT_BLOCK = frozenset({_W + "sdt", _W + "sdtContent", _W + "customXml"})
_TRANSPARENT_RUN = frozenset(
    _W + name
    for name in (
        "hyperlink", "ins", "smartTag", "sdt", "sdtContent", "customXml", "fldSimple", "moveTo", "dir", "bdo",
    )
)  # fmt: skip
_START: Where = Text("文档开头", "start of the document")

_INSTALL = 'pip install "disclosure-lint[docx]"'


def render_docx(data: bytes, path: str) -> Rendered:
    """Render a .docx file's body; raises MissingDependencyError without python-docx."""
    try:
        import docx
        from docx.exceptions import PythonDocxError
        from docx.opc.exceptions import OpcError
    except ImportError:
        raise MissingDependencyError(
            Text(
                f"读取 Word 文档（.docx）需要可选组件 python-docx，请运行：{_INSTALL}",
                f"reading Word documents (.docx) needs the optional python-docx package; run: {_INSTALL}",
            ),
            path=path,
        ) from None

    if not data.startswith(b"PK\x03\x04"):
        kind = sniff_binary(data)
        what = kind or Text("不是 ZIP 格式", "not in ZIP format")
        raise InputError(
            Text(
                f"不是有效的 Word 文档（.docx）：文件{'是' if kind else ''}{what.zh}；请在 Word 中另存为 .docx",
                f"not a valid Word document (.docx): the file is {what.en}; save it as .docx in Word",
            ),
            path=path,
        )
    _check_archive(data, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as exc:
        # python-docx refuses other Office files (.xlsx, .pptx, .docm …) with the content type in the text.
        raise InputError(
            Text(
                f"这不是 Word 文档（.docx），或是 Word 无法直接读取的变体：{exc}",
                f"this is not a Word document (.docx), or a variant that cannot be read: {exc}",
            ),
            path=path,
        ) from None
    except (
        zipfile.BadZipFile,
        KeyError,
        SyntaxError,
        OpcError,
        PythonDocxError,
        zlib.error,
        EOFError,
        NotImplementedError,
    ) as exc:  # (zlib, EOF: a damaged compressed part; NotImplementedError: an unknown compression method)
        raise InputError(
            Text(
                f"Word 文档已损坏，无法打开（{type(exc).__name__}）",
                f"the Word document is damaged and cannot be opened ({type(exc).__name__}: {exc})",
            ),
            path=path,
        ) from None

    if getattr(document.element, "body", None) is None or not document.element.tag.startswith(_W):
        # Strict OOXML (ISO 29500 Strict) names every element in another namespace; python-docx reads
        # only the transitional one, so such a file would render as empty.
        raise InputError(
            Text(
                "这是 Strict Open XML 格式的 Word 文档，无法读取；请在 Word 中另存为普通的“Word 文档（.docx）”",
                "this Word document is in Strict Open XML format, which cannot be read; "
                "save it as an ordinary Word Document (.docx) in Word",
            ),
            path=path,
        )
    renderer = _Renderer(_Numbering(document))
    try:
        renderer.blocks(document.element.body, None)
    except (ValueError, PythonDocxError) as exc:
        raise InputError(
            Text(
                f"Word 文档内容结构无效，无法读取（{exc}）",
                f"the Word document's content is malformed and cannot be read ({exc})",
            ),
            path=path,
        ) from None
    text = "".join(renderer.chunks)
    return Rendered(
        text=text,
        source_text=text,
        origin=None,
        input_kind="docx",
        encoding="utf-8",
        describe=renderer.describer(),
    )


def _check_archive(data: bytes, path: str) -> None:
    """Refuse archives that would exhaust memory or time before python-docx inflates them.

    python-docx reads every part whole into memory. The declared sizes in the central directory are
    checked first (a zip bomb is refused at once); zipfile never inflates past a part's declared size
    and checks the CRC at its end, so a part that lies about its size fails as a damaged file instead.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        # (NotImplementedError: a damaged header that names an unknown "zip file version")
        raise InputError(
            Text(
                f"Word 文档已损坏，无法打开（{type(exc).__name__}）",
                f"the Word document is damaged and cannot be opened ({type(exc).__name__}: {exc})",
            ),
            path=path,
        ) from None

    def refuse(reason: Text) -> InputError:
        return InputError(
            Text("Word 文档无法安全读取：", "the Word document cannot be read safely: ") + reason, path=path
        )

    if len(infos) > limits.MAX_ZIP_ENTRIES:
        raise refuse(Text(f"压缩包内有 {len(infos)} 个部件", f"the archive holds {len(infos)} parts"))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(
                Text("文档已加密（受密码保护）；请先在 Word 中取消密码", "it is encrypted; remove the password in Word")
            )
        size = info.file_size
        total += size
        is_xml = info.filename.endswith((".xml", ".rels"))
        if (is_xml and size > limits.MAX_DOCX_XML_SIZE) or size > limits.MAX_ZIP_ENTRY_SIZE:
            raise refuse(
                Text(
                    f"部件 {info.filename} 解压后有 {size // limits.MB} MB，超过上限",
                    f"part {info.filename} inflates to {size // limits.MB} MB, over the limit",
                ),
            )
        if size > limits.MB and size > limits.MAX_ZIP_RATIO * max(1, info.compress_size):
            raise refuse(
                Text(
                    f"部件 {info.filename} 的压缩率异常（疑似“压缩炸弹”）",
                    f"part {info.filename} has an implausible compression ratio (a zip bomb)",
                ),
            )
    if total > limits.MAX_ZIP_TOTAL_SIZE:
        raise refuse(
            Text(f"解压后共 {total // limits.MB} MB，超过上限", f"it inflates to {total // limits.MB} MB in all")
        )


def _children(el: Any, wanted: frozenset[str]) -> Iterator[Any]:
    """Children of ``el`` with a tag in ``wanted``, looking through content controls and custom XML."""
    for child in el:
        tag = child.tag
        if tag in wanted:
            yield child
        elif tag in _TRANSPARENT_BLOCK:
            yield from _children(child, wanted)


def _run_text(el: Any) -> str:
    parts: list[str] = []
    for child in el:
        tag = child.tag
        if tag == _R:
            # python-docx's run element renders w:tab as "\t" and w:br/w:cr as "\n"; deleted text is
            # w:delText (inside w:del, not descended into) and field codes are w:instrText: both left out.
            parts.append(child.text)
        elif tag in _TRANSPARENT_RUN:
            parts.append(_run_text(child))
    return "".join(parts)


class _Renderer:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.chunks: list[str] = []
        self._pos = 0
        self._starts: list[int] = []
        self._wheres: list[Where] = []
        self._paragraphs = 0
        self._tables = 0

    def _emit_line(self, fields: list[tuple[str, Where]]) -> None:
        for i, (text, where) in enumerate(fields):
            if i:
                self.chunks.append("\t")
                self._pos += 1
            self._starts.append(self._pos)
            self._wheres.append(where)
            self.chunks.append(text)
            self._pos += len(text)
        self.chunks.append("\n")
        self._pos += 1

    def _paragraph_text(self, p: Any) -> str:
        return self.numbering.prefix(p) + _run_text(p)

    def blocks(self, container: Any, where: Where | None) -> None:
        for child in _children(container, frozenset({_P, _TBL})):
            if child.tag == _P:
                self._paragraph(child, where)
            else:
                self._table(child, where)

    def _paragraph(self, p: Any, where: Where | None) -> None:
        # A soft line break (Shift+Enter) is a new line on the page, so it is one here too.
        lines = [line.strip(" \t") for line in self._paragraph_text(p).split("\n")]
        lines = [line for line in lines if line and not line.isspace()]
        if not lines:
            return
        if where is None:
            self._paragraphs += 1
            where = Text(f"第 {self._paragraphs} 段", f"paragraph {self._paragraphs}")
        for line in lines:
            self._emit_line([(line, where)])

    def _table(self, tbl: Any, where: Where | None) -> None:
        if where is None:
            self._tables += 1
        number = self._tables
        for r, tr in enumerate(_children(tbl, frozenset({_TR})), 1):
            cells = list(_children(tr, frozenset({_TC})))
            places = [
                where or Text(f"表格 {number} 第 {r} 行第 {c} 列", f"table {number}, row {r}, column {c}")
                for c in range(1, len(cells) + 1)
            ]
            if any(next(tc.iter(_TBL), None) is not None for tc in cells):
                # A table inside a cell cannot live on one line: read the row's cells as blocks instead.
                for tc, place in zip(cells, places, strict=True):
                    self.blocks(tc, place)
                continue
            fields = [(self._cell_text(tc), place) for tc, place in zip(cells, places, strict=True)]
            if any(text for text, _ in fields):
                self._emit_line(fields)

    def _cell_text(self, tc: Any) -> str:
        # The rows below the first of a vertical merge show nothing of their own.
        if tc.vMerge == "continue":
            return ""
        pieces: list[tuple[list[str], list[int]]] = []
        for p in _children(tc, frozenset({_P})):
            for piece in self._paragraph_text(p).replace("\t", " ").split("\n"):
                pieces.append((list(piece), [0] * len(piece)))
        chars, _ = join_cell_pieces(pieces)
        return "".join(chars)

    def describer(self) -> Callable[[int], Where]:
        starts, wheres = self._starts, self._wheres

        def describe(offset: int) -> Where:
            """Where rendered ``offset`` is in the document: a paragraph or a table cell."""
            i = bisect_right(starts, offset) - 1
            return wheres[i] if i >= 0 else _START

        return describe


# --------------------------------------------------------------------------------------------------
# Automatic numbering
#
# Section headings ("一、总体情况") and table labels ("1.属于国家秘密") are often Word list numbering, which
# is not part of the paragraph's text. Without it the parser would not find the sections, so the visible
# number is rebuilt from numbering.xml for the common formats.


@record(frozen=True)
class _Level:
    start: int
    number_format: str
    text: str
    suffix: str
    legal: bool
    style: str | None


_ZH_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _chinese(n: int) -> str:
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _ZH_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz.
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _from_table(table: str, n: int) -> str:
    return table[n - 1] if 1 <= n <= len(table) else str(n)


def _format_number(number_format: str, n: int) -> str:
    if not 0 <= n <= limits.MAX_LIST_NUMBER:
        return str(n)  # a start of 10^11 in letters would be 4 GB of "z"; Word itself stops at 32767
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return _chinese(n)
    if number_format in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    if number_format == "decimalZero":
        return f"{n:02d}"
    if number_format in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _from_table(_CIRCLED, n)
    if number_format == "decimalEnclosedParen":
        return _from_table(_PAREN, n)
    if number_format == "decimalEnclosedFullstop":
        return _from_table(_FULLSTOP, n)
    if number_format == "ideographTraditional":
        return _from_table(_TIANGAN, n)
    if number_format == "lowerLetter":
        return _letters(n)
    if number_format == "upperLetter":
        return _letters(n).upper()
    if number_format == "lowerRoman":
        return _roman(n).lower()
    if number_format == "upperRoman":
        return _roman(n)
    return str(n)


class _Numbering:
    """Counters for Word's automatic list numbering, advanced paragraph by paragraph in document order."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, _Level]] = {}
        self._sequence: dict[str, str] = {}  # numId -> key of the counter set it advances
        self._counters: dict[str, dict[int, int]] = {}
        self._style_num: dict[str, tuple[str | None, int | None]] = {}
        self._style_parent: dict[str, str] = {}
        self._default_style: str | None = None
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError, ValueError):
            return  # a document without lists (or with two numbering parts: ambiguous, so none is used)
        self._read_numbering(root)
        self._read_styles(document.styles.element)

    def _read_numbering(self, root: Any) -> None:
        abstract: dict[str, dict[int, _Level]] = {}
        for an in root.iter(_W + "abstractNum"):
            abstract[an.get(_W + "abstractNumId", "")] = {
                _int(lvl.get(_W + "ilvl"), 0): _read_level(lvl) for lvl in an.iter(_W + "lvl")
            }
        for num in root.iter(_W + "num"):
            num_id = num.get(_W + "numId", "")
            ref = num.find(_W + "abstractNumId")
            abstract_id = ref.get(_VAL, "") if ref is not None else ""
            levels = dict(abstract.get(abstract_id, {}))
            overridden = False
            for override in num.iter(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"), 0)
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _read_level(lvl)
                    overridden = True
                start = override.find(_W + "startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = _Level(
                        _int(start.get(_VAL), old.start), old.number_format, old.text, old.suffix, old.legal, old.style
                    )
                    overridden = True
            self._levels[num_id] = levels
            # Lists that share an abstract definition continue one count, unless one of them restarts.
            self._sequence[num_id] = f"num:{num_id}" if overridden else f"abstract:{abstract_id}"

    def _read_styles(self, styles: Any) -> None:
        for style in styles.iter(_W + "style"):
            if style.get(_W + "type") != "paragraph":
                continue
            style_id = style.get(_W + "styleId", "")
            if style.get(_W + "default") in ("1", "true", "on"):
                self._default_style = style_id
            based = style.find(_W + "basedOn")
            if based is not None:
                self._style_parent[style_id] = based.get(_VAL, "")
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                self._style_num[style_id] = _read_num_pr(num_pr)

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self._style_num:
                return self._style_num[style_id]
            style_id = self._style_parent.get(style_id)
        return None, None

    def prefix(self, p: Any) -> str:
        """The visible number of paragraph ``p`` (with what separates it from the text), or ""."""
        if not self._levels:
            return ""
        style_el = p.find(f"{_W}pPr/{_W}pStyle")
        style_id = style_el.get(_VAL) if style_el is not None else self._default_style
        num_id, ilvl = None, None
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is not None:
            num_id, ilvl = _read_num_pr(num_pr)
        if num_id is None:
            num_id, style_ilvl = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        if num_id is None or num_id == "0" or num_id not in self._levels:
            return ""
        levels = self._levels[num_id]
        if ilvl is None:
            ilvl = next((i for i, lvl in levels.items() if lvl.style and lvl.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None or level.number_format in ("bullet", "none"):
            return ""

        counters = self._counters.setdefault(self._sequence[num_id], {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [i for i in counters if i > ilvl]:
            del counters[deeper]

        text = level.text
        for i in range(9):
            marker = f"%{i + 1}"
            if marker in text:
                lvl = levels.get(i)
                value = counters.get(i, lvl.start if lvl else 1)
                number_format = "decimal" if level.legal or lvl is None else lvl.number_format
                text = text.replace(marker, _format_number(number_format, value))
        if not text:
            return ""
        # Word puts a tab after the number by default; a TAB here would invent a table cell.
        joiner = " " if text[-1].isalnum() and level.suffix != "nothing" else ""
        return text + joiner


def _read_level(lvl: Any) -> _Level:
    def val(name: str) -> str | None:
        el = lvl.find(_W + name)
        return el.get(_VAL) if el is not None else None

    legal = lvl.find(_W + "isLgl")
    return _Level(
        start=_int(val("start"), 0),
        number_format=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        suffix=val("suff") or "tab",
        legal=legal is not None and legal.get(_VAL) not in ("0", "false", "off"),
        style=val("pStyle"),
    )


def _read_num_pr(num_pr: Any) -> tuple[str | None, int | None]:
    num = num_pr.find(_W + "numId")
    lvl = num_pr.find(_W + "ilvl")
    return (
        num.get(_VAL) if num is not None else None,
        _int(lvl.get(_VAL), 0) if lvl is not None else None,
    )
