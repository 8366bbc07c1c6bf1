"""The Python API: ``lint(paths, settings) -> RunResult`` and ``load_report(path) -> Report``.

``lint`` is the whole ``check`` command without its presentation: collect the inputs, check each file (in
worker processes when there are many), compare the years of paired reports, apply or write the baseline, and
return a :class:`~disclosure_lint.results.RunResult` whose ``exit_status`` is the command's exit status. The
command line only parses options, calls ``lint`` and hands the result to a reporter.

``settings`` is a :class:`~disclosure_lint.config.Resolver`: the configuration files found beside each input
(``.disclosure-lint.yaml``, ``pyproject.toml``), the environment, and overrides, exactly as the command line
resolves them. :func:`settings` builds one from keyword overrides named like the configuration keys. What is
not configuration but a choice for one run (reading stdin under a name, ``--previous``, ``--jobs``,
``--write-baseline``) is a :class:`RunOptions`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from .bilingual import Text
from .config import Resolver, Settings, cli_options
from .errors import ConfigError, InputError, LintError
from .inert import visible_path
from .limits import MB
from .model import Report
from .records import record
from .results import Extracted, FileResult, RunResult
from .runner import STDIN, Collected, Job, collect, run_jobs

# Given the number of files to check, a context to check them in, which yields what to call as each file is
# done (the command line draws a progress bar with it).
Progress = Callable[[int], AbstractContextManager[Callable[[FileResult], None] | None]]


@record(frozen=True)
class OutputFile:
    """A file the caller will write after the run: refused before anything is checked when it is an input."""

    path: str
    what: Text


@record
class RunOptions:
    """Choices for one run that are not configuration (each is the ``check`` option of the same name)."""

    stdin_filename: str | None = None  # the name stdin ("-" in paths) is checked as, and whose configuration applies
    force_exclude: bool = False  # apply ``exclude`` to files named explicitly too
    jobs: int | None = None  # worker processes; None or 0: every core
    previous: str | None = None  # last year's report, compared with the single report checked
    use_baseline: bool = True  # False: ignore the configured baseline (--no-baseline)
    write_baseline: str | None = None  # record today's findings here instead of reporting them
    exit_zero: bool = False  # findings do not fail the run (an incomplete run still exits 2)
    with_cells: bool = False  # keep every cell as read, for a reporter that draws the tables (html)
    outputs: Sequence[OutputFile] = ()  # files the caller will write: refused when one is an input
    progress: Progress | None = None

    def check(self) -> None:
        """Raise ConfigError for a value no run can use."""
        if self.jobs is not None and self.jobs < 0:
            raise ConfigError(Text("--jobs 应为非负整数（0 表示全部核心）", "--jobs must be 0 (all cores) or more"))


def settings(*, config_file: str | Path | None = None, isolated: bool = False, **overrides: Any) -> Resolver:
    """A :class:`Resolver` with ``overrides`` on top of the configuration files, as the command line has.

    ``overrides`` are the keywords of :func:`disclosure_lint.config.cli_options` (``select="S,T"``,
    ``fail_on="warning"``, ``lang="en"``, ``baseline="base.json"`` …); ``isolated=True`` reads no file.
    """
    return Resolver(cli_options(**overrides), config_file=config_file, isolated=isolated)


def load_report(path: str | Path, data: bytes | None = None) -> Report:
    """Read one report (text, Markdown, web page, Word or PDF) into the located model, without checking it.

    Raises :class:`~disclosure_lint.errors.InputError` for a file that cannot be read as a report."""
    from .pipeline import load_report as load

    return load(str(path), data)


def run_settings(resolver: Resolver, options: RunOptions, paths: Sequence[str | Path]) -> Settings:
    """The run-wide settings (language, fail level, baseline): the current directory's configuration, or the one
    that applies to ``stdin_filename`` when checking stdin (as ruff does)."""
    if STDIN in paths and options.stdin_filename:
        return resolver.settings_for(options.stdin_filename)
    return resolver.run_settings()


def collect_inputs(
    paths: Sequence[str], resolver: Resolver, options: RunOptions, run: Settings | None = None
) -> Collected:
    """The files a run checks, with those it cannot; refuses (exit 2) an output that would overwrite an input."""
    run = run or run_settings(resolver, options, paths)
    paths = list(paths)
    if (
        STDIN in paths
        and options.force_exclude
        and options.stdin_filename
        and resolver.settings_for(options.stdin_filename).excluded(options.stdin_filename)
    ):
        paths.remove(STDIN)
    collected = collect(paths, resolver, force_exclude=options.force_exclude)
    outputs = list(options.outputs)
    if options.write_baseline:
        outputs.append(OutputFile(options.write_baseline, Text("基线文件", "baseline file")))
    # The configured baseline is read, so an output must not replace it; --write-baseline may.
    refuse_outputs_over_inputs(collected.files, resolver, outputs, None if options.write_baseline else run.baseline)
    return collected


def refuse_outputs_over_inputs(
    files: list[str], resolver: Resolver, outputs: Sequence[OutputFile], *extra: str | Path | None
) -> None:
    """Exit 2 (OutputError) before anything is written when an output would overwrite a report, rule or
    configuration file (or one of ``extra``)."""
    from .output import refuse_if_input, run_inputs

    if not outputs:
        return  # nothing is written (stdout aside): no input to protect, and no file to stat for it
    for path in files:  # (resolved now rather than later, so that their configuration files count)
        if path != STDIN:
            resolver.settings_for(path)
    configs, rule_dirs = resolver.files_read()
    if resolver.explicit is not None:
        configs.append(Path(resolver.explicit.origin.detail))
    inputs = run_inputs(files, configs, rule_dirs, *(str(e) if e is not None else None for e in extra))
    for out in outputs:
        refuse_if_input(out.path, inputs, what=out.what)


def extract(
    paths: Iterable[str | Path],
    settings: Resolver | None = None,
    *,
    lang: str = "zh",
    outputs: Sequence[OutputFile] = (),
) -> Extracted:
    """Read ``paths`` (files, folders, ``"-"`` for stdin) into report models without checking them: the
    ``extract`` command. A file that cannot be read is listed in ``failures`` with a message in ``lang``."""
    resolver = settings or Resolver(cli_options())
    collected = collect([str(p) for p in paths], resolver)
    refuse_outputs_over_inputs(collected.files, resolver, outputs)
    result = Extracted(lang, skipped=collected.skipped)
    result.failures = [(visible_path(p), e.message(lang)) for p, e in collected.errors]
    for path in collected.files:
        try:
            report = _read(path)
            report.path = visible_path(report.path)  # (a name that is not UTF-8 must still print)
            result.reports.append(report)
        except LintError as exc:
            result.failures.append((visible_path(path), exc.message(lang)))
    return result


def _read(path: str) -> Report:
    if path == STDIN:
        from .limits import MAX_FILE_SIZE
        from .reading import read_bounded

        return load_report("<stdin>", read_bounded(sys.stdin.buffer, MAX_FILE_SIZE, "<stdin>"))
    return load_report(path)


def lint(
    paths: Iterable[str | Path] = (".",), settings: Resolver | None = None, options: RunOptions | None = None
) -> RunResult:
    """Check ``paths`` (files, folders, ``"-"`` for stdin) and return what was found.

    ``settings`` defaults to the configuration files found beside the inputs, with no overrides. Raises
    :class:`~disclosure_lint.errors.LintError` (exit status 2) for a bad configuration, option or baseline;
    a file that cannot be read is not raised but reported in the result, which then exits 2.
    """
    resolver = settings or Resolver(cli_options())
    options = options or RunOptions()
    names = [str(p) for p in paths]
    run = run_settings(resolver, options, names)
    options.check()
    collected = collect_inputs(names, resolver, options, run)
    return check_collected(collected, resolver, run, options)


def check_collected(collected: Collected, resolver: Resolver, run: Settings, options: RunOptions) -> RunResult:
    """Check what :func:`collect_inputs` found: run the files, compare the years, apply or write the baseline."""
    lang = run.lang
    pairing_refused = resolver.cli.pairing is not None and resolver.cli.pairing.value is False  # --no-pairing
    if options.previous is not None and (pairing_refused or len(collected.files) != 1):
        raise ConfigError(
            Text(
                "--previous 只能与一份待检查的报告一起使用，且不能与 --no-pairing 同用",
                "--previous takes exactly one report to check, and cannot be combined with --no-pairing",
            ),
        )
    compare = run.pairing and (options.previous is not None or len(collected.files) >= 2)
    mapping = None
    if compare and run.pair_by is not None:
        from .pairing import load_mapping

        mapping = load_mapping(run.pair_by)
    jobs = _jobs(collected, resolver, run, options, compare)
    if compare and options.previous is not None:
        jobs.append(Job(options.previous, frozenset(), (), (), snapshot=True, rules=False))

    checked = _run(jobs, run, options)
    result = RunResult(run, skipped=collected.skipped, collection_errors=collected.errors, exit_zero=options.exit_zero)
    files = [FileResult(visible_path(p), [], e.text.map(visible_path)) for p, e in collected.errors]
    if compare:
        from .pairing import compare_years

        comparison = compare_years(checked, jobs, previous=options.previous, mapping=mapping)
        checked, result.pairing = comparison.results, comparison.pairing
        result.pairing_asked = options.previous is not None or run.pair_by is not None
        files += [FileResult(p, [], message) for p, message in comparison.errors]
    for checked_file in checked:
        checked_file.snapshot = None  # compared: nothing after this reads it, and it is the largest part
    files += checked
    files.sort(key=lambda r: r.path)
    result.files = files
    result.tracebacks = [(r.path, r.traceback) for r in checked if r.internal and r.traceback]

    if options.write_baseline:
        from . import baseline

        result.baseline_written = baseline.write(options.write_baseline, files, lang)
    elif options.use_baseline and run.baseline is not None:
        from . import baseline

        result.baseline = baseline.load(run.baseline).apply(files)
        result.baseline_path = run.baseline
        result.files = result.baseline.results
    return result


def _jobs(collected: Collected, resolver: Resolver, run: Settings, options: RunOptions, compare: bool) -> list[Job]:
    from .reading import read_bounded

    max_file_size = run.max_file_size_mb * MB
    stdin_name = options.stdin_filename or "<stdin>"
    jobs: list[Job] = []
    for path in collected.files:
        if path == STDIN:
            where: str | Path = options.stdin_filename or Path.cwd()
            settings = resolver.settings_for(where, is_dir=not options.stdin_filename)
            try:
                shown, data = stdin_name, read_bounded(sys.stdin.buffer, max_file_size, stdin_name)
            except InputError as exc:  # too much on stdin is that input's error, not the whole run's
                collected.errors.append((stdin_name, exc))
                continue
        else:
            settings = resolver.settings_for(path)
            shown, data = path, None
        jobs.append(
            Job(
                path=visible_path(shown),
                codes=settings.codes_for(shown),
                severities=tuple(sorted((c, s.value) for c, s in settings.severities.items())),
                rule_dirs=settings.rule_dirs,
                data=data,
                snapshot=compare,
                with_cells=options.with_cells,
                source=shown if visible_path(shown) != shown else None,
                max_file_size=max_file_size,
            )
        )
    return jobs


def _run(jobs: list[Job], run: Settings, options: RunOptions) -> list[FileResult]:
    check = functools.partial(run_jobs, workers=options.jobs or None)  # 0 and "not given" both mean every core
    if run.max_memory_mb:
        check = functools.partial(check, max_memory_mb=run.max_memory_mb)
    progress = options.progress(len(jobs)) if options.progress else nullcontext(None)
    with progress as on_done:
        return check(jobs, on_done=on_done)
