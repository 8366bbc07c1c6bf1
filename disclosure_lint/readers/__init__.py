"""The inputs the tool reads: one table of readers, consulted by everything that asks "is this a report, and how
is it read?".

A reader turns a file's bytes into :class:`~disclosure_lint.reading.Rendered`: the text the parser reads and the
way back to the person's file. Finding the reports in a folder, ``load_report``, ``--stdin-filename`` and the
reporters' question "are this file's lines markup?" (through the summary of each result) all come from
:data:`READERS`. A new input is one module in this package with a ``render(data, path)`` function and one row
in the table.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable

from ..reading import Rendered
from ..records import record


@record(frozen=True)
class Reader:
    kind: str  # the source kind: Report.input_kind, the JSON "input_kind"
    suffixes: tuple[str, ...]  # lower case, with the dot: files named so are this kind, and are found in folders
    entry: str  # "module:function" in this package; imported on first use (python-docx, pdfplumber are extras)
    # The file's own lines are markup, or it has none: a finding names the table cell instead of showing a line.
    markup: bool = False
    # Recognises this kind in bytes whose name says nothing (stdin, an unknown suffix).
    sniff: Callable[[bytes], bool] | None = None

    def render(self, data: bytes, path: str) -> Rendered:
        module, _, function = self.entry.partition(":")
        renderer: Callable[[bytes, str], Rendered] = getattr(importlib.import_module(f"{__name__}.{module}"), function)
        return renderer(data, path)


def _looks_like_html(data: bytes) -> bool:
    # Here rather than in .html, so that asking does not import the web-page reader.
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


TEXT = Reader("text", (".txt", ".text"), "plain:render_text")
READERS: tuple[Reader, ...] = (
    TEXT,
    Reader("markdown", (".md", ".markdown"), "plain:render_markdown"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml"), "html:render", markup=True, sniff=_looks_like_html),
    Reader("docx", (".docx",), "docx:render_docx", markup=True),
    Reader("pdf", (".pdf",), "pdf:render"),
)
# Every suffix a report may have, in the table's order (directory walks, the "no report files" message).
SUFFIXES: tuple[str, ...] = tuple(s for r in READERS for s in r.suffixes)
_BY_SUFFIX = {s: r for r in READERS for s in r.suffixes}
_BY_KIND = {r.kind: r for r in READERS}


def reader_for(path: str, data: bytes = b"") -> Reader:
    """The reader for ``path``: by its suffix, else by what ``data`` looks like, else plain text."""
    by_suffix = _BY_SUFFIX.get(os.path.splitext(path)[1].lower())
    if by_suffix is not None:
        return by_suffix
    return next((r for r in READERS if r.sniff is not None and r.sniff(data)), TEXT)


def source_is_markup(kind: str) -> bool:
    """Are the lines of a source of this kind markup (a web page) or absent (Word), rather than the report's text?"""
    reader = _BY_KIND.get(kind)
    return reader is not None and reader.markup
