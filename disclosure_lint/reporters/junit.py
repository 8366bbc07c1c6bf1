"""JUnit XML in the dialect Jenkins and GitLab test reports read: one suite per file, one case per finding.

Errors and warnings are failures (they should turn a test report red); infos pass but keep their text
in ``<system-out>``; a file that could not be read is a test *error*, since nothing was checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from ..regexcode import compile_re
from . import (
    TOOL_NAME,
    FileResult,
    RuleMeta,
    Style,
    format_difference,
    format_number,
    ordered,
    related_elsewhere,
    render_run,
    write_text,
)

if TYPE_CHECKING:
    from ..results import RunResult

# Characters XML 1.0 cannot carry at all, not even as references; ElementTree would write them as-is.
_XML_INVALID = compile_re("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


_LABELS = {
    "zh": {
        "place": "位置",
        "where": "文档位置",
        "expected": "期望",
        "actual": "实际",
        "diff": "差值",
        "equation": "关系",
        "help": "说明",
        "also": "另见",
        "clean": "未发现问题",
        "read": "读取文件",
    },
    "en": {
        "place": "place",
        "where": "document position",
        "expected": "expected",
        "actual": "actual",
        "diff": "diff",
        "equation": "relation",
        "help": "help",
        "also": "see also",
        "clean": "no findings",
        "read": "read file",
    },
}


def _labels(lang: str) -> dict[str, str]:
    return _LABELS["en"] if lang == "en" else _LABELS["zh"]


def detail(d: Diagnostic, path: str, lang: str) -> str:
    w = _labels(lang)
    lines = [f"{path}:{d.line}:{d.column}: {d.severity.value} {d.rule} {d.name}", d.message.resolve(lang)]
    if d.span is not None and d.span.where:
        lines.append(f"{w['where']}: {d.span.where.resolve(lang)}")
    if d.place:
        lines.append(f"{w['place']}: {d.place.resolve(lang)}")
    numbers: list[str] = []
    if d.expected is not None:
        numbers.append(f"{w['expected']}={format_number(d.expected)}")
    if d.actual is not None:
        numbers.append(f"{w['actual']}={format_number(d.actual)}")
    diff = format_difference(d)
    if diff is not None:
        numbers.append(f"{w['diff']}={diff}")
    if numbers:
        lines.append("; ".join(numbers))
    if d.equation:
        lines.append(f"{w['equation']}: {d.equation}")
    lines.extend(f"{w['also']}: {place}" for place in related_elsewhere(d, lang))
    if d.help:
        lines.append(f"{w['help']}: {d.help.resolve(lang)}")
    return "\n".join(lines)


def _suite(r: FileResult, lang: str) -> ET.Element:
    w = _labels(lang)
    suite = ET.Element("testsuite", name=_xml_text(r.path))
    tests = failures = errors = 0
    if r.error is not None:
        case = ET.SubElement(suite, "testcase", classname=_xml_text(r.path), name=w["read"])
        reason = _xml_text(r.error.resolve(lang))
        err = ET.SubElement(case, "error", type="unreadable", message=reason)
        err.text = reason
        tests += 1
        errors += 1
    for d in r.diagnostics:
        case = ET.SubElement(
            suite, "testcase", classname=_xml_text(r.path), name=_xml_text(f"{d.rule} {d.line}:{d.column}")
        )
        text = _xml_text(detail(d, r.path, lang))
        tests += 1
        if d.severity is Severity.INFO:
            ET.SubElement(case, "system-out").text = text
        else:
            failure = ET.SubElement(case, "failure", type=d.severity.value, message=_xml_text(d.message.resolve(lang)))
            failure.text = text
            failures += 1
    if tests == 0:
        # A suite without cases reads as "nothing ran" in some viewers; a clean file is a passed check.
        ET.SubElement(suite, "testcase", classname=_xml_text(r.path), name=w["clean"])
        tests = 1
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return suite


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    root = ET.Element("testsuites", name=TOOL_NAME)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in ordered(results):
        suite = _suite(r, lang)
        root.append(suite)
        for k in totals:
            totals[k] += int(suite.get(k, "0"))
    for k, v in totals.items():
        root.set(k, str(v))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))
