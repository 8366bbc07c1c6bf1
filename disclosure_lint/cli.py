"""Command line: parse options, resolve the configuration, check the files, hand the results to a reporter.

Exit status: 0 no finding at or above the fail level, 1 such findings, 2 the tool could not do its
job (unreadable file, internal error, bad configuration, rule file or option). ``--exit-zero`` turns 1
into 0 but never hides a 2.

Findings go to stdout (or ``--output``); operational messages (configuration, I/O, baseline notes)
go to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import __version__
from .diagnostics import Severity
from .errors import ConfigError, InputError, LintError

if TYPE_CHECKING:
    from rich.console import Console

    from .config import Resolver, Settings
    from .reporters import FileResult
    from .runner import Outcome

COMMANDS = ("check", "extract", "rules", "explain", "config")
CHECK_FORMATS = ("full", "concise", "json", "sarif", "github", "junit", "gitlab", "html", "csv", "xlsx")
SEVERITIES = tuple(s.value for s in Severity)
# A progress bar only helps when a run takes a while; for a few files it would only flicker.
PROGRESS_MIN_FILES = 21


# --- options -------------------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, lang: str = "zh") -> None:
    h = _helper(lang)
    p.add_argument("--lang", choices=("zh", "en"), default=None, help=h("lang"))
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR", help=h("rule-dir"))
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=h("color"))
    p.add_argument("--config", default=None, metavar="FILE", help=h("config-file"))
    p.add_argument("--isolated", action="store_true", help=h("isolated"))
    p.add_argument("--debug", action="store_true", help=h("debug"))


def _add_settings(p: argparse.ArgumentParser, lang: str = "zh") -> None:
    """Options that override a configuration key of the same name."""
    h = _helper(lang)
    p.add_argument("--select", default=None, metavar="CODES", help=h("select"))
    p.add_argument("--extend-select", default=None, metavar="CODES", help=h("extend-select"))
    p.add_argument("--ignore", default=None, metavar="CODES", help=h("ignore"))
    p.add_argument("--severity", action="append", default=[], metavar="CODE=LEVEL", help=h("severity"))
    p.add_argument("--profile", default=None, help=h("profile"))
    p.add_argument("--fail-on", choices=SEVERITIES, default=None, help=h("fail-on"))
    p.add_argument("--exclude", default=None, metavar="GLOBS", help=h("exclude"))
    p.add_argument("--extend-exclude", default=None, metavar="GLOBS", help=h("extend-exclude"))


def _helper(lang: str) -> Any:
    from .messages import help_text

    return lambda key: help_text(key, lang)


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected a whole number of MB from 0 to 1000000, got {text!r}")
    return value


def build_parser(lang: str = "zh") -> argparse.ArgumentParser:
    from .cli_parser import parser_class

    h = _helper(lang)
    cls = parser_class(lang)
    parser = cls(prog="disclosure-lint", description=h("description"), epilog=h("epilog"))
    parser.add_argument("--version", action="version", version=f"disclosure-lint {__version__}", help=h("version"))
    sub = parser.add_subparsers(dest="command", title=h("commands"), metavar="{" + ",".join(COMMANDS) + "}")

    check = sub.add_parser("check", help=h("check"), description=h("check"))
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help=h("paths"))
    check.add_argument("--format", choices=CHECK_FORMATS, default=None, help=h("format"))
    check.add_argument("--exit-zero", action="store_true", help=h("exit-zero"))
    check.add_argument("--output", "-o", default=None, metavar="FILE", help=h("output"))
    check.add_argument("--stdin-filename", default=None, help=h("stdin-filename"))
    check.add_argument("--force-exclude", action="store_true", help=h("force-exclude"))
    check.add_argument("--baseline", default=None, metavar="FILE", help=h("baseline"))
    check.add_argument("--no-baseline", action="store_true", help=h("no-baseline"))
    check.add_argument("--write-baseline", default=None, metavar="FILE", help=h("write-baseline"))
    check.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help=h("jobs"))
    check.add_argument("--statistics", action="store_true", help=h("statistics"))
    check.add_argument("--show-files", action="store_true", help=h("show-files"))
    check.add_argument("--previous", default=None, metavar="LAST", help=h("previous"))
    check.add_argument("--pair-by", default=None, metavar="FILE.csv", help=h("pair-by"))
    check.add_argument("--no-pairing", action="store_true", help=h("no-pairing"))
    check.add_argument("--max-file-size", type=_megabytes, default=None, metavar="MB", help=h("max-file-size"))
    check.add_argument("--max-memory", type=_megabytes, default=None, metavar="MB", help=h("max-memory"))
    _add_settings(check, lang)
    _add_common(check, lang)

    extract = sub.add_parser("extract", help=h("extract"), description=h("extract"))
    extract.add_argument("paths", nargs="+", metavar="PATH", help=h("extract-paths"))
    extract.add_argument("--format", choices=("json", "table", "csv"), default="json", help=h("extract-format"))
    extract.add_argument("--output", "-o", default=None, metavar="FILE", help=h("output"))
    _add_common(extract, lang)

    rules = sub.add_parser("rules", help=h("rules"), description=h("rules"))
    _add_settings(rules, lang)
    _add_common(rules, lang)
    explain = sub.add_parser("explain", help=h("explain"), description=h("explain"))
    explain.add_argument("code", help=h("code"))
    _add_common(explain, lang)

    config = sub.add_parser("config", help=h("config"), description=h("config"))
    config.add_argument("path", nargs="?", default=".", metavar="PATH", help=h("config-path"))
    config.add_argument("--show", action="store_true", help=h("show"))
    config.add_argument("--format", choices=("text", "json"), default="text", help=h("config-format"))
    _add_settings(config, lang)
    _add_common(config, lang)
    return parser


# Errors writing findings to stdout (a full disk, a closed pipe): the run cannot report, so exit 2.
_STREAM_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EPIPE})


def main(argv: Sequence[str] | None = None) -> int:
    from .streams import safe_streams

    safe_streams()
    try:
        status = _main(argv)
        sys.stdout.flush()  # inside the try: a failed final flush is an error of this run, not a traceback
        return status
    except BrokenPipeError:
        # "| head -1" closed the pipe: nobody is reading, so stop quietly, as other Unix tools do.
        _discard_stdout()
        return 141
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno not in _STREAM_ERRNOS:
            raise
        _discard_stdout()
        reason = exc.strerror or str(exc)
        if _early_lang(sys.argv[1:] if argv is None else argv) == "en":
            print(f"disclosure-lint: cannot write the results: {reason}", file=sys.stderr)
        else:
            print(f"disclosure-lint: 无法输出结果：{reason}", file=sys.stderr)
        return 2


def _early_lang(argv: Sequence[str]) -> str:
    """The language asked for on the command line or in the environment, for messages outside a run."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return os.environ.get("DISCLOSURE_LINT_LANG", "zh")


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's own flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    from .cli_parser import language, mistyped_command

    # argparse words its help before it reads any option, so the language comes from argv and env first.
    early_lang = language(args_list)
    mistyped = mistyped_command(args_list, COMMANDS, early_lang)
    if mistyped:
        print(mistyped, file=sys.stderr)
        return 2
    if (args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-")) or (
        args_list and args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "check")
    parser = build_parser(early_lang)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on bad options, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    # Until the configuration is read, messages follow the command line or the environment.
    env_lang = os.environ.get("DISCLOSURE_LINT_LANG", "")
    lang = args.lang or (env_lang if env_lang in ("zh", "en") else "zh")
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "extract":
            return _extract(args, lang)
        if args.command == "rules":
            return _list_rules(args)
        if args.command == "config":
            return _show_config(args)
        return _explain(args, lang)
    except LintError as exc:
        from .inert import visible_path

        print(f"disclosure-lint: {visible_path(exc.located(lang))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if isinstance(exc, OSError) and exc.errno in _STREAM_ERRNOS:
            raise  # stdout failed: main reports it without calling it an internal error
        from .runner import internal_error_message

        print(f"disclosure-lint: {internal_error_message(exc, lang)}", file=sys.stderr)
        if args.debug:
            traceback.print_exc()
        return 2


# --- helpers -------------------------------------------------------------------------------------


def color_choice(option: str, environ: dict[str, str] | None = None) -> bool | None:
    """True/False to force colour on/off, None to let the terminal decide.

    ``--color always|never`` beats the environment; then ``NO_COLOR`` beats ``FORCE_COLOR``
    (https://no-color.org asks that it be honoured whenever it is set).
    """
    env = os.environ if environ is None else environ
    if option == "always":
        return True
    if option == "never" or env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force:
        return force.lower() not in ("0", "false", "no")
    return None


def _console(args: argparse.Namespace, file: IO[str] | None = None, *, stderr: bool = False) -> Console:
    from rich.console import Console

    color = color_choice(args.color)
    stream = file or (sys.stderr if stderr else sys.stdout)
    return Console(
        file=stream,
        # False means no escape codes at all, not just no colour: logs and screen readers get plain text.
        force_terminal=color,
        no_color=color is False,
        highlight=False,
        soft_wrap=True,
        width=None if stream.isatty() else 200,
    )


def _resolver(args: argparse.Namespace) -> Resolver:
    from .config import Resolver, cli_options

    cli = cli_options(
        select=getattr(args, "select", None),
        extend_select=getattr(args, "extend_select", None),
        ignore=getattr(args, "ignore", None),
        severity=getattr(args, "severity", ()),
        fail_on=getattr(args, "fail_on", None),
        lang=args.lang,
        profile=getattr(args, "profile", None),
        rule_dirs=args.rule_dir,
        exclude=getattr(args, "exclude", None),
        extend_exclude=getattr(args, "extend_exclude", None),
        baseline=getattr(args, "baseline", None),
        pairing=False if getattr(args, "no_pairing", False) else None,
        pair_by=getattr(args, "pair_by", None),
        max_file_size=getattr(args, "max_file_size", None),
        max_memory=getattr(args, "max_memory", None),
    )
    return Resolver(cli, config_file=args.config, isolated=args.isolated)


def _note(message_zh: str, message_en: str, lang: str) -> None:
    print(f"disclosure-lint: {message_en if lang == 'en' else message_zh}", file=sys.stderr)


@contextlib.contextmanager
def _output(path: str | None, *, binary: bool = False) -> Iterator[IO[Any] | None]:
    """The -o file (written whole or not at all), or None for stdout."""
    if not path:
        yield None
        return
    from .output import atomic_writer

    with atomic_writer(path, binary=binary) as fh:
        yield fh


def _refuse_outputs_over_inputs(args: argparse.Namespace, files: list[str], resolver: Resolver, *extra: Any) -> None:
    """Exit 2 before anything is written when an output would overwrite a report, rule or config file."""
    from .output import refuse_if_input, run_inputs

    for path in files:  # (resolved now rather than later, so that their configuration files count)
        if path != "-":
            resolver.settings_for(path)
    configs, rule_dirs = resolver.files_read()
    if args.config:
        configs.append(Path(args.config))
    inputs = run_inputs(files, configs, rule_dirs, *extra)
    if getattr(args, "output", None):
        refuse_if_input(args.output, inputs, what_zh="输出文件", what_en="output file")
    if getattr(args, "write_baseline", None):
        refuse_if_input(args.write_baseline, inputs, what_zh="基线文件", what_en="baseline file")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and args.command == "check":
        refuse_if_input(summary, inputs, what_zh="GITHUB_STEP_SUMMARY 文件", what_en="GITHUB_STEP_SUMMARY file")


# --- check ---------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from .inert import visible_path
    from .reporters import FileResult
    from .runner import STDIN, Job, collect, run_jobs

    resolver = _resolver(args)
    # Run-wide settings (language, fail level, baseline) come from the current directory's
    # configuration, or from the one that applies to --stdin-filename when checking stdin (as ruff does).
    if "-" in args.paths and args.stdin_filename:
        run = resolver.settings_for(args.stdin_filename)
    else:
        run = resolver.run_settings()
    lang = run.lang
    args.lang = lang  # so that a late error is reported in the configured language
    args.max_memory_mb = run.max_memory_mb
    if args.jobs is not None and args.jobs < 0:
        raise ConfigError("--jobs 应为非负整数（0 表示全部核心）", "--jobs must be 0 (all cores) or more")
    if args.format == "xlsx" and not args.statistics:
        _check_binary_output(args)

    paths = list(args.paths)
    stdin_name = args.stdin_filename or "<stdin>"
    stdin_excluded = (
        STDIN in paths
        and args.force_exclude
        and args.stdin_filename
        and resolver.settings_for(args.stdin_filename).excluded(args.stdin_filename)
    )
    if stdin_excluded:
        paths.remove(STDIN)
    collected = collect(paths, resolver, force_exclude=args.force_exclude)
    # The configured baseline is read, so -o must not replace it; --write-baseline may.
    _refuse_outputs_over_inputs(args, collected.files, resolver, None if args.write_baseline else run.baseline)
    if args.show_files:
        for path in sorted(collected.files):
            print(visible_path(stdin_name if path == STDIN else path))
        for _path, err in collected.errors:
            print(f"disclosure-lint: {err.located(lang)}", file=sys.stderr)
        _skipped_to_stderr(collected.skipped, lang)
        return 2 if collected.errors else 0  # nothing was checked, so nothing is incomplete

    if args.previous is not None and (args.no_pairing or len(collected.files) != 1):
        raise ConfigError(
            "--previous 只能与一份待检查的报告一起使用，且不能与 --no-pairing 同用",
            "--previous takes exactly one report to check, and cannot be combined with --no-pairing",
        )
    compare = run.pairing and (args.previous is not None or len(collected.files) >= 2)
    mapping = None
    if compare and run.pair_by is not None:
        from .pairing import load_mapping

        mapping = load_mapping(run.pair_by)

    from .limits import MB
    from .reading import read_bounded

    max_file_size = run.max_file_size_mb * MB
    jobs: list[Job] = []
    for path in collected.files:
        if path == STDIN:
            where: str | Path = args.stdin_filename or Path.cwd()
            settings = resolver.settings_for(where, is_dir=not args.stdin_filename)
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
                lang=lang,
                rule_dirs=settings.rule_dirs,
                data=data,
                snapshot=compare,
                with_cells=args.format == "html" and not args.statistics,
                source=shown if visible_path(shown) != shown else None,
                max_file_size=max_file_size,
            )
        )
    if compare and args.previous is not None:
        jobs.append(Job(args.previous, frozenset(), (), lang, (), snapshot=True, rules=False))

    outcomes = _run_with_progress(args, jobs, run_jobs)
    results = [FileResult(visible_path(p), [], visible_path(e.message(lang))) for p, e in collected.errors]
    pairing = None
    if compare:
        from .pairing import compare_years

        comparison = compare_years(outcomes, jobs, lang=lang, previous=args.previous, mapping=mapping)
        outcomes, pairing = comparison.outcomes, comparison.pairing
        results += [FileResult(p, [], message) for p, message in comparison.errors]
        # A batch in which nothing pairs stays quiet on stderr (the JSON output still lists every report).
        asked = args.previous is not None or run.pair_by is not None
        if args.format != "json" and (pairing.pairs or asked):
            for note in pairing.notes(lang):
                print(f"disclosure-lint: {note}", file=sys.stderr)
    results += [FileResult(o.path, o.diagnostics, o.error, o.summary) for o in outcomes]
    results.sort(key=lambda r: r.path)
    sources = {o.path: o.lines for o in outcomes}
    for o in outcomes:
        if o.internal and args.debug and o.traceback:
            print(f"--- {o.path}\n{o.traceback}", file=sys.stderr, end="")
    failed_files = any(r.error for r in results) or bool(collected.skipped)

    if args.write_baseline:
        from . import baseline

        n = baseline.write(args.write_baseline, results)
        _note(
            f"已将 {n} 条问题写入基线 {args.write_baseline}",
            f"wrote {n} finding(s) to baseline {args.write_baseline}",
            lang,
        )
        _errors_to_stderr(results, lang)
        _skipped_to_stderr(collected.skipped, lang)
        return 2 if failed_files else 0

    baseline_info = None
    baseline_path = None if args.no_baseline else run.baseline
    if baseline_path is not None:
        from . import baseline

        applied = baseline.load(baseline_path).apply(results)
        results = applied.results
        baseline_info = applied.summary(baseline_path)
        _baseline_notes(applied, baseline_path, lang)

    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full")
    with _output(args.output, binary=fmt == "xlsx" and not args.statistics) as out:
        if args.statistics:
            _print_statistics(args, out, results, run, fmt, lang)
        else:
            extra = {"pairing": pairing.to_dict()} if pairing is not None else {}
            _print_report(args, out, fmt, results, sources, run, lang, baseline_info, extra, collected.skipped)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from .output import append_text
        from .reporters.github import step_summary

        append_text(os.environ["GITHUB_STEP_SUMMARY"], step_summary(results, lang=lang))
    # The human formats already show unreadable files on stdout; elsewhere stderr must say it.
    if args.output or args.statistics or fmt not in ("full", "concise"):
        _errors_to_stderr(results, lang)
    if args.output or args.statistics or fmt != "full":
        _skipped_to_stderr(collected.skipped, lang)

    if failed_files:
        return 2
    if args.exit_zero:
        return 0
    failed = any(d.severity.rank >= run.fail_on.rank for r in results for d in r.diagnostics)
    return 1 if failed else 0


def _check_binary_output(args: argparse.Namespace) -> None:
    """A workbook is binary: it needs its extra, and never goes to a terminal."""
    from .reporters.xlsx import require

    require()
    if not args.output and sys.stdout.isatty():
        raise ConfigError(
            "xlsx 是二进制格式，不能输出到终端；请用 -o 文件名.xlsx 指定输出文件",
            "xlsx is a binary format and is not written to a terminal; name a file with -o FILE.xlsx",
        )


def _run_with_progress(args: argparse.Namespace, jobs: list[Any], run_jobs: Any) -> list[Outcome]:
    workers = args.jobs or None  # 0 and "not given" both mean every core
    if args.max_memory_mb:
        run_jobs = functools.partial(run_jobs, max_memory_mb=args.max_memory_mb)
    # Only for a person watching a terminal: never in CI logs, pipes or files, where the redraws
    # would be noise. NO_COLOR keeps the bar but without colour; --color never drops it.
    if len(jobs) < PROGRESS_MIN_FILES or not sys.stderr.isatty() or args.color == "never":
        return run_jobs(jobs, workers=workers)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    lang = args.lang
    with Progress(
        TextColumn("检查报告" if lang == "zh" else "checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr, force_terminal=True, no_color=color_choice(args.color) is False),
        transient=True,
    ) as progress:
        task = progress.add_task("check", total=len(jobs))
        return run_jobs(jobs, workers=workers, on_done=lambda _o: progress.advance(task))


def _errors_to_stderr(results: list[FileResult], lang: str) -> None:
    for r in results:
        if r.error:
            print(f"disclosure-lint: {r.path}: {r.error}", file=sys.stderr)


def _skipped_to_stderr(skipped: Sequence[Any], lang: str) -> None:
    from . import messages
    from .inert import visible_path

    if skipped:
        print(f"disclosure-lint: {messages.skipped_heading(len(skipped), lang)}", file=sys.stderr)
        for item in skipped:
            print(messages.skipped_item(visible_path(item.path), item.reason_text(lang), lang), file=sys.stderr)


def _baseline_notes(applied: Any, path: Path, lang: str) -> None:
    if applied.suppressed:
        _note(
            f"基线 {path}：已忽略 {applied.suppressed} 条已知问题",
            f"baseline {path}: {applied.suppressed} known finding(s) not shown",
            lang,
        )
    if applied.stale:
        total = sum(s.count for s in applied.stale)
        _note(
            f"基线中有 {total} 条记录已不再出现（问题可能已修复），可用 --write-baseline {path} 更新基线：",
            f"{total} baseline entr{'y' if total == 1 else 'ies'} no longer found (fixed?); "
            f"update the baseline with --write-baseline {path}:",
            lang,
        )
        limit = 20
        for s in applied.stale[:limit]:
            print(f"  {s.path}: {s.key}" + (f" ×{s.count}" if s.count > 1 else ""), file=sys.stderr)
        if len(applied.stale) > limit:
            rest = len(applied.stale) - limit
            print(f"  … {'另有' if lang == 'zh' else 'and'} {rest} {'条' if lang == 'zh' else 'more'}", file=sys.stderr)


def _rule_metas(settings: Settings, lang: str) -> list[Any]:
    from .reporters import RuleMeta

    return [
        RuleMeta(
            r.code,
            r.name,
            settings.severities.get(r.code, r.severity).value,
            r.text("summary", lang),
            r.text("help", lang) or None,
            r.category,
        )
        for r in settings.ruleset.rules
    ]


def _print_report(
    args: argparse.Namespace,
    out: IO[Any] | None,
    fmt: str,
    results: list[FileResult],
    sources: dict[str, list[str]],
    run: Settings,
    lang: str,
    baseline_info: dict[str, object] | None,
    extra: dict[str, object] | None = None,
    skipped: Sequence[Any] = (),
) -> None:
    from .reporters import BINARY_FORMATS, render, render_bytes

    if fmt == "html":
        from .reporters.html import write

        # Written as it is rendered: a page for thousands of reports is never held in memory whole.
        try:
            write(results, out or sys.stdout, rules=_rule_metas(run, lang), lang=lang, tool_version=__version__)
        except BrokenPipeError:
            if out is not None:
                raise
            # The reader (head, a closed pager) stopped reading: stop quietly, and let Python's exit flush
            # go nowhere instead of failing again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if fmt in BINARY_FORMATS:
        data = render_bytes(fmt, results, rules=_rule_metas(run, lang), lang=lang, tool_version=__version__)
        (out or sys.stdout.buffer).write(data)
        return
    if fmt == "full":
        from .reporters.full import print_results

        print_results(
            _console(args, out),
            results,
            sources,
            lang=lang,
            fail_on=run.fail_on,
            exit_zero=bool(getattr(args, "exit_zero", False)),
            skipped=[(item.path, item.reason_text(lang)) for item in skipped],
        )
        return
    if fmt == "json" and (baseline_info is not None or extra or skipped):
        from .reporters.json_ import document

        doc = document(results, tool_version=__version__)
        if baseline_info is not None:
            doc["baseline"] = baseline_info
        doc.update(extra or {})
        if skipped:
            doc["skipped"] = [{"path": item.path, "reason": item.reason_text(lang)} for item in skipped]
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    else:
        text = render(fmt, results, rules=_rule_metas(run, lang), lang=lang, tool_version=__version__)
    (out or sys.stdout).write(text if not text or text.endswith("\n") else text + "\n")


def _print_statistics(
    args: argparse.Namespace,
    out: IO[str] | None,
    results: list[FileResult],
    run: Settings,
    fmt: str,
    lang: str,
) -> None:
    """Counts per rule and per file. JSON for ``--format json``, tables otherwise."""
    from .reporters import statistics

    rules = _rule_metas(run, lang)
    if fmt == "json":
        doc = statistics.document(results, rules)
        (out or sys.stdout).write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    statistics.print_statistics(_console(args, out), results, rules, lang)


# --- config --------------------------------------------------------------------------------------


def _show_config(args: argparse.Namespace) -> int:
    from .inert import visible, visible_path
    from .text import display_width

    resolver = _resolver(args)
    path = args.path
    is_dir = os.path.isdir(path)
    if not is_dir and not os.path.exists(path):
        raise ConfigError("路径不存在", "path not found", path=path)
    settings = resolver.settings_for(path, is_dir=is_dir)
    lang = settings.lang
    shown = settings.show(lang)
    config = str(settings.config_path) if settings.config_path else None
    if args.format == "json":
        doc = {"config": config, "settings": [{"key": s.key, "value": s.value, "origin": s.origin} for s in shown]}
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if args.isolated:
        head = "--isolated: configuration files ignored" if lang == "en" else "--isolated：不读取任何配置文件"
    elif config:
        head = f"configuration file: {config}" if lang == "en" else f"配置文件：{config}"
    else:
        head = "no configuration file found; defaults apply" if lang == "en" else "未找到配置文件，使用默认值"
    print(visible_path(head))
    key_width = max(len(s.key) for s in shown)
    value_width = min(40, max(display_width(s.value) for s in shown))
    for s in shown:
        pad = " " * max(1, value_width - display_width(s.value) + 1)
        print(visible(f"{s.key.ljust(key_width)}  {s.value}{pad} # {s.origin}"))
    return 0


# --- extract, rules, explain ---------------------------------------------------------------------


def _read(path: str, stdin_name: str | None):
    from .limits import MAX_FILE_SIZE
    from .pipeline import load_report
    from .reading import read_bounded

    if path == "-":
        data = read_bounded(sys.stdin.buffer, MAX_FILE_SIZE, stdin_name or "<stdin>")
        return load_report(stdin_name or "<stdin>", data)
    return load_report(path)


def _extract(args: argparse.Namespace, lang: str) -> int:
    from .extract import to_csv, to_json
    from .runner import collect

    resolver = _resolver(args)
    collected = collect(args.paths, resolver)
    _refuse_outputs_over_inputs(args, collected.files, resolver)
    from .inert import visible_path

    _skipped_to_stderr(collected.skipped, lang)
    reports = []
    failures = [(visible_path(p), e.message(lang)) for p, e in collected.errors]
    for path in collected.files:
        try:
            report = _read(path, None)
            report.path = visible_path(report.path)  # (a name that is not UTF-8 must still print)
            reports.append(report)
        except LintError as exc:
            failures.append((visible_path(path), exc.message(lang)))
    with _output(args.output) as opened:
        out = opened or sys.stdout
        if args.format == "json":
            out.write(to_json(reports, failures) + "\n")
        elif args.format == "csv":
            from .streams import CSV_BOM

            out.write(CSV_BOM + to_csv(reports))
        else:
            from .reporters.tables import print_tables

            print_tables(_console(args, opened), reports, lang=lang)
    for path, message in failures:
        if args.format != "json":
            print(f"disclosure-lint: {path}: {message}", file=sys.stderr)
    return 2 if failures else 0


def _list_rules(args: argparse.Namespace) -> int:
    from rich.table import Table

    settings = _resolver(args).run_settings()
    lang = settings.lang
    from . import messages

    heads = ("code", "name", "severity", "category", "enabled", "summary")
    table = Table(*(messages.word(h, lang) for h in heads), box=None, pad_edge=False)
    for r in settings.ruleset.rules:
        severity = settings.severities.get(r.code, r.severity)
        enabled = r.code in settings.enabled
        table.add_row(
            r.code,
            r.name,
            severity.value if lang == "en" else severity.zh,
            messages.category(r.category, lang),
            messages.word("yes" if enabled else "no", lang),
            r.text("summary", lang),
        )
    _console(args).print(table)
    return 0


def _explain(args: argparse.Namespace, lang: str) -> int:
    settings = _resolver(args).run_settings()
    lang = args.lang or settings.lang
    rule = settings.ruleset.by_code().get(args.code.upper())
    if rule is None:
        print(
            f"disclosure-lint: {'未知的规则代码' if lang == 'zh' else 'unknown rule code'} {args.code}",
            file=sys.stderr,
        )
        return 2
    console = _console(args)
    from rich.markup import escape

    from . import messages

    if lang == "en":
        console.print(f"[bold]{rule.code}[/] {rule.name} ({rule.severity.value}, {rule.category})")
    else:
        console.print(
            f"[bold]{rule.code}[/] {rule.name}（{rule.severity.zh}，{messages.category(rule.category, lang)}）"
        )
    console.print(escape(rule.text("summary", lang)))
    if rule.from_year is not None or rule.to_year is not None:
        first, last = rule.from_year or "", rule.to_year or ""
        console.print(f"{'适用报告年度' if lang == 'zh' else 'Applies to report years'}: {first}–{last}")
    labels = {
        "why": ("为什么", "Why"),
        "basis": ("依据", "Basis"),
        "bad": ("不符合的写法", "Failing example"),
        "good": ("符合的写法", "Passing example"),
    }
    for key, (zh, en) in labels.items():
        if rule.docs.get(key):
            console.print(f"\n[bold]{zh if lang == 'zh' else en}[/]")
            console.print(escape(rule.docs[key].rstrip()))
    if rule.help:
        console.print(f"\n[bold]{'如何修改' if lang == 'zh' else 'How to fix'}[/]\n" + escape(rule.text("help", lang)))
    if rule.assertion_text:
        console.print(
            f"\n[bold]{'规则表达式' if lang == 'zh' else 'Rule expression'}[/]\n" + escape(rule.assertion_text)
        )
    console.print(f"\n[dim]{rule.path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
