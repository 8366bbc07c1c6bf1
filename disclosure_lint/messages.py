"""The words of the tool's own output (not the rules' messages, which live in the YAML files), in one place.

Every phrase a person reads around the findings — summaries, labels in code frames, skipped files, the
command line's help — is a :class:`~disclosure_lint.bilingual.Text` here, so that both languages keep one style: Chinese
punctuation (：、，。（）) in Chinese, "源文件第 N 行" for a line of the file and "表三第 N 行" only for a
row of a table.
"""

from __future__ import annotations

from .bilingual import Text

WORDS: dict[str, Text] = {
    # code frames (reporters/full.py)
    "place": Text("位置", "place"),
    "expected": Text("期望", "expected"),
    "actual": Text("实际", "actual"),
    "diff": Text("差值", "diff"),
    "equation": Text("算式", "equation"),
    "help": Text("修改建议", "how to fix"),
    "fix": Text("可能应改为", "probably should be"),
    "also": Text("另见", "see also"),
    "explain": Text("说明", "explain"),
    "cell_text": Text("单元格内容", "cell text"),
    "blank": Text("（空）", "(blank)"),
    "error_word": Text("错误", "error"),
    # rules table (cli rules)
    "code": Text("规则", "code"),
    "name": Text("名称", "name"),
    "severity": Text("级别", "severity"),
    "category": Text("类别", "category"),
    "enabled": Text("启用", "enabled"),
    "summary": Text("说明", "summary"),
    "yes": Text("是", "yes"),
    "no": Text("否", "no"),
}

CATEGORIES: dict[str, Text] = {
    "structure": Text("结构", "structure"),
    "completeness": Text("完整性", "completeness"),
    "value": Text("数值", "value"),
    "arithmetic": Text("勾稽关系", "arithmetic"),
    "narrative": Text("正文与表格", "narrative"),
    "format": Text("格式版本", "format"),
}

# Why a file in a folder was not checked (runner.Skipped.reason).
SKIP_REASONS: dict[str, Text] = {
    "pdf": Text("需要安装 disclosure-lint[pdf] 才能读取 PDF", "reading PDF needs disclosure-lint[pdf]"),
    "unsupported": Text(
        "不支持此格式，请另存为 .docx 或 .txt 后再检查",
        "this format is not supported; save it as .docx or .txt and check that",
    ),
}


# What a rule's help names where no report fills it in (``explain``): 「在报告开头写明……自××××年1月1日」.
PLACEHOLDERS: dict[str, Text] = {
    "year": Text("××××", "YYYY"),
    "prev_year": Text("上一年度", "the year before"),
    "raw": Text("该格所填内容", "what the cell holds"),
    "standard": Text("标准写法", "the standard wording"),
    "table": Text("该表", "the table"),
    "place": Text("该单元格", "the cell"),
}
SOME_VALUE = Text("……", "…")


def word(key: str, lang: str) -> str:
    return WORDS[key].resolve(lang)


def category(key: str, lang: str) -> str:
    return CATEGORIES.get(key, Text.same(key)).resolve(lang)


def source_position(line: int, column: int, lang: str) -> str:
    """A place in the file as a person says it; never to be confused with a row of a table."""
    return Text(f"源文件第 {line} 行第 {column} 列", f"line {line}, column {column} of the file").resolve(lang)


def _counted(k: int, one: str, many: str) -> str:
    return f"{k} {one if k == 1 else many}"


def _counts(errors: int, warnings: int, infos: int) -> Text:
    return Text(
        f"{errors} 个错误、{warnings} 个警告、{infos} 条提示",
        f"{_counted(errors, 'error', 'errors')}, {_counted(warnings, 'warning', 'warnings')}, "
        f"{_counted(infos, 'info', 'infos')}",
    )


def counts(errors: int, warnings: int, infos: int, lang: str) -> str:
    return _counts(errors, warnings, infos).resolve(lang)


def file_line(path: str, errors: int, warnings: int, infos: int, by_rule: str, lang: str) -> str:
    found = _counts(errors, warnings, infos)
    return Text(f"{path}：{found.zh}（{by_rule}）", f"{path}: {found.en} ({by_rule})").resolve(lang)


def summary(files: int, errors: int, warnings: int, infos: int, unreadable: int, skipped: int, lang: str) -> str:
    """The last line of a run: what was checked, what was found, what was left out."""
    found = _counts(errors, warnings, infos)
    text = Text(f"共检查 {files} 个文件：{found.zh}", f"{_counted(files, 'file', 'files')} checked: {found.en}")
    if unreadable:
        text += Text(f"；{unreadable} 个文件无法读取", f"; {unreadable} unreadable")
    if skipped:
        text += Text(f"；{skipped} 个文件未检查", f"; {skipped} skipped")
    return text.resolve(lang)


_VERDICTS = {
    0: Text("结论：通过。", "Result: passed."),
    1: Text("结论：未通过（请按上面的问题修改）。", "Result: failed (see the findings above)."),
    2: Text("结论：检查未完成（有文件无法检查）。", "Result: incomplete (some files could not be checked)."),
}


def verdict(status: int, lang: str) -> str:
    """What the exit status means, in words (0 passed, 1 findings that fail the run, 2 incomplete run)."""
    return _VERDICTS.get(status, _VERDICTS[2]).resolve(lang)


def skipped_heading(count: int, lang: str) -> str:
    return Text(
        f"已跳过 {count} 个无法检查的文件：", f"Skipped {_counted(count, 'file', 'files')} that cannot be checked:"
    ).resolve(lang)


def skipped_item(path: str, reason: str, lang: str) -> str:
    return Text(f"  {path}（{reason}）", f"  {path} ({reason})").resolve(lang)


def more(count: int, lang: str) -> str:
    return Text(f"…… 另有 {count} 处", f"… and {count} more").resolve(lang)


# --- the command line's help (cli.build_parser) ---------------------------------------------------

HELP: dict[str, Text] = {
    "description": Text(
        "按《政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）检查政府信息公开工作年度报告。"
        "直接写文件名即可检查：disclosure-lint 报告.docx",
        "Check 政府信息公开工作年度报告 against the national format (国办公开办函〔2021〕30号). "
        "A file name alone checks it: disclosure-lint report.docx",
    ),
    "epilog": Text(
        "退出状态：0 没有问题（或只有低于失败级别的问题），1 有问题，2 检查未完成（文件无法读取、被跳过或选项有误）。"
        "每个子命令的选项：disclosure-lint 子命令 --help",
        "Exit status: 0 no finding at the fail level, 1 findings, 2 the run is incomplete "
        "(a file could not be read or was skipped, or a bad option). Each command's options: "
        "disclosure-lint COMMAND --help",
    ),
    "commands": Text("子命令", "commands"),
    "help": Text("显示本帮助并退出", "show this help message and exit"),
    "version": Text("显示版本号并退出", "show the version and exit"),
    "check": Text("检查报告（默认子命令）", "check reports (default command)"),
    "extract": Text("输出从报告中读到的内容（各表各格的数值、状态和位置）", "print what was read from reports"),
    "rules": Text("列出全部规则", "list the rules"),
    "explain": Text("显示一条规则的说明", "show a rule's documentation"),
    "config": Text("显示生效的配置及每项的来源", "show the effective configuration and where each value comes from"),
    "paths": Text("要检查的报告文件或文件夹；- 表示从标准输入读取", "report files or directories, or - for stdin"),
    "format": Text("输出格式", "output format"),
    "exit-zero": Text("即使有问题也以 0 退出", "exit 0 even when findings reach the fail level"),
    "output": Text("把结果写入文件（UTF-8 编码）", "write the report to FILE (UTF-8)"),
    "stdin-filename": Text("从标准输入读取时显示的文件名", "name to show for a report read from stdin"),
    "force-exclude": Text(
        "命令行上直接写出的文件也按排除规则处理",
        "apply exclude globs to files named on the command line too",
    ),
    "no-baseline": Text("不使用配置中的基线文件", "ignore the configured baseline"),
    "write-baseline": Text("把当前的问题记入基线文件", "record current findings in FILE"),
    "jobs": Text("并行进程数（默认：全部 CPU 核心）", "parallel processes (default: all cores)"),
    "statistics": Text("只输出按规则、按文件的问题数量", "print counts per rule and per file instead"),
    "show-files": Text("只列出将要检查的文件，不检查", "list the files that would be checked, then stop"),
    "previous": Text(
        "与上一年度的报告 LAST 比较（只检查一份报告时）",
        "compare the one report checked with LAST, last year's report",
    ),
    "color": Text("颜色：auto 自动、always 总是、never 从不", "colour: auto, always or never"),
    "config-file": Text("所有输入都使用此配置文件", "use this configuration file for every input"),
    "isolated": Text("不读取任何配置文件", "ignore all configuration files"),
    "debug": Text("内部错误时显示详细的调用栈", "show tracebacks for internal errors"),
    "extract-paths": Text("报告文件或文件夹", "report files or directories"),
    "extract-format": Text(
        "输出格式：json、table（表格）、csv（带 BOM，Excel 可直接打开）",
        "output format: json, table, csv",
    ),
    "code": Text("规则代码，如 A301", "rule code, e.g. A301"),
    "config-path": Text("文件或文件夹（默认为当前文件夹）", "file or directory (default .)"),
    "show": Text("显示生效的配置（默认动作）", "show the effective configuration (the default action)"),
    "config-format": Text("输出格式：text 文本、json", "output format: text or json"),
    # around errors
    "did-you-mean": Text("您是否想输入 {suggestion}？", "did you mean {suggestion}?"),
    "see-help": Text("用 {prog} --help 查看全部选项。", "See {prog} --help for every option."),
    "unknown-command": Text(
        "没有 {command} 这个子命令，也没有这个文件。", "there is no command or file named {command}."
    ),
}

# argparse's own words (its gettext messages), for the Chinese help and errors.
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "取值 %(value)r 无效（可选：%(choices)s）",
    "expected one argument": "需要一个取值",
    "expected at most one argument": "最多只能有一个取值",
    "expected at least one argument": "至少需要一个取值",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "必须提供以下参数之一：%s",
    "invalid %(type)s value: %(value)r": "取值 %(value)r 不是有效的 %(type)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "此选项不接受取值 %r",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def help_text(key: str, lang: str) -> str:
    return HELP[key].resolve(lang)
