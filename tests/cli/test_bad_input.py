"""Bad input through the real command line: a clear message, the documented exit status, never a traceback.

Exit status (see ``disclosure_lint/cli.py``): 0 no finding at the fail level, 1 such findings, 2 the tool
could not do its job on some input (a file that is not a readable report, a bad option or rule file).
One bad file never stops the others in the same run from being checked.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "clean-report.txt"
FAULTY = ROOT / "examples" / "faulty-report.txt"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m disclosure_lint ARGS`` in a clean environment; fails the test on a traceback."""
    env = {
        "NO_COLOR": "1",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "utf-8",
    }
    if lang is not None:
        env["DISCLOSURE_LINT_LANG"] = lang
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stdout + p.stderr
    assert "内部错误" not in p.stdout + p.stderr and "internal error" not in p.stdout + p.stderr
    return p


def output(p: subprocess.CompletedProcess[str]) -> str:
    return p.stdout + p.stderr


def findings(p: subprocess.CompletedProcess[str]) -> list[tuple[str, int, int]]:
    """(rule, line, column) of every finding in a ``--format json`` run, in order."""
    doc = json.loads(p.stdout)
    return [(d["rule"], d["line"], d["column"]) for f in doc["files"] for d in f["diagnostics"]]


def faulty_text() -> str:
    return FAULTY.read_text(encoding="utf-8")


# --- files that are not reports --------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    p = run("check", str(path))
    assert p.returncode == 2
    assert "文件为空" in output(p) and "empty.txt" in output(p)
    p = run("check", "--lang", "en", str(path))
    assert p.returncode == 2
    assert "the file is empty" in output(p)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n\t\n", encoding="utf-8")
    p = run("check", "--lang", "en", str(path))
    assert p.returncode == 2
    assert "empty" in output(p) or "no text" in output(p)


BINARIES = {
    # name: (magic bytes and a little more, what the Chinese and English messages must name)
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF", "PDF"),
    "report.zip": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(40)), "ZIP", "ZIP"),
    "scan.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02", "PNG", "PNG"),
}


@pytest.mark.parametrize("name", sorted(BINARIES))
def test_binary_files_are_named_not_decoded(tmp_path, name):
    data, zh_word, en_word = BINARIES[name]
    # Saved with a report's extension, as happens when a download is renamed: the content decides.
    for filename in (name, name.rsplit(".", 1)[0] + ".txt"):
        if filename.endswith(".pdf"):
            continue  # .pdf is a supported input: a broken one is covered in tests/readers/test_pdf.py
        path = tmp_path / filename
        path.write_bytes(data)
        p = run("check", str(path))
        assert p.returncode == 2, output(p)
        assert zh_word in output(p) and "不是文本格式的报告" in output(p)
        p = run("check", "--lang", "en", str(path))
        assert p.returncode == 2
        assert en_word in output(p) and "not a text report" in output(p)


def test_random_bytes(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(20240101).randbytes(4096))
    p = run("check", str(path))
    assert p.returncode == 2
    assert "编码" in output(p)  # "无法识别文件编码 …"
    p = run("check", "--lang", "en", str(path))
    assert p.returncode == 2
    assert "decode" in output(p) or "binary" in output(p)


def test_file_over_the_fifty_megabyte_limit_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:  # sparse: no 50 MB written to the test machine's disk
        fh.truncate(50 * 1024 * 1024 + 1)
    p = run("check", "--lang", "en", str(path))
    assert p.returncode == 2
    assert "too large" in output(p) and "50 MB" in output(p)
    p = run("check", str(path))
    assert "过大" in output(p)


def test_directory_without_reports(tmp_path):
    (tmp_path / "notes.docm").write_bytes(b"not a report")
    (tmp_path / "sub").mkdir()
    p = run("check", str(tmp_path))
    assert p.returncode == 2
    assert "目录中没有报告文件" in output(p)
    p = run("check", "--lang", "en", str(tmp_path))
    assert p.returncode == 2
    assert "no report files" in output(p)


def test_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nowhere" / "report.txt"
    p = run("check", str(missing))
    assert p.returncode == 2
    assert "文件不存在" in output(p) and "report.txt" in output(p)
    p = run("check", "--lang", "en", str(missing))
    assert "file not found" in output(p)


@pytest.mark.skipif(IS_ROOT, reason="root can read any file; the refusal is simulated in the next test")
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_file_without_read_permission(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_bytes(CLEAN.read_bytes())
    path.chmod(0)
    try:
        p = run("check", str(path))
        assert p.returncode == 2
        assert "权限" in output(p)
        p = run("check", "--lang", "en", str(path))
        assert "permission denied" in output(p)
    finally:
        path.chmod(0o600)


def test_read_refused_by_the_system(tmp_path):
    """The same refusal as above, made by the operating system for anyone (root included)."""
    path = tmp_path / "locked.txt"
    path.write_bytes(CLEAN.read_bytes())
    # The real command-line entry point, with the one call that opens report files made to fail the way
    # open() fails on a file the user may not read.
    program = (
        "import sys\n"
        "from disclosure_lint import reading\n"
        "def refuse(*args, **kwargs):\n"
        "    raise PermissionError(13, 'Permission denied')\n"
        "reading.open_for_reading = refuse\n"
        "from disclosure_lint.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for lang, expected in (("zh", "没有读取该文件的权限"), ("en", "permission denied")):
        p = subprocess.run(
            [sys.executable, "-c", program, "check", "--lang", lang, str(path)],
            capture_output=True,
            encoding="utf-8",
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
            timeout=120,
        )
        assert "Traceback" not in p.stdout + p.stderr
        assert p.returncode == 2
        assert expected in p.stdout + p.stderr


@pytest.mark.parametrize(
    ("data", "zh", "en"),
    [(b"", "文件为空", "the file is empty"), (BINARIES["report.pdf"][0], "PDF", "PDF")],
    ids=["empty", "pdf"],
)
def test_bad_input_on_stdin(data, zh, en):
    for lang, expected in (("zh", zh), ("en", en)):
        p = subprocess.run(
            [sys.executable, "-m", "disclosure_lint", "check", "--lang", lang, "-"],
            input=data,
            capture_output=True,
            cwd=ROOT,
            env={"NO_COLOR": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)},
            timeout=120,
        )
        out = (p.stdout + p.stderr).decode("utf-8")
        assert "Traceback" not in out
        assert p.returncode == 2
        assert expected in out and "<stdin>" in out


def test_bad_files_do_not_stop_the_others(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(BINARIES["report.pdf"][0])
    empty = tmp_path / "b.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "c.txt"
    p = run("check", "--format", "json", str(pdf), str(FAULTY), str(empty), str(missing))
    assert p.returncode == 2
    doc = json.loads(p.stdout)
    by_path = {Path(f["path"]).name: f for f in doc["files"]}
    assert {"a.pdf", "b.txt", "c.txt", "faulty-report.txt"} <= set(by_path)
    assert by_path["faulty-report.txt"]["diagnostics"], "the readable report was not checked"
    assert any(d["rule"] == "A300" for d in by_path["faulty-report.txt"]["diagnostics"])
    # The human-readable report names each problem.
    p = run("check", str(pdf), str(FAULTY), str(empty), str(missing))
    assert p.returncode == 2
    text = output(p)
    assert "PDF" in text and "文件为空" in text and "文件不存在" in text and "A300" in text


# --- encodings and line ends ------------------------------------------------------------------------


def _same_findings_as_utf8(tmp_path: Path, name: str, data: bytes) -> None:
    reference = run("check", "--format", "json", str(FAULTY))
    path = tmp_path / name
    path.write_bytes(data)
    p = run("check", "--format", "json", str(path))
    assert p.returncode == reference.returncode == 1, output(p)
    assert findings(p) == findings(reference)


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf16-bom.txt", "utf-16"),  # Python writes a BOM for "utf-16"
        ("utf16le-no-bom.txt", "utf-16-le"),
        ("utf16be-no-bom.txt", "utf-16-be"),
    ],
)
def test_utf16_reports_are_checked(tmp_path, name, encoding):
    _same_findings_as_utf8(tmp_path, name, faulty_text().encode(encoding))


def test_gb18030_report_is_checked(tmp_path):
    _same_findings_as_utf8(tmp_path, "gb18030.txt", faulty_text().encode("gb18030"))


def test_crlf_report_is_checked(tmp_path):
    _same_findings_as_utf8(tmp_path, "crlf.txt", faulty_text().replace("\n", "\r\n").encode("utf-8"))


def test_utf8_bom_report_is_checked(tmp_path):
    _same_findings_as_utf8(tmp_path, "bom.txt", b"\xef\xbb\xbf" + faulty_text().encode("utf-8"))


# --- damaged tables ----------------------------------------------------------------------------------


def _clean_lines() -> list[str]:
    return CLEAN.read_text(encoding="utf-8").split("\n")


def _line_index(lines: list[str], prefix: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


def test_report_cut_off_in_the_middle_of_a_table(tmp_path):
    lines = _clean_lines()
    cut = _line_index(lines, "4.保护第三方合法权益")
    path = tmp_path / "truncated.txt"
    path.write_text("\n".join(lines[:cut]) + "\n4.保护第三方合法", encoding="utf-8")
    p = run("check", "--format", "json", str(path))
    assert p.returncode == 1, output(p)
    rules = {rule for rule, _line, _col in findings(p)}
    assert "S001" in rules  # parts four to six are missing
    assert "T103" in rules  # and so are the rest of table three's rows
    lines_in_file = len(path.read_text(encoding="utf-8").split("\n"))
    assert all(1 <= line <= lines_in_file for _rule, line, _col in findings(p))


def test_duplicated_row_is_a_warning(tmp_path):
    lines = _clean_lines()
    i = _line_index(lines, "4.保护第三方合法权益")
    path = tmp_path / "duplicated.txt"
    path.write_text("\n".join([*lines[: i + 1], lines[i], *lines[i + 1 :]]), encoding="utf-8")
    p = run("check", "--format", "json", str(path))
    assert p.returncode == 0, output(p)  # a warning only: the first occurrence is used
    doc = json.loads(p.stdout)
    diagnostics = doc["files"][0]["diagnostics"]
    assert [(d["rule"], d["severity"], d["line"]) for d in diagnostics] == [("T107", "warning", i + 2)]
    assert "表三" in diagnostics[0]["message"]


def test_shuffled_rows_are_read_by_their_labels(tmp_path):
    lines = _clean_lines()
    first = _line_index(lines, "2.其他法律行政法规禁止公开")
    last = _line_index(lines, "8.属于行政查询事项")
    block = lines[first : last + 1]
    random.Random(7).shuffle(block)
    assert block != lines[first : last + 1]
    path = tmp_path / "shuffled.txt"
    path.write_text("\n".join([*lines[:first], *block, *lines[last + 1 :]]), encoding="utf-8")
    p = run("check", "--format", "json", str(path))
    assert p.returncode == 0, output(p)
    # Only the order is said (T110, an info, where the report grammar's parse found a row out of order).
    shuffled_lines = {first + 1 + k for k in range(len(block))}
    assert findings(p) and {(rule, line in shuffled_lines) for rule, line, _column in findings(p)} == {("T110", True)}
    # Every cell has the value of the row whose label it follows, not of the row at its position.
    original = json.loads(run("extract", "--format", "json", str(CLEAN)).stdout)
    shuffled = json.loads(run("extract", "--format", "json", str(path)).stdout)
    assert _cell_values(shuffled) == _cell_values(original)


def _cell_values(doc: dict) -> dict[str, object]:
    """cell id -> (value, status) of the one report in an ``extract --format json`` document."""
    (report,) = doc["reports"]
    values = {cid: (cell["value"], cell["status"]) for cid, cell in report["cells"].items()}
    assert values, "no cells in the extract output"
    return values


def test_absurdly_long_number_in_the_prose(tmp_path):
    """Thousands of digits where a count belongs: not a claim to compare with the tables, no crash."""
    text = CLEAN.read_text(encoding="utf-8")
    assert "全年共收到政府信息公开申请25件" in text
    path = tmp_path / "long-number.txt"
    path.write_text(text.replace("申请25件", "申请" + "9" * 5000 + "件"), encoding="utf-8")
    p = run("check", "--format", "json", str(path))
    assert p.returncode == 0, output(p)


@pytest.mark.parametrize("cell", ["9" * 5000, "9" * 400 + ".5"], ids=["5000-digits", "overflows-float"])
def test_absurdly_long_number_in_a_table_cell(tmp_path, cell):
    text = CLEAN.read_text(encoding="utf-8")
    assert "\t25\n" in text
    path = tmp_path / "long-cell.txt"
    path.write_text(text.replace("\t25\n", "\t" + cell + "\n", 1), encoding="utf-8")
    p = run("check", "--format", "json", str(path))
    assert p.returncode == 1, output(p)  # an invalid (or implausible) value, reported as a finding


# --- the files checked are never written ----------------------------------------------------------


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "sarif"), ("--lang", "en")])
def test_checked_files_are_never_modified(tmp_path, args):
    reports = tmp_path / "reports"
    reports.mkdir()
    for source in (CLEAN, FAULTY):
        (reports / source.name).write_bytes(source.read_bytes())
    (reports / "gbk.txt").write_bytes(faulty_text().replace("\n", "\r\n").encode("gb18030"))
    (reports / "broken.txt").write_bytes(b"")
    # An old timestamp: a rewrite, even of identical bytes, would move it.
    for path in reports.iterdir():
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in reports.iterdir()}
    out = tmp_path / "out.txt"
    run("check", *args, "--output", str(out), str(reports))
    run("extract", "--format", "json", "--output", str(tmp_path / "cells.json"), str(reports))
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_mode) for p in reports.iterdir()}
    assert after == before  # same files (nothing created beside them), same bytes, times and modes
