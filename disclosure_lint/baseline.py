"""Baselines: record today's findings so that only new ones are reported from now on.

A finding is identified by its file and :attr:`Diagnostic.key` (rule code plus the cells or section it
is about), never by a line number: adding a paragraph above a table must not make old findings look
new. Paths are stored relative to the baseline file, with "/" separators, so the same baseline works
from any working directory and on any system. Each entry carries a count because one key can occur
more than once in a file (e.g. the same duplicated row twice).

The file is JSON, sorted and without timestamps, so that it diffs cleanly under version control.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from dataclasses import field
from pathlib import Path

from .bilingual import Text
from .diagnostics import Diagnostic
from .errors import ConfigError, InputError
from .limits import MAX_CONFIG_FILE_SIZE
from .output import write_text
from .reading import read_small_text
from .records import record
from .results import FileResult, fallback_key

VERSION = 1
TOOL = "disclosure-lint"


def finding_key(d: Diagnostic) -> str:
    return fallback_key(d)


def file_key(path: str, baseline_dir: Path) -> str:
    """``path`` as the baseline stores it: relative to the baseline's directory, "/"-separated."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(baseline_dir))
    return rel.replace(os.sep, "/")


@record
class StaleEntry:
    path: str  # as stored in the baseline
    key: str
    count: int

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "key": self.key, "count": self.count}


@record
class Applied:
    """What applying a baseline did: the remaining (new) findings and the bookkeeping around them."""

    results: list[FileResult]
    suppressed: int = 0
    stale: list[StaleEntry] = field(default_factory=list)

    def summary(self, baseline: Path) -> dict[str, object]:
        return {
            "path": str(baseline),
            "suppressed": self.suppressed,
            "stale": [s.to_dict() for s in self.stale],
        }


@record
class Baseline:
    path: Path
    files: dict[str, Counter[str]]

    @property
    def directory(self) -> Path:
        return self.path.resolve().parent

    def apply(self, results: list[FileResult]) -> Applied:
        """Drop the findings the baseline knows; report entries of checked files that no longer occur.

        Only files checked in this run can have stale entries: pre-commit passes just the changed
        files, and the others' entries are still valid. A file that could not be read is not judged.
        """
        applied = Applied([])
        for result in results:
            fkey = file_key(result.path, self.directory)
            budget = Counter(self.files.get(fkey, Counter()))
            kept: list[Diagnostic] = []
            for d in result.diagnostics:
                key = finding_key(d)
                if budget[key] > 0:
                    budget[key] -= 1
                    applied.suppressed += 1
                else:
                    kept.append(d)
            applied.results.append(dataclasses.replace(result, diagnostics=kept))
            if result.error is None:
                applied.stale.extend(StaleEntry(fkey, k, n) for k, n in sorted(budget.items()) if n > 0)
        return applied


def load(path: str | Path) -> Baseline:
    path = Path(path)
    where = str(path)
    try:
        text = read_small_text(path, MAX_CONFIG_FILE_SIZE)
    except InputError as exc:
        if not path.exists():
            raise ConfigError(
                Text(
                    "基线文件不存在（先用 --write-baseline 生成）",
                    "baseline file not found (create it with --write-baseline first)",
                ),
                path=where,
            ) from None
        raise ConfigError(Text("无法读取基线文件：", "cannot read baseline file: ") + exc.text, path=where) from None
    except FileNotFoundError:
        raise ConfigError(
            Text(
                "基线文件不存在（先用 --write-baseline 生成）",
                "baseline file not found (create it with --write-baseline first)",
            ),
            path=where,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Text(f"无法读取基线文件：{exc}", f"cannot read baseline file: {exc}"), path=where) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            Text(f"基线文件不是有效的 JSON：{exc.msg}", f"baseline file is not valid JSON: {exc.msg}"),
            path=where,
            line=exc.lineno,
        ) from None
    except (ValueError, RecursionError) as exc:  # a count of thousands of digits; nesting thousands deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ConfigError(
            Text(f"基线文件无法读取：{reason}", f"baseline file cannot be read: {reason}"), path=where
        ) from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
        raise ConfigError(
            Text(
                f"不是 disclosure-lint 基线文件（应有 version: {VERSION} 和 files）",
                f"not a disclosure-lint baseline (expected version {VERSION} and files)",
            ),
            path=where,
        )
    files: dict[str, Counter[str]] = {}
    for fkey, entries in data["files"].items():
        counter: Counter[str] = Counter()
        if not isinstance(entries, list):
            raise ConfigError(Text(f"“{fkey}”的记录应为列表", f"entries for '{fkey}' must be a list"), path=where)
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise ConfigError(Text(f"“{fkey}”中有缺少 key 的记录", f"an entry for '{fkey}' has no key"), path=where)
            count = entry.get("count", 1)
            if not isinstance(count, int) or count < 1:
                raise ConfigError(
                    Text(f"“{fkey}”中 count 应为正整数", f"count in '{fkey}' must be a positive integer"), path=where
                )
            counter[entry["key"]] += count
        files[fkey] = counter
    return Baseline(path, files)


def document(results: list[FileResult], baseline_dir: Path, lang: str = "zh") -> dict[str, object]:
    files: dict[str, list[dict[str, object]]] = {}
    for result in sorted(results, key=lambda r: r.path):
        if not result.diagnostics:
            continue
        counts: Counter[str] = Counter(finding_key(d) for d in result.diagnostics)
        first: dict[str, Diagnostic] = {}
        for d in result.diagnostics:
            first.setdefault(finding_key(d), d)
        entries = files.setdefault(file_key(result.path, baseline_dir), [])
        for key in sorted(counts):
            d = first[key]
            # The message is there for the person reviewing the baseline; matching uses the key only.
            entries.append({"key": key, "rule": d.rule, "count": counts[key], "message": d.message.resolve(lang)})
    return {"version": VERSION, "tool": TOOL, "files": dict(sorted(files.items()))}


def write(path: str | Path, results: list[FileResult], lang: str = "zh") -> int:
    """Write the baseline for ``results``; returns the number of findings recorded."""
    path = Path(path)
    doc = document(results, path.resolve().parent, lang)
    # Written whole or not at all: a full disk must not leave half a baseline behind.
    write_text(str(path), json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return sum(len(r.diagnostics) for r in results)
