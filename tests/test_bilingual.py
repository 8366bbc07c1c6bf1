"""Words in two languages: one :class:`Text` type, resolved only when output is written, and English output
that does not leak Chinese.

What English output may hold in Chinese (docs/rules.md, "Messages in two languages"):

* anything inside 「…」: a quote of the report's own words or of the national format's labels (row and column
  names, document numbers), which have no English form a reader could look up;
* the lines of the report that a code frame shows (``NN | …``, and the marks under them);
* fields that quote the report whole: the report's title and issuing body in the JSON ``report`` and ``pairing``
  objects and in the HTML report's overview, and the HTML report's drawing of the national form (its captions,
  headers, the cells as read, the part headings and the excerpts of the report);
* machine keys that are not words: SARIF's fingerprints (``S014:later-国办函〔2020〕109号``);
* file paths.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import reportgen
import yeargen
from conftest import shared_path

from disclosure_lint import RunOptions, lint, settings
from disclosure_lint.bilingual import Text, resolve
from disclosure_lint.errors import RuleFileError
from disclosure_lint.reporters import REPORTERS, Style
from disclosure_lint.rules.engine import load_rules
from disclosure_lint.rules.loader import PLACEHOLDER

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
QUOTED = re.compile(r"「[^「」]*(?:「[^「」]*」[^「」]*)*」")
# A code frame's lines: "  12 | source", "     |   ^^ label", "... |", "     |".
FRAME_LINE = re.compile(r"^\s*(?:\d+|\.\.\.)?\s*\|")
TEXT_FORMATS = ("full", "concise", "github", "junit", "gitlab", "statistics")
JSON_FORMATS = ("sarif", "json", "statistics-json")
JSON_QUOTING_KEYS = {"title", "body", "previous_body", "disclosureLintKey/v1"}
# The columns of the auditor's tables (csv, xlsx) that hold the report's own words or its file name.
TABLE_QUOTING_COLUMNS = {"path", "title", "body"}


def leaks(text: str) -> list[str]:
    """The lines of ``text`` with Chinese outside quotes and code frames."""
    out = []
    for line in text.splitlines():
        if FRAME_LINE.match(line):
            continue
        bare = QUOTED.sub("", line)
        for path in re.findall(r"(?:/|\w:\\)\S+", bare):
            bare = bare.replace(path, "")
        if HAN.search(bare):
            out.append(line)
    return out


def table_leaks(rows: list[list[object]]) -> list[str]:
    """The cells of a table with a header row (csv, a sheet of the workbook) with Chinese outside quotes."""
    header, *body = rows
    return [
        f"{name}: {cell}"
        for row in body
        for name, cell in zip(header, row, strict=False)
        if name not in TABLE_QUOTING_COLUMNS and isinstance(cell, str) and HAN.search(QUOTED.sub("", cell))
    ]


def workbook_sheets(data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet of an .xlsx file as rows of cell values, read back as a spreadsheet program would."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def json_leaks(value: object, key: str = "") -> list[str]:
    if isinstance(value, dict):
        return [leak for k, v in value.items() if k not in JSON_QUOTING_KEYS for leak in json_leaks(v, k)]
    if isinstance(value, list):
        return [leak for item in value for leak in json_leaks(item, key)]
    if isinstance(value, str) and key != "path" and HAN.search(QUOTED.sub("", value)):
        return [f"{key}: {value}"]
    return []


class _HtmlWords(HTMLParser):
    """The text of the HTML report outside the elements that draw the form or quote the report."""

    QUOTING = frozenset({"th", "caption", "td", "h2", "h3", "dd", "pre", "mark", "a", "title", "script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = dict(attrs).get("class") or ""
        quoting = tag in self.QUOTING or "context" in classes.split()
        if tag not in ("br", "img", "meta", "link", "input", "col", "hr", "wbr"):
            self.stack.append((tag, quoting))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not any(quoting for _tag, quoting in self.stack) and HAN.search(QUOTED.sub("", data)):
            self.found.append(data.strip())


def english_outputs(paths: list[Path]) -> dict[str, str]:
    """Every output of one English run over ``paths``, which compares the reports with last year's."""
    run = lint(paths, settings(isolated=True, lang="en"), RunOptions(jobs=1, with_cells=True))
    # The notes on the pairing go to stderr: "compared with last year: … (「body」, 2023 → 2024)".
    outputs = {"notes": "\n".join(note.resolve("en") for note in run.pairing.notes()) if run.pairing else ""}
    for name in (*TEXT_FORMATS, *JSON_FORMATS, "html", "csv"):
        out = io.StringIO()
        REPORTERS[name].write(run, out, Style(color=False))
        outputs[name] = out.getvalue()
    workbook = io.BytesIO()
    REPORTERS["xlsx"].write(run, workbook, Style(color=False))
    outputs["xlsx"] = json.dumps(workbook_sheets(workbook.getvalue()), ensure_ascii=False, default=str)
    return outputs


def assert_english(outputs: dict[str, str]) -> None:
    for name in (*TEXT_FORMATS, "notes"):
        assert leaks(outputs[name]) == [], name
    for name in JSON_FORMATS:
        assert json_leaks(json.loads(outputs[name])) == [], name
    assert table_leaks(list(csv.reader(io.StringIO(outputs["csv"].removeprefix("\ufeff"))))) == []
    sheets = json.loads(outputs["xlsx"])
    assert set(sheets) == {"summary", "findings"} and len(sheets["findings"]) > 1  # the workbook has findings
    for name, rows in sheets.items():
        assert table_leaks(rows) == [], name
    words = _HtmlWords()
    words.feed(outputs["html"])
    assert words.found == []


REAL = [("seeds",), ("corpus",), ("corpus", "html"), ("corpus", "pdf")]


@pytest.mark.parametrize("where", REAL, ids=["/".join(w) for w in REAL])
def test_english_output_of_every_real_report_has_no_chinese_words(where: tuple[str, ...]):
    folder = shared_path(*where)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in (".txt", ".md", ".html", ".pdf"))
    outputs = english_outputs(files)
    assert "error[" in outputs["full"]  # the real reports have findings: the scan saw messages
    if where == ("corpus",):
        assert "compared with last year" in outputs["notes"] and "Y60" in outputs["json"]  # and two years'
    assert_english(outputs)


def _faulty_text() -> str:
    """A generated report with one wrong total, a blank, a placeholder, a wrong label and a missing part."""
    text = reportgen.render("tab")
    text = text.replace("六、其他需要报告的事项", "六、其它需要报告的事项")
    text = text.replace("规章\t0\t0\t0", "规章\t\t/\t0", 1)
    lines = text.split("\n")
    total = next(i for i, line in enumerate(lines) if line.startswith("（七）总计"))
    lines[total] = re.sub(r"\t(\d+)$", lambda m: f"\t{int(m.group(1)) + 3}", lines[total])
    return "\n".join(lines).replace("五、存在的主要问题及改进情况", "五、存在问题", 1)


@pytest.mark.parametrize("kind", ["txt", "html", "docx"])
def test_english_output_of_generated_reports_has_no_chinese_words(tmp_path: Path, kind: str):
    suffix, data = yeargen.encoded(_faulty_text(), kind)
    path = tmp_path / f"faulty{suffix}"
    path.write_bytes(data)
    outputs = english_outputs([path])
    assert {"T101", "T102"} <= {d["rule"] for f in json.loads(outputs["json"])["files"] for d in f["diagnostics"]}
    assert_english(outputs)


def test_english_output_of_a_generated_pdf_has_no_chinese_words(tmp_path: Path):
    pytest.importorskip("pdfplumber")
    pytest.importorskip("fpdf")
    from markupgen import table_rows
    from pdfgen import make_pdf

    rows = table_rows()
    for row in rows[3]:
        if row[0][0] == "（七）总计":
            row[1] = ("99", 1, 1)  # 自然人: breaks the table's relations, named by page and cell
    path = tmp_path / "faulty.pdf"
    path.write_bytes(make_pdf(rows=rows))
    outputs = english_outputs([path])
    assert '"rule": "A300"' in outputs["json"] and "page " in outputs["full"]
    assert_english(outputs)


def test_the_scan_finds_a_leak():
    assert leaks("error[T105]: 表三 row label 「规范性文件」") == ["error[T105]: 表三 row label 「规范性文件」"]
    assert leaks("  12 | 规范性文件 5 2 38") == [] and leaks("row 「表三」 /tmp/表三.txt") == []
    assert json_leaks({"files": [{"message": "表三 is blank", "title": "年度报告"}]}) == ["message: 表三 is blank"]
    rows = [["title", "message"], ["年度报告", "row 「表三」"], ["年度报告", "表三 is blank"]]
    assert table_leaks(rows) == ["message: 表三 is blank"]
    words = _HtmlWords()
    words.feed("<p>table <b>表三</b></p><table><th>自然人</th></table>")
    assert words.found == ["表三"]


# --- the type ------------------------------------------------------------------------------------


def test_text_resolves_joins_and_adds_per_language():
    joined = Text("、", ", ").join([Text("甲", "a"), "乙", Text("丙", "c")])
    assert joined == Text("甲、乙、丙", "a, 乙, c")
    assert (Text("表三", "table 3") + " ·").resolve("en") == "table 3 ·"
    assert ("A301: " + Text("不平衡", "does not balance")).resolve("zh") == "A301: 不平衡"
    assert resolve(Text("是", "yes"), "en") == "yes" and resolve(3, "en") == 3
    assert not Text("", "") and Text.same("x").map(str.upper) == Text("X", "X")
    assert Text("中", "en").resolve("fr") == "中"  # Chinese is the default


def test_an_error_carries_one_text():
    error = RuleFileError(Text("规则有误", "bad rule"), path="r.yaml", line=3)
    assert (error.zh, error.en, str(error)) == ("规则有误", "bad rule", "bad rule")
    assert error.located("en") == "r.yaml:3: bad rule"
    with pytest.raises(TypeError):
        RuleFileError("旧", "old")  # type: ignore[call-arg]  # one form only: the two languages as one Text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_fills_every_placeholder(lang: str):
    for rule in load_rules().rules:
        if rule.help:
            shown = rule.documented("help", lang)
            assert not PLACEHOLDER.search(shown), (rule.code, shown)
    s013 = load_rules().by_code()["S013"]
    assert "国办公开办函〔2021〕30号" in s013.documented("help", lang)  # a value the rule's params fix


def test_explain_command_shows_no_placeholder(capsys):
    from disclosure_lint.cli import main

    assert main(["explain", "S004", "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "{year}" not in out and "××××年1月1日" in out
