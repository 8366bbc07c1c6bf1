"""The runner: what a checked file sends back, and what worker processes are given instead of re-reading."""

from __future__ import annotations

import functools
import multiprocessing
import pickle
import shutil
from pathlib import Path

import markupgen
import pytest
import reportgen

from disclosure_lint import runner
from disclosure_lint.pairing import Snapshot, cross_year_reads
from disclosure_lint.results import FileResult
from disclosure_lint.rules import engine
from disclosure_lint.rules.engine import load_rules

ROOT = Path(__file__).resolve().parents[1]
FAULTY = ROOT / "examples" / "faulty-report.txt"

# Fires on every report: a rule only a rule set loaded from this pack can hold.
ALWAYS_RULE = """\
code: X901
name: always
category: value
summary: 总是报告
message: 总是报告
assert: t3.new.total < 0
"""


def _job(path: Path, rule_dirs: tuple[str, ...] = (), **options: object) -> runner.Job:
    codes = frozenset(r.code for r in load_rules(rule_dirs).rules)
    return runner.Job(str(path), codes, (), rule_dirs, **options)  # type: ignore[arg-type]


def test_a_file_result_carries_only_the_lines_its_findings_point_at():
    result = runner.check_file(_job(FAULTY))
    text = FAULTY.read_text(encoding="utf-8").split("\n")
    assert result.error is None and result.diagnostics
    pointed = {d.span.line for d in result.diagnostics if d.span is not None}
    assert pointed <= set(result.lines)
    assert all(result.lines[number] == text[number - 1] for number in result.lines)
    assert len(result.lines) < len(text) / 2
    clean = runner.check_file(_job(ROOT / "examples" / "clean-report.txt"))
    assert clean.diagnostics == [] and clean.lines == {}


def test_a_snapshot_crosses_processes_pickled_and_is_unpickled_only_when_asked(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(reportgen.render("tab"), encoding="utf-8")
    job = _job(path, snapshot=True)
    result = runner.check_file(job)
    assert isinstance(result.snapshot, Snapshot)
    # No lines are sent for the cross-year findings: which lines they point at is known only once the run is
    # paired, in the parent, and making every cell's span up front to collect them cost much.
    assert result.lines == {}
    text = path.read_text(encoding="utf-8").split("\n")
    cell_lines = {cell.span.line for cell in result.snapshot.report().cells.values() if cell.span}
    back = pickle.loads(pickle.dumps(result))
    assert isinstance(back, FileResult) and back.snapshot is not None
    assert (back.snapshot.path, back.snapshot.body, back.snapshot.year) == (
        result.snapshot.path,
        result.snapshot.body,
        result.snapshot.year,
    )
    assert back.snapshot._report is None and back.snapshot._kept is None  # still bytes: never unpickled
    assert back.snapshot.report().cells == result.snapshot.report().cells
    assert [c.span for c in back.snapshot.report().cells.values()] == [
        c.span for c in result.snapshot.report().cells.values()
    ]
    assert back.snapshot.report().text == ""  # the report in the snapshot leaves the full text behind
    assert not hasattr(back.snapshot, "_source")  # no text is kept: the parent reads the file again
    again = functools.partial(runner.text_again, job)
    assert back.snapshot.source_lines(cell_lines, again) == {n: text[n - 1] for n in cell_lines}
    assert result.snapshot.source_lines([0, len(text) + 1], again) == {}


def test_a_snapshot_shows_no_lines_of_a_file_changed_since_it_was_checked(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(reportgen.render("tab"), encoding="utf-8")
    job = _job(path, snapshot=True)
    back = pickle.loads(pickle.dumps(runner.check_file(job)))
    path.write_text(reportgen.render("tab").replace("2", "3"), encoding="utf-8")
    assert back.snapshot.source_lines([1, 2, 3], functools.partial(runner.text_again, job)) == {}
    path.unlink()
    assert runner.text_again(job) is None
    assert back.snapshot.source_lines([1, 2, 3], functools.partial(runner.text_again, job)) == {}


def test_a_snapshot_of_a_web_page_keeps_its_made_spans(tmp_path):
    path = tmp_path / "r.html"
    path.write_text(markupgen.make_html(), encoding="utf-8")
    result = runner.check_file(_job(path, snapshot=True))
    assert result.error is None and result.snapshot is not None
    back = pickle.loads(pickle.dumps(result))
    cells, read_back = result.snapshot.report().cells, back.snapshot.report().cells
    assert read_back == cells
    assert [c.span for c in read_back.values()] == [c.span for c in cells.values()]
    assert all(c.span is not None for c in read_back.values() if c.ok)  # made in the worker: no locator here


def test_a_worker_checks_with_the_rule_set_it_was_given(tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "X901.yaml").write_text(ALWAYS_RULE, encoding="utf-8")
    dirs = (str(pack),)
    job = _job(FAULTY, dirs)
    given = load_rules(dirs)
    shutil.rmtree(pack)  # only the rule set handed over can still run X901
    engine._load_rules.cache_clear()
    try:
        error = runner.check_file(job).error
        assert error is not None and "规则目录不存在" in error.zh and "rule directory not found" in error.en
        monkeypatch.setattr(runner, "_given_rules", {dirs: given})
        assert "X901" in {d.rule for d in runner.check_file(job).diagnostics}
    finally:
        engine._load_rules.cache_clear()


def test_spawned_workers_are_handed_the_parents_rules(tmp_path, monkeypatch):
    """Where workers start afresh (Windows, macOS, Python 3.14's forkserver), they do not read the rule
    files again: with the pack deleted after the parent loaded it, every file is still checked with it."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "X901.yaml").write_text(ALWAYS_RULE, encoding="utf-8")
    dirs = (str(pack),)
    reports = []
    for i in range(6):
        reports.append(tmp_path / f"r{i}.txt")
        reports[-1].write_text(reportgen.render("tab"), encoding="utf-8")
    jobs = [_job(path, dirs) for path in reports]
    shutil.rmtree(pack)  # the parent's rule set (cached from loading the configuration) is all there is
    monkeypatch.setattr(runner, "_POOL_CONTEXT", multiprocessing.get_context("spawn"))
    try:
        results = runner.run_jobs(jobs, workers=2, max_memory_mb=0)
    finally:
        engine._load_rules.cache_clear()
    assert [r.error for r in results] == [None] * len(reports)
    assert all("X901" in {d.rule for d in r.diagnostics} for r in results)


@pytest.mark.parametrize("workers", [1, 2])
def test_results_are_the_same_in_process_and_in_workers(tmp_path, workers):
    for i, layout in enumerate(("tab", "pipe", "markdown", "cell-per-line", "pdf", "tab")):
        (tmp_path / f"r{i}.txt").write_text(reportgen.render(layout), encoding="utf-8")
    shutil.copy(FAULTY, tmp_path / "faulty.txt")
    jobs = [_job(path) for path in sorted(tmp_path.iterdir())]
    serial = runner.run_jobs(jobs, workers=1, max_memory_mb=0)
    results = runner.run_jobs(jobs, workers=workers, max_memory_mb=0)
    assert [(r.path, r.diagnostics, r.lines, r.error) for r in results] == [
        (r.path, r.diagnostics, r.lines, r.error) for r in serial
    ]
    assert any(r.diagnostics for r in results)


@pytest.mark.parametrize("pool", ["forked", "executor"])
def test_files_go_to_the_workers_in_batches_and_a_result_that_cannot_be_sent_costs_only_its_file(
    tmp_path, monkeypatch, pool
):
    folder = tmp_path / "reports"
    folder.mkdir()
    clean = (ROOT / "examples" / "clean-report.txt").read_bytes()
    paths = [folder / f"r{i:02}.txt" for i in range(40)]
    paths.insert(5, folder / "odd.txt")  # (in a batch with r05.txt)
    for path in paths:
        path.write_bytes(clean)
    assert {len(batch) for batch in runner._batches(paths, 2)} == {2, 1}  # (41 files for 2 workers: by two)
    real = runner.check_file

    def check_file(job: runner.Job) -> FileResult:
        result = real(job)
        if job.path.endswith("odd.txt"):
            result.summary = lambda: None  # type: ignore[assignment]  # (a lambda cannot be pickled)
        return result

    # Forked workers see the replaced function; the batch holding odd.txt fails to come back as a whole.
    monkeypatch.setattr(runner, "check_file", check_file)
    if pool == "executor":  # (a context given: the executor's workers, forked, instead of forkpool's)
        monkeypatch.setattr(runner, "_POOL_CONTEXT", multiprocessing.get_context("fork"))
    jobs = [runner.Job(str(path), frozenset({"A301"}), (), ()) for path in paths]
    results = {Path(r.path).name: r for r in runner.run_jobs(jobs, workers=2)}
    assert len(results) == 41 and results["odd.txt"].internal and results["odd.txt"].error is not None
    assert all(r.error is None and r.diagnostics == [] for name, r in results.items() if name != "odd.txt")


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_snapshot_gives_every_cell_it_keeps_its_span_after_crossing_processes(tmp_path, kind):
    import markupgen

    from disclosure_lint.build import Locator
    from disclosure_lint.pipeline import load_report

    name, data = (
        ("r.txt", reportgen.render("tab").encode()) if kind == "text" else ("r.html", markupgen.make_html().encode())
    )
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.check_file(_job(path, snapshot=True))
    assert result.snapshot is not None
    kept = result.snapshot.report()
    # Plain text keeps its cells' spans unmade, made from the line starts alone; a web page's are made at once,
    # so that no snapshot holds a Locator (the whole file, and a web page's offset map) until the run ends.
    makers = [cell.span_to_make() for cell in kept.cells.values()]
    assert all(m is None or not isinstance(getattr(m[0], "__self__", None), Locator) for m in makers)
    assert any(m is not None for m in makers) == (kind == "text")
    back = pickle.loads(pickle.dumps(result)).snapshot.report()
    fresh = load_report(str(path))
    # The cells the cross-year rules read (pairing.cross_year_reads), each as read, with its span.
    compared = cross_year_reads(load_rules())
    assert list(back.cells) == [cell_id for cell_id in fresh.cells if compared.keeps(cell_id)]
    assert len(back.cells) >= 20
    assert all(cell.span == fresh.cells[cell_id].span and cell.span is not None for cell_id, cell in back.cells.items())
    assert back.cells == {cell_id: fresh.cells[cell_id] for cell_id in back.cells}
