"""Comparing a report with the same body's report of the year before: who is paired with whom, and the checks.

Pairs come from three places:

* ``--previous LAST``: one report and the report given as its predecessor;
* automatic pairing in a batch: reports of the same issuing body (``Report.body``, see identity.py) for
  consecutive years, each compared with its predecessor;
* ``--pair-by FILE.csv`` (or ``pair-by:`` in the configuration): a table ``file,body,year`` that states the
  body and year of the files whose titles are not enough; the listed values replace the detected ones.

Every report is read once, in the worker that checks it; the worker sends back a :func:`snapshot` of what
the cross-year rules need (identity, the cells and parts' texts they read: a few kilobytes), and the
cross-year rules run on two snapshots once every file is done. A snapshot crosses processes still pickled
and is unpickled only when its report is paired. Nothing here imports the CLI or rich.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field, fields, replace
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .bilingual import Text
from .build import LineLocator
from .diagnostics import Diagnostic, Severity
from .errors import ConfigError
from .identity import names_of_body, same_body
from .inert import visible
from .model import Cell, LayoutNote, Report, Section, Span
from .records import record
from .rules.checks import CHECKS
from .rules.engine import RuleSet
from .rules.exprcells import _pattern_can_match
from .rules.exprtree import PREVIOUS, Call, CellRef, Const, walk
from .runner import Job, text_again
from .text import fold

if TYPE_CHECKING:
    from .results import FileResult

# A mapping file lists a few hundred reports at most; a huge one is a mistake.
MAX_PAIR_FILE_BYTES = 5 * 1024 * 1024
# Column names accepted in a --pair-by file (English or Chinese headers).
_COLUMNS = {
    "file": ("file", "path", "文件"),
    "body": ("body", "issuing_body", "机关", "发布机关"),
    "year": ("year", "年度", "年份"),
}


class Snapshot:
    """What the cross-year checks need of a report, with its identity (path, body, year) at hand.

    It keeps what it needs of the report (its fields but the text, the tables and the offset maps; the cells
    and parts' texts that rules comparing years read) and makes a report of it again only when :meth:`report`
    is asked for: a run pairs few of its reports. Kept for the whole run, a report's objects made each later
    file slower to check (memory that is never reused). Pickled, from a worker, it is plain values (tuples,
    strings, numbers; see ``_packed``), since records cost several times as much to pickle as tuples of the
    same fields; the parent keeps what a worker sent as bytes until it is asked for.

    The report's text, for the code frames of the cross-year findings, is not kept: only a checksum of it.
    Which lines those findings point at is known only once the run is paired, few pairs have findings, and
    compressing every report's text for them cost a worker a tenth as much as checking the report. The file
    is read again for a pair that has findings (``reread``), and its lines are shown only when the text read
    is the text checked.
    """

    def __init__(
        self, report: Report, cells: Sequence[Cell] | None = None, parts: frozenset[int] | None = None
    ) -> None:
        """``cells``: those to keep (default every one); ``parts``: the parts whose text is kept (None: every
        part's; see :class:`CrossYearReads`)."""
        self.path, self.body, self.year = report.path, report.body, report.year
        self._report: Report | None = None
        # (the report's own values and cells, as they are: most snapshots are never asked for their report)
        self._kept: Kept | None = (_kept_values(report), list(report.cells.values()) if cells is None else cells)
        self._parts = parts
        self._pickled: bytes | None = None
        self._checksum = _checksum(report.text)

    def report(self) -> Report:
        if self._report is None:
            if self._pickled is not None:
                # Bytes that a worker of this run pickled, like everything else that comes back from it.
                self._report = _unpack(pickle.loads(self._pickled))
            else:
                assert self._kept is not None
                self._report = _unpack(_packed(self._kept, self._parts))
            self._kept = self._pickled = None
        return self._report

    def source_lines(self, numbers: Iterable[int], reread: Callable[[], str | None]) -> dict[int, str]:
        """The lines of the report's text with these 1-based numbers (those it has): ``reread()``, the text
        read again (None when the file cannot be read now), used only if it is the text that was checked."""
        source = reread()
        if source is None or _checksum(source) != self._checksum:
            return {}  # the file changed (or went) since it was checked: no lines rather than wrong ones
        lines = source.split("\n")
        return {n: lines[n - 1] for n in sorted(set(numbers)) if 1 <= n <= len(lines)}

    def __getstate__(self) -> dict[str, object]:
        pickled = self._pickled
        if pickled is None:
            if self._kept is not None:
                packed = _packed(self._kept, self._parts)
            else:  # (made again already: packed whole)
                report = self.report()
                packed = _packed((_kept_values(report), list(report.cells.values())), None)
            pickled = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
        state = {"path": self.path, "body": self.body, "year": self.year, "_checksum": self._checksum}
        return {**state, "_report": None, "_kept": None, "_parts": None, "_pickled": pickled}


def _checksum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


# --- a report as plain values ---------------------------------------------------------------------------
# A record is kept as the tuple of its fields (read by one C-level getter), a span inside it as the tuple of
# the span's fields, a Text as (zh, en). tests/rules/test_crossyear.py holds that a packed report holds nothing
# else and that unpacking gives the report back, so a record or field added to a report is not lost unseen.

_span_values = attrgetter(*(f.name for f in fields(Span)))
_SPAN_WHERE = [f.name for f in fields(Span)].index("where")


def _flat_span(span: Span | None) -> tuple[object, ...] | None:
    if span is None:
        return None
    values = _span_values(span)
    where = values[_SPAN_WHERE]
    if where is None:
        return values
    return (*values[:_SPAN_WHERE], (where.zh, where.en), *values[_SPAN_WHERE + 1 :])


def _span(values: tuple[Any, ...] | None) -> Span | None:
    if values is None:
        return None
    where = values[_SPAN_WHERE]
    if where is None:
        return Span(*values)
    return Span(*values[:_SPAN_WHERE], Text(*where), *values[_SPAN_WHERE + 1 :])


class _Flat:
    """A record type with a span among its fields, packed as two columns: the tuples of its other fields, and
    its spans flattened."""

    def __init__(self, cls: type) -> None:
        names = [f.name for f in fields(cls)]
        self.cls, self.at = cls, names.index("span")
        self.values, self.span = attrgetter(*(n for n in names if n != "span")), attrgetter("span")

    def pack(self, items: Sequence[Any]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...] | None]]:
        return list(map(self.values, items)), list(map(_flat_span, map(self.span, items)))

    def unpack(self, packed: tuple[list[tuple[Any, ...]], list[tuple[Any, ...] | None]]) -> list[Any]:
        at, cls = self.at, self.cls
        return [cls(*v[:at], _span(span), *v[at:]) for v, span in zip(*packed)]


_SECTIONS = _Flat(Section)
_NOTES = _Flat(LayoutNote)

# What a snapshot leaves behind of a report (the report it gives back has these empty): the text, the tables,
# the reader's problems, the offset maps. The cells are packed apart.
_LEFT_BEHIND = ("text", "tables", "cells", "problems", "edition_evidence", "line_starts", "locator")
_KEPT = tuple(f.name for f in fields(Report) if f.name not in _LEFT_BEHIND)
_kept_values = attrgetter(*_KEPT)
# How the kept fields that hold records are packed and unpacked; the others are plain values already.
_FIELD_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "title_span": (_flat_span, _span),
    "period_span": (_flat_span, _span),
    "year_mentions": (
        lambda mentions: [(year, _flat_span(span)) for year, span in mentions],
        lambda mentions: [(year, _span(span)) for year, span in mentions],
    ),
    "sections": (_SECTIONS.pack, _SECTIONS.unpack),
    "layout_notes": (_NOTES.pack, _NOTES.unpack),
}
_CODEC_AT = tuple((_KEPT.index(name), pack, unpack) for name, (pack, unpack) in _FIELD_CODECS.items())
_SECTIONS_AT = _KEPT.index("sections")
_SECTION_FIELDS = [f.name for f in fields(Section) if f.name != "span"]  # (a packed section's, see _Flat)
_SECTION_NUMBER, _SECTION_TEXT_AT = _SECTION_FIELDS.index("number"), _SECTION_FIELDS.index("text")


def _without_text(row: tuple[object, ...]) -> tuple[object, ...]:
    return (*row[:_SECTION_TEXT_AT], "", *row[_SECTION_TEXT_AT + 1 :])


# A cell is kept as the tuple of its attributes but its span, and its span apart: None, the offsets
# (start, end) it is made from with the report's line starts (plain text, see snapshot), or a made span.
_CELL_STATE = ("id", "table", "row", "column", "status", "value", "raw", "unit", "reading")
_cell_state = attrgetter(*_CELL_STATE)
_cell_span = attrgetter("_span")
_maker, _offsets = itemgetter(0), itemgetter(1, 2)

# The report's kept fields, and the cells kept, as they are in the report.
Kept = tuple[tuple[object, ...], Sequence[Cell]]
# The same as plain values: the kept fields, those that hold records packed (_FIELD_CODECS); the cells, their
# spans, and the line starts those are made from (None when made).
Packed = tuple[tuple[object, ...], list[tuple[object, ...]], list[Any], "list[int] | None"]


def _packed(kept: Kept, parts: frozenset[int] | None) -> Packed:
    """``kept`` as plain values, the texts of the parts not in ``parts`` left behind (None: every one kept)."""
    report_values, cells = kept
    values = list(report_values)
    for at, pack, _unpack_field in _CODEC_AT:
        values[at] = pack(values[at])
    if parts is not None:
        rows, spans = values[_SECTIONS_AT]
        values[_SECTIONS_AT] = [_without_text(row) if row[_SECTION_NUMBER] not in parts else row for row in rows], spans
    spans, starts = _pack_spans(list(map(_cell_span, cells)))
    return tuple(values), list(map(_cell_state, cells)), spans, starts


def _pack_spans(spans: list[Any]) -> tuple[list[Any], list[int] | None]:
    if set(map(type, spans)) == {tuple}:  # none made yet (see snapshot): (maker, start, end) each
        makers = set(map(_maker, spans))
        maker = makers.pop() if len(makers) == 1 else None
        if isinstance(getattr(maker, "__self__", None), LineLocator):
            return list(map(_offsets, spans)), maker.__self__.line_starts  # type: ignore[union-attr]
    return [_flat_span(s[0](*s[1:]) if type(s) is tuple else s) for s in spans], None


def _unpack(packed: Packed) -> Report:
    values, states, spans, starts = packed
    kept = list(values)
    for at, _pack_field, unpack in _CODEC_AT:
        kept[at] = unpack(kept[at])
    report = Report(text="", **dict(zip(_KEPT, kept)))
    make = LineLocator(starts).span if starts is not None else None
    for state, span in zip(states, spans):
        cell = Cell.__new__(Cell)
        for name, value in zip(_CELL_STATE, state):
            setattr(cell, name, value)
        cell._span = (make, *span) if make is not None else _span(span)
        report.cells[cell.id] = cell
    return report


def snapshot(report: Report, reads: CrossYearReads | None = None) -> Snapshot:
    """What the cross-year checks need of ``report``, small enough to keep for a whole run and to send
    between processes: with ``reads``, only the cells and parts' texts the rules that compare years can read
    (see :func:`cross_year_reads`), else every one.

    The tables' layout, the reader's problems, the text and the offset maps (``line_starts``, the locator) are
    left behind. Cell spans not made yet stay so when line starts are all they need (plain text, see
    ``build.LineLocator``); otherwise they are made now, since what makes them holds the whole file (a web
    page's offset map, a PDF's pages).
    """
    cells = list(report.cells.values()) if reads is None else reads.cells_of(report)
    if report.locator is None or report.locator.lines_only() is None:
        # Not plain text: the builder gave every cell the locator's own span maker (see ReportBuilder.locate).
        for cell in cells:
            _ = cell.span
    return Snapshot(report, cells, None if reads is None else reads.parts)


class CrossYearReads:
    """What the rules that compare years can read of a report; a snapshot keeps only that.

    Cells: a report has about 200 and the built-in cross-year rules read about 20 (表三's carried-over and
    carried-forward rows, 表二's stocks). ``patterns`` are cell references split at their dots, as rule files
    write them (``*`` for one segment, ``$var`` for a loop value), without ``prev.``; None: every cell.

    Parts' texts: the built-in rules read part 五's alone (Y603), and the texts were most of a snapshot (10 of
    14 KB pickled). ``parts`` are the numbers of the parts whose text is kept; None: every part's. The other
    parts stay, heading, title and place, with an empty text.

    Kept for a whole run, and pickled in a worker, what no rule reads was most of a snapshot's cost and size.
    """

    def __init__(self, patterns: Iterable[tuple[str, ...]] | None, parts: Iterable[int] | None = None) -> None:
        self.patterns = None if patterns is None else frozenset(patterns)
        self.parts = None if parts is None else frozenset(parts)
        # Each cell id's answer, kept: a run asks for the same few hundred ids (those the formats define, and
        # the extra cells of their rows) in every report.
        self._decided: dict[str, bool] = {}
        self._kept: set[str] = set()

    def keeps(self, cell_id: str) -> bool:
        if self.patterns is None:
            return True
        decided = self._decided.get(cell_id)
        if decided is None:
            segments = tuple(cell_id.split("."))
            # (matched as the rule files' references are: ``*`` one segment, ``$var`` one or more, since a loop
            # value may hold dots: "denied.prohibited")
            decided = self._decided[cell_id] = any(_pattern_can_match(p, segments) for p in self.patterns)
            if decided:
                self._kept.add(cell_id)
        return decided

    def cells_of(self, report: Report) -> list[Cell]:
        """The cells of ``report`` to keep, in the report's order."""
        cells = report.cells
        if self.patterns is None:
            return list(cells.values())
        if not self._decided.keys() >= cells.keys():  # (a C-level test: most reports bring no id not seen before)
            for cell_id in cells.keys() - self._decided.keys():
                self.keeps(cell_id)
        return list(map(cells.__getitem__, filter(self._kept.__contains__, cells)))


# Rule sets are not hashable (they are records that compare by value): by identity, each kept alive beside its
# answer so that its id is not reused, and only the last few (a run has one rule set for each rule directory).
_reads_by_ruleset: dict[int, tuple[RuleSet, CrossYearReads]] = {}
_RULESETS_KEPT = 8
# The expression function that reads a part's text (rules/engine.py); its argument is the part's number.
_SECTION_TEXT = "section_text"


def cross_year_reads(ruleset: RuleSet) -> CrossYearReads:
    """What the rules of ``ruleset`` that compare years can read of either year's report.

    Read from the rules themselves: the cells every cell reference of their ``when:`` and assertion names
    (``prev.`` or not, a loop variable taken as any key), their ``at:``, and those their checks declare
    (``cells_read``); the parts whose text their ``section_text(N)`` and their checks read (``parts_read``).
    A check that does not say, or a ``section_text`` of a number not written out, keeps every cell or text."""
    known = _reads_by_ruleset.get(id(ruleset))
    if known is not None and known[0] is ruleset:
        return known[1]
    patterns: set[tuple[str, ...]] | None = set()
    parts: set[int] | None = set()
    for rule in ruleset.rules:
        if not rule.needs_previous:
            continue
        nodes = [node for e in (rule.when, rule.assertion) if e is not None for node in walk(e)]
        if rule.check is not None:
            spec = CHECKS[rule.check]
            if spec.cells_read is None:
                patterns = None
            elif patterns is not None:
                patterns.update(_pattern(cell.split(".")) for cell in spec.cells_read)
            parts = _parts_read(spec.parts_read, rule.params, parts)
        if patterns is not None:
            patterns.update(_pattern(node.parts) for node in nodes if isinstance(node, CellRef))
            if rule.at:
                patterns.add(_pattern(rule.at.split(".")))
        for node in nodes:
            if isinstance(node, Call) and node.name == _SECTION_TEXT and parts is not None:
                number = node.args[0].value if len(node.args) == 1 and isinstance(node.args[0], Const) else None
                parts = parts | {int(number)} if type(number) is int else None
    reads = CrossYearReads(patterns, parts)
    if len(_reads_by_ruleset) >= _RULESETS_KEPT:
        del _reads_by_ruleset[next(iter(_reads_by_ruleset))]
    _reads_by_ruleset[id(ruleset)] = (ruleset, reads)
    return reads


def _parts_read(
    declared: Callable[[dict[str, Any]], Iterable[int]] | None, params: dict[str, Any], parts: set[int] | None
) -> set[int] | None:
    if parts is None or declared is None:
        return None
    try:
        return parts | {int(n) for n in declared(params)}
    except (TypeError, ValueError):  # (a rule pack's params of the wrong type: its run says so; keep every text)
        return None


def _pattern(parts: Sequence[str]) -> tuple[str, ...]:
    """A cell reference's parts as a pattern of this year's ids (without ``prev.``)."""
    return tuple(parts[1:] if parts and parts[0] == PREVIOUS else parts)


# --- identities and the mapping file --------------------------------------------------------------


@record(frozen=True)
class Identity:
    path: str
    body: str | None
    year: int | None
    stated: bool = False  # body/year come (at least in part) from a --pair-by file


@record(frozen=True)
class Mapping:
    """The rows of a --pair-by file: real path (or bare file name) -> (body, year); None keeps the detected."""

    by_path: dict[str, tuple[str | None, int | None]]
    by_name: dict[str, tuple[str | None, int | None]]

    def lookup(self, path: str) -> tuple[str | None, int | None] | None:
        found = self.by_path.get(os.path.realpath(path))
        return found if found is not None else self.by_name.get(os.path.basename(path))


def load_mapping(path: str | Path) -> Mapping:
    """Read a ``file,body,year`` CSV. Files are relative to the CSV's folder; a bare file name matches a
    checked file of that name in any folder. Raises ConfigError, with the line, on any mistake."""
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_PAIR_FILE_BYTES:
            raise ConfigError(
                Text(
                    f"配对文件过大（{size} 字节，上限 {MAX_PAIR_FILE_BYTES} 字节）",
                    f"pairing file too large ({size} bytes, limit {MAX_PAIR_FILE_BYTES})",
                ),
                path=shown,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            Text(f"无法读取配对文件：{exc.strerror}", f"cannot read the pairing file: {exc.strerror}"), path=shown
        ) from None
    text = _decode_csv(data, shown)
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ConfigError(
            Text(f"配对文件不是有效的 CSV：{exc}", f"the pairing file is not valid CSV: {exc}"), path=shown
        ) from None
    if not rows:
        raise ConfigError(Text("配对文件为空", "the pairing file is empty"), path=shown)
    header = [fold(h).lower() for h in rows[0]]
    index: dict[str, int] = {}
    for key, names in _COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                index[key] = i
    missing = [k for k in _COLUMNS if k not in index]
    if missing:
        raise ConfigError(
            Text(
                f"配对文件第 1 行应为表头 file,body,year（缺少 {', '.join(missing)}）",
                f"line 1 of the pairing file must be the header file,body,year (missing {', '.join(missing)})",
            ),
            path=shown,
            line=1,
        )
    base = path.parent
    by_path: dict[str, tuple[str | None, int | None]] = {}
    by_name: dict[str, tuple[str | None, int | None]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[index[k]].strip() if index[k] < len(row) else "" for k in ("file", "body", "year")]
        file, body, year_text = cells
        if any(ch < " " for ch in file + body + year_text):
            raise ConfigError(
                Text(f"第 {line} 行含有控制字符", f"line {line} contains control characters"), path=shown, line=line
            )
        if not file:
            raise ConfigError(Text(f"第 {line} 行没有文件名", f"line {line} names no file"), path=shown, line=line)
        year: int | None = None
        if year_text:
            digits = year_text.rstrip("年度").strip()
            if not (digits.isdigit() and len(digits) == 4 and 1990 <= int(digits) <= 2100):
                raise ConfigError(
                    Text(
                        f"第 {line} 行的年度“{year_text[:20]}”不是四位年份",
                        f"line {line}: year '{year_text[:20]}' is not a four-digit year",
                    ),
                    path=shown,
                    line=line,
                )
            year = int(digits)
        value = (fold(body) or None, year)
        by_path[os.path.realpath(base / file)] = value
        if "/" not in file and "\\" not in file:
            by_name[file] = value
    return Mapping(by_path, by_name)


def _decode_csv(data: bytes, shown: str) -> str:
    # Spreadsheet programs on Chinese Windows save CSV as GB18030; elsewhere UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ConfigError(
        Text("配对文件既不是 UTF-8 也不是 GB18030 文本", "the pairing file is neither UTF-8 nor GB18030 text"),
        path=shown,
    )


def identity_of(report: Report | Snapshot, mapping: Mapping | None) -> Identity:
    body, year = report.body, report.year
    stated = mapping.lookup(report.path) if mapping is not None else None
    if stated is None:
        return Identity(report.path, body, year)
    return Identity(report.path, stated[0] or body, stated[1] or year, stated=True)


# --- pairing --------------------------------------------------------------------------------------


@record(frozen=True)
class Pair:
    current: str
    previous: str
    body: str | None
    year: int | None
    previous_year: int | None
    how: str  # "previous" (--previous), "auto" (same body, consecutive years), "pair-by" (mapping file)
    previous_body: str | None = None  # when it is written differently (「淮安市洪泽区人民政府」/「洪泽区人民政府」)

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "path": self.current,
            "previous": self.previous,
            "body": self.body,
            "year": self.year,
            "previous_year": self.previous_year,
            "how": self.how,
        }
        if self.previous_body is not None:
            d["previous_body"] = self.previous_body
        return d


# Why a report found no predecessor.
NO_PREDECESSOR = "no-predecessor"  # no report of the same body for the year before in this run
NO_BODY = "no-body"  # the issuing body could not be read from the report
NO_YEAR = "no-year"  # the year could not be read from the report
AMBIGUOUS = "ambiguous"  # several reports of the same body for the year before
OTHER_BODY = "other-body"  # --previous names a report of another body
UNREADABLE = "unreadable"  # the report (or the one given as previous) could not be read


@record(frozen=True)
class Unpaired:
    path: str
    reason: str
    body: str | None = None
    year: int | None = None
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"path": self.path, "reason": self.reason, "body": self.body, "year": self.year}
        if self.candidates:
            d["candidates"] = list(self.candidates)
        return d


@record
class Pairing:
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"pairs": [p.to_dict() for p in self.pairs], "unpaired": [u.to_dict() for u in self.unpaired]}

    def notes(self, limit: int = 20) -> list[Text]:
        """Lines for stderr: each pair, then the reports without a predecessor (grouped by reason)."""
        lines: list[Text] = []
        for p in self.pairs:
            years = f"{p.previous_year or '?'} → {p.year or '?'}"
            # The body is the report's own words: a quote in English.
            body = Text(p.body, f"「{p.body}」") if p.body else Text("发布机关未识别", "body unknown")
            lines.append(
                Text(
                    f"跨年度比较：{p.current} ← {p.previous}（{body.zh}，{years}）",
                    f"compared with last year: {p.current} ← {p.previous} ({body.en}, {years})",
                )
            )
        for reason in (NO_PREDECESSOR, AMBIGUOUS, NO_BODY, NO_YEAR):
            group = [u for u in self.unpaired if u.reason == reason]
            if not group:
                continue
            shown = ", ".join(u.path for u in group[:limit])
            if len(group) > limit:
                shown += f" … (+{len(group) - limit})"
            words = _REASON_WORDS[reason]
            lines.append(Text(words.zh.format(n=len(group)), words.en.format(n=len(group))) + shown)
        return lines


_REASON_WORDS: dict[str, Text] = {
    NO_PREDECESSOR: Text(
        "{n} 份报告在本次检查中没有上一年度的报告可比较：",
        "{n} report(s) found no predecessor in this run: ",
    ),
    AMBIGUOUS: Text(
        "{n} 份报告有多份上一年度的同一机关报告，未作比较（可用 --pair-by 指定）：",
        "{n} report(s) have several predecessors of the same body and were not compared (use --pair-by): ",
    ),
    NO_BODY: Text(
        "{n} 份报告无法识别发布机关，未作跨年度比较（可用 --pair-by 指定）：",
        "{n} report(s) name no recognisable issuing body and were not compared (use --pair-by): ",
    ),
    NO_YEAR: Text(
        "{n} 份报告无法识别年度，未作跨年度比较（可用 --pair-by 指定）：",
        "{n} report(s) state no recognisable year and were not compared (use --pair-by): ",
    ),
}


class _BodyIndex:
    """The reports of one year, found by body as :func:`identity.same_body` matches them, without comparing
    every report with every report of the year before (a batch of 10,000 made that 25 million comparisons).
    """

    def __init__(self) -> None:
        self._order: dict[str, int] = {}  # path → position: candidates keep the order the reports came in
        self._by_name: dict[str, list[Identity]] = {}  # by the whole name of the body
        self._by_shorter_name: dict[str, list[Identity]] = {}  # by each name without a region in front

    def add(self, ident: Identity) -> None:
        name, *shorter = names_of_body(ident.body or "")
        self._order[ident.path] = len(self._order)
        self._by_name.setdefault(name, []).append(ident)
        for short in shorter:
            self._by_shorter_name.setdefault(short, []).append(ident)

    def same_body(self, body: str) -> list[Identity]:
        """The reports whose body :func:`identity.same_body` takes for ``body``, in the order they were added."""
        name, *shorter = names_of_body(body)
        # Equal names, this name without its region, or theirs without theirs: nothing else can match.
        found = [*self._by_name.get(name, []), *self._by_shorter_name.get(name, [])]
        found += [ident for short in shorter for ident in self._by_name.get(short, [])]
        unique = {ident.path: ident for ident in found if same_body(ident.body or "", body)}
        return sorted(unique.values(), key=lambda ident: self._order[ident.path])


def pair_automatically(identities: Sequence[Identity]) -> Pairing:
    """Each report with the report of the same body for the year before, when there is exactly one.

    Bodies must be written the same, or differ only by a province or city written in front
    (:func:`identity.same_body`); an exact match is preferred over such a one.
    """
    result = Pairing()
    by_year: dict[int, _BodyIndex] = {}
    for ident in identities:
        if ident.year is not None and ident.body is not None:
            by_year.setdefault(ident.year, _BodyIndex()).add(ident)
    for ident in sorted(identities, key=lambda i: i.path):
        if ident.body is None:
            result.unpaired.append(Unpaired(ident.path, NO_BODY, None, ident.year))
            continue
        if ident.year is None:
            result.unpaired.append(Unpaired(ident.path, NO_YEAR, ident.body, None))
            continue
        before = by_year.get(ident.year - 1)
        candidates = [i for i in before.same_body(ident.body) if i.path != ident.path] if before else []
        candidates = [i for i in candidates if i.body == ident.body] or candidates
        if len(candidates) == 1:
            prev = candidates[0]
            how = "pair-by" if ident.stated or prev.stated else "auto"
            other_name = prev.body if prev.body != ident.body else None
            result.pairs.append(Pair(ident.path, prev.path, ident.body, ident.year, prev.year, how, other_name))
        elif candidates:
            paths = tuple(sorted(i.path for i in candidates))
            result.unpaired.append(Unpaired(ident.path, AMBIGUOUS, ident.body, ident.year, paths))
        else:
            result.unpaired.append(Unpaired(ident.path, NO_PREDECESSOR, ident.body, ident.year))
    return result


def pair_explicitly(current: Identity, previous: Identity) -> Pairing:
    """``--previous``: the pair the user named, unless the two reports name different bodies.

    The years are not required to be consecutive here: rule Y604 reports it when they are not.
    """
    if current.body is not None and previous.body is not None and not same_body(current.body, previous.body):
        return Pairing(unpaired=[Unpaired(current.path, OTHER_BODY, current.body, current.year, (previous.path,))])
    other_name = previous.body if previous.body != current.body else None
    return Pairing(
        pairs=[Pair(current.path, previous.path, current.body, current.year, previous.year, "previous", other_name)]
    )


def other_body_message(current: Identity, previous: Identity) -> Text:
    """The error shown for a --previous report of another body."""
    return Text(
        f"作为上年报告指定的文件属于另一机关（{previous.body}，本报告为 {current.body}），未作跨年度比较；"
        "如两者确为同一机关（如更名），请用 --pair-by 指定",
        f"the report given as last year's is of another body ({previous.body}; this report: {current.body}), "
        "so the years were not compared; if they are one body (e.g. renamed), say so with --pair-by",
    )


# --- running the cross-year rules -----------------------------------------------------------------


def cross_year_diagnostics(
    current: Report,
    previous: Report,
    *,
    codes: Iterable[str],
    severities: Sequence[tuple[str, str]],
    rule_dirs: Sequence[str],
) -> list[Diagnostic]:
    """The findings of the rules that compare ``current`` with ``previous`` (both may be snapshots)."""
    from .rules.engine import load_rules, run_rules

    ruleset = load_rules(rule_dirs)
    wanted = frozenset(codes)
    levels = {code: Severity(level) for code, level in severities}
    return run_rules(
        current,
        ruleset,
        severities=levels,
        select=wanted.__contains__,
        previous=previous,
        cross_year_only=True,
    )


# --- a whole run ----------------------------------------------------------------------------------


@record
class Comparison:
    """What comparing the years of a run produced."""

    pairing: Pairing
    results: list[FileResult]  # the checked reports' results, cross-year findings added
    errors: list[tuple[str, Text]] = field(default_factory=list)  # (path, message): exit status 2


def compare_years(
    results: Sequence[FileResult],
    jobs: Sequence[Job],
    *,
    previous: str | None = None,
    mapping: Mapping | None = None,
) -> Comparison:
    """Pair the reports of a finished run and add the cross-year findings to their results.

    ``previous`` is the path of the report given with ``--previous`` (its job has ``rules=False``); then
    the one other report is compared with it. Otherwise reports are paired automatically (see
    :func:`pair_automatically`). A predecessor that could not be read, or that names another body, becomes
    an error for that file; the single-year findings of every report are kept either way.
    """
    job_by_path = {job.path: job for job in jobs}
    checked = [r for r in results if job_by_path.get(r.path) is None or job_by_path[r.path].rules]
    snapshots = {r.path: r.snapshot for r in results if r.snapshot is not None}
    identities = {path: identity_of(snap, mapping) for path, snap in snapshots.items()}

    def report_of(path: str) -> Report:
        # What the mapping states is what the rules see too (Y604 compares the years), not only the pairing.
        report, identity = snapshots[path].report(), identities[path]
        return replace(report, body=identity.body, year=identity.year) if identity.stated else report

    result = Comparison(Pairing(), list(checked))
    if previous is not None:
        prev_result = next((r for r in results if r.path == previous), None)
        current = next(iter(checked), None)
        if current is None:
            return result
        if prev_result is None or prev_result.error is not None or previous not in identities:
            reason = prev_result.error if prev_result is not None and prev_result.error else Text.same("")
            result.errors.append(
                (
                    previous,
                    Text("作为上年报告无法读取：", "cannot be read as last year's report: ")
                    + reason
                    + Text("；只做了单年度检查", "; only the single-year checks ran"),
                )
            )
            result.pairing.unpaired.append(Unpaired(current.path, UNREADABLE, candidates=(previous,)))
            return result
        if current.path not in identities:
            return result  # the report itself could not be read: its own error says so
        pairing = pair_explicitly(identities[current.path], identities[previous])
        if pairing.unpaired:
            result.errors.append((previous, other_body_message(identities[current.path], identities[previous])))
    else:
        pairing = pair_automatically([identities[r.path] for r in checked if r.path in identities])
    result.pairing = pairing
    by_path = {r.path: r for r in checked}
    for pair in pairing.pairs:
        file_result, job = by_path[pair.current], job_by_path[pair.current]
        found = cross_year_diagnostics(
            report_of(pair.current),
            report_of(pair.previous),
            codes=job.codes,
            severities=job.severities,
            rule_dirs=job.rule_dirs,
        )
        if found:
            file_result.diagnostics = sorted([*file_result.diagnostics, *found], key=Diagnostic.sort_key)
            # Report text reaches terminals: control characters become visible pictures (as in the worker).
            shown = snapshots[pair.current].source_lines(
                set().union(*(d.frame_lines() for d in found)), functools.partial(text_again, job)
            )
            file_result.lines = dict(sorted({**file_result.lines, **{n: visible(t) for n, t in shown.items()}}.items()))
    return result
