"""One table of readers decides what a report is and how it is read: folder walks, load_report, stdin, the output."""

from __future__ import annotations

import html as htmllib
import importlib
import importlib.metadata
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from reportgen import render

from disclosure_lint import __version__, readers
from disclosure_lint.pipeline import load_report
from disclosure_lint.readers import READERS, SUFFIXES, reader_for, source_is_markup

ROOT = Path(__file__).resolve().parents[2]


def web_page(text: str) -> str:
    """A saved web page of the report ``text``: tab-separated lines become table rows, the rest paragraphs."""
    out = ['<html><head><meta charset="utf-8"></head><body>']
    rows: list[str] = []
    for line in text.splitlines():
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{htmllib.escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if rows:
            out.append("<table>\n" + "\n".join(rows) + "\n</table>")
            rows = []
        if line.strip():
            out.append(f"<p>{htmllib.escape(line)}</p>")
    if rows:
        out.append("<table>\n" + "\n".join(rows) + "\n</table>")
    out.append("</body></html>")
    return "\n".join(out)


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_every_row_names_a_render_function_and_distinct_suffixes() -> None:
    assert len({r.kind for r in READERS}) == len(READERS)
    assert len(set(SUFFIXES)) == len(SUFFIXES), "a suffix claimed by two readers"
    for reader in READERS:
        module, _, function = reader.entry.partition(":")
        assert callable(getattr(importlib.import_module(f"disclosure_lint.readers.{module}"), function)), reader
        assert all(s == s.lower() and s.startswith(".") for s in reader.suffixes)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("r.TXT", b"<html><body>x</body></html>", "text"),  # the name decides before the content
        ("r.markdown", b"# x", "markdown"),
        ("page.shtml", b"x", "html"),
        ("<stdin>", b"  <!DOCTYPE html><html><body>x", "html"),  # no suffix: the bytes decide
        ("report.asp", b"<p>x</p><body>", "html"),
        ("<stdin>", "报告".encode(), "text"),
        ("r.docx", b"PK", "docx"),
        ("r.pdf", b"%PDF", "pdf"),
    ],
)
def test_the_reader_comes_from_the_name_then_the_bytes(name: str, data: bytes, kind: str) -> None:
    assert reader_for(name, data).kind == kind


def test_markup_is_a_property_of_the_source_kind() -> None:
    assert source_is_markup("html") and source_is_markup("docx")
    assert not source_is_markup("text") and not source_is_markup("pdf") and not source_is_markup("unknown")


def test_a_folder_walk_finds_every_suffix_the_readers_read(tmp_path: Path) -> None:
    report = render("tab")
    for name in ("a.txt", "b.text", "c.md", "d.markdown"):
        (tmp_path / name).write_text(report, encoding="utf-8")
    for name in ("e.html", "f.htm", "g.shtml", "h.xhtml"):
        (tmp_path / name).write_text(web_page(report), encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    p = run_cli("check", str(tmp_path), "--isolated", "--show-files")
    found = sorted(Path(line).name for line in p.stdout.splitlines())
    assert found == ["a.txt", "b.text", "c.md", "d.markdown", "e.html", "f.htm", "g.shtml", "h.xhtml"], p.stderr


def test_an_empty_folder_lists_the_suffixes_of_the_table(tmp_path: Path) -> None:
    p = run_cli("check", str(tmp_path), "--isolated", "--lang", "en")
    assert p.returncode == 2
    assert "no report files (" + " ".join(SUFFIXES) + ")" in p.stdout + p.stderr


def test_a_shtml_page_names_the_cell_not_a_line_of_markup(tmp_path: Path) -> None:
    # One wrong total in 表三: the finding must name the row and column, never print a line of the page's HTML.
    text = render("tab").replace("\t21\t3\t0\t1\t0\t1\t26", "\t21\t3\t0\t1\t0\t1\t27", 1)
    assert text != render("tab")
    page = tmp_path / "report.shtml"
    page.write_text(web_page(text), encoding="utf-8")
    p = run_cli("check", str(page), "--isolated", "--color", "never", "--format", "full")
    assert p.returncode == 1, p.stderr
    arrows = [line for line in p.stdout.splitlines() if line.strip().startswith("-->")]
    assert arrows and all("表" in line for line in arrows), p.stdout
    assert "<td>" not in p.stdout


def test_a_web_page_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from disclosure_lint.readers import html as html_reader

    calls = []
    real_parse = html_reader._parse

    def counting_parse(source: str) -> object:
        calls.append(source)
        return real_parse(source)

    monkeypatch.setattr(html_reader, "_parse", counting_parse)
    page = (
        '<html><head><meta charset="utf-8"></head><body><h1>某县2023年政府信息公开工作年度报告</h1>'
        '<p>附件：<a href="/u/nb2023.pdf">年度报告.pdf</a></p></body></html>'
    )
    report = load_report("p.html", page.encode())
    assert len(calls) == 1
    assert [p.kind for p in report.problems if p.kind == "attachment-only"] == ["attachment-only"]


def test_the_attachment_notice_is_dropped_when_tables_are_read() -> None:
    page = web_page(render("tab")).replace("</body>", '<p><a href="/u/report.pdf">附件.pdf</a></p></body>')
    report = load_report("p.html", page.encode())
    assert any(t.present for t in report.tables.values())
    assert not [p for p in report.problems if p.kind == "attachment-only"]


def test_stdin_is_read_by_the_reader_its_name_gives(tmp_path: Path) -> None:
    page = web_page(render("tab").replace("\t21\t3\t0\t1\t0\t1\t26", "\t21\t3\t0\t1\t0\t1\t27", 1))
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", "-", "--stdin-filename", "x.shtml", "--format", "json"],
        input=page,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    doc = json.loads(p.stdout)
    assert doc["files"][0]["report"]["input_kind"] == "html", p.stdout[:500]


def test_the_pre_commit_hook_takes_every_input_but_pdf() -> None:
    # PDF needs an extra the hook's environment does not install; every other reader's files are staged reports.
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    taken = {s for s in SUFFIXES if re.search(hook["files"], f"report{s}")}
    assert taken == set(SUFFIXES) - {".pdf"}


# --- one source of the version ---------------------------------------------------------------------


def test_the_version_is_written_once() -> None:
    assert importlib.metadata.version("disclosure-lint") == __version__
    package = Path(readers.__file__).resolve().parents[1]
    literal = f'"{__version__}"'
    holders = [p.name for p in package.rglob("*.py") if literal in p.read_text(encoding="utf-8")]
    assert holders == ["__init__.py"]


def test_machine_outputs_carry_the_package_version(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(render("tab"), encoding="utf-8")
    p = run_cli("check", str(report), "--isolated", "--format", "json")
    assert json.loads(p.stdout)["tool"]["version"] == __version__
    p = run_cli("check", str(report), "--isolated", "--format", "sarif")
    assert json.loads(p.stdout)["runs"][0]["tool"]["driver"]["version"] == __version__
    p = run_cli("--version")
    assert p.stdout.strip() == f"disclosure-lint {__version__}"
