"""Stage 4 — parse: the row stream to a tree with the report grammar (``grammars/report.lark``).

The LALR parser is built once per process (from the pre-built tables, see ``lalrtables.py``) and
driven token by token, so that a token the grammar does not expect where it stands is not lost. That
permissive recovery lives in one place, :func:`_recover`: a table row or part heading out of the
grammar's order, or repeated, is recorded as a :class:`LayoutFact` and the table (or the list of parts)
is resumed at it with a ``TABLE<n>`` (or ``RESUMED_PARTS``) token, so the tree keeps every token, in
document order. A token that cannot be placed even then (only a grammar that does not declare it) is
recorded as ``unplaced``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer as LarkLexer

from . import lalrtables


class _PrelexedTokens(LarkLexer):
    """Hands Lark the tokens the earlier stages already produced."""

    def __init__(self, lexer_conf: object) -> None:
        pass

    def lex(self, data: list[Token], *_state: object) -> Iterator[Token]:  # type: ignore[override]
        yield from data


REPORT_PARSER_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": _PrelexedTokens, "propagate_positions": False}


@lru_cache(maxsize=1)
def report_parser() -> Lark:
    # From the pre-built tables when they match the grammar (see lalrtables.py), else built from it.
    return lalrtables.parser("report.lark", **REPORT_PARSER_OPTIONS)


@dataclass(frozen=True)
class LayoutFact:
    """Something the parse found about the order of the layout, at ``token``."""

    kind: str  # "out-of-order", "repeated" or "unplaced"
    token: Token
    after: str | None  # the terminal of the row or part before it, if any


@dataclass
class Layout:
    tree: Tree
    facts: list[LayoutFact]


def parse_layout(tokens: list[Token], parser: Lark | None = None) -> Layout:
    """Parse ``tokens`` (from :func:`disclosure_lint.rowtokens.row_stream`) with ``parser`` (the report
    grammar's by default)."""
    interactive = (parser or report_parser()).parse_interactive([])
    state = interactive.parser_state
    facts: list[LayoutFact] = []
    scope = _Scope()
    for tok in tokens:
        try:
            state.feed_token(tok)
        except UnexpectedToken:
            _recover(state, tok, scope, facts)
        else:
            scope.saw(tok)
    tree = interactive.feed_eof()
    return Layout(tree, facts)


class _Scope:
    """The terminals seen since the current table (or list of parts) started, to tell a repeated token
    from one out of order."""

    def __init__(self) -> None:
        self.parts: set[str] = set()
        self.rows: set[str] = set()
        self.last_part: str | None = None
        self.last_row: str | None = None

    def saw(self, tok: Token) -> None:
        kind = tok.type
        if kind.startswith("TABLE"):
            self.rows, self.last_row = set(), None
        elif kind.startswith("PART_"):
            self.parts.add(kind)
            self.last_part = kind
        elif kind == "RESUMED_PARTS":
            self.parts, self.last_part = set(), None
        elif kind[:1] == "T" and kind[2:3] == "_":
            self.rows.add(kind)
            self.last_row = kind


def _recover(state: Any, tok: Token, scope: _Scope, facts: list[LayoutFact]) -> None:
    """Resume after ``tok``, which the grammar does not expect here, keeping it and saying why."""
    kind = tok.type
    if kind.startswith("PART_"):
        restart = Token.new_borrow_pos("RESUMED_PARTS", "", tok)
        fact = LayoutFact("repeated" if kind in scope.parts else "out-of-order", tok, scope.last_part)
    else:
        restart = Token.new_borrow_pos(f"TABLE{kind[1:2]}", "", tok)
        fact = LayoutFact("repeated" if kind in scope.rows else "out-of-order", tok, scope.last_row)
    try:
        state.feed_token(restart)
        scope.saw(restart)
        state.feed_token(tok)
        scope.saw(tok)
    except UnexpectedToken:
        facts.append(LayoutFact("unplaced", tok, None))
        return
    facts.append(fact)
