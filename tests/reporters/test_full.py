"""The full format fits the screen: windows of long lines, cell text instead of markup, bounded output."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import shared_path
from rich.console import Console

from disclosure_lint.bilingual import Text
from disclosure_lint.diagnostics import Diagnostic, Related, Severity
from disclosure_lint.model import Span
from disclosure_lint.reporters import FileResult
from disclosure_lint.reporters.full import print_results
from disclosure_lint.text import display_width

ROOT = Path(__file__).resolve().parents[2]


def _render(diag: Diagnostic, lines: list[str], width: int) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, no_color=True, highlight=False, soft_wrap=True)
    numbered = {number: line for number, line in enumerate(lines, start=1)}
    print_results(console, [FileResult(diag.path, [diag], lines=numbered)], lang="zh", fail_on=Severity.ERROR)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("where", [5, 300, 590])
def test_long_line_is_windowed_with_the_caret_under_the_span(width: int, where: int):
    prose = "全年共收到政府信息公开申请" * 50
    line = prose[:where] + "9876" + prose[where:]
    diag = Diagnostic("N501", "n", Severity.WARNING, Text.same("数字不符"), "r.txt", Span(3, where + 1, 3, where + 5))
    out = _render(diag, ["", "", line], width)
    frame = [x for x in out if x.startswith(" 3 | ")]
    [shown] = frame
    caret = out[out.index(shown) + 1]
    assert display_width(shown) <= width and "9876" in shown
    # The caret sits under the number, counting CJK characters as two columns.
    start = display_width(shown[: shown.index("9876")])
    assert caret.index("^") == start and caret.count("^") == 4


def test_related_locations_are_capped():
    related = [Related(Span(1, 1, 1, 2), message=Text.same(f"格 {i}"), cell=f"t3.x{i}") for i in range(50)]
    diag = Diagnostic(
        "T101", "b", Severity.ERROR, Text.same("表三有 50 个单元格为空"), "r.txt", Span(1, 1, 1, 2), related=related
    )
    out = _render(diag, ["0"], 80)
    assert sum("另见" in x for x in out) == 3 and any("另有 47 处" in x for x in out)


def test_web_page_output_is_a_few_kilobytes_and_names_the_cell_first():
    page = shared_path("corpus", "022_shanghai-bangongting_2019.html")
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(page), "--isolated", "--color", "never"],
        capture_output=True,
        cwd=ROOT,
    )
    assert p.returncode == 1
    text = p.stdout.decode("utf-8")
    assert len(p.stdout) < 20_000  # 7.6 MB before: every frame printed the page's single 36 KB line
    assert "<td" not in text and "<span" not in text and "&nbsp;" not in text
    block = text.split("错误[T101]：表三 ·「（一）予以公开」行 ·「总计」列 为空")[1]
    arrow, source, content = block.splitlines()[1:4]
    assert arrow.endswith("表三 ·「（一）予以公开」行 ·「总计」列")
    assert source.strip() == "= 源文件第 1 行第 11539 列"
    assert content.strip() == "= 单元格内容：（空）"


def test_word_document_names_table_row_column_and_the_cell_value(tmp_path: Path):
    docx = pytest.importorskip("docx")
    from markupgen import make_docx

    path = tmp_path / "r.docx"
    path.write_bytes(make_docx())
    document = docx.Document(str(path))
    cells = [c for t in document.tables for row in t.rows for c in row.cells]
    label = next(i for i, c in enumerate(cells) if c.text.strip() == "（七）总计")
    value = next(c for c in cells[label + 1 :] if c._tc is not cells[label]._tc)
    assert value.text == "21"
    value.text = "20"
    document.save(str(path))
    p = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", "check", str(path), "--isolated"], capture_output=True, cwd=ROOT
    )
    lines = p.stdout.decode("utf-8").splitlines()
    assert lines[0] == "错误[A300]：表三「（七）总计·自然人」可能应为 21（现为 20）：A301、A302、A304 均因此不成立"
    assert lines[1].endswith("：表三 ·「（七）总计」行 ·「自然人」列")
    assert lines[2].strip().startswith("= 表格 ") and lines[3].strip() == "= 单元格内容：「20」"
