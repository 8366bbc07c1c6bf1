"""The Python API (``disclosure_lint.lint``, ``load_report``) and the reporter registry behind ``check --format``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import reportgen

import disclosure_lint
from disclosure_lint import RunOptions, extract, lint, load_report, settings
from disclosure_lint.cli import build_parser
from disclosure_lint.reporters import REPORTERS, Style, reporter


def faulty_text() -> str:
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    t3["total"][0] += 1  # （七）总计 × 自然人 one too many: A300 names the likely wrong cell
    return reportgen.render("tab", t3=t3)


def folder(tmp_path: Path, name: str = "reports", **texts: str) -> Path:
    top = tmp_path / name
    top.mkdir()
    for name, text in texts.items():
        (top / name).write_text(text, encoding="utf-8")
    return top


def rules_of(result, path: Path) -> set[str]:
    (file,) = [f for f in result.files if Path(f.path) == path]
    return {d.rule for d in file.diagnostics}


def test_lint_a_folder_finds_the_faulty_report_and_fails(tmp_path: Path):
    top = folder(tmp_path, **{"clean.txt": reportgen.render("tab"), "faulty.txt": faulty_text()})
    result = lint([top], settings(isolated=True))
    assert sorted(Path(f.path).name for f in result.files) == ["clean.txt", "faulty.txt"]
    assert all(f.error is None and f.summary is not None for f in result.files)
    assert "A300" in rules_of(result, top / "faulty.txt")
    assert "A300" not in rules_of(result, top / "clean.txt")
    assert result.failed and not result.incomplete
    assert result.exit_status == 1
    # The source lines the code frames are drawn from: those the findings point at, and only those (a
    # single report is compared with no other year, so nothing else is wanted of it).
    single = lint([top / "faulty.txt"], settings(isolated=True))
    (faulty,) = single.files
    shown = faulty.lines
    text = (top / "faulty.txt").read_text(encoding="utf-8").split("\n")
    assert {d.span.line for d in faulty.diagnostics if d.span} <= set(shown)
    assert all(shown[number] == text[number - 1] for number in shown)
    assert len(shown) < len(text) / 2


def test_exit_status_follows_fail_level_and_exit_zero(tmp_path: Path):
    top = folder(tmp_path, **{"clean.txt": reportgen.render("tab")})
    assert lint([top], settings(isolated=True)).exit_status == 0
    faulty = folder(tmp_path, "faulty", **{"faulty.txt": faulty_text()})
    assert lint([faulty], settings(isolated=True)).exit_status == 1
    assert lint([faulty], settings(isolated=True), RunOptions(exit_zero=True)).exit_status == 0
    # Selecting only rules that stay silent on this report makes it pass.
    assert lint([faulty], settings(isolated=True, select="S001")).exit_status == 0


def test_an_unreadable_or_skipped_file_makes_the_run_incomplete(tmp_path: Path):
    top = folder(tmp_path, **{"clean.txt": reportgen.render("tab"), "empty.txt": ""})
    (top / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = lint([top], settings(isolated=True), RunOptions(exit_zero=True))
    (empty,) = [f for f in result.files if f.path.endswith("empty.txt")]
    assert empty.error
    assert [Path(s.path).name for s in result.skipped] == ["old.doc"]
    assert result.exit_status == 2  # exit_zero never hides an incomplete run
    missing = lint([tmp_path / "nowhere.txt"], settings(isolated=True))
    assert missing.collection_errors and missing.exit_status == 2


def test_baseline_written_then_applied(tmp_path: Path):
    top = folder(tmp_path, **{"faulty.txt": faulty_text()})
    base = tmp_path / "baseline.json"
    written = lint([top], settings(isolated=True), RunOptions(write_baseline=str(base)))
    assert written.baseline_written and written.exit_status == 0
    again = lint([top], settings(isolated=True, baseline=str(base)))
    assert again.baseline is not None and again.baseline.suppressed == written.baseline_written
    assert all(not f.diagnostics for f in again.files) and again.exit_status == 0
    assert again.extras()["baseline"]["suppressed"] == written.baseline_written


def test_load_report_reads_without_checking(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text(reportgen.render("tab"), encoding="utf-8")
    report = load_report(path)
    assert report.year == 2024
    assert report.tables[3].present


def test_importing_the_package_does_not_load_the_api():
    code = "import sys, disclosure_lint; print('disclosure_lint.api' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert disclosure_lint.lint is lint


def format_choices(command: str) -> list[str]:
    """The choices ``COMMAND --format`` offers, read from the parser the command line really uses."""
    import argparse

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    (fmt,) = [a for a in commands.choices[command]._actions if a.dest == "format"]
    return list(fmt.choices)


def test_every_format_choice_is_served_by_the_registry(tmp_path: Path):
    top = folder(tmp_path, **{"faulty.txt": faulty_text()})
    result = lint([top], settings(isolated=True), RunOptions(with_cells=True))
    for fmt in format_choices("check"):
        for statistics in (False, True):
            chosen = reporter(fmt, statistics=statistics)
            assert chosen.name in REPORTERS
            if chosen.binary:
                pytest.importorskip("xlsxwriter")
                out: io.IOBase = io.BytesIO()
            else:
                out = io.StringIO()
            chosen.write(result, out, Style(color=False))
            written = out.getvalue()
            assert written, (fmt, statistics)
            assert chosen.binary or chosen.name.startswith("statistics") or "faulty.txt" in written
            if chosen.name in ("json", "statistics-json", "sarif", "gitlab"):
                json.loads(written)


def test_json_document_carries_the_run_extras(tmp_path: Path):
    top = folder(tmp_path, **{"faulty.txt": faulty_text()})
    (top / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = lint([top], settings(isolated=True))
    out = io.StringIO()
    REPORTERS["json"].write(result, out)
    doc = json.loads(out.getvalue())
    assert [Path(s["path"]).name for s in doc["skipped"]] == ["old.doc"]
    assert "baseline" not in doc and "pairing" not in doc  # one report: nothing paired, no baseline


def test_extract_reads_without_checking_and_every_extract_format_is_registered(tmp_path: Path):
    top = folder(tmp_path, **{"faulty.txt": faulty_text(), "empty.txt": ""})
    extracted = extract([top], settings(isolated=True), lang="en")
    assert [Path(r.path).name for r in extracted.reports] == ["faulty.txt"]
    assert [Path(p).name for p, _message in extracted.failures] == ["empty.txt"]
    assert extracted.exit_status == 2
    for fmt in format_choices("extract"):
        chosen = reporter(fmt, command="extract")
        out = io.StringIO()
        chosen.write(extracted, out, Style(color=False))
        assert "faulty.txt" in out.getvalue() or fmt == "table", fmt
        assert "2024" in out.getvalue(), fmt
