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
from collections import Counter
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
CHECK_FORMATS = ("full", "concise", "json", "sarif", "github", "junit", "gitlab")
SEVERITIES = tuple(s.value for s in Severity)
# A progress bar only helps when a run takes a while; for a few files it would only flicker.
PROGRESS_MIN_FILES = 21


# --- options -------------------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (default zh)")
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR", help="extra YAML rule directory")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.add_argument("--config", default=None, metavar="FILE", help="use this configuration file for every input")
    p.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")


def _add_settings(p: argparse.ArgumentParser) -> None:
    """Options that override a configuration key of the same name."""
    p.add_argument("--select", default=None, metavar="CODES", help="comma-separated rule codes or prefixes to run")
    p.add_argument("--extend-select", default=None, metavar="CODES", help="add rules to the selection")
    p.add_argument("--ignore", default=None, metavar="CODES", help="comma-separated rule codes or prefixes to skip")
    p.add_argument(
        "--severity", action="append", default=[], metavar="CODE=LEVEL", help="override a rule's level (repeatable)"
    )
    p.add_argument("--profile", default=None, help="rule preset (default, strict)")
    p.add_argument("--fail-on", choices=SEVERITIES, default=None, help="lowest level that fails (default error)")
    p.add_argument("--exclude", default=None, metavar="GLOBS", help="replace the configured exclude globs")
    p.add_argument("--extend-exclude", default=None, metavar="GLOBS", help="add exclude globs")


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected a whole number of MB from 0 to 1000000, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="disclosure-lint",
        description="Check 政府信息公开工作年度报告 against the national format (国办公开办函〔2021〕30号).",
    )
    parser.add_argument("--version", action="version", version=f"disclosure-lint {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check reports (default command)")
    check.add_argument(
        "paths", nargs="*", default=["."], metavar="PATH", help="report files or directories, or - for stdin"
    )
    check.add_argument("--format", choices=CHECK_FORMATS, default=None)
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings reach the fail level")
    check.add_argument("--output", "-o", default=None, metavar="FILE", help="write the report to FILE")
    check.add_argument("--stdin-filename", default=None, help="name to show for a report read from stdin")
    check.add_argument(
        "--force-exclude", action="store_true", help="apply exclude globs to files named on the command line too"
    )
    check.add_argument("--baseline", default=None, metavar="FILE", help="report only findings not in FILE")
    check.add_argument("--no-baseline", action="store_true", help="ignore the configured baseline")
    check.add_argument("--write-baseline", default=None, metavar="FILE", help="record current findings in FILE")
    check.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="parallel processes (default: all cores)"
    )
    check.add_argument(
        "--max-file-size",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="largest input file read, in MB (default 50)",
    )
    check.add_argument(
        "--max-memory",
        type=_megabytes,
        default=None,
        metavar="MB",
        help="address-space limit per worker process, in MB (default none; 0 for none)",
    )
    check.add_argument("--statistics", action="store_true", help="print counts per rule and per file instead")
    check.add_argument("--show-files", action="store_true", help="list the files that would be checked, then stop")
    _add_settings(check)
    _add_common(check)

    extract = sub.add_parser("extract", help="print what was read from reports")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=("json", "table", "csv"), default="json")
    extract.add_argument("--output", "-o", default=None, metavar="FILE")
    _add_common(extract)

    rules = sub.add_parser("rules", help="list the rules")
    _add_settings(rules)
    _add_common(rules)
    explain = sub.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    _add_common(explain)

    config = sub.add_parser("config", help="show the effective configuration and where each value comes from")
    config.add_argument("path", nargs="?", default=".", metavar="PATH", help="file or directory (default .)")
    config.add_argument("--show", action="store_true", help="show the effective configuration (the default action)")
    config.add_argument("--format", choices=("text", "json"), default="text")
    _add_settings(config)
    _add_common(config)
    return parser


# Errors writing findings to stdout (a full disk, a closed pipe): the run cannot report, so exit 2.
_STREAM_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EPIPE})


def main(argv: Sequence[str] | None = None) -> int:
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
    if (args_list and args_list[0] not in COMMANDS and not args_list[0].startswith("-")) or (
        args_list and args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "check")
    parser = build_parser()
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
        max_file_size=getattr(args, "max_file_size", None),
        max_memory=getattr(args, "max_memory", None),
    )
    return Resolver(cli, config_file=args.config, isolated=args.isolated)


def _note(message_zh: str, message_en: str, lang: str) -> None:
    print(f"disclosure-lint: {message_en if lang == 'en' else message_zh}", file=sys.stderr)


@contextlib.contextmanager
def _output(path: str | None) -> Iterator[IO[str] | None]:
    """The -o file (written whole or not at all), or None for stdout."""
    if not path:
        yield None
        return
    from .output import atomic_writer

    with atomic_writer(path) as fh:
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
    _list_skipped(collected, lang)
    if args.show_files:
        for path in sorted(collected.files):
            print(visible_path(stdin_name if path == STDIN else path))
        for _path, err in collected.errors:
            print(f"disclosure-lint: {err.located(lang)}", file=sys.stderr)
        return 2 if collected.errors else 0

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
                source=shown if visible_path(shown) != shown else None,
                max_file_size=max_file_size,
            )
        )

    outcomes = _run_with_progress(args, jobs, run_jobs)
    results = [FileResult(visible_path(p), [], visible_path(e.message(lang))) for p, e in collected.errors]
    results += [FileResult(o.path, o.diagnostics, o.error) for o in outcomes]
    results.sort(key=lambda r: r.path)
    sources = {o.path: o.lines for o in outcomes}
    for o in outcomes:
        if o.internal and args.debug and o.traceback:
            print(f"--- {o.path}\n{o.traceback}", file=sys.stderr, end="")
    failed_files = any(r.error for r in results)

    if args.write_baseline:
        from . import baseline

        n = baseline.write(args.write_baseline, results)
        _note(
            f"已将 {n} 条问题写入基线 {args.write_baseline}",
            f"wrote {n} finding(s) to baseline {args.write_baseline}",
            lang,
        )
        _errors_to_stderr(results, lang)
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
    with _output(args.output) as out:
        if args.statistics:
            _print_statistics(args, out, results, run, fmt, lang)
        else:
            _print_report(args, out, fmt, results, sources, run, lang, baseline_info)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        from .output import append_text
        from .reporters.github import step_summary

        append_text(os.environ["GITHUB_STEP_SUMMARY"], step_summary(results, lang=lang))
    # The human formats already show unreadable files on stdout; elsewhere stderr must say it.
    if args.output or args.statistics or fmt not in ("full", "concise"):
        _errors_to_stderr(results, lang)

    if failed_files:
        return 2
    if args.exit_zero:
        return 0
    failed = any(d.severity.rank >= run.fail_on.rank for r in results for d in r.diagnostics)
    return 1 if failed else 0


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


def _list_skipped(collected: Any, lang: str) -> None:
    """Files a folder walk passed over on purpose (devices, pipes, links out of the tree), on stderr."""
    from .inert import visible_path

    for skipped in collected.skipped:
        print(f"disclosure-lint: {visible_path(skipped.path)}: {skipped.reason(lang)}", file=sys.stderr)


def _errors_to_stderr(results: list[FileResult], lang: str) -> None:
    for r in results:
        if r.error:
            print(f"disclosure-lint: {r.path}: {r.error}", file=sys.stderr)


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
        )
        for r in settings.ruleset.rules
    ]


def _print_report(
    args: argparse.Namespace,
    out: IO[str] | None,
    fmt: str,
    results: list[FileResult],
    sources: dict[str, list[str]],
    run: Settings,
    lang: str,
    baseline_info: dict[str, object] | None,
) -> None:
    from .reporters import render

    if fmt == "full":
        from .reporters.full import print_results

        print_results(
            _console(args, out),
            results,
            sources,
            lang=lang,
            fail_on=run.fail_on,
            exit_zero=bool(getattr(args, "exit_zero", False)),
        )
        return
    if fmt == "json" and baseline_info is not None:
        from .reporters.json_ import document

        doc = document(results, tool_version=__version__)
        doc["baseline"] = baseline_info
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
    en = lang == "en"
    rules = run.ruleset.by_code()
    per_rule: Counter[tuple[str, str]] = Counter((d.rule, d.severity.value) for r in results for d in r.diagnostics)
    files = []
    for r in results:
        c = Counter(d.severity for d in r.diagnostics)
        files.append((r, c[Severity.ERROR], c[Severity.WARNING], c[Severity.INFO]))
    if fmt == "json":
        doc = {
            "rules": [
                {
                    "code": code,
                    "name": rules[code].name if code in rules else "",
                    "severity": severity,
                    "count": n,
                }
                for (code, severity), n in sorted(per_rule.items())
            ],
            "files": [
                {"path": r.path, "errors": e, "warnings": w, "infos": i, "error": r.error} for r, e, w, i in files
            ],
        }
        (out or sys.stdout).write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        return
    from rich.table import Table

    console = _console(args, out)
    by_rule = Table(
        *(("code", "count", "severity", "name", "summary") if en else ("规则", "数量", "级别", "名称", "说明")),
        box=None,
        pad_edge=False,
    )
    for (code, severity), n in sorted(per_rule.items()):
        rule = rules.get(code)
        shown = severity if en else Severity(severity).zh
        by_rule.add_row(code, str(n), shown, rule.name if rule else "", rule.text("summary", lang) if rule else "")
    per_file = Table(
        *(("file", "errors", "warnings", "infos", "status") if en else ("文件", "错误", "警告", "提示", "状态")),
        box=None,
        pad_edge=False,
    )
    for r, e, w, i in files:
        if r.error:
            status = r.error
        elif e or w or i:
            status = "findings" if en else "有问题"
        else:
            status = "ok" if en else "通过"
        per_file.add_row(r.path, str(e), str(w), str(i), status)
    console.print(by_rule if per_rule else ("no findings" if en else "没有发现问题"))
    console.print()
    console.print(per_file)
    total = sum(per_rule.values())
    console.print(
        f"\n{len(results)} file(s), {total} finding(s)" if en else f"\n共 {len(results)} 个文件，{total} 条问题"
    )


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

    _list_skipped(collected, lang)
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
            out.write(to_csv(reports))
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
    heads = ("code", "name", "severity", "category", "enabled", "summary")
    table = Table(*heads, box=None, pad_edge=False)
    for r in settings.ruleset.rules:
        severity = settings.severities.get(r.code, r.severity)
        enabled = r.code in settings.enabled
        table.add_row(
            r.code,
            r.name,
            severity.value,
            r.category,
            ("yes" if enabled else "no") if lang == "en" else ("是" if enabled else "否"),
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

    console.print(f"[bold]{rule.code}[/] {rule.name} ({rule.severity.value}, {rule.category})")
    console.print(escape(rule.text("summary", lang)))
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
