"""The model builder's shortcuts give what the work they replace gives: a cell text read once per distinct text,
a part heading read once per distinct line, the format's cells left in place when they were read in its order, the
row stream's tokens made without Token.__new__, and the second pairing pass skipped when no label is left for it."""

from __future__ import annotations

import random

import pytest
import reportgen
from conftest import shared_path
from lark import Token

from disclosure_lint import formats, rowtokens
from disclosure_lint.build import (
    _HEADING_NUMBERING,
    _STATUS,
    ReportBuilder,
    _cell_text,
    _heading_read,
    _numbering_deviates,
)
from disclosure_lint.lexer import LayoutToken, lex
from disclosure_lint.model import Cell, CellStatus
from disclosure_lint.pipeline import render
from disclosure_lint.rowtokens import GroupToken, ProseToken, _prose_token, _table4_groups, row_stream
from disclosure_lint.text import fold, parse_value

CELL_TEXTS = ["0", "12", " 12 ", "\u300012件", "12\t", "/", "", "  ", "x", "1,234", "0.5", "\u00a0-3\u00a0", "—", "无"]


@pytest.mark.parametrize("raw", CELL_TEXTS)
def test_a_cell_text_is_read_as_parse_value_and_the_padding_search_read_it(raw: str) -> None:
    parsed = parse_value(raw)
    stripped = raw.strip(" \t\u00a0\u3000")
    lead = raw.find(stripped) if len(stripped) != len(raw) else 0
    assert _cell_text(raw) == (_STATUS[parsed.status], parsed.value, parsed.unit, lead, len(stripped))


HEADINGS = [
    "一、总体情况",
    "## 二、主动公开政府信息情况",
    "三．收到和处理政府信息公开申请情况：",
    "第四部分 行政复议",
    "五 存在的主要问题",
]


@pytest.mark.parametrize("line", HEADINGS)
def test_a_heading_line_is_read_as_build_sections_read_it(line: str) -> None:
    written_title = _HEADING_NUMBERING.sub("", line).strip(" *#:：\u3000")
    expected = (written_title, fold(written_title).rstrip(":："), line.strip(), _numbering_deviates(line))
    assert _heading_read(line) == expected


def _builder_with(cells: list[Cell]) -> ReportBuilder:
    builder = ReportBuilder(render("r.txt", b"x\n"), "r.txt")
    builder.report.cells = {cell.id: cell for cell in cells}
    return builder


def _slow_fill(cells: dict[str, Cell]) -> list[tuple[str, Cell]]:
    """fill_cells without its shortcuts: the format's cells in its order, made when missing, then the others."""
    ordered = {cid: cells.get(cid) or Cell(cid, table, row, col) for cid, table, row, col in formats.STANDARD_CELLS}
    for cid, cell in cells.items():
        ordered.setdefault(cid, cell)
    return list(ordered.items())


def _cell(cid: str) -> Cell:
    table, row, column = next((t, r, c) for i, t, r, c in formats.STANDARD_CELLS if i == cid)
    return Cell(cid, table, row, column, CellStatus.OK, 1, "1")


@pytest.mark.parametrize("seed", range(12))
def test_the_cells_are_filled_as_the_slow_path_fills_them(seed: int) -> None:
    rng = random.Random(seed)
    cells = [_cell(cid) for cid in formats.STANDARD_CELL_IDS]
    if seed % 3 == 1:
        rng.shuffle(cells)  # every cell, another order
    elif seed % 3 == 2:
        cells = rng.sample(cells, len(cells) - rng.randint(1, 20))  # some missing
    if seed % 4 == 3:
        cells.append(Cell("t3.other.extra", 3, "other", "extra", CellStatus.OK, 2, "2"))  # one outside the format
    builder = _builder_with(cells)
    expected = _slow_fill(builder.report.cells)
    builder.fill_cells()
    assert list(builder.report.cells.items()) == expected


def _token_fields(tok: Token) -> tuple[object, ...]:
    return (type(tok), str(tok), tok.type, tok.value, tok.start_pos, tok.line, tok.column, tok.end_line,
            tok.end_column, tok.end_pos)  # fmt: skip


def test_prose_and_group_tokens_are_what_new_borrow_pos_makes() -> None:
    tokens = lex(render("r.txt", reportgen.render("tab").encode()).text)
    first = next(t for t in tokens if t.type == "TEXT")
    assert _token_fields(_prose_token(first)) == _token_fields(ProseToken.new_borrow_pos("TEXT", first.value, first))
    values = row_stream(tokens).tables[4].values
    assert len(values) == 15
    groups = _table4_groups(values)
    for tok in groups.values():
        borrowed = GroupToken.new_borrow_pos(tok.type, str(tok.values[0]), tok.values[0])
        assert _token_fields(tok) == _token_fields(borrowed)


def test_a_layout_token_value_is_its_text() -> None:
    # value_cells reads a value token's text as tok.value (a plain str), not str(tok) (a copy of it).
    for tok in lex(render("r.txt", reportgen.render("tab").encode()).text):
        assert type(tok) is LayoutToken and type(tok.value) is str and tok.value == str(tok)


def _pairing(items: list[rowtokens.Item], row_kind: str, group_kind: str | None) -> tuple[object, ...]:
    rows, stray = rowtokens.pair_rows(items, row_kind, group_kind)
    made = [(r.type, str(r), id(r.label), id(r.run), r.joined) for r in rows]
    return made, [id(run) for run in stray]


def _tables_items(text: str) -> list[tuple[list[rowtokens.Item], str, str | None]]:
    stream = rowtokens.row_stream(lex(text))
    return [(stream.tables[2].items, "T2_ROW", None), (stream.tables[3].items, "T3_ROW", "T3_GROUP")]


def _texts() -> list[str]:
    texts = [reportgen.render(layout) for layout in reportgen.LAYOUTS]
    corpus = shared_path("corpus")
    texts += [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))[:20]]
    return texts


def test_the_second_pairing_pass_is_skipped_only_when_it_would_pair_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same rows and stray runs with the pass always run, on the layouts, the corpus and their tables' items
    # shuffled, thinned and repeated at random (labels left without numbers, numbers before their labels).
    rng = random.Random(7)
    cases = []
    for text in _texts():
        for items, row_kind, group_kind in _tables_items(text):
            cases.append((items, row_kind, group_kind))
            for _ in range(6):
                mutated = [it for it in items if rng.random() > 0.15]
                for _ in range(rng.randint(0, 4)):
                    if len(mutated) > 1:
                        i = rng.randrange(len(mutated) - 1)
                        mutated[i], mutated[i + 1] = mutated[i + 1], mutated[i]
                if mutated and rng.random() < 0.3:
                    mutated.insert(rng.randrange(len(mutated)), rng.choice(mutated))
                cases.append((mutated, row_kind, group_kind))
    shortcut = [_pairing(*case) for case in cases]
    monkeypatch.setattr(rowtokens, "_any_free", lambda *_args: True)
    assert [_pairing(*case) for case in cases] == shortcut
    assert sum(bool(rowtokens.pair_rows(*case)[0]) for case in cases) > len(cases) / 2
