"""Command line: parse options, run the pipeline on each file, hand the results to a reporter.

Exit status: 0 no finding at or above the fail level, 1 such findings, 2 the tool could not do its
job (unreadable file, bad rule file, bad option).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .diagnostics import Severity
from .errors import LintError

COMMANDS = ("check", "extract", "rules", "explain")
CHECK_FORMATS = ("full", "concise", "json", "sarif", "github", "junit", "gitlab")


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="message language (default zh)")
    p.add_argument("--rule-dir", action="append", default=[], metavar="DIR", help="extra YAML rule directory")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="disclosure-lint",
        description="Check 政府信息公开工作年度报告 against the national format (国办公开办函〔2021〕30号).",
    )
    parser.add_argument("--version", action="version", version=f"disclosure-lint {__version__}")
    sub = parser.add_subparsers(dest="command")

    check = sub.add_parser("check", help="check reports (default command)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="report files or directories, or - for stdin")
    check.add_argument("--format", choices=CHECK_FORMATS, default=None)
    check.add_argument("--fail-on", choices=("error", "warning", "info"), default=None)
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings reach the fail level"
    )
    check.add_argument("--select", default=None, help="comma-separated rule codes or prefixes to run")
    check.add_argument("--ignore", default=None, help="comma-separated rule codes or prefixes to skip")
    check.add_argument("--output", "-o", default=None, metavar="FILE", help="write the report to FILE")
    check.add_argument("--stdin-filename", default=None, help="name to show for a report read from stdin")
    _add_common(check)

    extract = sub.add_parser("extract", help="print what was read from reports")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--format", choices=("json", "table", "csv"), default="json")
    extract.add_argument("--output", "-o", default=None, metavar="FILE")
    _add_common(extract)

    rules = sub.add_parser("rules", help="list the rules")
    _add_common(rules)
    explain = sub.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("code")
    _add_common(explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    lang = args.lang or os.environ.get("DISCLOSURE_LINT_LANG", "zh")
    try:
        if args.command == "check":
            return _check(args, lang)
        if args.command == "extract":
            return _extract(args, lang)
        if args.command == "rules":
            return _list_rules(args, lang)
        return _explain(args, lang)
    except LintError as exc:
        print(f"disclosure-lint: {exc.located(lang)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


# --- helpers -------------------------------------------------------------------------------------


def _console(args: argparse.Namespace, file: object = None):  # -> rich.console.Console
    from rich.console import Console

    color = args.color
    if os.environ.get("NO_COLOR") and color == "auto":
        color = "never"
    force = True if color == "always" or (color == "auto" and os.environ.get("FORCE_COLOR")) else None
    return Console(
        file=file or sys.stdout,  # type: ignore[arg-type]
        force_terminal=force,
        no_color=color == "never",
        highlight=False,
        soft_wrap=True,
        width=200 if not (file or sys.stdout).isatty() else None,  # type: ignore[union-attr]
    )


def collect_paths(paths: Sequence[str]) -> tuple[list[str], list[tuple[str, LintError]]]:
    from .errors import InputError
    from .pipeline import REPORT_SUFFIXES

    files: list[str] = []
    errors: list[tuple[str, LintError]] = []
    for p in paths:
        if p == "-":
            files.append(p)
        elif os.path.isdir(p):
            found = []
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.lower().endswith(REPORT_SUFFIXES):
                        found.append(os.path.join(root, name))
            if not found:
                errors.append(
                    (
                        p,
                        InputError(
                            "目录中没有报告文件（.txt .md .html .htm .docx）",
                            "no report files (.txt .md .html .htm .docx) in this directory",
                            path=p,
                        ),
                    )
                )
            files.extend(found)
        elif not os.path.exists(p):
            errors.append((p, InputError("文件不存在", "file not found", path=p)))
        else:
            files.append(p)
    return files, errors


def _read(path: str, stdin_name: str | None):
    from .pipeline import load_report

    if path == "-":
        data = sys.stdin.buffer.read()
        return load_report(stdin_name or "<stdin>", data)
    return load_report(path)


def _selector(select: str | None, ignore: str | None):
    chosen = [s.strip().upper() for s in (select or "").split(",") if s.strip()]
    skipped = [s.strip().upper() for s in (ignore or "").split(",") if s.strip()]

    def wanted(code: str) -> bool:
        if chosen and not any(code.startswith(c) for c in chosen):
            return False
        return not any(code.startswith(c) for c in skipped)

    return wanted


def _check(args: argparse.Namespace, lang: str) -> int:
    from .reporters import FileResult, RuleMeta, render
    from .rules.engine import load_rules, run_rules

    ruleset = load_rules(args.rule_dir)
    fail_on = Severity(args.fail_on or "error")
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full")
    files, errors = collect_paths(args.paths)
    results: list[FileResult] = [FileResult(p, [], e.message(lang)) for p, e in errors]
    sources: dict[str, list[str]] = {}
    wanted = _selector(args.select, args.ignore)
    for path in files:
        try:
            report = _read(path, args.stdin_filename)
        except LintError as exc:
            results.append(
                FileResult(path if path != "-" else (args.stdin_filename or "<stdin>"), [], exc.message(lang))
            )
            continue
        diagnostics = run_rules(report, ruleset, lang=lang, select=wanted)
        results.append(FileResult(report.path, diagnostics))
        sources[report.path] = report.text.split("\n")
    out = open(args.output, "w", encoding="utf-8") if args.output else None  # noqa: SIM115
    try:
        if fmt == "full":
            from .reporters.full import print_results

            print_results(_console(args, out), results, sources, lang=lang, fail_on=fail_on)
        else:
            metas = [
                RuleMeta(
                    r.code, r.name, r.severity.value, r.text("summary", lang), r.text("help", lang) or None
                )
                for r in ruleset.rules
            ]
            text = render(fmt, results, rules=metas, lang=lang, tool_version=__version__)
            (out or sys.stdout).write(text if text.endswith("\n") else text + "\n")
            if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
                from .reporters.github import step_summary

                with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                    fh.write(step_summary(results, lang=lang))
    finally:
        if out:
            out.close()
    if any(r.error for r in results):
        return 2
    if args.exit_zero:
        return 0
    failed = any(d.severity.rank >= fail_on.rank for r in results for d in r.diagnostics)
    return 1 if failed else 0


def _extract(args: argparse.Namespace, lang: str) -> int:
    from .extract import to_csv, to_json

    files, errors = collect_paths(args.paths)
    reports = []
    failures = [(p, e.message(lang)) for p, e in errors]
    for path in files:
        try:
            reports.append(_read(path, None))
        except LintError as exc:
            failures.append((path, exc.message(lang)))
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.format == "json":
            out.write(to_json(reports, failures) + "\n")
        elif args.format == "csv":
            out.write(to_csv(reports))
        else:
            from .reporters.tables import print_tables

            print_tables(_console(args, out if args.output else None), reports, lang=lang)
    finally:
        if args.output:
            out.close()
    for path, message in failures:
        if args.format != "json":
            print(f"disclosure-lint: {path}: {message}", file=sys.stderr)
    return 2 if failures else 0


def _list_rules(args: argparse.Namespace, lang: str) -> int:
    from rich.table import Table

    from .rules.engine import load_rules

    ruleset = load_rules(args.rule_dir)
    table = Table("code", "name", "severity", "category", "summary", box=None, pad_edge=False)
    for r in ruleset.rules:
        table.add_row(r.code, r.name, r.severity.value, r.category, r.text("summary", lang))
    _console(args).print(table)
    return 0


def _explain(args: argparse.Namespace, lang: str) -> int:
    from .rules.engine import load_rules

    ruleset = load_rules(args.rule_dir)
    rule = ruleset.by_code().get(args.code.upper())
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
        console.print(
            f"\n[bold]{'如何修改' if lang == 'zh' else 'How to fix'}[/]\n" + escape(rule.text("help", lang))
        )
    if rule.assertion_text:
        console.print(
            f"\n[bold]{'规则表达式' if lang == 'zh' else 'Rule expression'}[/]\n"
            + escape(rule.assertion_text)
        )
    console.print(f"\n[dim]{rule.path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
