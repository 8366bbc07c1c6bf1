"""SARIF 2.1.0 (OASIS), as read by GitHub code scanning and most SARIF viewers.

All files go into one run so that a viewer shows one tool invocation; files that could not be read
become tool execution notifications rather than results, because they are failures of the tool's
input, not findings about a report.
"""

from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..bilingual import resolve
from ..diagnostics import Diagnostic, Related, Severity
from ..model import Span
from . import (
    INFORMATION_URI,
    TOOL_NAME,
    FileResult,
    RuleMeta,
    Style,
    fallback_key,
    located_message,
    ordered,
    path_uri,
    render_run,
    write_text,
)

if TYPE_CHECKING:
    from ..results import RunResult

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# Versioned so that a future change in how keys are built can be told apart by consumers.
FINGERPRINT_NAME = "disclosureLintKey/v1"

_LEVELS = {"error": "error", "warning": "warning", "info": "note", "note": "note"}


def level(severity: str | Severity) -> str:
    value = severity.value if isinstance(severity, Severity) else severity
    return _LEVELS.get(value, "none")


def _message(text: str) -> dict[str, str]:
    return {"text": text}


def _region(span: Span | None) -> dict[str, int]:
    if span is None or span.where:
        # Word files have no lines: the block ordinals a reader may put in Span.line would point
        # at arbitrary bytes of the .docx, so the place is given as a logical location instead.
        return {"startLine": 1}
    start_line = max(span.line, 1)
    start_column = max(span.column, 1)
    end_line = max(span.end_line, start_line)
    end_column = max(span.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _location(uri: str, span: Span | None, lang: str, place: object = None) -> dict[str, object]:
    loc: dict[str, object] = {
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": _region(span)},
    }
    logical: list[dict[str, str]] = []
    if span is not None and span.where:
        logical.append({"name": span.where.resolve(lang), "kind": "element"})
    if place:
        logical.append({"fullyQualifiedName": str(place), "kind": "element"})
    if logical:
        loc["logicalLocations"] = logical
    if span is not None and span.page is not None:
        # PDF: the page and the box on it (points from the top-left corner), see docs/cell-ids.md.
        loc["properties"] = span.page_fields()
    return loc


def _related(index: int, rel: Related, uri: str, lang: str) -> dict[str, object]:
    location: dict[str, object] = {"id": index, **_location(path_uri(rel.path) if rel.path else uri, rel.span, lang)}
    if rel.message:
        location["message"] = _message(rel.message.resolve(lang))
    return location


def _rule_descriptor(meta: RuleMeta) -> dict[str, object]:
    rule: dict[str, object] = {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": _message(meta.summary),
        "fullDescription": _message(meta.summary),
        "defaultConfiguration": _configuration(meta.severity),
    }
    if meta.help:
        rule["help"] = _message(meta.help)
    return rule


def _configuration(severity: str) -> dict[str, object]:
    lvl = level(severity)
    conf: dict[str, object] = {"level": lvl}
    if lvl == "none":
        # A rule switched off by default ("off") is still described, but marked as not enabled.
        conf["enabled"] = False
    return conf


def _result(d: Diagnostic, uri: str, rule_index: int, lang: str) -> dict[str, object]:
    # Many viewers ignore logical locations; the Word position must survive in the text.
    text = located_message(d, lang)
    result: dict[str, object] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": level(d.severity),
        "message": _message(text),
        "locations": [_location(uri, d.span, lang, resolve(d.place, lang))],
        "partialFingerprints": {FINGERPRINT_NAME: fallback_key(d)},
    }
    if d.related:
        result["relatedLocations"] = [_related(i, rel, uri, lang) for i, rel in enumerate(d.related, start=1)]
    props: dict[str, object] = {}
    for name in ("expected", "actual", "equation", "section"):
        value = getattr(d, name)
        if value is not None:
            props[name] = value
    if d.cells:
        props["cells"] = list(d.cells)
    if props:
        result["properties"] = props
    return result


def document(
    results: list[FileResult], *, rules: list[RuleMeta], lang: str = "zh", tool_version: str = __version__
) -> dict[str, object]:
    files = ordered(results)
    descriptors: list[dict[str, object]] = []
    index: dict[str, int] = {}
    for meta in rules:
        if meta.code not in index:
            index[meta.code] = len(descriptors)
            descriptors.append(_rule_descriptor(meta))
    # Findings of rules the caller did not describe (custom rule files) still need a descriptor,
    # because ruleIndex must point into driver.rules.
    for r in files:
        for d in r.diagnostics:
            if d.rule not in index:
                index[d.rule] = len(descriptors)
                descriptors.append(
                    {
                        "id": d.rule,
                        "name": d.name,
                        "shortDescription": _message(d.name),
                        "defaultConfiguration": _configuration(d.severity.value),
                    }
                )

    sarif_results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []
    for r in files:
        uri = path_uri(r.path)
        if r.error is not None:
            notifications.append(
                {
                    "level": "error",
                    "message": _message(r.error.resolve(lang)),
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
        sarif_results.extend(_result(d, uri, index[d.rule], lang) for d in r.diagnostics)

    invocation: dict[str, object] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta],
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    doc = document(results, rules=rules, lang=lang, tool_version=tool_version)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))
