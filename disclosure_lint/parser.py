"""Stage 3 — parse: layout tokens to a tree with the report grammar (``grammars/report.lark``).

The LALR parser is built once per process and reused: building it costs milliseconds, parsing a
report's few hundred tokens costs far less.
"""

from __future__ import annotations

from functools import lru_cache

from lark import Lark, Tree
from lark.lexer import Lexer as LarkLexer

from .lexer import LayoutToken
from .resources import grammar_path


class _PrelexedTokens(LarkLexer):
    """Hands Lark the tokens our normalising lexer already produced."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[LayoutToken]):  # type: ignore[override]
        yield from data


@lru_cache(maxsize=1)
def report_parser() -> Lark:
    grammar = grammar_path("report.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_PrelexedTokens, propagate_positions=False)


def parse_tokens(tokens: list[LayoutToken]) -> Tree:
    return report_parser().parse(tokens)  # type: ignore[arg-type]
