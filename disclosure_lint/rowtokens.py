"""Stage 3 — rows: the lexer's labels and numbers become the tokens the report grammar describes.

What a context-free grammar cannot do is done here, before it:

* **Table stretches.** A table starts at one of its own labels; the numbers and junk after it belong to
  it; prose, a heading or another table's label ends it (``stretches``).
* **Pairing labels with numbers.** Most layouts put a row's numbers right after its label. PDF text does
  not: a wrapped label is printed around its numbers, so the numbers of a row can come *before* its
  label. Rows are therefore paired with value runs in two passes (``pair_rows``): first each label with
  the run that directly follows it, then, in each stretch between two such anchors, the remaining labels
  and runs in order, when their counts agree. Nothing is guessed beyond that: digits glued together
  (``0000000``) make a row unreadable later, not a row of seven zeros.
* **One token per row.** Each paired label becomes a :class:`RowToken` whose type names the standard
  row (``T3_DENIED_STATE_SECRET``) and which carries the numbers paired with it, so that the grammar
  parses the sequence of parts, tables and rows — a sequence it can really describe — and the order,
  repetition and edition facts come out of the parse.

Numbers, junk and column-header words do not reach the grammar: they stay in each table's
:class:`TableMaterial`, from which the model builder takes the table's extent and its stray numbers.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from dataclasses import field
from functools import lru_cache
from operator import attrgetter
from typing import TypeVar

from lark import Token

from . import formats
from .lexer import LayoutToken, parse_value_cached, retyped
from .records import record

# The longest row label a report writes is about 40 characters; pieces of a wrapped label beyond this are not one.
MAX_WRITTEN_LABEL = 120

_TABLE_OF_KIND = {
    "T2_CAPTION": 2,
    "T2_HEADER": 2,
    "T2_ROW": 2,
    "T3_NOTE": 3,
    "T3_HEADER": 3,
    "T3_GROUP": 3,
    "T3_ROW": 3,
    "T4_HEADER": 4,
}
_PART_TERMINALS = {
    1: "PART_OVERVIEW",
    2: "PART_ACTIVE_DISCLOSURE",
    3: "PART_APPLICATIONS",
    4: "PART_REVIEW_LITIGATION",
    5: "PART_PROBLEMS",
    6: "PART_OTHER_MATTERS",
}
_T2_CAPTION_TERMINALS = {
    caption: f"T2_ITEM{item}_CAPTION" for caption, item in zip(formats.T2_BLOCK_CAPTIONS, (1, 5, 6, 8), strict=True)
}
_T2_TRIAL_ROWS = {"trial.other_services": "T2_TRIAL_OTHER_SERVICES", "trial.procurement": "T2_TRIAL_PROCUREMENT"}
T4_GROUP_TERMINALS = ("T4_REVIEW", "T4_LITIGATION_DIRECT", "T4_LITIGATION_AFTER_REVIEW")
T4_GROUP_SIZE = len(formats.T4_COLUMNS)
# The single （六）其他处理 row of the 2019 trial format: the group label with numbers of its own.
T3_SINGLE_OTHER_TERMINAL = "T3_OTHER_AS_ONE_ROW"


def row_terminal(label: LayoutToken, has_numbers: bool) -> str:
    """The grammar's name for a row label: the standard row's key, spelt as a terminal."""
    return _terminal(label.type, str(label.key), has_numbers)


@lru_cache(maxsize=256)  # (the format's rows: a few dozen keys)
def _terminal(kind: str, key: str, has_numbers: bool) -> str:
    if kind == "T3_GROUP":
        if key == formats.T3_SINGLE_OTHER_ROW and has_numbers:
            return T3_SINGLE_OTHER_TERMINAL
        return f"T3_{key.upper()}_HEADING"
    if kind == "T3_ROW":
        return "T3_" + key.upper().replace(".", "_")
    return _T2_TRIAL_ROWS.get(key) or "T2_" + key.upper()


# --- the pieces -----------------------------------------------------------------------------------


@record
class ValueRun:
    """Consecutive cell values: a row's numbers, or filler left by merged cells."""

    values: list[LayoutToken]

    @property
    def line(self) -> int:
        return self.values[0].line or 0

    @property
    def filler(self) -> bool:
        return all(is_blank(v) for v in self.values)


Item = LayoutToken | ValueRun


def is_blank(tok: LayoutToken) -> bool:
    return parse_value_cached(str(tok)).status == "blank"


def _numbers(item: Item) -> bool:
    return isinstance(item, ValueRun) and not item.filler


def _placeholders_only(run: ValueRun) -> bool:
    # Converters fill header rows they could not place with "-": noise, not numbers without a row.
    return all(parse_value_cached(str(v)).status == "placeholder" for v in run.values)


_new_str = str.__new__
_T = TypeVar("_T", bound=Token)


class RowToken(Token):
    """A grammar token for one row label of a table, with the numbers paired with it."""

    __slots__ = ("joined", "label", "run")  # (as Lark's Token and LayoutToken: no dict per token)
    label: LayoutToken
    run: ValueRun | None
    # The label as written when it was printed in pieces ("2、申请人逾期未按收费通知要" + "求缴纳费用、…").
    joined: str | None


def _token_at(cls: type[_T], kind: str, text: str, at: Token) -> _T:
    """``cls.new_borrow_pos(kind, text, at)``, its attributes set directly as lexer.emit sets a token's:
    Token.__new__'s argument handling (kept for Lark's deprecated signatures) cost more than the rest."""
    tok = _new_str(cls, text)
    tok.type = kind
    tok.value = text
    tok.start_pos = at.start_pos
    tok.line = at.line
    tok.column = at.column
    tok.end_line = at.end_line
    tok.end_column = at.end_column
    tok.end_pos = at.end_pos
    return tok


def _row_token(label: LayoutToken, run: ValueRun | None, joined: str | None) -> RowToken:
    # (label.value: the label's text as a plain str, what str(label) would copy it to)
    tok = _token_at(RowToken, row_terminal(label, run is not None), label.value, label)
    tok.label = label
    tok.run = run
    tok.joined = joined
    return tok


class ProseToken(Token):
    """A grammar token for a run of consecutive prose lines (the lexer's ``TEXT`` tokens, in ``lines``).

    The grammar places prose (in the preamble, in a part, between two stretches of a table) but never
    counts it: after a ``TEXT`` the parser stands where it stood before it, so one token for the run reads
    as the lines did, and the parser shifts one token instead of one per line (half of a report's stream).
    """

    __slots__ = ("lines",)
    lines: list[LayoutToken]


def _prose_token(first: LayoutToken) -> ProseToken:
    tok = _token_at(ProseToken, "TEXT", first.value, first)
    tok.lines = [first]
    return tok


class GroupToken(Token):
    """A grammar token for one group of 表四's numbers (行政复议, 未经复议直接起诉, 复议后起诉)."""

    __slots__ = ("values",)
    values: list[LayoutToken]


@record
class TableMaterial:
    """Everything read as part of one table, over all its stretches, in document order."""

    number: int
    items: list[Item] = field(default_factory=list)
    stray: list[ValueRun] = field(default_factory=list)  # numbers paired with no row
    # 表四: its numbers in column order, and whether its header words break them up (see build.py).
    values: list[LayoutToken] = field(default_factory=list)
    scattered: bool = False


@record
class RowStream:
    """What the grammar parses, and what the model builder needs beside the tree."""

    tokens: list[Token]
    tables: dict[int, TableMaterial]
    layout_tokens: list[LayoutToken]


# --- stretches and runs ---------------------------------------------------------------------------


def stretches(tokens: list[LayoutToken]) -> list[tuple[int | None, list[Item]]]:
    """The tokens cut into stretches: (table number, items) for a table, (None, [token]) outside one.

    A table's items are its tokens in order, each run of consecutive numbers gathered into value runs
    (``_split_by_line``). Numbers and junk outside any table (the lexer only emits them inside tables,
    but a layout that opens a table with an empty cell leaves some) are dropped: they are no part of a table.
    """
    out: list[tuple[int | None, list[Item]]] = []
    current: list[Item] | None = None
    current_table: int | None = None
    # Tokens grouped by their type, so that a run of numbers (most of a table's tokens) is taken whole: any
    # other token ends it, and it never reaches into the next stretch.
    for kind, group in itertools.groupby(tokens, _TYPE):
        if kind == "VALUE":
            if current is not None:
                current.extend(_split_by_line(list(group)))
            continue
        table = _TABLE_OF_KIND.get(kind)
        for tok in group:
            if table is not None:
                if table != current_table:
                    current, current_table = [], table
                    out.append((table, current))
                assert current is not None
                current.append(tok)
            elif kind == "JUNK":
                if current is not None:
                    current.append(tok)
            else:
                current, current_table = None, None
                out.append((None, [tok]))
    return out


_TYPE = attrgetter("type")
_LINE = attrgetter("line")


def _split_by_line(values: list[LayoutToken]) -> list[ValueRun]:
    """One run per line when every line holds a row of numbers (PDF text prints rows on consecutive
    lines with nothing between them); cell-per-line layouts keep their single run."""
    # (Values come in line order: when the first two share no line, or the first and last share one, the
    # test below keeps the single run, and the grouping need not be made.)
    if len(values) < 2 or values[1].line != values[0].line or values[-1].line == values[0].line:
        return [ValueRun(values)]
    groups = [list(group) for _line, group in itertools.groupby(values, _LINE)]  # consecutive values of a line
    if len(groups) > 1 and all(len(g) >= 2 for g in groups):
        return [ValueRun(g) for g in groups]
    return [ValueRun(values)]


# --- pairing --------------------------------------------------------------------------------------


def pair_rows(items: list[Item], row_kind: str, group_kind: str | None) -> tuple[list[RowToken], list[ValueRun]]:
    """Pair row labels with their value runs (see the module docstring): the row tokens, in label order,
    and the runs paired with no label."""
    kinds = (row_kind, group_kind)
    tok_at = {i: it for i, it in enumerate(items) if isinstance(it, LayoutToken) and it.type in kinds}
    labels = list(tok_at)
    # A label wrapped over two lines can be recognised twice ("2、申请人逾期未按收费通知要" …
    # "求缴纳费用、…"): consecutive labels of the same row are one label, the later one nearest its numbers.
    rows_only = [i for i in labels if tok_at[i].type == row_kind]
    merged: set[int] = set()
    joined: dict[int, str] = {}
    for a, b in itertools.pairwise(rows_only):
        if tok_at[a].key == tok_at[b].key and not isinstance(items[a + 1], ValueRun):
            merged.add(a)
            # The label as written is both pieces. A label is never longer than a sentence: past that, a
            # line of repeated labels would make this quadratic.
            first = joined.get(a, str(tok_at[a]).strip())
            if len(first) > MAX_WRITTEN_LABEL:
                first = str(tok_at[a]).strip()
            joined[b] = first + str(tok_at[b]).strip()
    if merged:  # (one list rebuild: removing each in place was quadratic in the number of labels)
        labels = [i for i in labels if i not in merged]
    paired: dict[int, int] = {}  # label index -> run index
    used_runs: set[int] = set()
    for li in labels:
        label = tok_at[li]
        j = li + 1
        while j < len(items):
            nxt = items[j]
            if not (isinstance(nxt, LayoutToken) and nxt.type == "JUNK" and nxt.line == label.line):
                break
            j += 1
        if j < len(items):
            run = items[j]
            if isinstance(run, ValueRun):
                if label.type == group_kind and label.key != "other" and run.line != label.line:
                    continue  # a group label owns numbers (a sub-total) only when they share its line
                paired[li] = j
                used_runs.add(j)
    # Second pass: between anchors, pair leftovers in order when the counts agree. (When every row label is
    # paired, the usual case, no stretch between anchors has a free label: the pass would pair nothing.)
    anchors = sorted([-1, *paired, *used_runs, len(items)]) if _any_free(labels, paired, tok_at, row_kind) else []
    for a, b in itertools.pairwise(anchors):
        if b - a < 2:
            continue  # adjacent anchors (a label and its run, the usual case): nothing between them
        # labels is sorted: only the slice between the anchors is looked at, keeping this pass linear.
        between = labels[bisect_right(labels, a) : bisect_left(labels, b)]
        free_labels = [i for i in between if i not in paired and tok_at[i].type == row_kind]
        if not free_labels:
            continue  # (column words between a row's numbers and the next label, most often: no runs to count)
        free_runs = [
            i
            for i in range(a + 1, b)
            if i not in used_runs and isinstance(run := items[i], ValueRun) and not run.filler
        ]
        if len(free_labels) == len(free_runs):
            for li, ri in zip(free_labels, free_runs, strict=True):
                paired[li] = ri
                used_runs.add(ri)
    rows = []
    for li in labels:
        run = items[paired[li]] if li in paired else None
        rows.append(_row_token(tok_at[li], run if isinstance(run, ValueRun) else None, joined.get(li)))
    stray = [
        it
        for i, it in enumerate(items)
        if isinstance(it, ValueRun) and i not in used_runs and not it.filler and not _placeholders_only(it)
    ]
    return rows, stray


def _any_free(labels: list[int], paired: dict[int, int], tok_at: dict[int, LayoutToken], row_kind: str) -> bool:
    """Whether a row label is left unpaired by the first pass (what the second pass can pair)."""
    return any(i not in paired and tok_at[i].type == row_kind for i in labels)


# --- 表四 -------------------------------------------------------------------------------------------


def _table4_values(material: TableMaterial) -> None:
    """表四's numbers in column order: every run after the last header word, and earlier ones unless
    they are filler under the header."""
    items = material.items
    last_header = max(
        (i for i, it in enumerate(items) if isinstance(it, LayoutToken) and it.type == "T4_HEADER"), default=-1
    )
    runs = [(i, it) for i, it in enumerate(items) if isinstance(it, ValueRun) and (i > last_header or not it.filler)]
    values = [v for _i, run in runs for v in run.values]
    expected = len(formats.TABLE4.rows) * T4_GROUP_SIZE
    while len(values) > expected and (is_blank(values[-1]) or is_blank(values[0])):
        values.pop() if is_blank(values[-1]) else values.pop(0)
    material.values = values
    material.scattered = _header_between_numbers(items, runs)


def _header_between_numbers(items: list[Item], runs: list[tuple[int, ValueRun]]) -> bool:
    """Are 表四's numbers broken up by its header words, other than group by group (5, 10 …)?

    Reading-order copies of a PDF print the header cells and numbers of 表四 interleaved, so the order
    of the numbers is no longer the order of the columns.
    """
    if len(runs) < 2:
        return False
    first, last = runs[0][0], runs[-1][0]
    headers = any(
        isinstance(it, LayoutToken) and it.type == "T4_HEADER" for it in itertools.islice(items, first + 1, last)
    )
    return headers and any(len(run.values) % T4_GROUP_SIZE for _, run in runs[:-1])


def _table4_groups(values: list[LayoutToken]) -> dict[int, GroupToken]:
    """A group token for every five numbers of 表四, placed at its first number (by token id)."""
    groups: dict[int, GroupToken] = {}
    for g, terminal in enumerate(T4_GROUP_TERMINALS):
        part = values[g * T4_GROUP_SIZE : (g + 1) * T4_GROUP_SIZE]
        if part:
            tok = _token_at(GroupToken, terminal, str(part[0]), part[0])
            tok.values = part
            groups[id(part[0])] = tok
    return groups


# --- the stream -----------------------------------------------------------------------------------


def row_stream(tokens: list[LayoutToken]) -> RowStream:
    parts = stretches(tokens)
    tables = {n: TableMaterial(n) for n in (2, 3, 4)}
    for number, items in parts:
        if number is not None:
            tables[number].items.extend(items)
    rows_at: dict[int, RowToken] = {}  # label token id -> its row token
    for number, row_kind, group_kind in ((2, "T2_ROW", None), (3, "T3_ROW", "T3_GROUP")):
        rows, tables[number].stray = pair_rows(tables[number].items, row_kind, group_kind)
        rows_at.update((id(row.label), row) for row in rows)
    _table4_values(tables[4])
    groups_at = _table4_groups(tables[4].values)  # first number's id -> its group token
    out: list[Token] = []
    headings: list[int] = []  # where 表三's group headings without numbers are in ``out``
    for number, items in parts:
        if number is None:
            tok = items[0]
            assert isinstance(tok, LayoutToken)
            if tok.type == "SECTION_HEAD":
                out.append(retyped(tok, _PART_TERMINALS[int(tok.key or 0)]))
            elif out and isinstance(prose := out[-1], ProseToken):
                prose.lines.append(tok)  # (the run's token keeps the first line's place)
            else:
                out.append(_prose_token(tok))
            continue
        out.append(retyped(items[0], f"TABLE{number}"))  # (a table's stretch starts with one of its labels)
        for item in items:
            if isinstance(item, ValueRun):
                if number == 4:  # only 表四's numbers carry tokens: its groups, at their first number
                    out.extend(groups_at[id(v)] for v in item.values if id(v) in groups_at)
                continue
            row = rows_at.get(id(item))
            if row is not None:
                if row.label.type == "T3_GROUP" and row.run is None:
                    headings.append(len(out))
                out.append(row)
            elif item.type == "T2_CAPTION":
                out.append(retyped(item, _T2_CAPTION_TERMINALS[str(item.key)]))
            elif item.type == "T2_HEADER" and item.key in formats.TRIAL_FORMAT_MARKERS:
                out.append(retyped(item, "T2_TRIAL_WORD"))
    return RowStream(_group_headings_first(out, headings), tables, tokens)


_GROUP_OF_ROW = {row.key: row.group for row in formats.TABLE3.rows if row.group}
# The most rows a group has (（三）不予公开: eight): a heading moves back over no more than that.
_LARGEST_GROUP = max(sum(1 for g in _GROUP_OF_ROW.values() if g == group) for group in set(_GROUP_OF_ROW.values()))


def _group_headings_first(tokens: list[Token], headings: list[int]) -> list[Token]:
    """Put a group heading of 表三 with no numbers of its own (（三）不予公开 …), at ``headings`` in
    ``tokens``, before the rows of its group that directly precede it: it is a merged cell beside them,
    which PDF text prints at its vertical middle, among its rows. Headings are moved, never dropped.
    (Moving one only reorders tokens before it, so the later headings stay where ``headings`` says.)"""
    for i in headings:
        tok = tokens[i]
        assert isinstance(tok, RowToken)
        first = i
        while first > max(0, i - _LARGEST_GROUP):
            before = tokens[first - 1]
            if not (isinstance(before, RowToken) and _GROUP_OF_ROW.get(str(before.label.key)) == tok.label.key):
                break
            first -= 1
        if first < i:
            tokens[first : i + 1] = [tok, *tokens[first:i]]
    return tokens


def trial_marker(tok: Token) -> bool:
    return tok.type.startswith("T2_TRIAL_")
