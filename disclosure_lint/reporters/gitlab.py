"""GitLab Code Quality report: a JSON list of issues in GitLab's subset of the Code Climate format.

GitLab matches issues between pipelines by ``fingerprint`` alone, so it is built from the path and
the diagnostic's stable key (never its line number when a key exists): editing a report above a
finding must not make the merge-request widget show it as fixed and newly introduced.
"""

from __future__ import annotations

import hashlib
import json
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from . import (
    FileResult,
    RuleMeta,
    Style,
    fallback_key,
    located_message,
    ordered,
    posix_path,
    related_elsewhere,
    render_run,
    write_text,
)

if TYPE_CHECKING:
    from ..results import RunResult

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
UNREADABLE_CHECK = "unreadable"


def fingerprint(path: str, key: str) -> str:
    # NUL cannot occur in a path, so path and key cannot run into each other ambiguously.
    return hashlib.sha256(f"{posix_path(path)}\0{key}".encode()).hexdigest()


def _description(d: Diagnostic, lang: str) -> str:
    text = located_message(d, lang)
    for place in related_elsewhere(d, lang):
        text += f" (see also {place})" if lang == "en" else f"（另见 {place}）"
    return text


def issues(results: list[FileResult], *, lang: str = "zh") -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    seen: dict[str, int] = {}

    def unique(path: str, key: str) -> str:
        # Two findings with the same identity would collapse into one in GitLab; number the repeats
        # in their (deterministic) order of appearance.
        n = seen.get(f"{path}\0{key}", 0)
        seen[f"{path}\0{key}"] = n + 1
        return fingerprint(path, key if n == 0 else f"{key}#{n + 1}")

    for r in ordered(results):
        path = posix_path(r.path)
        if r.error is not None:
            out.append(
                {
                    "description": r.error.resolve(lang),
                    "check_name": UNREADABLE_CHECK,
                    "fingerprint": unique(path, UNREADABLE_CHECK),
                    "severity": "major",
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )
        for d in r.diagnostics:
            # Word files have no lines: a block ordinal would point nowhere in the .docx.
            begin = 1 if d.span is None or d.span.where else max(d.span.line, 1)
            out.append(
                {
                    "description": _description(d, lang),
                    "check_name": d.rule,
                    "fingerprint": unique(path, fallback_key(d)),
                    "severity": _SEVERITIES[d.severity],
                    "location": {"path": path, "lines": {"begin": begin}},
                }
            )
    return out


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    return json.dumps(issues(results, lang=lang), ensure_ascii=False, indent=2) + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))
