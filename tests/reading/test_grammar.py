"""The report grammar (grammars/report.lark) is where the layout is described, and it is load-bearing:
a changed production changes what is read. Also: the row stream before it, and the recovery after it."""

from __future__ import annotations

import itertools
import re
import time

import lark
import pytest
import reportgen

from disclosure_lint import formats, lalrtables, lexer, parser, rowtokens
from disclosure_lint.lexer import lex
from disclosure_lint.pipeline import load_report
from disclosure_lint.resources import grammar_path

GRAMMAR = grammar_path("report.lark").read_text(encoding="utf-8")

# A report of 2020 in the 2019 trial format's 表三: （六）其他处理 is one row with numbers of its own.
_OTHER_ROWS = re.compile(r"（六）其他处理.*?(?=（七）总计)", re.S)


def _trial_2020_report() -> str:
    text = reportgen.render("tab").replace("2024年", "2020年")
    text, count = _OTHER_ROWS.subn("（六）其他处理\t1\t0\t0\t0\t0\t1\t2\n", text)
    assert count == 1
    return text


def _load(text: str, name: str = "r.txt"):
    return load_report(name, text.encode("utf-8"))


def _with_grammar(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    changed = lalrtables.build_parser(text, parser.REPORT_PARSER_OPTIONS)
    monkeypatch.setattr(parser, "report_parser", lambda: changed)


def _replace(old: str, new: str) -> str:
    assert GRAMMAR.count(old) == 1, old
    return GRAMMAR.replace(old, new)


def test_the_standard_report_parses_without_a_note_and_every_row_is_read() -> None:
    report = _load(reportgen.render("tab"))
    assert report.layout_notes == []
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert list(report.tables[3].rows) == [r.key for r in formats.TABLE3.rows]
    assert report.edition == "2021"


def test_swapping_two_rows_in_the_grammar_makes_their_order_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    text = reportgen.render("tab")
    assert _load(text).layout_notes == []
    _with_grammar(
        monkeypatch,
        _replace("_denied_1: T3_DENIED_STATE_SECRET? _denied_2", "_denied_1: T3_DENIED_PROHIBITED? _denied_2").replace(
            "_denied_2: T3_DENIED_PROHIBITED? _denied_3", "_denied_2: T3_DENIED_STATE_SECRET? _denied_3"
        ),
    )
    report = _load(text)
    assert [(n.kind, n.terminal, n.after) for n in report.layout_notes] == [
        ("out-of-order", "T3_DENIED_PROHIBITED", "T3_DENIED_STATE_SECRET")
    ]
    assert report.layout_notes[0].text == "2.其他法律行政法规禁止公开"
    # Never lost: the row is still read, with its numbers.
    assert report.cells["t3.denied.prohibited.natural_person"].value == 1


def test_removing_the_2019_alternative_changes_the_edition_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _trial_2020_report()
    report = _load(text)
    assert report.edition == "2019-trial"
    assert [r.key for r in report.tables[3].extra_rows] == ["other"]
    assert report.edition_evidence and report.edition_evidence[0][0].startswith("（六）其他处理")
    _with_grammar(monkeypatch, _replace("other: other_2021 | other_2019", "other: other_2021"))
    report = _load(text)
    assert report.edition == "2021"
    assert report.tables[3].extra_rows == [] and report.edition_evidence == []
    assert [(n.kind, n.terminal) for n in report.layout_notes] == [("unplaced", "T3_OTHER_AS_ONE_ROW")]


def test_moving_a_part_in_the_grammar_changes_the_order_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = reportgen.render("tab")
    swapped = _replace("_parts: overview? _parts_from_2", "_parts: active_disclosure? _parts_from_1b").replace(
        "_parts_from_2: active_disclosure? _parts_from_3",
        "_parts_from_1b: overview? _parts_from_3",
    )
    _with_grammar(monkeypatch, swapped)
    report = _load(text)
    assert [(n.kind, n.terminal, n.after) for n in report.layout_notes] == [
        ("out-of-order", "PART_ACTIVE_DISCLOSURE", "PART_OVERVIEW")
    ]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 5, 6]


def test_a_row_out_of_order_in_the_report_is_a_note_and_still_read() -> None:
    text = reportgen.render("tab")
    lines = text.splitlines(keepends=True)
    granted = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    total = next(i for i, line in enumerate(lines) if line.startswith("（七）总计"))
    # The results heading and 予以公开 share a line: move the whole line after （七）总计.
    moved = lines[:granted] + lines[granted + 1 : total + 1] + [lines[granted]] + lines[total + 1 :]
    report = _load("".join(moved))
    assert [(n.kind, n.terminal, n.after) for n in report.layout_notes] == [
        ("out-of-order", "T3_RESULTS_HEADING", "T3_TOTAL")
    ]
    assert report.layout_notes[0].span.line == total + 1
    assert report.cells["t3.granted.total"].value == 13
    assert list(report.cells) == list(_load(text).cells)


def test_a_repeated_part_is_a_note_and_both_headings_are_kept() -> None:
    text = reportgen.render("tab")
    text = text.replace(
        "五、存在的主要问题及改进情况", "三、收到和处理政府信息公开申请情况\n本部分重复。\n五、存在的主要问题及改进情况"
    )
    report = _load(text)
    assert [(n.kind, n.terminal) for n in report.layout_notes] == [("repeated", "PART_APPLICATIONS")]
    assert [s.number for s in report.sections] == [1, 2, 3, 4, 3, 5, 6]


def test_a_group_heading_printed_among_its_rows_is_read_before_them() -> None:
    """PDF text prints a merged group cell at its vertical middle: that is the layout, not a fault."""
    text = reportgen.render("pdf")
    heading = "（三）不予公开"
    assert heading in text
    lines = text.replace(heading, "", 1).splitlines(keepends=True)
    third = next(i for i, line in enumerate(lines) if line.startswith("3.危及"))
    lines.insert(third + 1, heading + "\n")
    report = _load("".join(lines))
    assert report.layout_notes == []
    stream = rowtokens.row_stream(lex("".join(lines))).tokens
    types = [t.type for t in stream]
    assert types.index("T3_DENIED_HEADING") + 1 == types.index("T3_DENIED_STATE_SECRET")


def test_the_trial_format_table_two_is_its_own_alternative() -> None:
    text = reportgen.render("tab").replace(
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量"
    )
    tree = parser.parse_layout(rowtokens.row_stream(lex(text)).tokens).tree
    assert len(list(tree.find_data("table2_2019"))) == 1
    report = _load(text)
    assert report.tables[2].trial_format and report.edition == "2019-trial" and report.layout_notes == []


@pytest.mark.parametrize("layout", reportgen.LAYOUTS)
def test_a_run_of_prose_lines_is_one_token_that_keeps_every_line(layout: str) -> None:
    part = "二、主动公开政府信息情况"
    text = reportgen.render(layout).replace(part, part + "\n第一句。\n第二句。", 1)
    tokens = lex(text)
    stream = rowtokens.row_stream(tokens).tokens
    runs = [t for t in stream if t.type == "TEXT"]
    assert all(isinstance(t, rowtokens.ProseToken) for t in runs)
    assert [line for run in runs for line in run.lines] == [t for t in tokens if t.type == "TEXT"]
    assert all(a.type != "TEXT" or b.type != "TEXT" for a, b in itertools.pairwise(stream))
    assert any(len(run.lines) == 2 and str(run) == "第一句。" for run in runs)


def test_a_run_is_split_by_line_as_the_grouping_splits_it() -> None:
    """_split_by_line keeps a single run without grouping when the first two values share no line or the first
    and last share one: on every run of up to seven values over four lines, what the grouping alone gives."""
    for size in range(1, 8):
        for lines in itertools.combinations_with_replacement(range(1, 5), size):
            values = [lexer._token("VALUE", "0", i, i + 1, line) for i, line in enumerate(lines)]
            groups = [list(g) for _line, g in itertools.groupby(values, lambda v: v.line)]
            expected = groups if len(groups) > 1 and all(len(g) >= 2 for g in groups) else [values]
            assert [run.values for run in rowtokens._split_by_line(values)] == expected, lines


def test_every_terminal_the_row_stream_makes_is_in_the_grammar() -> None:
    declared = {name for line in re.findall(r"^%declare (.*)$", GRAMMAR, re.M) for name in line.split()}
    made = {"TEXT", "RESUMED_PARTS", "TABLE2", "TABLE3", "TABLE4", *rowtokens.T4_GROUP_TERMINALS}
    made |= set(rowtokens._PART_TERMINALS.values()) | set(rowtokens._T2_CAPTION_TERMINALS.values())
    made |= {"T2_TRIAL_WORD", *rowtokens._T2_TRIAL_ROWS.values(), rowtokens.T3_SINGLE_OTHER_TERMINAL}
    for row in formats.TABLE2.rows:
        made.add(rowtokens.row_terminal(_label("T2_ROW", row.key), True))
    for row in formats.TABLE3.rows:
        made.add(rowtokens.row_terminal(_label("T3_ROW", row.key), True))
    for group in formats.TABLE3.groups:
        made.add(rowtokens.row_terminal(_label("T3_GROUP", group), False))
    assert made == declared


def test_the_grammar_has_no_conflicts() -> None:
    # Lark resolves a shift/reduce conflict silently unless strict: the grammar must not rely on it.
    lark.Lark(GRAMMAR, strict=True, **parser.REPORT_PARSER_OPTIONS)


def _label(kind: str, key: str) -> rowtokens.LayoutToken:
    tok = rowtokens.LayoutToken(kind, key)
    tok.key, tok.table, tok.numbering = key, None, ""
    return tok


def _seconds(text: str) -> float:
    start = time.process_time()
    _load(text)
    return time.process_time() - start


_ROW = "\t1\t0\t0\t0\t0\t0\t1\n"


@pytest.mark.parametrize(
    "unit",
    [
        "（三）不予公开\n2.其他法律行政法规禁止公开" + _ROW + "1.属于国家秘密" + _ROW,
        "1.属于国家秘密" + _ROW + "3.危及“三安全一稳定”" + _ROW + "（三）不予公开\n",
        "三、收到和处理政府信息公开申请情况\n正文。\n二、主动公开政府信息情况\n正文。\n",
    ],
    ids=["rows-out-of-order", "group-headings-among-rows", "parts-out-of-order"],
)
def test_recovery_and_moved_headings_take_linear_time(unit: str) -> None:
    real = reportgen.render("tab")
    anchor = "四、结转下年度继续办理\t"  # inside 表三, where its rows are read as rows
    assert real.count(anchor) == 1

    def damaged(times: int) -> str:
        return real.replace(anchor, unit * times + anchor)

    small, large = _seconds(damaged(400)), _seconds(damaged(4000))
    # Ten times the damage: linear is ~10x; a quadratic recovery or heading move would be 100x.
    assert large < max(1.0, 30 * small), (small, large)
    assert len(_load(damaged(40)).layout_notes) >= 40
