"""GitHub Actions workflow commands (annotations) and a Markdown job summary.

The runner parses ``::command key=value,…::data`` lines; anything in the data or in a property
value that could end the command early must be percent-escaped the way the Actions toolkit does.
"""

from __future__ import annotations

from collections import Counter
from typing import IO, TYPE_CHECKING

from .. import __version__
from ..diagnostics import Diagnostic, Severity
from . import (
    FileResult,
    RuleMeta,
    Style,
    count,
    located_message,
    ordered,
    posix_path,
    related_elsewhere,
    render_run,
    write_text,
)

if TYPE_CHECKING:
    from ..results import RunResult

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    # "%" first, or the escapes just written would themselves be escaped.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    # ":" would end the property list and "," would start a new property.
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def _properties(d: Diagnostic, path: str) -> dict[str, object]:
    props: dict[str, object] = {"file": posix_path(path)}
    span = d.span
    # A Word document has no lines to point at; the annotation then belongs to the whole file.
    if span is not None and not span.where:
        props["line"] = span.line
        end_line = max(span.end_line, span.line)
        # The runner rejects columns on annotations that span several lines.
        if end_line == span.line:
            props["col"] = span.column
            props["endLine"] = end_line
            # Our spans end exclusively; GitHub's endColumn is the last column highlighted.
            props["endColumn"] = max(span.column, span.end_column - 1)
        else:
            props["endLine"] = end_line
    props["title"] = f"{d.rule} {d.name}"
    return props


def _message(d: Diagnostic, lang: str) -> str:
    text = located_message(d, lang)
    for place in related_elsewhere(d, lang):
        text += f"\nsee also: {place}" if lang == "en" else f"\n另见：{place}"
    return text


def render(
    results: list[FileResult],
    *,
    rules: list[RuleMeta] | None = None,
    lang: str = "zh",
    tool_version: str = __version__,
) -> str:
    lines: list[str] = []
    for r in ordered(results):
        if r.error is None and not r.diagnostics:
            continue
        lines.append(f"::group::{escape_data(r.path)}")
        if r.error is not None:
            title = "unreadable" if lang == "en" else "无法读取"
            lines.append(command("error", {"file": posix_path(r.path), "title": title}, r.error.resolve(lang)))
        for d in r.diagnostics:
            lines.append(command(_COMMANDS[d.severity], _properties(d, r.path), _message(d, lang)))
        lines.append("::endgroup::")
    return "\n".join(lines) + "\n" if lines else ""


def _cell(text: object) -> str:
    # A "|" would split the table cell and a newline would end the table.
    return " ".join(str(text).split()).replace("|", "\\|")


def step_summary(results: list[FileResult], *, lang: str = "zh") -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: counts per file and per rule."""
    en = lang == "en"
    files = ordered(results)
    c = count(files)
    out: list[str] = ["## disclosure-lint", ""]
    if en:
        out.append(
            f"{c.files} file(s): **{c.errors}** error(s), **{c.warnings}** warning(s), "
            f"**{c.infos}** info(s)" + (f", **{c.unreadable}** unreadable" if c.unreadable else "")
        )
    else:
        out.append(
            f"共 {c.files} 个文件：**{c.errors}** 个错误，**{c.warnings}** 个警告，**{c.infos}** 个提示"
            + (f"，**{c.unreadable}** 个文件无法读取" if c.unreadable else "")
        )
    out.append("")

    head = ("File", "Errors", "Warnings", "Infos", "Note") if en else ("文件", "错误", "警告", "提示", "备注")
    out.append("| " + " | ".join(head) + " |")
    out.append("| --- | ---: | ---: | ---: | --- |")
    for r in files:
        fc = count([r])
        note = ""
        if r.error is not None:
            note = ("unreadable: " if en else "无法读取：") + r.error.resolve(lang)
        row = (r.path, fc.errors, fc.warnings, fc.infos, note)
        out.append("| " + " | ".join(_cell(v) for v in row) + " |")

    per_rule: Counter[tuple[str, str, str]] = Counter(
        (d.rule, d.name, d.severity.value) for r in files for d in r.diagnostics
    )
    if per_rule:
        out.append("")
        head = ("Rule", "Name", "Severity", "Count") if en else ("规则", "名称", "级别", "数量")
        out.append("| " + " | ".join(head) + " |")
        out.append("| --- | --- | --- | ---: |")
        for (rule, name, severity), n in sorted(per_rule.items()):
            shown = Severity(severity).text.resolve(lang)
            out.append("| " + " | ".join(_cell(v) for v in (rule, name, shown, n)) + " |")
    return "\n".join(out) + "\n"


def report(run: RunResult, out: IO[str], style: Style) -> None:
    write_text(out, render_run(render, run))


def summary(run: RunResult) -> str:
    """What goes to the file named by ``$GITHUB_STEP_SUMMARY`` (see the registry's ``summary_file``)."""
    return step_summary(run.files, lang=run.lang)
