"""PDF reports read from their table geometry, cell-for-cell like the equivalent text report (issue #9)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path
from markupgen import cells_of, table_rows, text_cells
from pdfgen import make_pdf
from reportgen import T4_DATA, render

from disclosure_lint import formats
from disclosure_lint.errors import InputError, MissingDependencyError
from disclosure_lint.model import CellStatus, Report
from disclosure_lint.pipeline import load_report
from disclosure_lint.readers.pdf import render_pdf
from disclosure_lint.rules.engine import load_rules, run_rules

pytest.importorskip("pdfplumber")
pytest.importorskip("fpdf")


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return make_pdf()


def test_ruled_tables_read_like_the_text_report(plain_pdf):
    report = load_report("report.pdf", plain_pdf)
    assert report.input_kind == "pdf"
    assert cells_of(report) == text_cells()
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert run_rules(report, load_rules()) == []


@pytest.mark.parametrize("repeat_header", [False, True])
def test_table_split_over_pages_with_footer(repeat_header):
    # A short page puts the page break (and its "— n —" footer) in the middle of 表三's rows,
    # through the vertical label 三、本年度办理结果 and a merged group label.
    data = make_pdf(repeat_header=repeat_header, page_height=200.0)
    rendered, _ = render_pdf(data, "report.pdf")
    assert rendered.text.count("申请人情况") == 1  # a repeated header is read once
    report = load_report("report.pdf", data)
    pages = {c.span.page for cid, c in report.cells.items() if cid.startswith("t3.")}
    assert len(pages) >= 2, "表三 must really run over a page break in this test"
    assert cells_of(report) == text_cells()
    assert run_rules(report, load_rules()) == []


def test_vertical_label_on_one_page_is_one_field():
    data = make_pdf(page_height=420.0)  # 表三 on one page: the label runs down its 22 rows, a character a line
    rendered, _ = render_pdf(data, "report.pdf")
    assert "\n三、本年度办理结果\t（一）予以公开\t" in rendered.text
    assert cells_of(load_report("report.pdf", data)) == text_cells()


def test_numbers_wrapped_inside_narrow_cells():
    import pdfplumber

    data = make_pdf(narrow_numbers=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        printed = "".join(page.extract_text() for page in pdf.pages)
    assert "1523" not in printed and "12.35" not in printed  # really wrapped on the page
    report = load_report("report.pdf", data)
    assert report.cells["t2.licensing.decisions"].value == 1523
    assert report.cells["t2.fees.amount"].value == 12.35
    assert cells_of(report) == text_cells()


def test_blank_cells_are_blank_and_located():
    rows = table_rows()
    for row in rows[2]:
        if row[0][0] == "行政处罚":
            row[1] = ("", 1, 3)
    report = load_report("report.pdf", make_pdf(rows=rows))
    cell = report.cells["t2.penalty.decisions"]
    assert cell.status is CellStatus.BLANK
    expected = {**text_cells(), "t2.penalty.decisions": ("blank", None)}
    assert cells_of(report) == expected
    found = [d for d in run_rules(report, load_rules()) if d.rule == "T101"]
    assert len(found) == 1
    d = found[0].to_dict()
    assert d["page"] == cell.span.page and len(d["box"]) == 4
    assert d["where"].startswith(f"第 {cell.span.page} 页 表二 第 ") and d["where"].endswith("行第 2 列")


def test_findings_name_page_and_cell_in_json_and_sarif(plain_pdf, tmp_path):
    rows = table_rows()
    for row in rows[3]:
        if row[0][0] == "（七）总计":
            row[1] = ("99", 1, 1)  # 自然人
    path = tmp_path / "r.pdf"
    path.write_bytes(make_pdf(rows=rows))
    report = load_report(str(path))
    assert report.cells["t3.total.natural_person"].value == 99
    out = subprocess.run(
        ["disclosure-lint", "check", str(path), "--format", "sarif"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 1
    results = json.loads(out.stdout)["runs"][0]["results"]
    on_cell = [r for r in results if "「（七）总计」行" in json.dumps(r, ensure_ascii=False)]
    assert on_cell
    cell = report.cells["t3.total.natural_person"]
    for result in on_cell:
        location = result["locations"][0]
        assert location["properties"]["page"] == cell.span.page
        assert len(location["properties"]["box"]) == 4
        names = " ".join(loc.get("name", "") for loc in location["logicalLocations"])
        assert f"第 {cell.span.page} 页" in names
    data = json.loads(
        subprocess.run(
            ["disclosure-lint", "extract", "--format", "json", str(path)], capture_output=True, text=True
        ).stdout
    )
    assert "page" in json.dumps(data)


def test_scan_only_pdf_is_one_clear_finding():
    data = _only_scans()
    report = load_report("scan.pdf", data)
    found = run_rules(report, load_rules())
    assert [d.rule for d in found] == ["S016"]
    assert "扫描" in found[0].message.zh


def _only_scans() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (100, 140), 200), x=20, y=20, w=150)
    return bytes(pdf.output())


def test_a_scanned_page_among_text_pages_is_reported():
    report = load_report("report.pdf", make_pdf(scan_page=True))
    assert cells_of(report) == text_cells()
    found = run_rules(report, load_rules())
    assert [d.rule for d in found] == ["S016"]
    assert "第 " in found[0].message.zh and "扫描" in found[0].message.zh


def test_encrypted_pdf_is_a_clear_error(plain_pdf):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "report")
    with pytest.raises(InputError) as info:
        load_report("locked.pdf", bytes(pdf.output()))
    assert "加密" in info.value.zh and "encrypted" in info.value.en


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_or_damaged_pdf_is_a_clear_error(plain_pdf, cut, tmp_path):
    data = plain_pdf[: int(len(plain_pdf) * cut)]
    path = tmp_path / "cut.pdf"
    path.write_bytes(data)
    out = subprocess.run(["disclosure-lint", "check", str(path)], capture_output=True, text=True, check=False)
    # A cut file may still hold its first pages intact: then it is read (and findings say what is missing).
    assert out.returncode in (1, 2), out.stderr
    assert "Traceback" not in out.stderr and "内部错误" not in out.stderr + out.stdout


def test_not_a_pdf_named_pdf_is_a_clear_error(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_text(render("tab"), encoding="utf-8")
    out = subprocess.run(["disclosure-lint", "check", str(path)], capture_output=True, text=True, check=False)
    assert out.returncode == 2 and "PDF" in out.stderr + out.stdout


# --- the real published PDFs, read in place -------------------------------------------------------

REAL = ["001_hongzequ_2023", "002_hongzequ_2024", "003_huaianshi_2024"]


@pytest.mark.parametrize("name", REAL)
def test_real_pdf_reads_like_its_text_copy(name):
    pdf = load_report(str(shared_path("corpus", "pdf", f"{name}.pdf")))
    text = load_report(str(shared_path("corpus", f"{name}.txt")))
    assert cells_of(pdf) == cells_of(text)
    # Every cell the report has is a number; the 洪泽区 reports lack only the three （六） sub-rows.
    statuses = {pdf.cells[c].status for c in formats.STANDARD_CELL_IDS}
    assert statuses <= {CellStatus.OK, CellStatus.MISSING}
    missing = {c for c in formats.STANDARD_CELL_IDS if pdf.cells[c].status is CellStatus.MISSING}
    assert all(c.startswith("t3.other.") for c in missing) and (
        not missing or (name.startswith("00") and "hongze" in name)
    )
    assert [s.number for s in pdf.sections] == [1, 2, 3, 4, 5, 6]


def test_real_pdf_faults_found_on_the_right_cells():
    report = load_report(str(shared_path("corpus", "pdf", "001_hongzequ_2023.pdf")))
    found = run_rules(report, load_rules())
    errors = {d.cells[0]: d for d in found if d.rule.startswith("A")}
    assert set(errors) == {"t4.review.total", "t4.litigation_after_review.total"}
    review = errors["t4.review.total"]
    assert (review.expected, review.actual) == (11, 0)
    assert review.span.page == 4 and review.span.where.zh == "第 4 页 表四 第 4 行第 5 列"
    assert review.place.zh == "表四 ·「行政复议」行 ·「总计」列"
    # The 行政复议 total alone explains its group (A300 names it); 复议后起诉 has several candidates (A401).
    assert errors["t4.review.total"].rule == "A300" and errors["t4.litigation_after_review.total"].rule == "A401"
    # No false error: everything else reported is a true fault of the report (its old （六） row, a typo, and
    # a part 五 that says nothing of last year's problems, S011).
    assert {d.rule for d in found} == {"A300", "A401", "F001", "T105", "S011"}


def test_real_pdf_without_table_faults_is_clean():
    report = load_report(str(shared_path("corpus", "pdf", "003_huaianshi_2024.pdf")))
    # Only the info that part 五 says nothing of last year's problems, which is true of this report.
    assert [d.rule for d in run_rules(report, load_rules())] == ["S011"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("name", REAL)
def test_reading_order_text_copy_is_read_right_or_refused(name, tmp_path):
    """pdftotext without -layout prints columns top to bottom: no value may be read wrong with status ok."""
    out = tmp_path / "copy.txt"
    subprocess.run(["pdftotext", str(shared_path("corpus", "pdf", f"{name}.pdf")), str(out)], check=True)
    copy = load_report(str(out))
    truth = load_report(str(shared_path("corpus", f"{name}.txt")))
    assert_read_right_or_refused(copy, truth)


def assert_read_right_or_refused(copy: Report, truth: Report) -> None:
    wrong = [
        c
        for c in formats.STANDARD_CELL_IDS
        if copy.cells[c].status is CellStatus.OK and copy.cells[c].value != truth.cells[c].value
    ]
    assert wrong == []
    found = run_rules(copy, load_rules())
    refused = {d.place.zh for d in found if d.rule == "T109"}
    truth_arithmetic = {(d.rule, tuple(d.cells)) for d in run_rules(truth, load_rules()) if d.rule[0] in "AN"}
    # No arithmetic or prose finding built on a misread: only those the true values also give.
    assert {(d.rule, tuple(d.cells)) for d in found if d.rule[0] in "AN"} <= truth_arithmetic
    for n, table in copy.tables.items():
        if table.unreadable == "scattered":
            assert table.name in refused
            assert not any(c.ok for c in copy.cells.values() if c.table == n)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("page_height", [297.0, 200.0])
def test_reading_order_copy_of_a_generated_pdf(page_height, tmp_path):
    source = tmp_path / "r.pdf"
    source.write_bytes(make_pdf(page_height=page_height))
    out = tmp_path / "copy.txt"
    subprocess.run(["pdftotext", str(source), str(out)], check=True)
    copy = load_report(str(out))
    assert_read_right_or_refused(copy, load_report("r.txt", render("tab").encode()))
    # With -layout the columns stay on their rows: then the copy is read in full.
    subprocess.run(["pdftotext", "-layout", str(source), str(out)], check=True)
    laid_out = load_report(str(out))
    assert_read_right_or_refused(laid_out, load_report("r.txt", render("tab").encode()))


def test_pdf_without_pdfplumber_asks_for_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    with pytest.raises(MissingDependencyError) as info:
        load_report("report.pdf", b"%PDF-1.4 whatever")
    assert 'pip install "disclosure-lint[pdf]"' in info.value.zh
    assert 'pip install "disclosure-lint[pdf]"' in info.value.en


def test_pdf_without_pdfplumber_exits_2(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4 whatever")
    code = "import sys; sys.modules['pdfplumber'] = None; from disclosure_lint.cli import main; sys.exit(main())"
    out = subprocess.run([sys.executable, "-c", code, "check", str(path)], capture_output=True, text=True)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "disclosure-lint[pdf]" in out.stdout + out.stderr


def test_directory_walk_picks_up_pdf_files(plain_pdf, tmp_path):
    (tmp_path / "a.pdf").write_bytes(plain_pdf)
    (tmp_path / "b.txt").write_text(render("tab"), encoding="utf-8")
    out = subprocess.run(
        ["disclosure-lint", "check", str(tmp_path), "--format", "json"], capture_output=True, text=True, check=False
    )
    paths = {f["path"] for f in json.loads(out.stdout)["files"]}
    assert {p.rsplit("/", 1)[-1] for p in paths} == {"a.pdf", "b.txt"}
    assert out.returncode == 0


# --- T109: text that lost its table structure is refused, never guessed ------------------------------


def test_t108_several_rows_of_numbers_under_one_label_refuse_table_3():
    text = render("tab").replace(
        "3.要求提供公开出版物\t0\t0\t0\t0\t0\t0\t0", "3.要求提供公开出版物\t" + "\t".join(["0"] * 14)
    )
    report = load_report("r.txt", text.encode())
    assert report.tables[3].unreadable == "scattered"
    assert not any(c.ok for c in report.cells.values() if c.table == 3)
    found = run_rules(report, load_rules())
    assert [d.rule for d in found] == ["T109"]
    assert "表三" in found[0].message.zh and found[0].section == 3


def test_t108_table_4_numbers_interleaved_with_its_header():
    tab = render("tab")
    head, rest = tab.split("行政复议\t行政诉讼\n", 1)
    numbers = [str(v) for v in T4_DATA]
    tail = rest.split("\n\n", 1)[1]
    # Reading order: header cells one per line, the first four numbers, a header cell, the rest.
    header = "\n".join(["行政复议", "行政诉讼", "结果", "维持", "结果", "纠正", "其他", "结果", "尚未", "审结"])
    block = header + "\n" + "\n".join(numbers[:4]) + "\n总计\n" + "\n".join(numbers[4:]) + "\n\n"
    report = load_report("r.txt", (head + block + tail).encode())
    assert report.tables[4].unreadable == "scattered"
    found = run_rules(report, load_rules())
    assert [d.rule for d in found] == ["T109"]
    assert not any(c.ok for c in report.cells.values() if c.table == 4)


def test_t108_silent_on_a_table_read_whole():
    for layout in ("tab", "cell-per-line", "pipe", "markdown", "pdf"):
        report = load_report("r.txt", render(layout).encode())
        assert all(t.unreadable is None for t in report.tables.values()), layout
        assert "T109" not in {d.rule for d in run_rules(report, load_rules())}, layout


# --- limits: bundled reports, long files, hostile files ---------------------------------------------


def test_a_pdf_bundling_two_reports_checks_the_first_and_says_so():
    report = load_report("two.pdf", make_pdf(copies=2))
    assert cells_of(report) == text_cells()
    found = run_rules(report, load_rules())
    assert [d.rule for d in found] == ["S016"]
    assert "另一份报告" in found[0].message.zh


def test_pages_beyond_the_limit_are_not_read_and_said(monkeypatch):
    from disclosure_lint.readers import pdf as reader

    monkeypatch.setattr(reader, "MAX_PAGES", 1)
    report = load_report("long.pdf", make_pdf())
    found = run_rules(report, load_rules())
    s009 = [d for d in found if d.rule == "S016"]
    assert len(s009) == 1 and "上限" in s009[0].message.zh


def _raw_pdf(content: bytes, extra: list[bytes] | None = None, resources: bytes = b"") -> bytes:
    """A one-page PDF with the given (compressed) content stream and more objects (5, 6 …), written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R %s >>" % resources,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        *(extra or []),
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def test_a_content_stream_bomb_is_refused_quickly():
    import zlib

    bomb = _raw_pdf(zlib.compress(b"0 0 m " * (3 * 1024 * 1024), 9))  # 18 MB of drawing commands
    assert len(bomb) < 200_000
    with pytest.raises(InputError) as info:
        load_report("bomb.pdf", bomb)
    assert "庞大" in info.value.zh


def test_a_page_of_forms_drawing_forms_is_stopped(monkeypatch):
    import zlib

    from disclosure_lint.readers import pdf as reader

    monkeypatch.setattr(reader, "MAX_PAGE_SECONDS", 1.0)

    def form(content: bytes, resources: bytes = b"") -> bytes:
        data = zlib.compress(content)
        head = b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Filter /FlateDecode /Length %d %s >>"
        return head % (len(data), resources) + b"\nstream\n" + data + b"\nendstream"

    # Small on disk, 9 million text-drawing operations once form A has drawn form B 3,000 times.
    bomb = _raw_pdf(
        zlib.compress(b"/A Do"),
        [
            form(b"q /B Do Q\n" * 3000, b"/Resources << /XObject << /B 6 0 R >> >>"),
            form(b"BT /F1 12 Tf 72 720 Td (hello world) Tj ET\n" * 3000),
        ],
        b"/Resources << /XObject << /A 5 0 R >> >>",
    )
    assert len(bomb) < 5000
    report = load_report("forms.pdf", bomb)
    found = [d for d in run_rules(report, load_rules()) if d.rule == "S016"]
    assert len(found) == 1 and "从第 1 页起未读取" in found[0].message.zh


def test_minimal_pdf_without_fonts_is_read_quietly(capfd):
    import zlib

    # No font resources at all: pdfminer falls back to a default font and would log warnings.
    data = _raw_pdf(zlib.compress(b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"))
    assert load_report("tiny.pdf", data).text == "hello\n"
    assert capfd.readouterr().err == ""


def test_mutated_pdfs_never_crash(plain_pdf):
    import random

    rng = random.Random(9)
    for _ in range(25):
        data = bytearray(plain_pdf)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(InputError):  # a clear error is fine; anything else fails the test
            load_report("mutated.pdf", bytes(data))


def test_sarif_of_a_real_pdf_is_valid_against_the_official_schema(tmp_path):
    import jsonschema
    from jsonschema.validators import validator_for

    schema = json.loads((Path(__file__).parent.parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    pdf = shared_path("corpus", "pdf", "001_hongzequ_2023.pdf")
    out = subprocess.run(["disclosure-lint", "check", str(pdf), "--format", "sarif"], capture_output=True, text=True)
    doc = json.loads(out.stdout)
    validator = validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert not errors
    a401 = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "A401"]
    assert {r["locations"][0]["properties"]["page"] for r in a401} == {4}


@pytest.mark.parametrize("page_height", [297.0, 200.0])
def test_tables_drawn_without_lines_are_read_right_or_not_at_all(page_height):
    # No rectangles to read cells from: the text's own gaps are the only separators left.
    report = load_report("report.pdf", make_pdf(ruled=False, page_height=page_height))
    assert_read_right_or_refused(report, load_report("r.txt", render("tab").encode()))
    assert sum(c.ok for c in report.cells.values()) >= 150


def _char(text: str, x0: float, top: float = 100.0, size: float = 12.0) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size}


def test_kangxi_radicals_read_as_the_ideographs_they_look_like():
    from disclosure_lint.readers.pdf import _lines

    # "⼀、总体情况" as some PDF producers encode it: ⼀ is U+2F00 KANGXI RADICAL ONE, not 一.
    chars = [_char(ch, 72 + 12 * i) for i, ch in enumerate("\u2f00、总体情况")]
    assert [line.text for line in _lines(chars, 1)] == ["一、总体情况"]


def test_gap_between_label_and_number_separates_cells_but_not_prose():
    from disclosure_lint.readers.pdf import _lines

    label = [_char(ch, 72 + 12 * i) for i, ch in enumerate("行政许可")]
    number = [_char(d, 72 + 48 + 40 + 6 * i) for i, d in enumerate("550")]
    prose = [_char(ch, 72 + 12 * i, top=200) for i, ch in enumerate("2023年")]
    assert [line.text for line in _lines(label + number + prose, 1)] == ["行政许可\t550", "2023年"]


def test_pages_whose_glyphs_have_no_character_codes_are_not_read(monkeypatch):
    import pdfplumber.page

    data = make_pdf()
    # pdfminer writes unmappable glyphs as "(cid:N)": make every character of page 2 such a glyph.
    chars_property = pdfplumber.page.Page.chars

    def unmapped_chars(self: pdfplumber.page.Page) -> list[dict[str, object]]:
        chars = chars_property.fget(self)
        if self.page_number == 2:
            return [{**c, "text": "(cid:17)"} for c in chars]
        return chars

    monkeypatch.setattr(pdfplumber.page.Page, "chars", property(unmapped_chars))
    report = load_report("report.pdf", data)
    found = [d for d in run_rules(report, load_rules()) if d.rule == "S016"]
    assert len(found) == 1 and "第 2 页的文字无法提取" in found[0].message.zh
