"""The tool's own versioned JSON document (``"version": 1``); bump the version on any breaking change."""

from __future__ import annotations

import json

from . import TOOL_NAME, FileResult, RuleMeta, count, ordered

SCHEMA_VERSION = 1


def document(results: list[FileResult], *, tool_version: str = "0.1.0") -> dict[str, object]:
    files = ordered(results)
    entries: list[dict[str, object]] = []
    for r in files:
        entry: dict[str, object] = {"path": r.path}
        if r.error is not None:
            entry["error"] = r.error
        entry["diagnostics"] = [d.to_dict() for d in r.diagnostics]
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
    tool_version: str = "0.1.0",
) -> str:
    return json.dumps(document(results, tool_version=tool_version), ensure_ascii=False, indent=2) + "\n"
