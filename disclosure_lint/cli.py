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
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from . import __version__
from .bilingual import Text
from .errors import ConfigError, LintError

if TYPE_CHECKING:
    from rich.console import Console

    from .api import OutputFile, RunOptions
    from .config import Resolver
    from .reporters import Reporter
    from .results import Extracted, FileResult, RunResult

COMMANDS = ("check", "extract", "rules", "explain", "config")
# A progress bar only helps when a run takes a while; for a few files it would only flicker.
PROGRESS_MIN_FILES = 21
PROGRESS_REDRAW_SECONDS = 0.1


# --- options -------------------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, lang: str = "zh") -> None:
    h = _helper(lang)
    _add_setting_flags(p, "all", lang)
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=h("color"))
    p.add_argument("--config", default=None, metavar="FILE", help=h("config-file"))
    p.add_argument("--isolated", action="store_true", help=h("isolated"))
    p.add_argument("--debug", action="store_true", help=h("debug"))


def _add_settings(p: argparse.ArgumentParser, lang: str = "zh") -> None:
    """Options that override a configuration key of the same name."""
    _add_setting_flags(p, "settings", lang)


def _add_setting_flags(p: argparse.ArgumentParser, commands: str, lang: str) -> None:
    """The flags of the configuration's table of settings that ``commands`` ("all", "settings", "check") take."""
    from .config import flags

    for flag in flags(commands):
        p.add_argument(flag.option, **flag.argparse_options(lang))


def _helper(lang: str) -> Any:
    from .messages import help_text

    return lambda key: help_text(key, lang)


def build_parser(lang: str = "zh", only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, the one command given (a run parses only its own options:
    the others' cost a single-file check about 2 ms to build)."""
    from .cli_parser import argparse_words, parser_class
    from .reporters import CHECK_FORMATS, EXTRACT_FORMATS

    h = _helper(lang)
    cls = parser_class(lang)
    parser = cls(prog="disclosure-lint", description=h("description"), epilog=h("epilog"))
    parser.add_argument("--version", action="version", version=f"disclosure-lint {__version__}", help=h("version"))
    with argparse_words(lang, own=(h("commands"),)):
        sub = parser.add_subparsers(dest="command", title=h("commands"), metavar="{" + ",".join(COMMANDS) + "}")

    if only in (None, "check"):
        check = sub.add_parser("check", help=h("check"), description=h("check"))
        check.add_argument("paths", nargs="*", default=["."], metavar="PATH", help=h("paths"))
        check.add_argument("--format", choices=CHECK_FORMATS, default=None, help=h("format"))
        check.add_argument("--exit-zero", action="store_true", help=h("exit-zero"))
        check.add_argument("--output", "-o", default=None, metavar="FILE", help=h("output"))
        check.add_argument("--stdin-filename", default=None, help=h("stdin-filename"))
        check.add_argument("--force-exclude", action="store_true", help=h("force-exclude"))
        check.add_argument("--no-baseline", action="store_true", help=h("no-baseline"))
        check.add_argument("--write-baseline", default=None, metavar="FILE", help=h("write-baseline"))
        check.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help=h("jobs"))
        check.add_argument("--statistics", action="store_true", help=h("statistics"))
        check.add_argument("--show-files", action="store_true", help=h("show-files"))
        check.add_argument("--previous", default=None, metavar="LAST", help=h("previous"))
        _add_setting_flags(check, "check", lang)
        _add_settings(check, lang)
        _add_common(check, lang)

    if only in (None, "extract"):
        extract = sub.add_parser("extract", help=h("extract"), description=h("extract"))
        extract.add_argument("paths", nargs="+", metavar="PATH", help=h("extract-paths"))
        extract.add_argument("--format", choices=EXTRACT_FORMATS, default="json", help=h("extract-format"))
        extract.add_argument("--output", "-o", default=None, metavar="FILE", help=h("output"))
        _add_common(extract, lang)

    if only in (None, "rules"):
        rules = sub.add_parser("rules", help=h("rules"), description=h("rules"))
        _add_settings(rules, lang)
        _add_common(rules, lang)
    if only in (None, "explain"):
        explain = sub.add_parser("explain", help=h("explain"), description=h("explain"))
        explain.add_argument("code", help=h("code"))
        _add_common(explain, lang)

    if only in (None, "config"):
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
    from .startup import collect_less_often
    from .streams import safe_streams

    collect_less_often()  # again, for the console script, which imports this module first
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
        from .cli_parser import language

        if language(sys.argv[1:] if argv is None else argv) == "en":
            print(f"disclosure-lint: cannot write the results: {reason}", file=sys.stderr)
        else:
            print(f"disclosure-lint: 无法输出结果：{reason}", file=sys.stderr)
        return 2


def run() -> NoReturn:
    """The command line as a process (the ``disclosure-lint`` script, ``python -m disclosure_lint``): :func:`main`,
    then the process ends with main's status, without the interpreter's teardown.

    Python's own exit frees every object and module one by one: ~20 ms after a single-file check (a sixth of its
    time) and ~30 ms after a batch, for memory the operating system takes back at once. By then everything the
    run writes is written: main flushes stdout, files are written in blocks that close them, the worker pool has
    been shut down, and nothing the run uses leaves work for exit time (only ``logging``, with no handler that
    buffers, and the pool's own clean-up, done already)."""
    status = main()
    if sys.gettrace() is not None or sys.getprofile() is not None or "coverage" in sys.modules:
        sys.exit(status)  # a tracer or profiler (coverage, cProfile) writes what it gathered at exit
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # (a closed pipe: main has said so, and reports it in its status)
            stream.flush()
    os._exit(status)


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
    parser = build_parser(early_lang, only=args_list[0] if args_list and args_list[0] in COMMANDS else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on bad options, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    # Until the configuration is read, messages follow the command line or the environment.
    lang = args.lang or language([])
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

        print(f"disclosure-lint: {internal_error_message(exc).resolve(lang)}", file=sys.stderr)
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
    from .reporters import Style

    return Style(color_choice(args.color)).console(file or (sys.stderr if stderr else sys.stdout))


def _resolver(args: argparse.Namespace) -> Resolver:
    from .config import Resolver, cli_options, flag_values

    return Resolver(cli_options(**flag_values(args)), config_file=args.config, isolated=args.isolated)


def _note(message: Text, lang: str) -> None:
    print(f"disclosure-lint: {message.resolve(lang)}", file=sys.stderr)


@contextlib.contextmanager
def _output(path: str | None, *, binary: bool = False) -> Iterator[IO[Any] | None]:
    """The -o file (written whole or not at all), or None for stdout."""
    if not path:
        yield None
        return
    from .output import atomic_writer

    with atomic_writer(path, binary=binary) as fh:
        yield fh


def _outputs(args: argparse.Namespace) -> list[OutputFile]:
    """The files this command will write besides a baseline: refused before anything is read when one is an input."""
    from .api import OutputFile

    outputs = []
    if getattr(args, "output", None):
        outputs.append(OutputFile(args.output, Text("输出文件", "output file")))
    if args.command == "check":  # whatever the format: a CI summary file must never be one of the inputs
        from .reporters import REPORTERS

        for variable in dict.fromkeys(r.summary_file for r in REPORTERS.values() if r.summary_file):
            summary = os.environ.get(variable)
            if summary:
                outputs.append(OutputFile(summary, Text(f"{variable} 文件", f"{variable} file")))
    return outputs


# --- check ---------------------------------------------------------------------------------------


def _check(args: argparse.Namespace) -> int:
    from .api import RunOptions, lint, run_settings
    from .reporters import reporter

    resolver = _resolver(args)
    output_format = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full")
    chosen = reporter(output_format, statistics=args.statistics)
    options = RunOptions(
        stdin_filename=args.stdin_filename,
        force_exclude=args.force_exclude,
        jobs=args.jobs,
        previous=args.previous,
        use_baseline=not args.no_baseline,
        write_baseline=args.write_baseline,
        exit_zero=args.exit_zero,
        with_cells=chosen.needs_cells,
        outputs=_outputs(args),
        progress=functools.partial(_progress, args),
    )
    args.lang = run_settings(resolver, options, args.paths).lang  # a late error is reported in this language
    options.check()
    if chosen.binary:
        _check_binary_output(args, chosen)
    if args.show_files:
        return _show_files(args, resolver, options)

    result = lint(args.paths, resolver, options)
    _notes(args, chosen, result)
    if result.baseline_written is None:
        _write(args, chosen, result)
        if chosen.summary_file and os.environ.get(chosen.summary_file):
            from .output import append_text

            append_text(os.environ[chosen.summary_file], chosen.load().summary(result))
    # The human formats already show unreadable and skipped files on stdout; elsewhere stderr must say it.
    shown = result.baseline_written is None and not args.output
    if not (shown and chosen.shows_errors):
        _errors_to_stderr(result.files, result.lang)
    if not (shown and chosen.shows_skipped):
        _skipped_to_stderr(result.skipped, result.lang)
    return result.exit_status


def _show_files(args: argparse.Namespace, resolver: Resolver, options: RunOptions) -> int:
    """--show-files: the files a check would read, and why others are not; nothing is checked."""
    from .api import collect_inputs
    from .inert import visible_path

    collected = collect_inputs(args.paths, resolver, options)
    stdin_name = args.stdin_filename or "<stdin>"
    for path in sorted(collected.files):
        print(visible_path(stdin_name if path == "-" else path))
    for _path, err in collected.errors:
        print(f"disclosure-lint: {err.located(args.lang)}", file=sys.stderr)
    _skipped_to_stderr(collected.skipped, args.lang)
    return 2 if collected.errors else 0  # nothing was checked, so nothing is incomplete


def _notes(args: argparse.Namespace, chosen: Reporter, result: RunResult) -> None:
    """What the run did besides finding things, on stderr before the findings: pairing, baseline, tracebacks."""
    lang = result.lang
    pairing = result.pairing
    # A batch in which nothing pairs stays quiet on stderr (the JSON output still lists every report).
    if pairing is not None and not chosen.document and (pairing.pairs or result.pairing_asked):
        for note in pairing.notes():
            print(f"disclosure-lint: {note.resolve(lang)}", file=sys.stderr)
    if args.debug:
        for path, trace in result.tracebacks:
            print(f"--- {path}\n{trace}", file=sys.stderr, end="")
    if result.baseline_written is not None:
        n = result.baseline_written
        _note(
            Text(
                f"已将 {n} 条问题写入基线 {args.write_baseline}",
                f"wrote {n} finding(s) to baseline {args.write_baseline}",
            ),
            lang,
        )
    if result.baseline is not None and result.baseline_path is not None:
        _baseline_notes(result.baseline, result.baseline_path, lang)


def _write(args: argparse.Namespace, chosen: Reporter, result: RunResult | Extracted) -> None:
    """Hand the result to the reporter, writing to the -o file (whole or not at all) or to stdout."""
    from .reporters import Style

    style = Style(color_choice(args.color))
    with _output(args.output, binary=chosen.binary) as out:
        stdout = sys.stdout.buffer if chosen.binary else sys.stdout
        try:
            chosen.write(result, out or stdout, style)
        except BrokenPipeError:
            if out is not None or not chosen.streamed:
                raise
            # The reader (head, a closed pager) stopped reading a streamed output: stop quietly, and let
            # Python's exit flush go nowhere instead of failing again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _check_binary_output(args: argparse.Namespace, chosen: Reporter) -> None:
    """A binary format may need its extra, and never goes to a terminal."""
    require = getattr(chosen.load(), "require", None)
    if require is not None:
        require()
    if not args.output and sys.stdout.isatty():
        name = chosen.name
        raise ConfigError(
            Text(
                f"{name} 是二进制格式，不能输出到终端；请用 -o 文件名.{name} 指定输出文件",
                f"{name} is a binary format and is not written to a terminal; name a file with -o FILE.{name}",
            ),
        )


@contextlib.contextmanager
def _progress(args: argparse.Namespace, total: int) -> Iterator[Callable[[Any], None] | None]:
    """A progress bar on stderr while ``total`` files are checked, yielding what to call as each is done.

    Only for a person watching a terminal: never in CI logs, pipes or files, where the redraws would be
    noise. NO_COLOR keeps the bar but without colour; --color never drops it.

    It is redrawn as files are done, at most ten times a second, rather than by rich's refresh thread: a
    process that runs a second thread cannot safely fork its workers (see forkpool)."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty() or args.color == "never":
        yield None
        return
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("检查报告" if args.lang == "zh" else "checking"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr, force_terminal=True, no_color=color_choice(args.color) is False),
        transient=True,
        auto_refresh=False,
    ) as progress:
        task = progress.add_task("check", total=total)
        progress.refresh()
        drawn = time.monotonic()

        def advance(_outcome: object) -> None:
            nonlocal drawn
            progress.advance(task)
            if time.monotonic() - drawn >= PROGRESS_REDRAW_SECONDS:
                drawn = time.monotonic()
                progress.refresh()

        yield advance


def _errors_to_stderr(results: list[FileResult], lang: str) -> None:
    for r in results:
        if r.error:
            print(f"disclosure-lint: {r.path}: {r.error.resolve(lang)}", file=sys.stderr)


def _skipped_to_stderr(skipped: Sequence[Any], lang: str) -> None:
    from . import messages
    from .inert import visible_path

    if skipped:
        print(f"disclosure-lint: {messages.skipped_heading(len(skipped), lang)}", file=sys.stderr)
        for item in skipped:
            print(messages.skipped_item(visible_path(item.path), item.reason.resolve(lang), lang), file=sys.stderr)


def _baseline_notes(applied: Any, path: Path, lang: str) -> None:
    if applied.suppressed:
        _note(
            Text(
                f"基线 {path}：已忽略 {applied.suppressed} 条已知问题",
                f"baseline {path}: {applied.suppressed} known finding(s) not shown",
            ),
            lang,
        )
    if applied.stale:
        total = sum(s.count for s in applied.stale)
        _note(
            Text(
                f"基线中有 {total} 条记录已不再出现（问题可能已修复），可用 --write-baseline {path} 更新基线：",
                f"{total} baseline entr{'y' if total == 1 else 'ies'} no longer found (fixed?); "
                f"update the baseline with --write-baseline {path}:",
            ),
            lang,
        )
        limit = 20
        for s in applied.stale[:limit]:
            print(f"  {s.path}: {s.key}" + (f" ×{s.count}" if s.count > 1 else ""), file=sys.stderr)
        if len(applied.stale) > limit:
            rest = len(applied.stale) - limit
            print(f"  … {'另有' if lang == 'zh' else 'and'} {rest} {'条' if lang == 'zh' else 'more'}", file=sys.stderr)


# --- config --------------------------------------------------------------------------------------


def _show_config(args: argparse.Namespace) -> int:
    from .inert import visible, visible_path
    from .text import display_width

    resolver = _resolver(args)
    path = args.path
    is_dir = os.path.isdir(path)
    if not is_dir and not os.path.exists(path):
        raise ConfigError(Text("路径不存在", "path not found"), path=path)
    settings = resolver.settings_for(path, is_dir=is_dir)
    lang = settings.lang
    shown = settings.show(lang)
    config = str(settings.config_path) if settings.config_path else None
    if args.format == "json":
        import json  # only this output needs it

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


def _extract(args: argparse.Namespace, lang: str) -> int:
    from .api import extract
    from .reporters import reporter

    chosen = reporter(args.format, command="extract")
    result = extract(args.paths, _resolver(args), lang=lang, outputs=_outputs(args))
    _skipped_to_stderr(result.skipped, lang)
    _write(args, chosen, result)
    if not chosen.shows_errors:
        for path, message in result.failures:
            print(f"disclosure-lint: {path}: {message}", file=sys.stderr)
    return result.exit_status


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
            severity.text.resolve(lang),
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
            f"[bold]{rule.code}[/] {rule.name}（{rule.severity.text.zh}，{messages.category(rule.category, lang)}）"
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
        console.print(
            f"\n[bold]{'如何修改' if lang == 'zh' else 'How to fix'}[/]\n" + escape(rule.documented("help", lang))
        )
    if rule.assertion_text:
        console.print(
            f"\n[bold]{'规则表达式' if lang == 'zh' else 'Rule expression'}[/]\n" + escape(rule.assertion_text)
        )
    console.print(f"\n[dim]{rule.path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
