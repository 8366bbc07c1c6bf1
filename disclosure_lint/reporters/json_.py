"""The tool's own versioned JSON document (``"version": 2``); bump the version on any breaking change.

Version 2 added ``files[].report``: what the tool read about the report (title, issuing body, year,
edition, input kind, encoding), null when the file could not be read. ``docs/json-schema.md`` describes
the document and ``docs/report.schema.json`` is its JSON Schema.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from .. import __version__
from . import TOOL_NAME, FileResult, RuleMeta, Style, count, ordered

if TYPE_CHECKING:
    from ..results import RunResult

SCHEMA_VERSION = 2


def document(results: list[FileResult], *, tool_version: str = __version__, lang: str = "zh") -> dict[str, object]:
    files = ordered(results)
    entries: list[dict[str, object]] = []
    for r in files:
        entry: dict[str, object] = {"path": r.path, "report": r.summary.metadata() if r.summary else None}
        if r.error is not None:
            entry["error"] = r.error.resolve(lang)
        entry["diagnostics"] = [d.to_dict(lang) for d in r.diagnostics]
        entries.append(entry)
    c = count(files)
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "files": entries,
        "summary": {
            "files": c.files,
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "unreadable": c.unreadable,
        },
    }


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    return json.dumps(document(results, tool_version=tool_version, lang=lang), ensure_ascii=False, indent=2) + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    """The document, with what the run adds beyond the files: the baseline, the pairing, the skipped files."""
    doc = document(run.files, tool_version=__version__, lang=run.lang)
    doc.update(run.extras())
    out.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
