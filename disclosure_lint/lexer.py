"""Stage 2 — normalise and tokenise: the report text becomes a stream of layout tokens.

Reports reach us in every shape text can take: one cell per line, tab rows, pipes, Markdown tables,
PDF text with labels wrapped over lines, web text with whole tables glued into one line. The lexer
hides all of that. It walks the text line by line, splits lines into cells where the layout has cell
delimiters (tab, pipe) and scans free text for the labels of the national format, and emits tokens

    SECTION_HEAD  TEXT                      (prose)
    T2_CAPTION T2_HEADER T2_ROW             (表二)
    T3_NOTE T3_HEADER T3_GROUP T3_ROW       (表三)
    T4_HEADER                               (表四)
    VALUE JUNK                              (inside any table)

whose offsets point into the parsed text. Labels are recognised by content after folding (full-width,
whitespace, brackets), so ``（七）总计``, ``(七) 总计`` and ``( 七 ) 总  计`` are the same token, and
``三、本年度办理结果`` is a table label while ``三、收到和处理政府信息公开申请情况`` is a heading.
``rowtokens.py`` (stage 3) turns these into the row stream that the report grammar parses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from lark.lexer import Token

from . import formats
from .lazyre import on_first_use
from .records import record
from .regexcode import compile_re
from .text import FOLDED_CHAR, SPACE_CHARS, chinese_numeral, fold, fold_with_map, parse_value, strip_numbering

# parse_value is pure and returns an immutable ParsedValue, and the same few cell texts ("0", "1", "/")
# recur thousands of times in a batch: the lexer and the model builder share this memo of it.
parse_value_cached = lru_cache(maxsize=8192)(parse_value)


class LayoutToken(Token):
    """A Lark token that also carries what the lexer recognised (row key, section number …)."""

    __slots__ = ("key", "numbering", "table")
    key: str | int | None
    table: int | None
    numbering: str


_new_str = str.__new__


def _token(
    kind: str,
    text: str,
    start: int,
    end: int,
    line: int,
    key: str | int | None = None,
    table: int | None = None,
    numbering: str = "",
) -> LayoutToken:
    # Every attribute Token.__new__ sets, set directly: its argument handling (kept for Lark's deprecated
    # signatures) cost more than the rest of making a token, and a report has thousands of tokens.
    tok = _new_str(LayoutToken, text)
    tok.type, tok.value, tok.start_pos, tok.end_pos, tok.line = kind, text, start, end, line
    tok.column = tok.end_line = tok.end_column = None
    tok.key, tok.table, tok.numbering = key, table, numbering
    return tok


def retyped(tok: LayoutToken, kind: str) -> LayoutToken:
    """``tok`` as a token of another grammar terminal, with the same text, place and meaning."""
    start, end, line = tok.start_pos or 0, tok.end_pos or 0, tok.line or 0
    return _token(kind, tok.value, start, end, line, tok.key, tok.table, tok.numbering)


# --- the label dictionary ------------------------------------------------------------------------


# A NamedTuple, not a frozen dataclass: entries key the memo of _resolve, and a dataclass's hash is a
# Python call for every label resolved.
class LabelEntry(NamedTuple):
    kind: str  # token type
    table: int
    key: str
    strong: bool  # may switch the lexer into this table from prose or another table


def _build_labels() -> dict[str, list[LabelEntry]]:
    labels: dict[str, list[LabelEntry]] = {}

    def add(text: str, kind: str, table: int, key: str, strong: bool) -> None:
        folded = strip_numbering(fold(text))[1]
        entries = labels.setdefault(folded, [])
        entry = LabelEntry(kind, table, key, strong)
        if entry not in entries:
            entries.append(entry)

    for caption in formats.T2_BLOCK_CAPTIONS:
        add(caption, "T2_CAPTION", 2, caption, True)
    for word in formats.T2_HEADER_WORDS:
        add(word, "T2_HEADER", 2, word, word == "信息内容")
    add("本年收费金额（单位：万元）", "T2_HEADER", 2, "本年收费金额", False)
    for row in formats.TABLE2.rows:
        add(row.label, "T2_ROW", 2, row.key, True)
    add("规范性文件", "T2_ROW", 2, "normative_docs", True)
    for word in formats.TRIAL_FORMAT_MARKERS:
        kind = "T2_ROW" if word in ("其他对外管理服务事项", "政府集中采购") else "T2_HEADER"
        key = {"其他对外管理服务事项": "trial.other_services", "政府集中采购": "trial.procurement"}.get(word, word)
        add(word, kind, 2, key, True)

    add("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "T3_NOTE", 3, "note", True)
    for word in formats.T3_HEADER_WORDS:
        add(word, "T3_HEADER", 3, word, word in ("申请人情况", "法人或其他组织"))
    for key, (label, _kw) in formats.TABLE3.groups.items():
        add(label, "T3_GROUP", 3, key, key == "results")
    for row in formats.TABLE3.rows:
        if row.key == "other.other":
            continue  # "3.其他" is told apart from the column header "其他" by its numbering
        add(row.label, "T3_ROW", 3, row.key, row.key in ("new", "carried_over", "carried_forward"))

    for word in formats.T4_HEADER_WORDS:
        add(word, "T4_HEADER", 4, word, word in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"))
    return labels


LABELS = _build_labels()
# Leftmost-longest search over folded text: alternatives sorted longest first.
_LABEL_RE = compile_re("|".join(re.escape(k) for k in sorted(LABELS, key=len, reverse=True) if k))
# The T3 note is often cut short or reworded; its opening words identify it.
_NOTE_RE = compile_re(r"\(?本列数据的[勾钩]稽关系[^)]{0,40}\)?")
# Phrases that can only open a table, searched for inside prose (web text glues tables to sentences).
_TABLE_STARTERS = compile_re(
    r"第二十条第[(（]一[)）]项|[(（]?本列数据的[勾钩]稽关系|申请人情况\s*自然人|一、\s*本年新收政府信息公开申请数量"
    r"|行政复议\s*行政诉讼\s*(?:结果|未经)"
)
_STARTER_TABLE = {"第": 2, "(": 3, "（": 3, "本": 3, "申": 3, "一": 3, "行": 4}
# What _NUMBERING_BEFORE's match ends with (a "$" also matches before a newline).
_NUMBERING_LAST_CHARS = ")、.\n"
_NUMBERING_BEFORE = compile_re(r"(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|(?<![\d.])\d{1,2}[.、])$")

# Row keywords for labels that deviate from the standard text (typos, PDF wrapping).
_T3_KEYWORDS: list[tuple[str, str]] = [(kw, row.key) for row in formats.TABLE3.rows for kw in row.keywords]
# Compiled once: _iter_labels runs for every scanned field, and escaping plus the ``re`` module's cache
# lookup for each of these keywords on every call was the lexer's largest cost.
_T3_KEYWORD_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    (kw, compile_re(re.escape(kw)), key) for kw, key in _T3_KEYWORDS
]
_T3_GROUP_KEYWORDS: list[tuple[str, str]] = [
    (kw, key) for key, (_label, kws) in formats.TABLE3.groups.items() for kw in kws
]

# --- section headings ----------------------------------------------------------------------------

_HEADING_START = compile_re(
    r"^[\s\u3000\u00a0#*>]*(?:第)?(?P<num>[一二三四五六七八九十]{1,2})(?:部分)?(?P<sep>\s*[、.．,，:：\s]\s*|)"
)
_MIDLINE_HEADING = compile_re(r"(?P<num>[一二三四五六])\s*、\s*")
_TITLE_END = compile_re(r"(情况|事项|措施|计划|附表)")


def _section_titles() -> list[tuple[str, int]]:
    titles: list[tuple[str, int]] = []
    for spec in formats.SECTIONS:
        for t in (spec.title, *spec.variants):
            titles.append((fold(t), spec.number))
    titles.sort(key=lambda p: len(p[0]), reverse=True)
    return titles


_SECTION_TITLES = _section_titles()
# The same, for a whole title: the first (longest) entry of a title wins, as in the list.
_SECTION_OF_TITLE: dict[str, int] = {}
for _title, _number in _SECTION_TITLES:
    _SECTION_OF_TITLE.setdefault(_title, _number)
# A character that folds to the last one of some title ("况", "项", "施"): a short line without one (most
# table cells) is no title, and needs no match and no fold to be ruled out.
_TITLE_LAST = {title[-1] for title in _SECTION_OF_TITLE}
_TITLE_ENDING = compile_re(  # (sorted: the same pattern text in every process, see regexcode)
    "["
    + "".join(re.escape(ch) for ch in sorted(_TITLE_LAST | {ch for ch, f in FOLDED_CHAR.items() if f in _TITLE_LAST}))
    + "]"
)


@record
class Heading:
    number: int  # standard section
    written: int | None
    start: int  # offsets in the text
    end: int  # end of the heading (title) text
    title: str
    exact: bool


def _keyword_section(folded_title: str) -> int | None:
    for spec in formats.SECTIONS:
        if any(k in folded_title for k in spec.keywords):
            return spec.number
    return None


def _is_table_label(folded: str) -> bool:
    rest = strip_numbering(folded)[1]
    return rest.startswith(("本年新收", "上年结转", "本年度办理结果", "结转下年度", "继续办理"))


# Every character a line can begin with and match one of the patterns anchored at its start (_PAGE_FOOTER,
# _HEADING_START, _OTHER_HEADING, _PLAIN_NUMBERS): their leading spaces and marks and what comes first after
# them, besides whitespace and decimal digits (``\s``, ``\d``). Most lines begin otherwise (a word, "（",
# "|"), and one look-up rules out those patterns for them instead of a call of each.
_ANCHORED_STARTS = frozenset(SPACE_CHARS + "#*>-—－第一二三四五六七八九十")
_ANY_DIGIT = compile_re(r"[0-9０-９]")
_UNNUMBERED = compile_re(r"^[\s\u3000\u00a0#*>]*(?P<title>[^\s#*].*?)[\s\u3000\u00a0*:：]*$")


def _unnumbered_heading(line: str, line_offset: int) -> Heading | None:
    """A line that is exactly a standard part title, without its numeral: Word headings kept in a heading
    style with automatic numbering, or Markdown '## 总体情况'. Only the whole title counts, never prose."""
    if not _TITLE_ENDING.search(line) or _ANY_DIGIT.search(line):
        return None  # no part title has a digit, and folding keeps digits (a table row has some)
    m = _UNNUMBERED.match(line)
    if not m:
        return None
    number = _SECTION_OF_TITLE.get(fold(m.group("title")))
    if number is None:
        return None
    return Heading(number, None, line_offset + m.start("title"), line_offset + m.end("title"), m.group("title"), True)


def match_heading_at_line_start(line: str, line_offset: int, last: int, anchored: bool = True) -> Heading | None:
    """The part heading ``line`` begins with. ``anchored=False`` says the line begins with none of
    _ANCHORED_STARTS, so that _HEADING_START cannot match it (only a whole unnumbered title can be one)."""
    m = _HEADING_START.match(line) if anchored else None
    if not m:
        return _unnumbered_heading(line, line_offset) if len(line) <= 40 else None
    written = chinese_numeral(m.group("num"))
    if written is None or written > 6:
        return None
    rest = line[m.end() :]
    folded, index = fold_with_map(rest)
    if not folded or _is_table_label(m.group("num") + "、" + folded):
        return None
    # A whole title is its own longest prefix among the titles, the one the loop would find first.
    whole_title = _SECTION_OF_TITLE.get(folded)
    for title, number in ((folded, whole_title),) if whole_title is not None else _SECTION_TITLES:
        if folded.startswith(title):
            end = m.end() + index[len(title) - 1] + 1
            # include closing punctuation that belongs to the heading
            return Heading(number, written, line_offset, line_offset + end, line[m.end() : end].strip(), True)
    if not m.group("sep"):
        return None  # "一总体情况" is a heading only with the exact title; "一是…", "三年来…" are prose
    # A deviating title: short, and it names the part its number stands for.
    title_part = folded
    cut = re.search(r"[。:：]", title_part)
    if cut:
        title_part = title_part[: cut.start()]
    if len(title_part) > 30:
        te = _TITLE_END.search(title_part)
        if not te or te.end() > 30:
            return None
        title_part = title_part[: te.end()]
    number = _keyword_section(title_part)
    if number is None or number != written or number <= last:
        return None
    end = m.end() + index[len(title_part) - 1] + 1
    return Heading(number, written, line_offset, line_offset + end, line[m.end() : end].strip(), False)


def find_midline_heading(line: str, line_offset: int, pos: int, last: int, endpos: int | None = None) -> Heading | None:
    """Headings inside a long line (web text flattened into one line). Only in order, only known titles.

    Only ``line[pos:endpos]`` is searched, as if the text ended at ``endpos``: the lexer passes the whole
    text with bounds, because slicing it up to every long line made lexing quadratic in the file size.
    """
    limit = len(line) if endpos is None else endpos
    for m in _MIDLINE_HEADING.finditer(line, pos, limit):
        written = chinese_numeral(m.group("num"))
        if written is None or written <= last:
            continue
        rest = line[m.end() : min(m.end() + 80, limit)]
        folded, index = fold_with_map(rest)
        if _is_table_label(m.group("num") + "、" + folded):
            continue  # 四、结转下年度继续办理 is a row of 表三, not part four
        hit: tuple[int, int] | None = None  # (number, folded length)
        for title, number in _SECTION_TITLES:
            if folded.startswith(title):
                hit = (number, len(title))
                break
        if hit is None:
            te = _TITLE_END.search(folded[:36])
            if te and not re.search(r"\d", folded[: te.end()]):
                number = _keyword_section(folded[: te.end()])
                if number == written:
                    hit = (number, te.end())
        if hit is None:
            continue
        number, flen = hit
        after = folded[flen : flen + 2]
        if after[:1] in ("；", ";", "，", ",", "、", ")", "）") or (
            after and after[0] in "一二三四五六" and after[1:2] == "、"
        ):
            continue  # a list of the parts in the preamble, not a heading
        end = m.end() + index[flen - 1] + 1
        return Heading(number, written, line_offset + m.start(), line_offset + end, line[m.end() : end].strip(), False)
    return None


# --- splitting lines into cells ------------------------------------------------------------------

# Matched against the line with its whitespace removed: the spaced form (``\s*`` on both sides of an
# optional pipe) backtracks quadratically on a long run of spaces.
_PIPE_SEPARATOR_ROW = compile_re(r"\|?(?::?-{2,}:?\|)+:?-*:?")
_PAGE_FOOTER = compile_re(
    r"^\s*(?:[-—－]\s*\d{1,3}\s*[-—－]|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# Runs of non-space characters, for Lexer.gap (compiled here, not rebuilt for every gap).
_WORD = compile_re(f"[^{re.escape(SPACE_CHARS)}]+")
# A line of plain numbers between spaces (a tab would make it a delimited row): see Lexer.lex_line.
_NOT_TAB_SPACES = "[" + re.escape(SPACE_CHARS.replace("\t", "")) + "]"
_PLAIN_NUMBERS = compile_re(
    f"{_NOT_TAB_SPACES}*+[0-9]{{1,15}}(?:[.][0-9]{{1,15}})?(?:{_NOT_TAB_SPACES}++[0-9]{{1,15}}(?:[.][0-9]{{1,15}})?)*+"
    f"{_NOT_TAB_SPACES}*+"
)
_PLAIN_NUMBER = compile_re(r"[0-9.]+")
_DIGIT_RUN = compile_re(r"[-+]?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?")


def _between(line: str, separator: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of ``line`` between separators (str.split, not a loop over characters)."""
    stretches: list[tuple[int, int]] = []
    start = 0
    for part in line.split(separator):
        end = start + len(part)
        stretches.append((start, end))
        start = end + 1  # past the separator
    return stretches


def split_fields(line: str) -> tuple[list[tuple[int, int]], bool]:
    """Cell boundaries of one line as (start, end) pairs, and whether the line is delimited."""
    if "\t" in line:
        fields = _between(line, "\t")
        # A leading tab is indentation (or a merged cell that carries nothing): never a blank value.
        # (Counted, then cut once: popping from the front made a line of 10^5 tabs quadratic.)
        leading = 0
        while leading < len(fields) - 1 and fields[leading][0] == fields[leading][1]:
            leading += 1
        return fields[leading:], True
    if "|" not in line:  # (stripping spaces keeps every pipe: no need to strip a line without one)
        return [(0, len(line))], False
    stripped = line.strip(SPACE_CHARS)
    if stripped.startswith("|") or stripped.endswith("|") or stripped.count("|") >= 2:
        parts = _between(line, "|")
        # Nothing but spaces before a leading pipe is Markdown's "| a | b |"; a no-break space or U+3000
        # there is a blank cell written "\u00a0 |" (one cell per line, each followed by a pipe).
        if line[: parts[0][1]].strip(" \t") == "":
            parts.pop(0)
        if parts and line[parts[-1][0] : parts[-1][1]].strip(SPACE_CHARS) == "":
            parts.pop()
        return parts, True
    return [(0, len(line))], False


# --- the lexer -----------------------------------------------------------------------------------

_PIPE_OR_SPACE = SPACE_CHARS + "|"

# What a line lexes to depends on its text, the table the lexer is in and the last part seen, and on nothing
# else: lex_line reads no text outside the line and no other state (tokens are only appended, and the row label
# that lex_cells asks about is one of this line's). A table's labels, header rows, captions, headings and many
# of its rows (zeros) are the same lines in report after report, so what such a line made is kept, by (line,
# mode, last part): the tokens' types, offsets and meanings, and the mode and last part after it. A line is kept
# the second time it is seen (the first time leaves a mark): the rows of numbers each report has of its own are
# seen once, and listing their tokens for nothing cost more than lexing twice each line that recurs. Prose and
# PDF text (a long line without a tab or pipe) are seldom the same twice and are not looked up; nor is a line
# over 200 characters. When the memo is full, the marks go and the lines kept stay (see lex_line).
# (line, mode, last part) -> (the line's offset then, emit's arguments for each token, mode and last part after)
_Replay = tuple[int, tuple[tuple[object, ...], ...], int | None, int]
_LINE_MEMO: dict[tuple[str, int | None, int], _Replay | tuple[()]] = {}
_LINE_MEMO_SIZE = 4096
_SEEN_ONCE = ()  # (falsy: a line seen once is lexed as a new one)


class Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[LayoutToken] = []
        self.mode: int | None = None  # None = prose; 2/3/4 = inside that table
        self.last_section = 0
        self.line_no = 0
        # Line of the last row label emitted: asking "is there one on this line?" by walking back through
        # the tokens made a row followed by 10^5 text cells quadratic.
        self._row_label_line = -1

    # token helpers
    def emit(
        self,
        kind: str,
        start: int,
        end: int,
        key: str | int | None = None,
        table: int | None = None,
        numbering: str = "",
    ) -> None:
        # _token's body, written out: a report has hundreds of tokens, and the second call for each was a
        # tenth of the lexer's time.
        # (One assignment a statement: packing them into tuples and unpacking them cost more.)
        text = self.text[start:end]
        tok = _new_str(LayoutToken, text)
        tok.type = kind
        tok.value = text
        tok.start_pos = start
        tok.end_pos = end
        tok.line = self.line_no
        tok.column = tok.end_line = tok.end_column = None
        tok.key = key
        tok.table = table
        tok.numbering = numbering
        self.tokens.append(tok)
        if kind in ("T2_ROW", "T3_ROW"):
            self._row_label_line = self.line_no

    def run(self) -> list[LayoutToken]:
        start = 0  # of the line in the text
        for line_no, line in enumerate(self.text.split("\n"), 1):
            end = start + len(line)
            # An empty line separates and carries nothing (lex_line would emit nothing for it).
            if line:
                self.line_no = line_no
                if self.mode is not None and len(line) <= 15 and line.isdigit() and line.isascii():
                    self.emit("VALUE", start, end)  # what lex_line decides first, without the call
                else:
                    self.lex_line(line, start, end)
            start = end + 1
        return self.tokens

    def lex_line(self, line: str, start: int, end: int) -> None:
        """Lex the line ``line``, text[start:end]."""
        if len(line) > 60 and (len(line) > 200 or not ("|" in line or "\t" in line)):
            if self.mode is None and _is_plain_prose(line):
                self.emit("TEXT", start, end)  # what lex_new_line makes of it, without its tests one by one
            else:
                self.lex_new_line(line, start, end)  # (not memoised: see _LINE_MEMO)
            return
        key = (line, self.mode, self.last_section)
        known = _LINE_MEMO.get(key)
        if known:
            # What lex_new_line made of the same line before, made again at this line's offsets.
            at, specs, self.mode, self.last_section = known
            shift = start - at
            for kind, a, b, label_key, table, numbering in specs:
                self.emit(kind, a + shift, b + shift, label_key, table, numbering)
            return
        first = len(self.tokens)
        self.lex_new_line(line, start, end)
        if len(_LINE_MEMO) >= _LINE_MEMO_SIZE:
            # Full: the lines seen once go (most are rows of one report's own), the lines kept stay unless they
            # fill half of it (at least half the memo's entries are made again before the next time). (The items
            # are listed first, in one call: a thread checking another report may add a line meanwhile.)
            kept = {known_key: replay for known_key, replay in list(_LINE_MEMO.items()) if replay}
            _LINE_MEMO.clear()
            if len(kept) < _LINE_MEMO_SIZE // 2:
                _LINE_MEMO.update(kept)
        if known is None:
            _LINE_MEMO[key] = _SEEN_ONCE
        else:  # (a list comprehension: attrgetter's look-up by name cost twice as much on slotted tokens)
            specs = tuple([(t.type, t.start_pos, t.end_pos, t.key, t.table, t.numbering) for t in self.tokens[first:]])
            _LINE_MEMO[key] = (start, specs, self.mode, self.last_section)

    def lex_new_line(self, line: str, start: int, end: int) -> None:
        """Lex the line ``line``, text[start:end], from what it holds (lex_line replays a line seen before)."""
        if line.endswith("\r"):
            line = line[:-1]
            end -= 1
        if self.mode is not None and line.isdigit() and line.isascii() and len(line) <= 15:
            self.emit("VALUE", start, end)  # (the commonest line: the plain-number path below, decided sooner)
            return
        if not line.strip(SPACE_CHARS):
            # Lines of nbsp, U+3000 or tabs are cells that were left blank; plain empty lines separate.
            if (
                self.mode is not None
                and line
                and line.strip(SPACE_CHARS) == ""
                and any(ch in line for ch in "\u00a0\u3000\t")
            ):
                self.emit("VALUE", start, end, "blank")
            return
        first = line[0]
        anchored = first in _ANCHORED_STARTS or first.isspace() or first.isdecimal()
        if anchored and self.mode is not None and _PLAIN_NUMBERS.fullmatch(line):
            # What scan finds on such a line: no label, footer or heading is made of digits and spaces, so
            # each number is a VALUE of the table (the commonest line of cell-per-line tables).
            for m in _PLAIN_NUMBER.finditer(line):
                self.emit("VALUE", start + m.start(), start + m.end())
            return
        if anchored and _PAGE_FOOTER.match(line):
            return
        # (Unanchored, only a whole title of at most 40 characters can be a heading: no call for a longer line.)
        heading = (
            match_heading_at_line_start(line, start, self.last_section, anchored)
            if anchored or len(line) <= 40
            else None
        )
        if heading is not None:
            self.emit_heading(heading)
            if heading.end < end:
                self.lex_segment(heading.end, end, allow_midline=True)
            return
        self.lex_segment(start, end, allow_midline=True, line=line)

    def emit_heading(self, h: Heading) -> None:
        self.emit("SECTION_HEAD", h.start, h.end, key=h.number, numbering=str(h.written or ""))
        self.last_section = max(self.last_section, h.number)
        self.mode = None

    def lex_segment(self, start: int, end: int, allow_midline: bool, line: str | None = None) -> None:
        """Lex text[start:end] (``line``, when the caller has it), which lies on one line, splitting off headings
        found inside it."""
        if line is None:
            line = self.text[start:end]
        if allow_midline and len(line) > 60 and "、" in line:  # (every midline heading has its "、")
            h = find_midline_heading(self.text, 0, start, self.last_section, endpos=end)
            if h is not None and h.start > start:
                self.lex_segment(start, h.start, allow_midline=False)
                self.emit_heading(h)
                self.lex_segment(h.end, end, allow_midline=True)
                return
            if h is not None and h.start == start:
                self.emit_heading(h)
                self.lex_segment(h.end, end, allow_midline=True)
                return
        if not line.strip(SPACE_CHARS):
            return
        if "-" in line and _PIPE_SEPARATOR_ROW.fullmatch("".join(line.split())):
            return
        # (split_fields's answer for a line with no tab or pipe, without the call: prose and PDF text)
        fields, delimited = split_fields(line) if "\t" in line or "|" in line else ([(0, len(line))], False)
        # Every cell blank: the line is nothing but pipes and spaces (a tab row never is: it would be blank).
        if delimited and len(fields) != 1 and "\t" not in line and not line.strip(_PIPE_OR_SPACE):
            return  # a row of nothing but separators ("|||", tab-only merged rows)
        if self.mode is None and not self.enters_table(line, fields, delimited):
            starter = _TABLE_STARTERS.search(line) if not delimited and _may_hold_starter(line) else None
            if starter is None:
                self.emit("TEXT", start, end)
                return
            self.emit("TEXT", start, start + starter.start())
            self.mode = _STARTER_TABLE[starter.group(0)[0]]
            self.scan(start + starter.start(), end)
            return
        if (
            self.mode is not None
            and self.last_section
            and not delimited
            and (_is_prose(line) or _is_other_heading(line))
        ):
            self.mode = None  # a sentence after a table ends it: its numbers ("2024 年") are not cells
            self.emit("TEXT", start, end)
            return
        if delimited and self.mode == 3 and _is_converter_header(line, fields):
            self.emit("JUNK", start, end)
            return
        if delimited:
            self.lex_cells(line, start, fields)
        else:
            self.scan(start, end)  # the line is one field of free text

    def enters_table(self, line: str, fields: list[tuple[int, int]], delimited: bool) -> bool:
        """Prose turns into a table only at a line that is unmistakably part of one (split into ``fields``)."""
        if delimited:
            first = next((line[a:b] for a, b in fields if line[a:b].strip(SPACE_CHARS)), "")
            table = _table_opened_by(fold(first), whole_field=True) if _OPENER_START.match(first) else None
        else:
            may_open = _OPENER_START.match(line) and not (len(line) > _HEAD and _head_opens_nothing(line))
            table = _table_opened_by(fold(line), whole_field=False) if may_open else None
        if table is None:
            return False
        self.mode = table
        return True

    def lex_cells(self, line: str, start: int, fields: list[tuple[int, int]]) -> None:
        """The cells of a delimited ``line`` (at ``start`` in the text): blank cells and numbers are values,
        text is scanned for labels. One loop, not a call per cell: most cells of a table are numbers."""
        for a, b in fields:
            stripped = line[a:b].strip(SPACE_CHARS)
            if (
                not stripped
                or (stripped.isdigit() and stripped.isascii() and len(stripped) <= 15)  # (read as "ok", no call)
                or parse_value_cached(stripped).status in ("ok", "placeholder")
                # A short cell of text where a row's number belongs ("见附件"): a value that is not a number.
                # Without a row label on the line it is a header cell ("类别", "数据1"), not a value.
                or (len(stripped) <= 12 and self.row_label_on_line() and not _iter_labels(fold(stripped)))
            ):
                self.emit("VALUE", start + a, start + b, "cell")
            else:
                self.scan(start + a, start + b)

    def row_label_on_line(self) -> bool:
        return self._row_label_line == self.line_no

    def scan(self, start: int, end: int) -> None:
        """Find labels in free text; what lies between them is numbers or junk."""
        raw = self.text[start:end]
        prev_end = 0  # in raw
        prev_was_label = False
        for a, b, entry, numbering, label in _label_pieces(raw):
            # What the label means here, given the table the lexer is in (see _resolve).
            entry = None if entry is None else _resolve(entry, numbering, label, self.mode)
            if a > prev_end and raw[prev_end:a].strip(SPACE_CHARS):  # spaces alone hold no word for gap
                self.gap(start + prev_end, start + a, prev_was_label, entry is not None)
            if entry is None:
                self.emit("JUNK", start + a, start + b)
                prev_was_label = False
            else:
                if self.mode != entry.table:
                    self.mode = entry.table
                self.emit(entry.kind, start + a, start + b, entry.key, entry.table, numbering)
                prev_was_label = True
            prev_end = b
        if prev_end < len(raw) and raw[prev_end:].strip(SPACE_CHARS):
            self.gap(start + prev_end, start + len(raw), prev_was_label, True)

    def gap(self, start: int, end: int, after_label: bool, before_label: bool) -> None:
        """Text between labels: numbers delimited by space or labels are values, the rest is junk."""
        raw = self.text[start:end]
        if _PLAIN_NUMBERS.fullmatch(raw):
            # Every word a plain number (a PDF row's values), which the loop below would find a value each.
            for m in _PLAIN_NUMBER.finditer(raw):
                self.emit("VALUE", start + m.start(), start + m.end())
            return
        for m in _WORD.finditer(raw):
            word_start = start + m.start()
            word = m.group(0)
            if parse_value_cached(word).status in ("ok", "placeholder"):
                self.emit("VALUE", word_start, word_start + len(word))
                continue
            # A word mixing digits and text: digits glued to a label edge are values, inside prose junk.
            pos = 0
            for dm in _DIGIT_RUN.finditer(word):
                glued_left = dm.start() > 0
                glued_right = dm.end() < len(word)
                at_left_edge = dm.start() == 0 and m.start() == 0 and after_label
                at_right_edge = dm.end() == len(word) and m.end() == len(raw) and before_label
                # A whole row's digits run into the next sentence ("…总计10000100000000000我局严格…"): the digits
                # are the row's (seven or more: a short number there may be a year, "02025年").
                into_prose = (
                    dm.start() == 0
                    and m.start() == 0
                    and len(dm.group(0)) >= 7
                    and _CJK().match(word, dm.end()) is not None
                )
                # "行政事业性收费5949.09(二)主动公开…": a sub-heading's numbering right after the value ends it.
                into_heading = dm.start() == 0 and _SUBHEADING().match(word, dm.end()) is not None
                if (not glued_left or at_left_edge) and (
                    not glued_right or at_right_edge or into_prose or into_heading
                ):
                    if dm.start() > pos:
                        self.emit("JUNK", word_start + pos, word_start + dm.start())
                    self.emit("VALUE", word_start + dm.start(), word_start + dm.end())
                    pos = dm.end()
            if pos < len(word):
                self.emit("JUNK", word_start + pos, word_start + len(word))


# The same few labels are resolved thousands of times in a batch, and the choice depends on these alone.
@lru_cache(maxsize=4096)
def _resolve(entry: LabelEntry, numbering: str, text: str, mode: int | None) -> LabelEntry | None:
    """Choose what an ambiguous label means in table ``mode`` (None: prose)."""
    rest = strip_numbering(text)[1]
    candidates = LABELS.get(rest, [entry])
    # Only "3.其他" is the row: "（六）其他" is the group label (六)其他处理 wrapped after 其他.
    if rest == "其他" and numbering[:1].isdigit() and mode in (3, None):
        return LabelEntry("T3_ROW", 3, "other.other", False)
    if rest == "总计" and numbering and mode in (3, None):
        return LabelEntry("T3_ROW", 3, "total", False)
    same = [c for c in candidates if c.table == mode]
    if same:
        return same[0]
    strong = [c for c in candidates if c.strong]
    if strong:
        return strong[0]
    return None  # a weak word of another table: just text here


Piece = tuple[int, int, LabelEntry | None, str, str]


def _find_label_pieces(raw: str) -> tuple[Piece, ...]:
    """The labels in ``raw``, left to right without overlaps: (start, end) in ``raw``, the entry, the
    numbering and the folded label text. Depends on ``raw`` alone, unlike what the lexer makes of it."""
    folded, index = fold_with_map(raw)
    cursor = 0  # in folded
    pieces: list[Piece] = []
    for s, e, entry, numbering in _iter_labels(folded):
        if s < cursor:
            continue
        pieces.append((index[s], index[e - 1] + 1, entry, numbering, folded[s:e]))
        cursor = e
    return tuple(pieces)


# Table cells and labels repeat within a report and across a batch, so their pieces are memoised;
# long prose lines rarely repeat and are not kept (they would only fill the memo).
_label_pieces_memo = lru_cache(maxsize=4096)(_find_label_pieces)


# Spaces and plain numbers at the end of a text, read backwards (a match at the start of the reversed text:
# searching forwards for one that ends the text would try every start, quadratic on a long line of numbers).
_NUMBERS_AT_END_REVERSED = compile_re(r" *+(?:[0-9]{1,15}(?:[.][0-9]{1,15})? ++)++")


def _label_pieces(raw: str) -> tuple[Piece, ...]:
    if raw[-1:] in "0123456789" and "稽" not in raw:
        # A row's numbers after its label (PDF text: "4.保护第三方合法权益 3 0 0 0 0 0 3") are no label, and no
        # label reaches into them (none holds a digit or "."): the label text alone has the same pieces, and
        # its pieces are memoised across the rows that differ only in their numbers. Only the note's pattern
        # runs on into what follows it, and it needs its "稽".
        numbers = _NUMBERS_AT_END_REVERSED.match(raw[::-1])
        if numbers is not None:
            return _label_pieces_of(raw[: len(raw) - numbers.end()])
    return _label_pieces_of(raw)


def _label_pieces_of(raw: str) -> tuple[Piece, ...]:
    return _label_pieces_memo(raw) if len(raw) <= 200 else _find_label_pieces(raw)


# Compiled on first use (see lazyre): only prose with counts and digits glued to text reach them.
_CJK = on_first_use(r"[\u4e00-\u9fff]")


def _is_prose(line: str) -> bool:
    """A sentence with a count in it ("市科委 2024 年根据…", "已有近 1400 个政策文件"), not a table line: a number
    between Chinese words and followed by a measure word, and no table label. Its numbers are not cells."""
    if len(line) > 400 or not _COUNT_IN_PROSE.search(line):
        return False  # a long line is flattened web text, where tables and prose share the line
    folded = fold(line)
    if len(_CJK().findall(folded)) < 8 or _NOTE_RE.search(folded):
        return False
    # Weak header words ("机构", "服务", "组织") are ordinary words in a sentence; strong labels are not.
    return not any(e is not None and (e.strong or "HEADER" not in e.kind) for _s, _e, e, _n in _iter_labels(folded))


# A title as headings end ("…情况", "…事项"): PDF text also prints wrapped label pieces such as "三、本".
_OTHER_HEADING = compile_re(
    r"^[\s\u3000\u00a0#*>]*[一二三四五六七八九十]{1,2}、[^\d]{2,30}(?:情况|事项|措施|计划|说明)[\s\u3000\u00a0*:：]*$"
)


def _is_other_heading(line: str) -> bool:
    """A numbered heading that names no part and no table row ("五、信息处理费收取情况"): it ends the table."""
    first = line[:1]
    if not (first in _ANCHORED_STARTS or first.isspace()) or not _OTHER_HEADING.match(line):
        return False  # (the first test, a look-up, rules out most lines for the pattern: see _ANCHORED_STARTS)
    folded = fold(line)
    if _is_table_label(folded):
        return False
    return not any(e is not None and (e.strong or "HEADER" not in e.kind) for _s, _e, e, _n in _iter_labels(folded))


_SUBHEADING = on_first_use(r"[(（][一二三四五六七八九十]{1,2}[)）][\u4e00-\u9fff]")
_COUNT_IN_PROSE = compile_re(r"[\u4e00-\u9fff][\s\u00a0]*\d+[\s\u00a0]*[年个件条次项家万人份余多月日]")


def _is_converter_header(line: str, fields: list[tuple[int, int]]) -> bool:
    """A header row a converter put over 表三's rows ("项目|本年新收件数|上年结转件数|予以公开|…"): a first cell
    that names no row, then several cells that each name a row, and no number. Its words are not rows."""
    written: list[str] = []
    for a, b in fields:  # a row of 表三 stops at its first number, found before any cell is folded
        cell = line[a:b]
        stripped = cell.strip(SPACE_CHARS)
        if not stripped:
            continue
        if stripped.isascii() and stripped.isdigit() and parse_value_cached(stripped).status == "ok":
            return False  # plain digits, which fold keeps: the number test below, decided without folding
        written.append(cell)
    if len(written) < 4:
        return False
    for cell in written:
        if parse_value_cached(fold(cell)).status in ("ok", "placeholder"):
            return False
    # A cell's label pieces are its folded text's labels (_iter_labels), as scan finds them for the same cell
    # when the row is lexed: the same memo serves both.
    if any(e is not None and e.kind in ("T3_ROW", "T3_GROUP") for _a, _b, e, _n, _l in _label_pieces(written[0])):
        return False
    naming = sum(
        1
        for c in written[1:]
        if any(e is not None and e.kind in ("T3_ROW", "T3_GROUP") for _a, _b, e, _n, _l in _label_pieces(c))
    )
    return naming >= 3


def _may_hold_starter(line: str) -> bool:
    # Spelt out: any() over a generator cost as much as the substring tests themselves.
    return (
        "第二十条第" in line
        or "本列数据的" in line
        or "申请人情况" in line
        or "本年新收政府信息公开申请数量" in line
        or "行政复议" in line
    )


# What can turn a long line of prose into more than one TEXT (lex_new_line finds no heading at the start of a
# line over 40 characters that begins with none of _ANCHORED_STARTS): a midline heading, which
# _MIDLINE_HEADING must find, and a table starter, which needs one of _may_hold_starter's words. One search for
# both (the numerals spelt out one alternative each: a pattern whose alternatives all begin with a character is
# searched for by those characters, 0.4 µs for a line of 90 characters instead of 1.0).
_PROSE_BREAK = compile_re(
    "|".join(f"{numeral}\\s*、" for numeral in "一二三四五六")
    + "|第二十条第|本列数据的|申请人情况|本年新收政府信息公开申请数量|行政复议"
)


def _is_plain_prose(line: str) -> bool:
    """Whether lex_new_line, in prose, makes one TEXT of the whole of ``line``, from tests that rule out at once
    each thing its path through lex_segment looks for (a third of a report's lines are such sentences)."""
    first = line[:1]
    return not (
        len(line) <= 40  # (a whole part title without its numeral, see match_heading_at_line_start)
        or first in _ANCHORED_STARTS  # a heading, a footer (and not blank: every space is anchored)
        or first.isspace()
        or first.isdecimal()
        or line.endswith("\r")  # (lex_new_line cuts it off)
        or "|" in line  # cells, or a Markdown separator row
        or "\t" in line
        or (_OPENER_START.match(line) and not _head_opens_nothing(line))  # a table's first row (enters_table)
        or _PROSE_BREAK.search(line)
    )


def _opener_first_chars() -> str:
    """Every character that folds to a first character _table_opened_by can accept: a label's, the note's,
    "第二十条第"'s or a numbering's ("(一)", "一、", "①"; digits are left to ``\\d``)."""
    circled = {chr(cp) for cp in range(ord("①"), ord("⑳") + 1)}
    firsts = {key[0] for key in LABELS if key} | set("第(本一二三四五六七八九十") | circled
    return "".join(sorted(firsts | {ch for ch, folded in FOLDED_CHAR.items() if folded in firsts}))


# The start of a text whose fold may open a table: what folding deletes, then such a first character. Most
# prose lines fail it at their first character, and need no fold of the whole line to be ruled out.
_OPENER_START = compile_re(
    "[" + "".join(re.escape(ch) for ch, folded in FOLDED_CHAR.items() if not folded) + "]*"
    r"(?:\d|[" + "".join(re.escape(ch) for ch in _opener_first_chars()) + "])"
)


# What _head_opens_nothing folds of a line, and what that must hold after a numbering to tell.
_HEAD = 60
_LONGEST_LABEL = max(map(len, LABELS))  # (longer than the note's words and "第二十条第")


def _head_opens_nothing(line: str) -> bool:
    """Whether _table_opened_by finds nothing in the fold of ``line``, told from the fold of its first characters
    alone (a long line of prose that begins like a label, "本报告根据…", costs no fold of the whole). Folding maps
    each character by itself, so that is the start of the whole fold; everything _table_opened_by accepts begins
    with "第二十条第", the note's words or a label, after a numbering or not; and a start that holds the numbering
    and the longest label after it shows every such beginning (and the same numbering: its pattern looks at most
    one character past it)."""
    head = fold(line[:_HEAD])
    rest = strip_numbering(head)[1]
    if len(rest) < _LONGEST_LABEL:
        return False  # too short to tell (a short line, or one with many spaces)
    return not (head.startswith("第二十条第") or _NOTE_RE.match(head) or _LABEL_RE.match(rest) or _LABEL_RE.match(head))


def _table_opened_by(folded: str, whole_field: bool) -> int | None:
    if not folded:
        return None
    if folded.startswith("第二十条第"):
        return 2
    if _NOTE_RE.match(folded):
        return 3
    rest = strip_numbering(folded)[1]
    for candidate in (rest, folded):
        m = _LABEL_RE.match(candidate)
        if not m:
            continue
        for entry in LABELS[m.group(0)]:
            if not entry.strong:
                continue
            if m.end() == len(candidate) or (not whole_field and _tail_is_table_like(candidate[m.end() :])):
                return entry.table
    return None


def _tail_is_table_like(tail: str) -> bool:
    """After a label: only numbers and further labels (a table row or header flattened into a line)."""
    if re.fullmatch(r"[\d.,\-/—]*", tail):
        return True
    covered = sum(e - s for s, e, _entry, _n in _iter_labels(tail))
    rest = len(re.sub(r"[\d.,\-/—]", "", tail))
    return covered >= 0.8 * rest


_BRACKETED_NOTE = compile_re(r"\([^()0-9]{0,30}\)")
_PRIORITY = {"T3_NOTE": 0, "T2_CAPTION": 0, "T2_ROW": 1, "T3_ROW": 1, "T3_GROUP": 1, "KEYWORD": 2}


def _iter_labels(folded: str) -> list[tuple[int, int, LabelEntry | None, str]]:
    """Label matches in folded text, in order, with the numbering in front of each included.

    Exact labels beat keyword hits (deviating row labels), which beat header words: a typo such as
    ``其他法律行政止公开`` must still be the 禁止公开 row, not the header words 其他 and 法律.
    """
    candidates: list[tuple[int, int, int, LabelEntry, str]] = []  # (priority, s, e, entry, numbering)
    for m in _NOTE_RE.finditer(folded):
        candidates.append((0, m.start(), m.end(), LabelEntry("T3_NOTE", 3, "note", True), ""))
    for m in _LABEL_RE.finditer(folded):
        s, e = m.start(), m.end()
        entry = LABELS[m.group(0)][0]
        s, numbering = _with_numbering(folded, s, _ROW_NUMBERING.get((entry.table, entry.key), ""))
        if entry.kind in ("T3_ROW", "T2_ROW"):
            # Notes in brackets after a row label belong to the label, not to the junk before its numbers.
            tail = _BRACKETED_NOTE.match(folded, e)
            if tail:
                e = tail.end()
        candidates.append((_PRIORITY.get(entry.kind, 3), s, e, entry, numbering))
    for kw, kw_re, key in _T3_KEYWORD_PATTERNS:
        if kw not in folded:  # a plain substring test is far cheaper than starting a regex scan
            continue
        for km in kw_re.finditer(folded):
            s, e = _expand_label(folded, km.start(), km.end())
            s, numbering = _with_numbering(folded, s, _ROW_NUMBERING.get((3, key), ""))
            candidates.append((2, s, e, LabelEntry("T3_ROW", 3, key, False), numbering))
    candidates.sort(key=lambda c: (c[0], c[1], -c[2]))
    return _without_overlaps(candidates)


def _without_overlaps(
    candidates: list[tuple[int, int, int, LabelEntry, str]],
) -> list[tuple[int, int, LabelEntry | None, str]]:
    """Greedy choice in priority order, a candidate kept unless it overlaps one kept before, sorted by start.

    Kept intervals are disjoint, so within one priority (where starts ascend) a sweep against the sorted
    kept list decides each candidate in constant amortised time; testing every kept interval instead
    made a line of 10^4 labels take seconds.
    """
    chosen: list[tuple[int, int, LabelEntry | None, str]] = []
    i = 0
    while i < len(candidates):
        prio = candidates[i][0]
        accepted: list[tuple[int, int, LabelEntry | None, str]] = []
        j = 0  # first kept interval that may still overlap (its end lies beyond the current start)
        while i < len(candidates) and candidates[i][0] == prio:
            _prio, s, e, entry, numbering = candidates[i]
            i += 1
            if accepted and s < accepted[-1][1]:
                continue
            while j < len(chosen) and chosen[j][1] <= s:
                j += 1
            if j < len(chosen) and chosen[j][0] < e:
                continue
            accepted.append((s, e, entry, numbering))
        if not chosen:
            chosen = accepted  # (what merging into nothing gives, without the merge: most texts have one priority)
        elif accepted:
            import heapq  # (here: a line with labels of several priorities is rare, and a check need not import it)

            chosen = list(heapq.merge(chosen, accepted, key=lambda c: c[0]))
    return chosen


def _with_numbering(folded: str, s: int, expected: str = "") -> tuple[int, str]:
    """The numbering right before a label. ``expected`` is the row's own numbering ("2."): it is taken even
    glued to the digits before it ("00000002.其他法律…"), where those digits are the previous row's cells."""
    nm = _NUMBERING_BEFORE.search(folded, max(0, s - 5), s)
    if nm:
        return nm.start(), nm.group(0)
    if expected and s >= len(expected) and folded[s - len(expected) : s] == expected:
        return s - len(expected), expected
    return s, ""


def _row_numberings() -> dict[tuple[int, str], str]:
    """The digit numbering ("2.") of each numbered row of 表三, by (table, key); "其他" is row 3.其他."""
    numberings: dict[tuple[int, str], str] = {}
    for row in formats.TABLE3.rows:
        numbering = strip_numbering(fold(row.label))[0]
        if numbering[:1].isdigit():
            numberings[(3, row.key)] = numbering
    numberings[(3, "其他")] = numberings[(3, "other.other")]
    return numberings


_ROW_NUMBERING = _row_numberings()


def _expand_label(folded: str, s: int, e: int) -> tuple[int, int]:
    """Grow a keyword hit to the surrounding label text (stopping at digits and other labels)."""
    while s > 0 and not folded[s - 1].isdigit() and folded[s - 1] not in ")）" and s > 0 and e - s < 40:
        # (Only a numbering that ends at s can match, and it ends in one of these: no search for the others.)
        if folded[s - 1] in _NUMBERING_LAST_CHARS and _NUMBERING_BEFORE.search(folded, max(0, s - 5), s):
            break
        s -= 1
    while e < len(folded) and not folded[e].isdigit() and folded[e] not in "(（" and e - s < 60:
        e += 1
    return s, e


def lex(text: str) -> list[LayoutToken]:
    return Lexer(text).run()
