"""The whole reading pipeline for one file: read → render/normalise → lex → parse → model."""

from __future__ import annotations

from .build import build_report
from .limits import MAX_FILE_SIZE
from .model import Problem, Report, Span
from .readers import reader_for
from .reading import Rendered, read_bytes


def render(path: str, data: bytes) -> Rendered:
    """The text the parser reads from ``data``, by the reader the table gives for ``path`` (and the bytes)."""
    return reader_for(path, data).render(data, path)


def render_file(path: str, data: bytes | None = None, *, max_bytes: int = MAX_FILE_SIZE) -> Rendered:
    """The text of the report file ``path`` (or of ``data``, its bytes, when given) as the parser reads it."""
    return render(path, read_bytes(path, max_bytes) if data is None else data)


def load_report(path: str, data: bytes | None = None, *, max_bytes: int = MAX_FILE_SIZE) -> Report:
    """Read one report file into the located model. Raises InputError for files that are not reports."""
    rendered = render_file(path, data, max_bytes=max_bytes)
    report = build_report(rendered, path)
    tables_read = any(t.present for t in report.tables.values())
    for notice in rendered.notices:
        if notice.only_without_tables and tables_read:
            continue
        report.problems.append(Problem(notice.kind, notice.message, report.title_span or Span(1, 1, 1, 1)))
    return report
