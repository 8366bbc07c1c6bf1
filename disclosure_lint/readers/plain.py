"""Plain text and Markdown: read as written, in the encoding the person's editor used."""

from __future__ import annotations

from ..bilingual import Text
from ..errors import InputError
from ..reading import Rendered, decode


def render_text(data: bytes, path: str) -> Rendered:
    return _render(data, path, "text")


def render_markdown(data: bytes, path: str) -> Rendered:
    return _render(data, path, "markdown")


def _render(data: bytes, path: str, kind: str) -> Rendered:
    text, encoding = decode(data, path)
    if not text.strip():
        raise InputError(Text("文件没有任何文字内容", "the file has no text content"), path=path)
    return Rendered(text=text, source_text=text, input_kind=kind, encoding=encoding)
