"""The whole reading pipeline for one file: read → render/normalise → lex → parse → model."""

from __future__ import annotations

import os

from .bilingual import Text
from .build import build_report
from .errors import InputError
from .limits import MAX_FILE_SIZE
from .model import Problem, Report, Span
from .reading import Rendered, decode, read_bytes

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)
REPORT_SUFFIXES = (*HTML_SUFFIXES, *DOCX_SUFFIXES, *PDF_SUFFIXES, ".txt", ".md", ".markdown", ".text")


def render(path: str, data: bytes) -> Rendered:
    suffix = os.path.splitext(path)[1].lower()
    if suffix in DOCX_SUFFIXES:
        from .readers.docx import render_docx

        return render_docx(data, path)
    if suffix in HTML_SUFFIXES or (suffix not in (".txt", ".md") and _looks_like_html(data)):
        from .readers.html import decode_html, render_html

        source, encoding = decode_html(data, path)
        rendered = render_html(source)
        rendered.encoding = encoding
        return rendered
    text, encoding = decode(data, path)
    if not text.strip():
        raise InputError("文件没有任何文字内容", "the file has no text content", path=path)
    fmt = "markdown" if suffix in (".md", ".markdown") else "text"
    return Rendered(text=text, source_text=text, source_format=fmt, encoding=encoding)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def load_report(path: str, data: bytes | None = None, *, max_bytes: int = MAX_FILE_SIZE) -> Report:
    """Read one report file into the located model. Raises InputError for files that are not reports."""
    if data is None:
        data = read_bytes(path, max_bytes)
    if os.path.splitext(path)[1].lower() in PDF_SUFFIXES:
        return _load_pdf(path, data)
    rendered = render(path, data)
    report = build_report(rendered, path)
    if rendered.source_format == "html" and not any(t.present for t in report.tables.values()):
        # Only pay for the second look at the page when its text holds no table at all.
        from .readers.html import attachment_hint_pair

        hint = attachment_hint_pair(rendered.source_text)
        if hint:
            report.problems.append(Problem("attachment-only", Text(*hint), report.title_span or Span(1, 1, 1, 1)))
    return report


def _load_pdf(path: str, data: bytes) -> Report:
    from .readers.pdf import notes_hint, render_pdf

    rendered, notes = render_pdf(data, path)
    report = build_report(rendered, path)
    hint = notes_hint(notes)
    if hint:
        # A file that is only a scan has nothing else to check: the structure rules stay quiet (S016 says why).
        nothing_read = not notes.text_pages and (notes.scanned_pages or notes.unmapped_pages)
        kind = "scan-only" if nothing_read else "pdf-not-fully-read"
        report.problems.append(Problem(kind, Text(*hint), report.title_span or Span(1, 1, 1, 1)))
    return report
