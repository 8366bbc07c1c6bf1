"""The HTML report: what the markup holds (parsed as HTML5) and what a person sees in a real Chromium.

The browser tests drive the system's Chromium (Debian package ``chromium``) through Playwright and skip
with the reason when no browser can be started; under CI (``CI=true``) a missing browser is a failure,
because ``.ci/run`` installs it. Screenshots of the seed 000 report and of a batch overview are written
under the test run's temporary folder (``screenshots/``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import html5lib
import pytest
import reportgen
from conftest import ROOT, shared_path

from disclosure_lint import formats
from disclosure_lint.bilingual import Text
from disclosure_lint.diagnostics import Diagnostic, Fix, Severity
from disclosure_lint.reporters import FileResult, html
from disclosure_lint.runner import Job, check_file

FAULTY = ROOT / "examples" / "faulty-report.txt"
# Short enough (with the rest of the title) to be read as the title: the reader takes 80 characters at most.
HOSTILE_TITLE = "<script>window.pwned = 1</script>青松县&amp;人民政府2024年"


def results_for(*paths: Path, lang: str = "zh") -> list[FileResult]:
    out = []
    for path in paths:
        # The default selection: every rule of the default profile (an empty selection would run none).
        out.append(check_file(Job(str(path), _default_codes(), (), (), with_cells=True)))
    return out


def _default_codes() -> frozenset[str]:
    from disclosure_lint.config import Resolver, cli_options

    return Resolver(cli_options(), isolated=True).run_settings().codes_for("x.txt")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


class Cells(HTMLParser):
    """Every element's attributes, and the text inside each ``data-cell`` element."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.cell_text: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "td" and attributes.get("data-cell"):
            self._open.append(str(attributes["data-cell"]))
            self.cell_text[self._open[-1]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.cell_text[self._open[-1]] += data

    def cells(self) -> dict[str, dict[str, str | None]]:
        return {str(a["data-cell"]): a for t, a in self.elements if t == "td" and a.get("data-cell")}


def parse(page: str) -> Cells:
    parser = Cells()
    parser.feed(page)
    return parser


def assert_valid_html5(page: str) -> None:
    # html5lib in strict mode raises on any parse error of the WHATWG algorithm (unclosed or misnested
    # elements, bad attributes, a missing doctype).
    html5lib.HTMLParser(strict=True).parse(page)


# --- the markup ------------------------------------------------------------------------------------


def test_every_standard_cell_is_drawn_once_with_its_id_and_status() -> None:
    page = html.render(results_for(FAULTY))
    assert_valid_html5(page)
    parsed = parse(page)
    cells = parsed.cells()
    assert sorted(cells) == sorted(formats.STANDARD_CELL_IDS)
    assert sum(1 for t, a in parsed.elements if t == "td" and a.get("data-cell")) == len(formats.STANDARD_CELL_IDS)
    assert cells["t2.penalty.decisions"]["data-status"] == "blank"
    assert cells["t2.coercion.decisions"]["data-status"] == "placeholder"
    assert parsed.cell_text["t2.coercion.decisions"] == "—"
    assert cells["t3.new.natural_person"]["data-status"] == "ok"
    assert parsed.cell_text["t3.new.natural_person"] == "20"
    assert parsed.cell_text["t2.fees.amount"] == "12.35"
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page


def test_faulty_cells_carry_severity_and_their_findings() -> None:
    parsed = parse(html.render(results_for(FAULTY)))
    cells = parsed.cells()
    total = cells["t3.total.natural_person"]
    assert total["data-severity"] == "error"
    # One wrong cell breaks A301, A302 and A304; the finding that names it (A300) stands for all three.
    assert "A300" in str(total["title"]) and "可能应为 21" in str(total["title"])
    assert cells["t2.penalty.decisions"]["data-severity"] == "error"  # T101 blank
    assert cells["t2.coercion.decisions"]["data-severity"] == "warning"  # T102 placeholder
    assert "data-severity" not in cells["t3.new.commercial"]  # in no relation that fails
    # Each coloured cell links to the list items of its findings, and those exist.
    ids = {a.get("id") for _t, a in parsed.elements}
    for attributes in cells.values():
        for anchor in str(attributes.get("data-findings") or "").split():
            assert anchor in ids


def test_table_semantics_follow_the_national_template() -> None:
    parsed = parse(html.render(results_for(FAULTY)))
    headers = [a for t, a in parsed.elements if t == "th"]
    assert headers and all(a.get("scope") in ("col", "colgroup", "row", "rowgroup") for a in headers)
    spans = {(a.get("colspan"), a.get("rowspan")) for a in headers}
    assert ("3", "3") in spans  # 表三's note cell over three columns and three header rows
    assert (None, "22") in spans  # 三、本年度办理结果 over its 22 rows
    assert ("10", None) in spans  # 表四: 行政诉讼 over ten columns
    assert (None, "8") in spans  # （三）不予公开 over its eight rows


def test_findings_list_uses_the_terminal_wording_and_shows_the_excerpt() -> None:
    page = html.render(results_for(FAULTY))
    assert "错误[A300]" in page and "= 期望：21" in page
    assert "<mark>20</mark>" in page  # the source line of the 总计 row, the cell marked
    english = html.render(results_for(FAULTY, lang="en"), lang="en")
    assert '<html lang="en">' in english
    assert "error[A300]" in english and "= expected: 21" in english


def test_part_level_findings_sit_at_their_part(tmp_path: Path) -> None:
    text = reportgen.render("tab")
    # Drop part 五 entirely: S001 names the missing part.
    start, end = text.index("五、存在的主要问题"), text.index("六、其他需要报告的事项")
    broken = tmp_path / "missing-part.txt"
    broken.write_text(text[:start] + text[end:], encoding="utf-8")
    page = html.render(results_for(broken))
    part = page[page.index('id="r1-p5"') : page.index('id="r1-p6"')]
    assert "S001" in part
    assert "缺少这一部分" in part


def _likely_fix(path: str) -> Diagnostic:
    """A finding that names its likely correction: 表三's 自然人 total should be 21, not 20."""
    return Diagnostic(
        rule="A301",
        name="t3-balance",
        severity=Severity.ERROR,
        message=Text.same("表三「自然人」列收支不平衡"),
        path=path,
        span=None,
        cells=["t3.total.natural_person"],
        fix=Fix("t3.total.natural_person", 20, 21),
    )


def test_a_constructed_likely_fix_is_shown_in_its_cell() -> None:
    result = results_for(FAULTY)[0]
    fix = _likely_fix(result.path)
    result.diagnostics.append(fix)
    parsed = parse(html.render([result]))
    assert "20 → 21" in parsed.cell_text["t3.total.natural_person"]


def test_a_hostile_title_is_text(tmp_path: Path) -> None:
    report = tmp_path / "hostile.txt"
    report.write_text(reportgen.render("tab").replace("青松县人民政府2024年", HOSTILE_TITLE, 1), encoding="utf-8")
    page = html.render(results_for(report))
    assert "<script>window.pwned" not in page
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;青松县&amp;amp;人民政府" in page
    assert_valid_html5(page)


def test_an_unreadable_file_is_listed_with_its_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    page = html.render([*results_for(FAULTY), *results_for(empty)])
    assert_valid_html5(page)
    assert "无法检查此文件：文件为空" in page
    assert 'id="overview"' in page


def test_the_page_is_self_contained() -> None:
    page = html.render(results_for(FAULTY))
    for needle in ("http://", "https://", "<link", "src=", "@import", "url("):
        assert needle not in page, needle


# --- what a person sees ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright for Python is not installed (pip install playwright)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _no_browser("no system Chromium (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        instance = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
    except Exception as exc:
        playwright.stop()
        _no_browser(f"Chromium at {executable} could not be started: {exc}")
    yield instance
    instance.close()
    playwright.stop()


def _no_browser(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the browser tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


def open_page(browser: Any, path: Path, *, width: int = 1200) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.offline_requests = requests  # checked by the tests: a file page must ask for nothing else
    return page


def test_browser_shows_the_faulty_cells_coloured_with_their_message(browser: Any, tmp_path: Path) -> None:
    out = tmp_path / "faulty.html"
    assert run_cli("check", str(FAULTY), "--format", "html", "-o", str(out)).returncode == 1
    page = open_page(browser, out)
    assert page.offline_requests == [out.as_uri()]
    total = page.locator('td[data-cell="t3.total.natural_person"]')
    assert total.is_visible()
    colour = total.evaluate("cell => getComputedStyle(cell).backgroundColor")
    plain = page.locator('td[data-cell="t3.new.commercial"]').evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colour == "rgb(253, 226, 224)" and plain != colour  # the error colour of the stylesheet
    warning = page.locator('td[data-cell="t2.coercion.decisions"]')
    assert warning.evaluate("cell => getComputedStyle(cell).backgroundColor") == "rgb(255, 241, 194)"
    assert "可能应为 21" in (total.get_attribute("title") or "")
    # A tap shows the findings next to the cell, each linking to the list below.
    total.click()
    popup = page.locator("#popup")
    assert popup.is_visible()
    assert "错误[A300]" in popup.inner_text() and "可能应为 21" in popup.inner_text()
    popup.locator("a").first.click()
    assert page.evaluate("location.hash").startswith("#r1-f")
    page.keyboard.press("Escape")
    assert not popup.is_visible()
    # The blank cell says so in words, not only in colour.
    assert page.locator('td[data-cell="t2.penalty.decisions"]').inner_text() == "空"


def test_browser_shows_the_likely_fix(browser: Any, tmp_path: Path) -> None:
    result = results_for(FAULTY)[0]
    result.diagnostics.append(_likely_fix(result.path))
    out = tmp_path / "fix.html"
    out.write_text(html.render([result]), encoding="utf-8")
    page = open_page(browser, out)
    fix = page.locator('td[data-cell="t3.total.natural_person"] .fix')
    assert fix.is_visible() and fix.inner_text() == "20 → 21"


def test_browser_shows_a_hostile_title_as_text(browser: Any, tmp_path: Path) -> None:
    report = tmp_path / "hostile.txt"
    report.write_text(reportgen.render("tab").replace("青松县人民政府2024年", HOSTILE_TITLE, 1), encoding="utf-8")
    out = tmp_path / "hostile.html"
    run_cli("check", str(report), "--format", "html", "-o", str(out))
    page = open_page(browser, out)
    assert page.evaluate("window.pwned === undefined")
    assert "<script>window.pwned = 1</script>青松县&amp;人民政府" in page.locator("h2").first.inner_text()


def _batch(tmp_path: Path) -> Path:
    folder = tmp_path / "published"
    folder.mkdir()
    bodies = [("白河镇人民政府", 2023, 0), ("青松县教育局", 2024, 3), ("青松县人民政府", 2022, 1)]
    for n, (body, year, errors) in enumerate(bodies):
        t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
        for col in range(errors):  # break 表三's balance in as many columns
            t3["total"][col] += 1
        text = reportgen.render("tab", t3=t3).replace("青松县人民政府2024年", f"{body}{year}年", 1)
        text = text.replace("2024年1月1日起至2024年12月31日", f"{year}年1月1日起至{year}年12月31日")
        (folder / f"report-{n}.txt").write_text(text, encoding="utf-8")
    (folder / "glued.txt").write_text(
        reportgen.render("tab").replace("规章\t0\t0\t0", "规章1011").replace("青松县人民政府", "黄石乡人民政府", 1),
        encoding="utf-8",
    )
    return folder


def test_browser_batch_overview_sorts_filters_and_links(browser: Any, tmp_path: Path, screenshots: Path) -> None:
    folder = _batch(tmp_path)
    out = tmp_path / "audit.html"
    run_cli("check", str(folder), "--format", "html", "-o", str(out))
    page = open_page(browser, out)
    rows = page.locator("#overview-table tbody tr")
    assert rows.count() == 4

    def column(n: int) -> list[str]:
        return [rows.nth(i).locator("td").nth(n).inner_text() for i in range(rows.count())]

    assert "黄石乡人民政府" in column(1)
    assert column(6)[column(1).index("黄石乡人民政府")] == "1"  # its 表二 could not be read (T106)
    page.locator("#overview-table thead th").nth(4).locator("button").click()  # 错误, ascending
    errors = [int(x) for x in column(4)]
    assert errors == sorted(errors)
    page.locator("#overview-table thead th").nth(4).locator("button").click()  # descending
    assert [int(x) for x in column(4)] == sorted(errors, reverse=True)
    assert column(1)[0] == "青松县教育局"  # three columns out of balance: the most errors
    page.locator("#overview-table thead th").nth(2).locator("button").click()  # 年度
    assert column(2) == sorted(column(2))
    page.screenshot(path=str(screenshots / "batch-overview.png"), full_page=False)

    page.fill("#filter", "教育局")
    visible = [rows.nth(i).is_visible() for i in range(rows.count())]
    assert visible.count(True) == 1
    page.fill("#filter", "")
    # The row's link goes to that report's section.
    link = page.locator("#overview-table tbody tr", has_text="青松县教育局").locator("a")
    link.click()
    target = page.evaluate("location.hash")
    heading = page.locator(f"{target} h2")
    assert "青松县教育局" in heading.inner_text()
    assert heading.is_visible()
    assert page.locator("table.rule-totals").inner_text().count("A301") == 1


def test_screenshot_of_the_seed_000_report(browser: Any, tmp_path: Path, screenshots: Path) -> None:
    seed = shared_path("seeds", "000_9e832b1717b2646d.txt")
    out = tmp_path / "seed-000.html"
    run_cli("check", str(seed), "--format", "html", "-o", str(out))
    page = open_page(browser, out)
    assert page.locator("table.t3 td[data-cell]").count() == 175
    shot = screenshots / "seed-000.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    pdf = screenshots / "seed-000-A4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_single_other_row_is_drawn_as_the_report_has_it() -> None:
    """A 2024 report that still has the trial format's single （六）其他处理 row (real, from the corpus): the
    row is drawn once with its own cells, the 三、本年度办理结果 block spans 20 rows, not 22."""
    report = shared_path("corpus", "002_hongzequ_2024.txt")
    page = html.render(results_for(report))
    assert_valid_html5(page)
    parsed = parse(page)
    cells = parsed.cells()
    assert parsed.cell_text["t3.other.total"] == "0" and cells["t3.other.total"]["data-status"] == "ok"
    assert not any(c.startswith("t3.other.no_correction.") for c in cells)
    spans = {a.get("rowspan") for t, a in parsed.elements if t == "th"}
    assert "20" in spans and "22" not in spans
    assert parsed.cell_text["t3.total.total"] == "95"


def test_worker_processes_send_the_summary_back(tmp_path: Path) -> None:
    """From five files on, reports are checked in worker processes: what was read must cross back."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(6):
        text = reportgen.render("tab").replace("青松县人民政府", f"第{n}号县人民政府", 1)
        (folder / f"r{n}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "many.html"
    p = run_cli("check", str(folder), "--jobs", "2", "--format", "html", "-o", str(out))
    assert p.returncode == 0, p.stderr
    parsed = parse(out.read_text(encoding="utf-8"))
    drawn = [a for t, a in parsed.elements if t == "td" and a.get("data-cell")]
    assert len(drawn) == 6 * len(formats.STANDARD_CELL_IDS)
    assert all(a["data-status"] == "ok" for a in drawn)
    doc = json.loads(run_cli("check", str(folder), "--jobs", "2", "--format", "json").stdout)
    assert sorted(f["report"]["body"] for f in doc["files"]) == [f"第{n}号县人民政府" for n in range(6)]


def test_cells_of_a_glued_row_are_unreadable_not_wrong(tmp_path: Path) -> None:
    report = tmp_path / "glued.txt"
    report.write_text(reportgen.render("tab").replace("规章\t0\t0\t0", "规章1011"), encoding="utf-8")
    page = html.render(results_for(report))
    parsed = parse(page)
    cells = parsed.cells()
    for column in ("issued", "repealed", "in_force"):
        assert cells[f"t2.regulations.{column}"]["data-status"] == "unreadable"
        assert parsed.cell_text[f"t2.regulations.{column}"] == "无法读取"
    assert cells["t2.normative_docs.issued"]["data-status"] == "ok"
    assert "本表的数字粘连在一起，无法可靠读取" in page


def test_an_excerpt_of_a_one_line_web_page_is_a_window_around_the_finding() -> None:
    """A CMS page whose whole report sits on one source line (real, from the corpus): the excerpt shows the
    place of the finding, not the first few hundred characters of the line."""
    page = html.render(results_for(shared_path("corpus", "html", "004_pingtan-xingzhengshenpi_2025.html")))
    excerpts = [p for p in page.split('<pre class="excerpt">')[1:]]
    assert any("<mark>四、政府信息公开行政复议与行政诉讼情况</mark>" in e for e in excerpts)
    assert all(len(e.split("</pre>")[0]) < 1200 for e in excerpts)


def test_every_real_report_renders_to_valid_html_with_every_cell() -> None:
    """The seeds and the corpus (text, web pages) in one batch page: valid HTML5, every standard cell of
    every readable report drawn once, every finding's cell links resolving to a drawn cell."""
    paths = sorted(shared_path("seeds").glob("*.txt")) + sorted(shared_path("corpus").glob("*.txt"))
    paths += sorted(shared_path("corpus", "html").glob("*.htm*"))
    results = results_for(*paths)
    page = html.render(results)
    assert_valid_html5(page)
    parsed = parse(page)
    readable = sum(1 for r in results if r.summary is not None)
    drawn = [a for t, a in parsed.elements if t == "td" and a.get("data-cell")]
    single_rows = sum(1 for r in results if r.summary and "t3.other.total" in r.summary.cells)
    assert single_rows > 0  # the corpus has 2024 reports with the trial format's single （六） row
    # Such a report draws its one row of 7 cells in place of the three sub-rows of 21.
    assert len(drawn) == readable * len(formats.STANDARD_CELL_IDS) + single_rows * (7 - 21)
    ids = {a.get("id") for _t, a in parsed.elements}
    links = [a["href"][1:] for t, a in parsed.elements if t == "a" and (a.get("href") or "").startswith("#r")]
    assert links and all(link in ids for link in links)
    overview_rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr ")
    assert overview_rows == len(results)
