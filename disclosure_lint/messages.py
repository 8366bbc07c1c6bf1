"""The words of the tool's own output (not the rules' messages, which live in the YAML files), in one place.

Every phrase a person reads around the findings — summaries, labels in code frames, skipped files, the
command line's help — is a (Chinese, English) pair here, so that both languages keep one style: Chinese
punctuation (：、，。（）) in Chinese, "源文件第 N 行" for a line of the file and "表三第 N 行" only for a
row of a table.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    # code frames (reporters/full.py)
    "place": ("位置", "place"),
    "expected": ("期望", "expected"),
    "actual": ("实际", "actual"),
    "diff": ("差值", "diff"),
    "equation": ("算式", "equation"),
    "help": ("修改建议", "how to fix"),
    "fix": ("可能应改为", "probably should be"),
    "also": ("另见", "see also"),
    "explain": ("说明", "explain"),
    "cell_text": ("单元格内容", "cell text"),
    "blank": ("（空）", "(blank)"),
    "error_word": ("错误", "error"),
    # rules table (cli rules)
    "code": ("规则", "code"),
    "name": ("名称", "name"),
    "severity": ("级别", "severity"),
    "category": ("类别", "category"),
    "enabled": ("启用", "enabled"),
    "summary": ("说明", "summary"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
}

CATEGORIES: dict[str, tuple[str, str]] = {
    "structure": ("结构", "structure"),
    "completeness": ("完整性", "completeness"),
    "value": ("数值", "value"),
    "arithmetic": ("勾稽关系", "arithmetic"),
    "narrative": ("正文与表格", "narrative"),
    "format": ("格式版本", "format"),
}

# Why a file in a folder was not checked (runner.Skipped.reason).
SKIP_REASONS: dict[str, tuple[str, str]] = {
    "pdf": ("需要安装 disclosure-lint[pdf] 才能读取 PDF", "reading PDF needs disclosure-lint[pdf]"),
    "unsupported": (
        "不支持此格式，请另存为 .docx 或 .txt 后再检查",
        "this format is not supported; save it as .docx or .txt and check that",
    ),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


def category(key: str, lang: str) -> str:
    zh, en = CATEGORIES.get(key, (key, key))
    return en if lang == "en" else zh


def skip_reason(key: str, lang: str) -> str:
    zh, en = SKIP_REASONS.get(key, (key, key))
    return en if lang == "en" else zh


def source_position(line: int, column: int, lang: str) -> str:
    """A place in the file as a person says it; never to be confused with a row of a table."""
    return f"line {line}, column {column} of the file" if lang == "en" else f"源文件第 {line} 行第 {column} 列"


def counts(errors: int, warnings: int, infos: int, lang: str) -> str:
    if lang == "en":

        def n(k: int, one: str, many: str) -> str:
            return f"{k} {one if k == 1 else many}"

        return f"{n(errors, 'error', 'errors')}, {n(warnings, 'warning', 'warnings')}, {n(infos, 'info', 'infos')}"
    return f"{errors} 个错误、{warnings} 个警告、{infos} 条提示"


def file_line(path: str, errors: int, warnings: int, infos: int, by_rule: str, lang: str) -> str:
    if lang == "en":
        return f"{path}: {counts(errors, warnings, infos, lang)} ({by_rule})"
    return f"{path}：{counts(errors, warnings, infos, lang)}（{by_rule}）"


def summary(files: int, errors: int, warnings: int, infos: int, unreadable: int, skipped: int, lang: str) -> str:
    """The last line of a run: what was checked, what was found, what was left out."""
    if lang == "en":
        text = f"{files} file{'s' if files != 1 else ''} checked: {counts(errors, warnings, infos, lang)}"
        if unreadable:
            text += f"; {unreadable} unreadable"
        if skipped:
            text += f"; {skipped} skipped"
        return text
    text = f"共检查 {files} 个文件：{counts(errors, warnings, infos, lang)}"
    if unreadable:
        text += f"；{unreadable} 个文件无法读取"
    if skipped:
        text += f"；{skipped} 个文件未检查"
    return text


def verdict(status: int, lang: str) -> str:
    """What the exit status means, in words (0 passed, 1 findings that fail the run, 2 incomplete run)."""
    if lang == "en":
        return {0: "Result: passed.", 1: "Result: failed (see the findings above)."}.get(
            status, "Result: incomplete (some files could not be checked)."
        )
    return {0: "结论：通过。", 1: "结论：未通过（请按上面的问题修改）。"}.get(
        status, "结论：检查未完成（有文件无法检查）。"
    )


def skipped_heading(count: int, lang: str) -> str:
    if lang == "en":
        return f"Skipped {count} file{'s' if count != 1 else ''} that cannot be checked:"
    return f"已跳过 {count} 个无法检查的文件："


def skipped_item(path: str, reason: str, lang: str) -> str:
    return f"  {path} ({reason})" if lang == "en" else f"  {path}（{reason}）"


def more(count: int, lang: str) -> str:
    return f"… and {count} more" if lang == "en" else f"…… 另有 {count} 处"
