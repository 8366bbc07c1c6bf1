"""The machine-readable reporters, over hand-built diagnostics (no parser involved)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema.validators import validator_for

from disclosure_lint.bilingual import Text
from disclosure_lint.diagnostics import Diagnostic, Related, Severity, Term
from disclosure_lint.model import Span
from disclosure_lint.reporters import (
    FORMATS,
    FileResult,
    RuleMeta,
    concise,
    csv_,
    github,
    gitlab,
    html,
    json_,
    junit,
    path_uri,
    render,
    sarif,
)

DATA = Path(__file__).parent.parent / "data"

MD = "reports/2023 年度报告.md"  # a space and CJK: both must be percent-encoded in SARIF
DOCX = "drafts/区政府年报.docx"
BROKEN = "inbox/缺失.txt"
CLEAN = "reports/clean.md"

RULES = [
    RuleMeta("A301", "t3-balance", "error", "表三收支平衡", help="新收 + 上年结转 = 办理结果总计 + 结转下年"),
    RuleMeta("B101", "prose-table-agree", "warning", "正文与表格数字一致"),
    RuleMeta("C001", "format-version", "info", "识别报告格式"),
]


def _error() -> Diagnostic:
    return Diagnostic(
        rule="A301",
        name="t3-balance",
        severity=Severity.ERROR,
        message=Text.same("表三「（七）总计」与各项之和不符"),
        path=MD,
        span=Span(40, 12, 40, 15),
        cells=["t3.total.total"],
        section=5,
        place=Text.same("表三 ·「（七）总计」行 ·「总计」列"),
        expected=120,
        actual=118,
        equation="118 ≠ 100 + 20",
        terms=[Term("t3.total.total", Text.same("「（七）总计」×「总计」"), 118, Span(40, 12, 40, 15), primary=True)],
        help=Text.same("核对各分项"),
        key="A301:t3.total.total",
    )


def _warning() -> Diagnostic:
    # "%", a newline, ":" and "," all have to survive the GitHub command syntax.
    return Diagnostic(
        rule="B101",
        name="prose-table-agree",
        severity=Severity.WARNING,
        message=Text.same("正文写「增长 5%」\n表格: 3,4"),
        path=MD,
        span=Span(12, 3, 14, 8),
        related=[Related(Span(40, 12, 40, 15))],
        key="B101:s2",
    )


def _info() -> Diagnostic:
    return Diagnostic(
        rule="C001",
        name="format-version",
        severity=Severity.INFO,
        message=Text.same("按 2021 版格式检查"),
        path=MD,
        span=Span(1, 1, 1, 20),
        key="C001",
    )


def _word() -> Diagnostic:
    return Diagnostic(
        rule="A301",
        name="t3-balance",
        severity=Severity.ERROR,
        message=Text.same("表三合计不符"),
        path=DOCX,
        span=Span(7, 3, 7, 4, where=Text.same("表格 2 第 5 行 第 3 列")),
        expected=10.5,
        actual=10.25,
        key="A301:t3.x",
    )


def _results() -> list[FileResult]:
    # Deliberately out of path order: every reporter must sort.
    return [
        FileResult(MD, [_info(), _warning(), _error()]),
        FileResult(BROKEN, [], error=Text("无法读取文件：不存在", "cannot read file: not found")),
        FileResult(DOCX, [_word()]),
        FileResult(CLEAN, []),
    ]


# --- SARIF ----------------------------------------------------------------------------------------

# RFC 3986 grammar, written out so that schema validation really checks "uri" and "uri-reference"
# even where jsonschema's optional format libraries (rfc3987, rfc3986-validator) are not installed.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT = rf"{_PCHAR}*"
_SEGMENT_NZ = rf"{_PCHAR}+"
_SEGMENT_NZ_NC = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})+"
_AUTHORITY = (
    rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?:\[[0-9A-Fa-f:.vV{_UNRESERVED}{_SUB_DELIMS}]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
    r"(?::[0-9]*)?"
)
_ABEMPTY = rf"(?:/{_SEGMENT})*"
_ABSOLUTE = rf"/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_SCHEME = r"[A-Za-z][A-Za-z0-9+\-.]*"
URI_RE = re.compile(rf"{_SCHEME}:(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}|{_SEGMENT_NZ}(?:/{_SEGMENT})*|){_TAIL}")
RELATIVE_RE = re.compile(rf"(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}|{_SEGMENT_NZ_NC}(?:/{_SEGMENT})*|){_TAIL}")


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or URI_RE.fullmatch(value) is not None


def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return URI_RE.fullmatch(value) is not None or RELATIVE_RE.fullmatch(value) is not None


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    cls = validator_for(schema)  # the schema declares draft-04
    cls.check_schema(schema)
    checker = jsonschema.FormatChecker()  # a fresh instance: registering below stays local
    if "uri" not in checker.checkers:
        checker.checks("uri")(_is_uri)
    if "uri-reference" not in checker.checkers:
        checker.checks("uri-reference")(_is_uri_reference)
    return cls(schema, format_checker=checker)


def _sarif() -> dict:
    return json.loads(sarif.render(_results(), rules=RULES, lang="zh", tool_version="9.9.9"))


def test_schema_file_is_the_official_sarif_schema() -> None:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    assert "result" in schema["definitions"] and "reportingDescriptor" in schema["definitions"]


def test_sarif_is_valid_against_the_official_schema(sarif_validator) -> None:
    doc = _sarif()
    errors = sorted(sarif_validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_validation_really_checks_uri_format(sarif_validator) -> None:
    # The negative control: without working format checking the test above would prove little.
    doc = _sarif()
    bad = copy.deepcopy(doc)
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b/年报.md"
    assert any(e.validator == "format" for e in sarif_validator.iter_errors(bad))


def test_sarif_run_tool_and_rules() -> None:
    doc = _sarif()
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].startswith("https://")
    (run,) = doc["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "disclosure-lint"
    assert driver["version"] == "9.9.9"
    assert driver["informationUri"].startswith("https://")
    by_id = {r["id"]: r for r in driver["rules"]}
    assert by_id["A301"]["name"] == "t3-balance"
    assert by_id["A301"]["shortDescription"]["text"] == "表三收支平衡"
    assert by_id["A301"]["help"]["text"].startswith("新收")
    assert "help" not in by_id["B101"]
    assert by_id["C001"]["defaultConfiguration"]["level"] == "note"
    assert by_id["B101"]["defaultConfiguration"]["level"] == "warning"


def test_sarif_results_levels_regions_and_fingerprints() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    # One run for every file: the markdown report's three findings and the Word one.
    assert len(results) == 4
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    by_key = {r["partialFingerprints"][sarif.FINGERPRINT_NAME]: r for r in results}
    err = by_key["A301:t3.total.total"]
    assert err["level"] == "error"
    assert err["message"]["text"] == "表三「（七）总计」与各项之和不符"
    loc = err["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "reports/2023%20%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.md"
    assert loc["region"] == {"startLine": 40, "startColumn": 12, "endLine": 40, "endColumn": 15}
    assert by_key["C001"]["level"] == "note"
    assert by_key["B101:s2"]["level"] == "warning"
    assert by_key["B101:s2"]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 40
    assert err["properties"]["expected"] == 120 and err["properties"]["actual"] == 118


def test_sarif_word_span_is_a_logical_location_on_line_one() -> None:
    run = _sarif()["runs"][0]
    (word,) = [r for r in run["results"] if r["partialFingerprints"][sarif.FINGERPRINT_NAME] == "A301:t3.x"]
    loc = word["locations"][0]
    assert loc["physicalLocation"]["region"] == {"startLine": 1}
    assert unquote(loc["physicalLocation"]["artifactLocation"]["uri"]) == DOCX
    assert loc["logicalLocations"][0]["name"] == "表格 2 第 5 行 第 3 列"
    assert "表格 2 第 5 行 第 3 列" in word["message"]["text"]


def test_sarif_unreadable_file_is_a_tool_notification() -> None:
    run = _sarif()["runs"][0]
    (inv,) = run["invocations"]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"] == "无法读取文件：不存在"
    assert unquote(note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) == BROKEN
    clean = json.loads(sarif.render([FileResult(CLEAN, [])], rules=RULES))
    assert clean["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    assert clean["runs"][0]["results"] == []


def test_sarif_describes_rules_missing_from_metadata(sarif_validator) -> None:
    custom = Diagnostic("X900", "custom-rule", Severity.WARNING, Text.same("自定义规则"), CLEAN, Span(2, 1, 2, 3))
    doc = json.loads(sarif.render([FileResult(CLEAN, [custom])], rules=RULES))
    run = doc["runs"][0]
    (res,) = run["results"]
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "X900"
    assert res["partialFingerprints"][sarif.FINGERPRINT_NAME] == "X900:2"  # no key: rule + line
    assert not list(sarif_validator.iter_errors(doc))


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("a/b.md", "a/b.md"),
        ("报告 1.md", "%E6%8A%A5%E5%91%8A%201.md"),
        ("dir\\sub\\x.md", "dir/sub/x.md"),
        ("50%#?.md", "50%25%23%3F.md"),
        ("a:b.md", "a%3Ab.md"),  # unencoded, "a:" would read as a URI scheme
        ("/srv/年报.md", "file:///srv/%E5%B9%B4%E6%8A%A5.md"),
        ("C:\\r\\x.md", "file:///C:/r/x.md"),
    ],
)
def test_path_uri(path: str, uri: str) -> None:
    assert path_uri(path) == uri
    assert _is_uri_reference(uri)


@given(st.text(min_size=1, max_size=40))
def test_path_uri_is_always_a_uri_reference(path: str) -> None:
    uri = path_uri(path)
    assert _is_uri_reference(uri), uri
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        assert unquote(uri) == "file://" + posix
    elif len(posix) >= 3 and posix[1:3] == ":/" and posix[0].isascii() and posix[0].isalpha():
        assert unquote(uri) == "file:///" + posix
    else:
        assert unquote(uri) == posix


# --- GitHub ---------------------------------------------------------------------------------------


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    m = re.fullmatch(r"::(\w+)(?: ([^:]*))?::(.*)", line)
    assert m, line
    props = dict(p.split("=", 1) for p in m.group(2).split(",")) if m.group(2) else {}
    return m.group(1), props, m.group(3)


def _unescape(text: str) -> str:
    return text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_escaping() -> None:
    assert github.escape_data("100%\r\n下一行") == "100%25%0D%0A下一行"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = github.command("warning", {"file": "x,y:z.md", "title": "T1 a,b"}, "增长 5%\n表格: 3,4")
    assert line == "::warning file=x%2Cy%3Az.md,title=T1 a%2Cb::增长 5%25%0A表格: 3,4"
    assert "\n" not in line


def test_github_commands_and_groups() -> None:
    lines = github.render(_results(), rules=RULES, lang="zh").splitlines()
    # Clean files produce no group; the rest appear in path order, each wrapped in a group.
    groups = [line.removeprefix("::group::") for line in lines if line.startswith("::group::")]
    assert groups == [DOCX, BROKEN, MD]
    assert lines.count("::endgroup::") == 3
    commands = [_parse_command(line) for line in lines if not line.startswith(("::group::", "::endgroup::"))]
    names = [c[0] for c in commands]
    assert names == ["error", "error", "notice", "warning", "error"]

    _, word_props, word_msg = commands[0]
    assert word_props["file"] == DOCX and "line" not in word_props  # Word: whole-file annotation
    assert "表格 2 第 5 行 第 3 列" in word_msg

    _, broken_props, broken_msg = commands[1]
    assert broken_props["file"] == BROKEN
    assert _unescape(broken_msg) == "无法读取文件：不存在"

    _, warn_props, warn_msg = commands[3]
    assert _unescape(warn_msg) == "正文写「增长 5%」\n表格: 3,4"
    # Spans over several lines carry no columns (the runner rejects them).
    assert warn_props == {"file": MD, "line": "12", "endLine": "14", "title": "B101 prose-table-agree"}

    _, err_props, _ = commands[4]
    assert err_props == {
        "file": MD,
        "line": "40",
        "col": "12",
        "endLine": "40",
        "endColumn": "14",
        "title": "A301 t3-balance",
    }


def test_github_step_summary_tables() -> None:
    results = [*_results(), FileResult("odd|name.md", [_info()])]
    text = github.step_summary(results, lang="zh")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert f"| {MD} | 1 | 1 | 1 |  |" in rows
    assert f"| {BROKEN} | 0 | 0 | 0 | 无法读取：无法读取文件：不存在 |" in rows
    assert "| odd\\|name.md | 0 | 0 | 1 |  |" in rows
    assert "| A301 | t3-balance | 错误 | 2 |" in rows
    assert "| C001 | format-version | 提示 | 2 |" in rows
    en = github.step_summary(results, lang="en")
    assert "| Rule | Name | Severity | Count |" in en and "| B101 | prose-table-agree | warning | 1 |" in en


# --- JUnit ----------------------------------------------------------------------------------------


def test_junit_structure_and_counts() -> None:
    text = junit.render(_results(), rules=RULES, lang="zh")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "3", "1")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [DOCX, BROKEN, MD, CLEAN]

    md = suites[MD]
    assert (md.get("tests"), md.get("failures"), md.get("errors")) == ("3", "2", "0")
    cases = {c.get("name"): c for c in md.findall("testcase")}
    assert set(cases) == {"C001 1:1", "B101 12:3", "A301 40:12"}
    assert all(c.get("classname") == MD for c in cases.values())
    failure = cases["A301 40:12"].find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.get("message") == "表三「（七）总计」与各项之和不符"
    assert "期望=120; 实际=118; 差值=-2" in (failure.text or "")
    assert cases["B101 12:3"].find("failure").get("type") == "warning"
    assert cases["B101 12:3"].find("failure").get("message") == "正文写「增长 5%」\n表格: 3,4"
    info = cases["C001 1:1"]
    assert info.find("failure") is None and "按 2021 版格式检查" in info.find("system-out").text

    broken = suites[BROKEN]
    assert (broken.get("tests"), broken.get("failures"), broken.get("errors")) == ("1", "0", "1")
    assert broken.find("testcase/error").get("message") == "无法读取文件：不存在"

    clean = suites[CLEAN]
    (case,) = clean.findall("testcase")
    assert list(case) == [] and clean.get("tests") == "1" and clean.get("failures") == "0"

    assert "表格 2 第 5 行 第 3 列" in suites[DOCX].find("testcase/failure").text


def test_junit_escapes_markup_and_drops_invalid_characters() -> None:
    d = Diagnostic("A1", "x", Severity.ERROR, Text.same('<b>&"\x01</b>'), "a&b.md", Span(1, 1, 1, 2))
    root = ET.fromstring(junit.render([FileResult("a&b.md", [d])], rules=[]).encode("utf-8"))
    suite = root.find("testsuite")
    assert suite.get("name") == "a&b.md"
    assert suite.find("testcase/failure").get("message") == '<b>&"\ufffd</b>'


# --- GitLab ---------------------------------------------------------------------------------------


def test_gitlab_fields_and_severities() -> None:
    issues = json.loads(gitlab.render(_results(), rules=RULES))
    assert [i["check_name"] for i in issues] == ["A301", "unreadable", "C001", "B101", "A301"]
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert [i["severity"] for i in issues] == ["major", "major", "info", "minor", "major"]
    assert issues[0]["location"] == {"path": DOCX, "lines": {"begin": 1}}
    assert issues[4]["location"] == {"path": MD, "lines": {"begin": 40}}
    assert issues[4]["description"] == "表三「（七）总计」与各项之和不符"
    assert issues[4]["fingerprint"] == hashlib.sha256(f"{MD}\0A301:t3.total.total".encode()).hexdigest()
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_gitlab_fingerprint_is_stable() -> None:
    first = gitlab.issues(_results())
    again = gitlab.issues(list(reversed(_results())))
    assert [i["fingerprint"] for i in first] == [i["fingerprint"] for i in again]
    # Moving a keyed finding to another line keeps its fingerprint …
    moved = _error()
    moved.span = Span(90, 1, 90, 4)
    (a,) = gitlab.issues([FileResult(MD, [_error()])])
    (b,) = gitlab.issues([FileResult(MD, [moved])])
    assert a["fingerprint"] == b["fingerprint"] and b["location"]["lines"]["begin"] == 90
    # … while one without a key falls back to rule + line, and the path always counts.
    keyless = Diagnostic("A1", "x", Severity.WARNING, Text.same("m"), MD, Span(3, 1, 3, 2))
    keyless_moved = Diagnostic("A1", "x", Severity.WARNING, Text.same("m"), MD, Span(4, 1, 4, 2))
    fp = [gitlab.issues([FileResult(p, [d])])[0]["fingerprint"] for p, d in ((MD, keyless), (MD, keyless_moved))]
    assert fp[0] != fp[1]
    assert gitlab.fingerprint(MD, "k") != gitlab.fingerprint(CLEAN, "k")
    twins = gitlab.issues([FileResult(MD, [keyless, keyless])])
    assert twins[0]["fingerprint"] != twins[1]["fingerprint"]


# --- concise --------------------------------------------------------------------------------------


def test_concise_lines_and_summary() -> None:
    lines = concise.render(_results(), rules=RULES, lang="zh").splitlines()
    assert lines == [
        f"{DOCX}:7:3: error A301 表三合计不符 [表格 2 第 5 行 第 3 列; 期望=10.5; 实际=10.25; 差值=-0.25]",
        f"{BROKEN}: error: 无法读取文件：不存在",
        f"{MD}:1:1: info C001 按 2021 版格式检查",
        f"{MD}:12:3: warning B101 正文写「增长 5%」 表格: 3,4",
        f"{MD}:40:12: error A301 表三「（七）总计」与各项之和不符 "
        "[表三 ·「（七）总计」行 ·「总计」列; 期望=120; 实际=118; 差值=-2]",
        "共检查 3 个文件：2 个错误、1 个警告、1 条提示；1 个文件无法读取",
    ]


def test_concise_english() -> None:
    d = _error()
    d.actual = 125
    text = concise.render([FileResult(MD, [d])], rules=RULES, lang="en")
    assert text.splitlines() == [
        f"{MD}:40:12: error A301 表三「（七）总计」与各项之和不符 "
        "[表三 ·「（七）总计」行 ·「总计」列; expected=120; actual=125; diff=+5]",
        "1 file checked: 1 error, 0 warnings, 0 infos",
    ]


# --- JSON -----------------------------------------------------------------------------------------


def test_json_document() -> None:
    text = json_.render(_results(), rules=RULES, tool_version="1.2.3")
    assert "表三合计不符" in text  # ensure_ascii=False
    assert text.startswith('{\n  "version": 2,')
    doc = json.loads(text)
    assert doc["tool"] == {"name": "disclosure-lint", "version": "1.2.3"}
    assert [f["path"] for f in doc["files"]] == [DOCX, BROKEN, MD, CLEAN]
    broken, clean = doc["files"][1], doc["files"][3]
    assert broken == {"path": BROKEN, "report": None, "error": "无法读取文件：不存在", "diagnostics": []}
    assert clean == {"path": CLEAN, "report": None, "diagnostics": []}
    assert doc["files"][0]["diagnostics"][0]["where"] == "表格 2 第 5 行 第 3 列"
    assert doc["files"][2]["diagnostics"] == [d.to_dict() for d in (_info(), _warning(), _error())]
    assert doc["summary"] == {"files": 4, "errors": 2, "warnings": 1, "infos": 1, "unreadable": 1}


# --- dispatch -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_render_dispatches_to_each_format(fmt: str) -> None:
    modules = {
        "concise": concise,
        "json": json_,
        "sarif": sarif,
        "github": github,
        "junit": junit,
        "gitlab": gitlab,
        "html": html,
        "csv": csv_,
    }
    expected = modules[fmt].render(_results(), rules=RULES, lang="en", tool_version="2.0")
    assert render(fmt, _results(), rules=RULES, lang="en", tool_version="2.0") == expected
    assert expected.strip()


def test_render_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        render("xml", _results(), rules=RULES)


def test_cli_sarif_on_real_reports_is_valid(sarif_validator, tmp_path) -> None:
    """The SARIF the command line writes for real inputs (seeds, our examples, a Word draft, an unreadable
    file) validates against the official schema, not only hand-built diagnostics."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    inputs = [str(root / "examples" / "faulty-report.txt"), str(root / "examples" / "clean-report.txt")]
    seeds = root.parent / "shared" / "seeds"
    if seeds.is_dir():
        inputs += [str(p) for p in sorted(seeds.glob("*.txt"))]
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"%PDF-1.7")
    inputs.append(str(broken))
    out = tmp_path / "out.sarif"
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", "--format", "sarif", "-o", str(out), *inputs],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2, p.stderr  # the unreadable file
    doc = json.loads(out.read_text(encoding="utf-8"))
    errors = sorted(sarif_validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [e.message for e in errors[:3]]
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"A300", "T101", "N501"}
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
