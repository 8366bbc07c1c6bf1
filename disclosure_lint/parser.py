"""Stage 3 — parse: layout tokens to a tree with the report grammar (``grammars/report.lark``).

The LALR parser is built once per process and reused: building it costs milliseconds, parsing a
report's few hundred tokens costs far less.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lark import Lark, Tree
from lark.lexer import Lexer as LarkLexer

from . import lalrtables
from .lexer import LayoutToken


class _PrelexedTokens(LarkLexer):
    """Hands Lark the tokens our normalising lexer already produced."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[LayoutToken]):  # type: ignore[override]
        yield from data


REPORT_PARSER_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": _PrelexedTokens, "propagate_positions": False}


@lru_cache(maxsize=1)
def report_parser() -> Lark:
    # From the pre-built tables when they match the grammar (see lalrtables.py), else built from it.
    return lalrtables.parser("report.lark", **REPORT_PARSER_OPTIONS)


def parse_tokens(tokens: list[LayoutToken]) -> Tree:
    return report_parser().parse(tokens)  # type: ignore[arg-type]
