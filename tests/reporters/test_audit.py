"""The auditor's outputs on real runs of the command line: CSV and xlsx read back as a spreadsheet program
would, the JSON document against its published schema, and ``--statistics`` telling a wrong report from
one the tool could not read."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import reportgen
from conftest import ROOT, shared_path

from disclosure_lint.reporters import AUDIT_CATEGORIES, audit_category

FAULTY = ROOT / "examples" / "faulty-report.txt"
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), **(env or {})},
    )


@pytest.fixture
def published(tmp_path: Path) -> Path:
    """A folder as an auditor gets it: a faulty report, a clean one, a glued table, an empty file, a hostile title."""
    folder = tmp_path / "published"
    folder.mkdir()
    (folder / "faulty.txt").write_text(FAULTY.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "clean.txt").write_text(
        reportgen.render("tab").replace("青松县人民政府", "白河镇人民政府", 1), encoding="gb18030"
    )
    (folder / "glued.txt").write_text(reportgen.render("tab").replace("规章\t0\t0\t0", "规章1011"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "formula.txt").write_text(
        reportgen.render("tab").replace("青松县人民政府", "=HYPERLINK(1)青松县人民政府", 1), encoding="utf-8"
    )
    return folder


def test_csv_one_row_per_report_reads_back_with_correct_chinese(published: Path, tmp_path: Path) -> None:
    out = tmp_path / "审核.csv"
    p = run("check", str(published), "--format", "csv", "-o", str(out))
    assert p.returncode == 2  # the empty file could not be checked
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Chinese Windows needs the BOM to read UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    by_file = {Path(r["文件"]).name: r for r in rows}
    assert sorted(by_file) == ["clean.txt", "empty.txt", "faulty.txt", "formula.txt", "glued.txt"]
    faulty = by_file["faulty.txt"]
    assert faulty["标题"] == "青松县人民政府2024年政府信息公开工作年度报告"
    assert faulty["发布机关"] == "青松县人民政府" and faulty["年度"] == "2024" and faulty["格式版本"] == "2021"
    assert faulty["输入类型"] == "text" and faulty["状态"] == "有问题"
    assert (faulty["错误"], faulty["警告"], faulty["提示"]) == ("2", "5", "0")
    # A300 (the likely wrong cell, standing for A301 A302 A304) is arithmetic; T101 T102 T105 completeness;
    # S004 S007 structure; N501 prose.
    assert (faulty["结构"], faulty["完整性"], faulty["数值与勾稽"], faulty["正文与表格"], faulty["无法读取"]) == (
        "2",
        "3",
        "1",
        "1",
        "0",
    )
    assert faulty["规则"] == "A300 N501 S004 S007 T101 T102 T105"
    assert by_file["clean.txt"]["发布机关"] == "白河镇人民政府" and by_file["clean.txt"]["状态"] == "通过"
    assert by_file["glued.txt"]["无法读取"] == "1" and by_file["glued.txt"]["规则"] == "T106"
    assert by_file["empty.txt"]["状态"] == "无法读取" and by_file["empty.txt"]["无法读取的原因"] == "文件为空"
    # A title that a spreadsheet would run as a formula is kept as text.
    assert by_file["formula.txt"]["标题"].startswith("'=HYPERLINK(1)")


def test_csv_in_english(published: Path) -> None:
    p = run("check", str(published / "faulty.txt"), "--format", "csv", "--lang", "en")
    rows = list(csv.DictReader(io.StringIO(p.stdout.lstrip("\ufeff"))))
    assert rows[0]["body"] == "青松县人民政府" and rows[0]["arithmetic"] == "1" and rows[0]["status"] == "findings"


def test_xlsx_summary_and_findings_sheets(published: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "审核.xlsx"
    p = run("check", str(published), "--format", "xlsx", "-o", str(out))
    assert p.returncode == 2, p.stderr
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["汇总", "问题清单"]
    summary, findings = workbook["汇总"], workbook["问题清单"]
    for sheet in (summary, findings):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    headers = [c.value for c in summary[1]]
    assert headers[:6] == ["文件", "标题", "发布机关", "年度", "格式版本", "输入类型"]
    rows = {Path(r[0]).name: dict(zip(headers, r)) for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["faulty.txt"]["发布机关"] == "青松县人民政府" and rows["faulty.txt"]["年度"] == 2024
    assert rows["faulty.txt"]["错误"] == 2 and rows["faulty.txt"]["数值与勾稽"] == 1
    assert rows["formula.txt"]["标题"].startswith("=HYPERLINK(1)")  # a string, never a formula
    assert summary.cell(row=2, column=2).data_type == "s"
    finding_headers = [c.value for c in findings[1]]
    listed = [dict(zip(finding_headers, r)) for r in findings.iter_rows(min_row=2, values_only=True)]
    a300 = next(f for f in listed if f["规则"] == "A300")
    assert a300["级别"] == "错误" and a300["类别"] == "数值与勾稽" and a300["行"] == 53
    assert "可能应为 21" in a300["问题"]


def test_xlsx_is_never_written_to_a_terminal_and_needs_its_extra(tmp_path: Path) -> None:
    import pty

    primary, secondary = pty.openpty()
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(FAULTY), "--format", "xlsx"],
        stdout=secondary,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    os.close(secondary)
    os.close(primary)
    assert p.returncode == 2 and "-o" in p.stderr and "终端" in p.stderr
    # Without XlsxWriter: the extra is named, exit 2, nothing written.
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "xlsxwriter.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    out = tmp_path / "a.xlsx"
    p = run(
        "check",
        str(FAULTY),
        "--format",
        "xlsx",
        "-o",
        str(out),
        env={"PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}"},
    )
    assert p.returncode == 2 and 'pip install "disclosure-lint[xlsx]"' in p.stderr
    assert "Traceback" not in p.stderr and not out.exists()


def test_json_document_matches_its_published_schema(published: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    inputs = [str(published)]
    for seed in ("000_9e832b1717b2646d.txt", "001_f216bc686eab11d1.txt"):
        inputs.append(str(shared_path("seeds", seed)))
    doc = json.loads(run("check", *inputs, "--format", "json").stdout)
    validator.validate(doc)
    assert doc["version"] == 2
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["faulty.txt"]["report"] == {
        "title": "青松县人民政府2024年政府信息公开工作年度报告",
        "body": "青松县人民政府",
        "year": 2024,
        "edition": "2021",
        "input_kind": "text",
        "encoding": "utf-8",
    }
    assert by_name["clean.txt"]["report"]["encoding"] == "gb18030"
    assert by_name["empty.txt"]["report"] is None and by_name["empty.txt"]["error"]
    # The schema is not a formality: a document without the metadata, or with a wrong edition, fails.
    broken = json.loads(json.dumps(doc))
    del broken["files"][0]["report"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    broken = json.loads(json.dumps(doc))
    next(f for f in broken["files"] if f["report"])["report"]["edition"] = "2030"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_statistics_separate_a_wrong_report_from_what_could_not_be_read(published: Path) -> None:
    p = run("check", str(published), "--statistics", "--lang", "en")
    rows = {
        Path(line.split()[0]).name: line.split() for line in p.stdout.splitlines() if line.startswith(str(published))
    }
    assert rows["faulty.txt"][4:7] == ["findings", "7", "0"]
    assert rows["faulty.txt"][7:] == ["A300", "N501", "S004", "S007", "T101", "T102", "T105"]
    assert rows["glued.txt"][4:8] == ["partly-unreadable", "0", "1", "T106"]
    assert rows["empty.txt"][4:7] == ["unreadable", "0", "1"]
    assert rows["clean.txt"][4] == "ok"
    assert "3 report(s) wrong" not in p.stdout and "1 report(s) wrong" in p.stdout
    assert "could not read 1 report(s) in part and 1 file(s) at all" in p.stdout
    doc = json.loads(run("check", str(published), "--statistics", "--format", "json").stdout)
    files = {Path(f["path"]).name: f for f in doc["files"]}
    assert files["glued.txt"]["status"] == "partly-unreadable" and files["glued.txt"]["rules"] == {"T106": 1}
    assert files["faulty.txt"]["wrong"] == 7 and files["faulty.txt"]["rules"]["A300"] == 1
    assert doc["summary"]["reports_wrong"] == 1 and doc["summary"]["files_unreadable"] == 1
    assert {"code": "T106", "category": "unreadable"}.items() <= next(
        r for r in doc["rules"] if r["code"] == "T106"
    ).items()


def test_every_built_in_rule_has_one_audit_category_by_folder_and_by_letter() -> None:
    from disclosure_lint.rules.engine import load_rules

    rules = load_rules(())
    assert rules.rules
    for rule in rules.rules:
        # The rule's category (its folder in rules/) and its code letter must agree, so that a reporter
        # given no rule metadata still files each finding under the same heading.
        assert audit_category(rule.code, rule.category) == audit_category(rule.code, None), rule.code
        assert audit_category(rule.code, rule.category) in AUDIT_CATEGORIES
    assert audit_category("T106", "completeness") == "unreadable"
    assert audit_category("N501", "narrative") == "prose"
    assert audit_category("X900", "arithmetic") == "arithmetic"  # a user's rule: its category decides
