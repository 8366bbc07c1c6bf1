"""The lexer's shortcuts give what the general path gives: each rules out or decides a line with a cheap
test, and these tests hold the cheap test against the work it replaces, on the shapes it is meant for and
on random text built from the pieces that matter."""

from __future__ import annotations

import random
import re

import pytest
from reportgen import LAYOUTS, render

from disclosure_lint import lexer as lexer_module
from disclosure_lint.lexer import (
    _ANCHORED_STARTS,
    _HEADING_START,
    _MIDLINE_HEADING,
    _NUMBERING_BEFORE,
    _NUMBERING_LAST_CHARS,
    _OPENER_START,
    _OTHER_HEADING,
    _PAGE_FOOTER,
    _PLAIN_NUMBERS,
    _SECTION_OF_TITLE,
    _SECTION_TITLES,
    _TABLE_STARTERS,
    LABELS,
    Lexer,
    _find_label_pieces,
    _head_opens_nothing,
    _is_plain_prose,
    _label_pieces,
    _may_hold_starter,
    _table_opened_by,
    match_heading_at_line_start,
)
from disclosure_lint.text import SPACE_CHARS, fold, parse_value

PLAIN_NUMBER_LINES = ["0", "12", "  7 ", "\u3000 5\u00a0", "1 2 3", "12.35", "0 0 0 0 0", "123456789012345", "3\u200b"]


def _tokens(lexer: Lexer) -> list[tuple[object, ...]]:
    return [(t.type, t.value, t.start_pos, t.end_pos, t.line, t.key, t.table, t.numbering) for t in lexer.tokens]


def _lexer_in_table(line: str, mode: int) -> Lexer:
    lexer = Lexer(line)
    lexer.mode, lexer.last_section, lexer.line_no = mode, 2, 1
    return lexer


@pytest.mark.parametrize("line", PLAIN_NUMBER_LINES)
@pytest.mark.parametrize("mode", [2, 3, 4])
def test_a_line_of_plain_numbers_in_a_table_lexes_as_the_general_path_does(line: str, mode: int) -> None:
    assert _PLAIN_NUMBERS.fullmatch(line)  # the shortcut is taken
    # What lex_line skips before lex_segment cannot apply to digits and spaces.
    assert not _PAGE_FOOTER.match(line)
    assert match_heading_at_line_start(line, 0, 2) is None
    shortcut, general = _lexer_in_table(line, mode), _lexer_in_table(line, mode)
    shortcut.lex_line(line, 0, len(line))
    general.lex_segment(0, len(line), allow_midline=True)
    assert _tokens(shortcut) == _tokens(general)
    assert [t.type for t in shortcut.tokens] == ["VALUE"] * len(line.split())


@pytest.mark.parametrize(
    "line", ["1\t2", "1,000", "１２", "2.", "1.2.3", "-3", "- 3 -", "1/2", "1234567890123456", "3件"]
)
def test_other_lines_of_digits_take_the_general_path(line: str) -> None:
    assert not _PLAIN_NUMBERS.fullmatch(line)


# Pieces of the texts that open tables, and of the texts that come close.
PIECES = [
    *(key[:4] for key in LABELS if key),
    *"第二十条本列申请人行政复议诉讼一二三四五六七八九十①⑳0123456789()（）、.．,：:*#",
    " ",
    "\u3000",
    "\u00a0",
    "\ufeff",
    "\t",
    "\f",
    "（本列数据的勾稽关系",
    "第二十条第（一）项",
    "申请人情况 自然人",
    "本年新收政府信息公开申请数量",
    "行政复议 行政诉讼 结果",
    "围绕年度重点工作",
    "２０２４年",
    "x",
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def test_the_opener_pretest_never_rules_out_a_text_that_opens_a_table() -> None:
    opened = 0
    for text in _random_texts(20000, 21):
        for whole_field in (True, False):
            table = _table_opened_by(fold(text), whole_field)
            opened += table is not None
            assert _OPENER_START.match(text) or table is None, text
    assert opened > 500  # the pieces do open tables, so the property was tested where it matters


def test_the_opener_pretest_passes_every_label_as_written() -> None:
    for key in LABELS:
        for text in [key, f"（一）{key}", f"1.{key}", f"\u3000**{key}", f"①{key}"]:
            assert _OPENER_START.match(text), text


def test_the_starter_words_are_in_every_line_the_starters_find() -> None:
    found = 0
    for text in _random_texts(20000, 22):
        if _TABLE_STARTERS.search(text):
            found += 1
            assert _may_hold_starter(text), text
    assert found > 500


def _anchored(line: str) -> bool:
    first = line[0]
    return first in _ANCHORED_STARTS or first.isspace() or first.isdecimal()


def test_lines_the_anchored_patterns_match_begin_with_an_anchored_start() -> None:
    pieces = [
        *PIECES,
        "-",
        "—",
        "－",
        "第",
        "页",
        "/",
        "共",
        "> ",
        "\u2003",
        "\x1c",
        "٣",
        "二、总体情况",
        "五、",
        "- 3 -",
    ]
    rng = random.Random(23)
    matched = 0
    for _ in range(30000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        anchored_patterns = (_PAGE_FOOTER, _HEADING_START, _OTHER_HEADING)
        if any(p.match(line) for p in anchored_patterns) or _PLAIN_NUMBERS.fullmatch(line):
            matched += 1
            assert _anchored(line), line
    assert matched > 1000
    for line in [
        "- 3 -",
        "第 2 页",
        "3/12",
        "\u3000二、主动公开政府信息情况",
        "## 一、总体情况",
        "> 三、",
        "12",
        "\u00a05",
    ]:
        assert _anchored(line), line
    assert not _anchored("（一）主动公开") and not _anchored("| 1 |") and not _anchored("围绕年度重点工作")


@pytest.mark.parametrize("line", ["12", "0", "123456789012345", "1234567890123456", "12\r", "1 2", "１２", "12件"])
@pytest.mark.parametrize("mode", [None, 3])
def test_a_number_alone_on_its_line_lexes_as_lex_line_lexes_it(line: str, mode: int | None) -> None:
    text = f"{line}\n\n{line}"
    shortcut, general = _lexer_in_table(text, 3), _lexer_in_table(text, 3)
    shortcut.mode = general.mode = mode
    shortcut.run()
    start = 0
    for line_no, line_text in enumerate(text.split("\n"), 1):  # run's loop without its shortcut
        if line_text:
            general.line_no = line_no
            general.lex_line(line_text, start, start + len(line_text))
        start += len(line_text) + 1
    assert _tokens(shortcut) == _tokens(general)
    assert len(shortcut.tokens) == 2 or line.endswith(("\r", "件")) or mode is None or " " in line


@pytest.mark.parametrize("gap", [" 3 0 0 0 0 0 3", "1", " 59.84 ", "\u3000 12\u00a0 0", "123456789012345 7"])
def test_a_gap_of_plain_numbers_is_a_value_for_each_word(gap: str) -> None:
    assert _PLAIN_NUMBERS.fullmatch(gap)  # the shortcut is taken
    lexer = _lexer_in_table("label" + gap, 3)
    lexer.gap(5, 5 + len(gap), True, True)
    words = [(5 + m.start(), 5 + m.end()) for m in re.finditer(f"[^{re.escape(SPACE_CHARS)}]+", gap)]
    assert [(t.type, t.start_pos, t.end_pos) for t in lexer.tokens] == [("VALUE", a, b) for a, b in words]
    # ... which is what the general loop gives a word that parse_value reads as a number
    assert all(parse_value(lexer.text[a:b]).status == "ok" for a, b in words)


def test_labels_before_a_row_of_numbers_are_found_as_in_the_whole_text() -> None:
    rng = random.Random(24)
    numbers = [" 3", " 0", " 12", " 59.84", "  7", " 1234567890123456", " 1.2.3", "3", ".5", " ", "\u3000"]
    notes = ["本列数据的勾稽关系", "（本列数据的钩稽关系为：第一项加", "本列数据的", "稽", ")", "（"]
    split = 0
    for _ in range(20000):
        head = "".join(rng.choice(PIECES + notes) for _ in range(rng.randint(0, 5)))
        raw = head + "".join(rng.choice(numbers) for _ in range(rng.randint(1, 8)))
        assert _label_pieces(raw) == _find_label_pieces(raw), raw
        labelled = any(e is not None for _a, _b, e, _n, _l in _label_pieces(raw))
        split += raw[-1:].isdigit() and "稽" not in raw and labelled
    assert split > 2000


def test_a_whole_part_title_is_the_first_title_it_begins_with() -> None:
    for title, number in _SECTION_OF_TITLE.items():
        assert next((t, n) for t, n in _SECTION_TITLES if title.startswith(t)) == (title, number)


def test_a_numbering_ends_in_one_of_the_characters_expand_label_tests_first() -> None:
    rng = random.Random(25)
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice([*PIECES, "\n", "、", "1.", "(三)"]) for _ in range(rng.randint(1, 6)))
        for end in range(1, len(text) + 1):
            if _NUMBERING_BEFORE.search(text, max(0, end - 5), end):
                found += 1
                assert text[end - 1] in _NUMBERING_LAST_CHARS, (text, end)
    assert found > 500


def _lexed_line_by_line(text: str) -> list[tuple[object, ...]]:
    """What lex makes of ``text`` with every line lexed from what it holds: no memo, no prose shortcut."""
    general = Lexer(text)
    general.lex_line = general.lex_new_line  # type: ignore[method-assign]
    return _tokens_of(general.run())


def _tokens_of(tokens: list[lexer_module.LayoutToken]) -> list[tuple[object, ...]]:
    return [(t.type, t.value, t.start_pos, t.end_pos, t.line, t.key, t.table, t.numbering) for t in tokens]


def _shuffled_texts(count: int, seed: int) -> list[str]:
    """Lines of the test reports in every layout, drawn at random: each line is met in other modes and parts."""
    rng = random.Random(seed)
    lines = [line for layout in LAYOUTS for line in render(layout).split("\n")]
    lines += ["\u3000" + line for line in lines[::7]] + [line + "\r" for line in lines[::11]]
    return ["\n".join(rng.choice(lines) for _ in range(rng.randint(1, 120))) for _ in range(count)]


def test_a_line_seen_before_lexes_as_it_did_the_first_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexer_module, "_LINE_MEMO", {})
    texts = [render(layout) for layout in LAYOUTS] + _shuffled_texts(150, 31)
    for text in texts * 3:  # (the third time, every line that is looked up is replayed)
        assert _tokens_of(lexer_module.lex(text)) == _lexed_line_by_line(text)
    assert sum(1 for kept in lexer_module._LINE_MEMO.values() if kept) > 300


def test_a_full_line_memo_keeps_its_kept_lines_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexer_module, "_LINE_MEMO", {})
    monkeypatch.setattr(lexer_module, "_LINE_MEMO_SIZE", 50)
    for text in _shuffled_texts(20, 32):
        assert _tokens_of(lexer_module.lex(text)) == _lexed_line_by_line(text)
        assert len(lexer_module._LINE_MEMO) <= 50
    lexer_module._LINE_MEMO.clear()
    heading = "一、总体情况"
    lexer_module.lex(heading)
    lexer_module.lex(heading)  # (kept the second time)
    for first in range(0, 300, 30):  # lines seen once, in their hundreds
        text = "\n".join(f"第{n}行" for n in range(first, first + 30))
        assert _tokens_of(lexer_module.lex(text)) == _lexed_line_by_line(text)
        assert len(lexer_module._LINE_MEMO) <= 50 and lexer_module._LINE_MEMO[(heading, None, 0)]


PROSE_PIECES = [
    *PIECES,
    "，坚持解读材料与政策文件同步起草",
    "、同步审签",
    "一、总体情况",
    "三 、",
    "六、",
    "七、",
    "二是",
    "行政复议",
    "本年度",
    "2024年",
    "|",
    "\r",
    "。",
]


def test_plain_prose_lexes_as_one_text_in_prose() -> None:
    rng = random.Random(33)
    plain = 0
    for _ in range(20000):
        first = rng.choice(["围绕年度重点工作", "我局", "x", "《条例》", "（", "本年度", "2024年", "二"])
        line = first + "".join(rng.choice(PROSE_PIECES) for _ in range(rng.randint(4, 24))).replace("\n", "")
        if not _is_plain_prose(line):
            continue
        plain += 1
        general = _lexer_in_table(line, 3)
        general.mode = None
        general.lex_new_line(line, 0, len(line))
        assert [(t.type, t.start_pos, t.end_pos) for t in general.tokens] == [("TEXT", 0, len(line))], line
        # What the single search stands for: no midline heading can start, and no table starter can be found.
        assert not _MIDLINE_HEADING.search(line) and not _may_hold_starter(line), line
    assert plain > 1000


@pytest.mark.parametrize(
    "line",
    [
        "围绕年度重点工作，持续深化政务公开，全年通过政府门户网站发布政务动态信息2123条，政策文件469条。",
        "我局严格落实条例要求，二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数",
        "全年共收到申请，行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计0000000000000000000000000",
        "强化政府信息管理和监督保障，将政务公开纳入工作考核，开展社会评议，全年未发生被责任追究的情况。",
    ],
)
def test_a_long_line_of_prose_lexes_as_lex_new_line_lexes_it(line: str) -> None:
    shortcut, general = _lexer_in_table(line, 3), _lexer_in_table(line, 3)
    shortcut.mode = general.mode = None
    shortcut.lex_line(line, 0, len(line))
    general.lex_new_line(line, 0, len(line))
    assert _tokens(shortcut) == _tokens(general)


def test_a_head_that_opens_nothing_is_a_line_that_opens_nothing() -> None:
    rng = random.Random(34)
    pieces = [
        *PIECES,
        "（一）",
        "一二三四五六七八九十",
        "1.",
        "12、",
        "①",
        "本报告根据",
        "《条例》",
        "，",
        " " * 9,
        "0 3",
    ]
    labels = [key for key in LABELS if key]
    told = opened = 0
    for _ in range(30000):
        # (Spaces before a label: the head's fold is short, and may end inside the label.)
        first = " " * rng.choice([0, 0, rng.randint(1, 59)]) + (rng.choice(labels) if rng.random() < 0.3 else "")
        tail = rng.choice([pieces, pieces, ["0", " 3", "12"]])  # (a label, then numbers: a row that opens a table)
        line = first + "".join(rng.choice(tail) for _ in range(rng.randint(0, 30)))
        tables = [_table_opened_by(fold(line), whole_field) for whole_field in (True, False)]
        opened += tables != [None, None]
        if _head_opens_nothing(line):
            told += 1
            assert tables == [None, None], line
    assert told > 3000 and opened > 1000


def test_a_cell_of_plain_digits_is_one_parse_value_reads_as_a_number() -> None:
    rng = random.Random(35)
    for _ in range(5000):
        cell = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 18)))
        shortcut = cell.isdigit() and cell.isascii() and len(cell) <= 15  # lex_cells's test before parse_value
        assert shortcut == (parse_value(cell).status == "ok"), cell
    for cell in ["１２", "٣", "²", "12件", "1,000", "1.5", " 12"]:  # other numbers take the call
        assert not (cell.isdigit() and cell.isascii()), cell
