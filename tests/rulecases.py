"""The test cases a rule file carries in its ``cases:`` section, built into reports and run.

A case is an edit of a report ``reportgen`` generates (docs/rules.md, "Test cases", is the reference):

* ``layout``: one of ``reportgen.LAYOUTS`` (default ``tab``); ``kind: html`` turns the tab report into a
  web page first (``yeargen.to_html``), and the text edits below then apply to its HTML source.
* ``t2``, ``t3``: rows of table 二 / 三 to change (``row: [values]``; ``null`` drops the row); ``t4``:
  table 四's fifteen numbers. The report is rendered with them, so one case reads the same in every layout.
* ``replace``: ``{old, new}`` or a list of them; every occurrence of ``old`` (which must occur) becomes ``new``.
* ``sub``: ``{pattern, new}`` or a list: a regular expression (``re.S``) replaced, which must match.
* ``append``: text added at the end.
* ``previous``: last year's report, for rules that compare two years: a consistent 2023 report of the same
  body (``yeargen.report_text``) with its own ``replace`` / ``sub`` / ``append``.
* ``at`` (``fail`` cases): where one finding of the rule must be: ``line``, ``text`` (the line where that
  text first occurs in the edited report), ``cell`` (a cell id among the finding's cells) or ``section``.
* ``example`` (one mapping, optional): a case as above plus ``old``, the text that the rule's
  ``docs.bad`` / ``docs.good`` replace; the rule must fire on the bad example and stay silent on the good one.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from reportgen import LAYOUTS, T2_DATA, T3_DATA, T4_DATA, render
from yeargen import OTHER_PART_FIVES, report_text, to_html

from disclosure_lint.diagnostics import Diagnostic
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

CASE_KEYS = {"layout", "kind", "t2", "t3", "t4", "replace", "sub", "append", "previous", "at", "why", "old"}
EDIT_KEYS = {"replace", "sub", "append"}
AT_KEYS = {"line", "text", "cell", "section"}


class CaseError(Exception):
    """A case that cannot be built as written: the case's mistake, not the rule's."""


@dataclass
class Case:
    code: str
    kind: str  # fail, pass, example-bad, example-good
    number: int
    spec: dict[str, Any]
    path: Path

    @property
    def id(self) -> str:
        return f"{self.code}-{self.kind}-{self.number}"


def rule_cases(path: Path) -> list[Case]:
    """The cases of one rule file, examples included."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    code = data["code"]
    cases = data.get("cases") or {}
    found = [Case(code, kind, i, spec, path) for kind in ("fail", "pass") for i, spec in enumerate(cases.get(kind, []))]
    example = cases.get("example")
    docs = data.get("docs") or {}
    if isinstance(example, dict):
        for kind in ("bad", "good"):
            spec = dict(example)
            # Last of all the edits: a regular expression of the text itself, the example taken literally.
            example_edit = {
                "pattern": re.escape(spec.pop("old")),
                "new": str(docs[kind]).rstrip("\n").replace("\\", "\\\\"),
            }
            spec["sub"] = [*_as_list(spec.get("sub") or []), example_edit]
            found.append(Case(code, f"example-{kind}", 0, spec, path))
    return found


def _patched(base: Any, patch: Any) -> Any:
    if patch is None:
        return base
    if isinstance(base, list):
        return list(patch)
    out = copy.deepcopy(base)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = [str(v) for v in value] if base is T2_DATA else list(value)
    return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def apply_edits(text: str, spec: dict[str, Any]) -> str:
    for edit in _as_list(spec.get("replace") or []):
        if edit["old"] not in text:
            raise CaseError(f"replace: {edit['old']!r} does not occur in the report")
        text = text.replace(edit["old"], edit["new"])
    for edit in _as_list(spec.get("sub") or []):
        text, n = re.subn(edit["pattern"], edit["new"], text, flags=re.S)
        if not n:
            raise CaseError(f"sub: {edit['pattern']!r} does not match the report")
    return text + spec.get("append", "")


def build(spec: dict[str, Any]) -> tuple[str, str]:
    """(file name, source text) of the case's report."""
    unknown = set(spec) - CASE_KEYS
    if unknown:
        raise CaseError(f"unknown keys {sorted(unknown)}")
    layout = spec.get("layout", "tab")
    if layout not in LAYOUTS:
        raise CaseError(f"unknown layout {layout!r}")
    text = render(
        layout,
        t2=_patched(T2_DATA, spec.get("t2")),
        t3=_patched(T3_DATA, spec.get("t3")),
        t4=_patched(T4_DATA, spec.get("t4")),
    )
    name = "r.txt"
    if spec.get("kind", "txt") == "html":
        text, name = to_html(text).decode("utf-8"), "r.html"
    return name, apply_edits(text, spec)


def previous_report(spec: dict[str, Any]) -> str:
    """Last year's report: consistent with this year's generated one (carried forward 2, 35 documents in force,
    part 五 rewritten), then edited."""
    unknown = set(spec) - EDIT_KEYS
    if unknown:
        raise CaseError(f"unknown keys in previous: {sorted(unknown)}")
    base = report_text(2023, carried_forward=2, normative=(5, 2, 35), part_five=OTHER_PART_FIVES[0])
    return apply_edits(base, spec)


def run(case: Case) -> tuple[str, list[Diagnostic]]:
    """The case's report source and the findings of the whole rule set on it."""
    name, source = build(case.spec)
    report = load_report(name, source.encode("utf-8"))
    previous = None
    if case.spec.get("previous") is not None:
        previous = load_report("2023.txt", previous_report(case.spec["previous"]).encode("utf-8"))
    return source, run_rules(report, load_rules(), previous=previous)


def located(finding: Diagnostic, at: dict[str, Any], source: str) -> bool:
    """Whether ``finding`` is where the case says."""
    if set(at) - AT_KEYS or len(at) != 1:
        raise CaseError(f"'at' takes one of {sorted(AT_KEYS)}")
    ((key, wanted),) = at.items()
    if key == "cell":
        return wanted in finding.cells
    if key == "section":
        return finding.section == wanted
    if key == "text":
        if wanted not in source:
            raise CaseError(f"at.text {wanted!r} does not occur in the report")
        wanted = source[: source.index(wanted)].count("\n") + 1
    return finding.span.line == wanted
