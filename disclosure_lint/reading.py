"""Stage 1 — read: bytes from disk to text, with the encoding the user's editor actually used.

Reports come from Word, PDF and web pages on Chinese Windows machines, so GB18030 (a superset of GBK and
GB2312) is as common as UTF-8. Binary files are recognised by their magic numbers and refused with a
sentence that says what the file is, rather than decoded into nonsense.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import field
from typing import BinaryIO

from .bilingual import Text
from .errors import InputError
from .limits import MAX_FILE_SIZE
from .records import record
from .regexcode import compile_re

# Reports are 5–40 KB; anything far larger is not a report and would only waste the user's time.
MAX_BYTES = MAX_FILE_SIZE
# What a file is read by once it has more than fstat said (it grew since).
_CHUNK = 1 << 16

_MAGIC: tuple[tuple[bytes, Text], ...] = (
    (b"%PDF", Text("PDF 文件", "a PDF file")),
    (b"PK\x03\x04", Text("ZIP 压缩包（或 .docx/.xlsx）", "a ZIP archive (or .docx/.xlsx)")),
    (b"\x89PNG", Text("PNG 图片", "a PNG image")),
    (b"\xff\xd8\xff", Text("JPEG 图片", "a JPEG image")),
    (b"GIF8", Text("GIF 图片", "a GIF image")),
    (b"\xd0\xcf\x11\xe0", Text("旧版 Word/Excel 文件（.doc/.xls）", "a legacy Word/Excel file (.doc/.xls)")),
    (b"{\\rtf", Text("RTF 文件", "an RTF file")),
    (b"\x1f\x8b", Text("gzip 压缩文件", "a gzip file")),
    (b"Rar!", Text("RAR 压缩包", "a RAR archive")),
    (b"7z\xbc\xaf", Text("7z 压缩包", "a 7z archive")),
)


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, refusing devices, pipes, sockets and files over ``limit``.

    The file is opened without blocking (a FIFO swapped in after the check must not hang the run) and
    checked again through its descriptor; at most ``limit + 1`` bytes are ever read, so a file that grows,
    or a device that never ends, cannot exhaust memory.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError(Text("文件不存在", "file not found"), path=path) from None
    except OSError as exc:
        raise InputError(
            Text(f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}"), path=path
        ) from None
    _require_regular(st, path)
    _require_size(st.st_size, limit, path)
    try:
        fd = open_for_reading(path)
    except PermissionError:
        raise InputError(Text("没有读取该文件的权限", "permission denied"), path=path) from None
    except OSError as exc:
        raise InputError(
            Text(f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}"), path=path
        ) from None
    try:
        st = os.fstat(fd)
        _require_regular(st, path)
        return _read_to_end(fd, limit, st.st_size, path)
    except OSError as exc:
        raise InputError(
            Text(f"无法读取文件：{exc.strerror}", f"cannot read file: {exc.strerror}"), path=path
        ) from None
    finally:
        os.close(fd)


def open_for_reading(path: str) -> int:
    """A descriptor for ``path`` that opening cannot block on (a FIFO put in place after the check)."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))


def _read_to_end(fd: int, limit: int, size: int, path: str) -> bytes:
    """The bytes of the open file ``fd``, refusing it once more than ``limit`` came; ``size`` (what fstat said)
    sizes the first read. (A buffered ``read(limit + 1)`` set aside the whole limit, 50 MB, for every file: most
    of the time it took to read a report.)"""
    chunks: list[bytes] = []
    total = 0
    want = min(limit, size) + 1  # one byte more than expected: a file that grew since is read on
    while chunk := os.read(fd, want):
        chunks.append(chunk)
        total += len(chunk)
        _require_size(total, limit, path)
        want = min(limit + 1 - total, _CHUNK)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bounded(stream: BinaryIO, limit: int, path: str) -> bytes:
    """Read ``stream`` to its end, refusing it once more than ``limit`` bytes came (stdin, /dev/zero)."""
    data = stream.read(limit + 1)
    _require_size(len(data), limit, path)
    return data


def _require_regular(st: os.stat_result, path: str) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise InputError(
            Text(f"“{path}”是目录，不是报告文件", f"'{path}' is a directory, not a report file"), path=path
        )
    kind = special_file_kind(st.st_mode)
    raise InputError(
        Text(f"这是{kind.zh}，不是普通文件，不会读取", f"this is {kind.en}, not a regular file; not read"), path=path
    )


def special_file_kind(mode: int) -> Text:
    """The name of a file that is neither regular nor a directory."""
    if stat.S_ISFIFO(mode):
        return Text("命名管道（FIFO）", "a named pipe (FIFO)")
    if stat.S_ISSOCK(mode):
        return Text("套接字", "a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Text("设备文件", "a device")
    return Text("特殊文件", "a special file")


def _require_size(size: int, limit: int, path: str) -> None:
    if size > limit:
        most = _megabytes(limit)
        raise InputError(
            Text(
                f"文件过大：超过 {most} MB 的上限，不像是一份年度报告；可用 --max-file-size 提高上限",
                f"the file is over the {most} MB limit, too large to be an annual report; "
                "raise the limit with --max-file-size",
            ),
            path=path,
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def read_small_text(path: str | os.PathLike[str], limit: int) -> str:
    """A configuration, rule or baseline file as UTF-8 text: regular files only, at most ``limit`` bytes.

    Raises InputError (the caller names the kind of file) or UnicodeDecodeError.
    """
    return read_bytes(os.fspath(path), limit).decode("utf-8")


def sniff_binary(data: bytes) -> Text | None:
    """Name the kind of a binary file, or None when the bytes may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def decode_prologue(data: bytes, path: str, *, expected: Text) -> tuple[str, str] | None:
    """What every text-like input shares: refuse binary and empty files, honour a byte-order mark.

    Returns (text, encoding) when a BOM decides the encoding, None when the caller must decide.
    ``expected`` names what the file should have been, for the message about a binary file.
    """
    kind = sniff_binary(data)
    if kind:
        raise InputError(Text(f"这是{kind.zh}，不是{expected.zh}", f"this is {kind.en}, not {expected.en}"), path=path)
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16"
    if not data.strip():
        raise InputError(Text("文件为空", "the file is empty"), path=path)
    return None


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode report bytes; returns (text, encoding name). Raises InputError for non-text."""
    decided = decode_prologue(
        data,
        path,
        expected=Text(
            "文本格式的报告；请先另存为 .txt、.md、.html 或 .docx",
            "a text report; save it as .txt, .md, .html or .docx first",
        ),
    )
    if decided is not None:
        return decided
    # UTF-16 without a BOM: every other byte of CJK/ASCII text is NUL.
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
        raise InputError(
            Text(
                "文件含有大量空字节，似乎是二进制文件而不是文本报告",
                "the file contains many NUL bytes; it looks binary, not a text report",
            ),
            path=path,
        )
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, enc
        break
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    raise InputError(
        Text(
            "无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK 文本（可能是二进制文件）",
            "cannot decode the file: it is neither UTF-8 nor GB18030/GBK text (it may be binary)",
        ),
        path=path,
    )


# What a report's characters are: ASCII, Latin-1 punctuation, general punctuation, CJK symbols, CJK
# ideographs and full-width forms. Text decoded with the wrong byte order is mostly something else.
# Kept as text and compiled on first use (by re's cache): compiling these ranges costs milliseconds that
# every run would pay at import, for a check that only BOM-less UTF-16 files need.
_REPORT_CHAR = r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Chinese text saved as UTF-16 without a byte-order mark, or None.

    The NUL-byte test in :func:`decode` misses such files, because CJK characters have no zero byte; but
    the ASCII characters every report has (digits, spaces, line breaks) do, on odd offsets when the
    file is little-endian and even offsets when it is big-endian. The decoding is accepted only when
    nearly every character is one a report would contain, so random bytes are still refused.
    """
    if len(data) % 2 or len(data) < 16 or b"\x00" not in data:
        return None  # (a handful of bytes says nothing about their encoding)
    nul_on_odd = data[1::2].count(0)
    nul_on_even = data[0::2].count(0)
    order = ("utf-16-le", "utf-16-be") if nul_on_odd >= nul_on_even else ("utf-16-be", "utf-16-le")
    for enc in order:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        if _looks_like_text(text) and len(re.findall(_REPORT_CHAR, sample)) >= 0.95 * len(sample):
            return text, enc
    return None


def _strict(data: bytes, enc: str, path: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        raise InputError(
            Text(
                f"文件声明为 {enc} 编码，但第 {exc.start} 字节处内容无效",
                f"the file is marked as {enc} but byte {exc.start} is invalid",
            ),
            path=path,
        ) from None


# C0 controls other than \t \n \v \f \r, and the Private Use Area. One regex scan instead of a Python
# loop over 20,000 characters: this check runs on every file and was a visible share of batch time.
_NOT_TEXT = compile_re(r"[\x00-\x08\x0e-\x1f\ue000-\uf8ff]")


def _looks_like_text(text: str) -> bool:
    """Reject decodings full of control characters (random bytes decode 'successfully' as GB18030)."""
    if not text:
        return False
    sample = text[:20000]
    bad = len(_NOT_TEXT.findall(sample))
    return bad <= max(2, len(sample) // 200)


@record(frozen=True)
class Notice:
    """Something a reader saw that the report's model cannot show: a page whose report is an attachment or a
    picture, a PDF that is a scan. It becomes a :class:`~disclosure_lint.model.Problem` of ``kind``."""

    kind: str
    message: Text
    only_without_tables: bool = False  # worth saying only when no statistics table was read after all


@record
class Rendered:
    """The text the parser reads, and how each of its characters maps back into the user's file.

    Plain-text reports are parsed as they are (``origin`` is None). Web pages and Word documents are
    rendered first: paragraphs become lines, table rows become lines with a tab between cells. Every
    rendered character remembers the offset in ``source_text`` it came from, so a finding on a cell of an
    HTML page points at the line and column of that cell's text in the HTML source.
    """

    text: str
    source_text: str
    origin: list[int] | None = None  # origin[i] = offset in source_text of rendered character i
    input_kind: str = "text"
    encoding: str = "utf-8"
    # For sources without meaningful lines (Word): rendered offset -> "表格 2 第 5 行 第 3 列".
    describe: object = None  # Callable[[int], str] | None; typed loosely to keep dataclass simple
    # For PDF: rendered offset -> (page, (x0, top, x1, bottom)) of the text on the page.
    locate: object = None  # Callable[[int], tuple[int | None, tuple[float, ...] | None]] | None
    notices: list[Notice] = field(default_factory=list)
