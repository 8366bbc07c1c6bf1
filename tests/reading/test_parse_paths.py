"""parser.parse_layout hands a stream with no row or part twice to Lark's own parse loop and keeps the
token-by-token recovering parse for the rest: both must give the same tree and the same layout facts."""

from __future__ import annotations

import pytest
import reportgen
from conftest import shared_path

from disclosure_lint import parser, rowtokens
from disclosure_lint.lexer import lex
from disclosure_lint.pipeline import render


def _stream(text: str) -> list[rowtokens.Token]:
    return rowtokens.row_stream(lex(text)).tokens


def _both(text: str) -> tuple[parser.Layout, parser.Layout]:
    tokens = _stream(text)
    return parser.parse_layout(tokens), parser.parse_recovering(tokens, parser.report_parser())


def _real_texts() -> list[tuple[str, str]]:
    folder = shared_path("corpus")
    files = [*sorted(shared_path("seeds").iterdir()), *sorted(folder.glob("*.txt")), *sorted(folder.glob("*.md"))]
    return [(path.name, render(path.name, path.read_bytes()).text) for path in files if path.is_file()]


def test_both_parses_agree_on_every_real_report() -> None:
    texts = _real_texts()
    assert len(texts) >= 40
    with_facts = 0
    for name, text in texts:
        quick, careful = _both(text)
        assert quick == careful, name
        with_facts += bool(careful.facts)
    assert with_facts >= 1  # some real reports repeat or misplace a row: the recovering path is exercised


@pytest.mark.parametrize(
    ("old", "new", "kinds"),
    [
        ("", "", []),
        ("五、存在的主要问题", "三、收到和处理政府信息公开申请情况\n重复。\n五、存在的主要问题", ["repeated"]),
        ("（七）总计", "（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n（七）总计", ["repeated"]),
    ],
)
def test_both_parses_agree_when_a_row_or_part_is_repeated(old: str, new: str, kinds: list[str]) -> None:
    text = reportgen.render("tab")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    quick, careful = _both(text)
    assert quick == careful
    assert [fact.kind for fact in quick.facts] == kinds


def test_a_row_out_of_order_takes_the_recovering_path_once_each_row_is_there_once() -> None:
    lines = reportgen.render("tab").splitlines(keepends=True)
    granted = next(i for i, line in enumerate(lines) if "（一）予以公开" in line)
    total = next(i for i, line in enumerate(lines) if line.startswith("（七）总计"))
    moved = lines[:granted] + lines[granted + 1 : total + 1] + [lines[granted]] + lines[total + 1 :]
    tokens = _stream("".join(moved))
    assert parser._each_row_and_part_once(tokens)  # so Lark's own loop is tried first, and meets the row
    quick, careful = parser.parse_layout(tokens), parser.parse_recovering(tokens, parser.report_parser())
    assert quick == careful
    assert [(fact.kind, fact.token.type) for fact in quick.facts] == [("out-of-order", "T3_RESULTS_HEADING")]
