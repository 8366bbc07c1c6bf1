"""Stage 4 — parse: the row stream to a tree with the report grammar (``grammars/report.lark``).

The LALR parser is built once per process (from the pre-built tables, see ``lalrtables.py``) and
driven token by token, so that a token the grammar does not expect where it stands is not lost. That
permissive recovery lives in one place, :func:`_recover`: a table row or part heading out of the
grammar's order, or repeated, is recorded as a :class:`LayoutFact` and the table (or the list of parts)
is resumed at it with a ``TABLE<n>`` (or ``RESUMED_PARTS``) token, so the tree keeps every token, in
document order. A token that cannot be placed even then (only a grammar that does not declare it) is
recorded as ``unplaced``. A row or part the grammar accepts only because the table or list was resumed,
or because the report prints the same table twice, is still ``repeated`` when it was seen before: what
was seen is kept per table number and for the whole list of parts, as the model reads it.

Most reports have nothing to recover: a stream with no row or part twice is first given to Lark's own
parse loop (the same tables and tree), and parsed token by token only when that loop meets a token out
of place (``parse_recovering``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedToken
from lark.lexer import Lexer as LarkLexer

from . import lalrtables
from .records import record
from .rowtokens import RowToken


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


@record(frozen=True)
class LayoutFact:
    """Something the parse found about the order of the layout, at ``token``."""

    kind: str  # "out-of-order", "repeated" or "unplaced"
    token: Token
    after: Token | None  # the row or part before it, if any
    # Repeated: an earlier occurrence in the same table carried cells (numbers or blanks), so the model
    # keeps that one's values and this occurrence is a second, conflicting copy of the row.
    earlier_cells: bool = False


@record
class Layout:
    tree: Tree
    facts: list[LayoutFact]


def parse_layout(tokens: list[Token], parser: Lark | None = None) -> Layout:
    """Parse ``tokens`` (from :func:`disclosure_lint.rowtokens.row_stream`) with ``parser`` (the report
    grammar's by default)."""
    parser = parser or report_parser()
    if _each_row_and_part_once(tokens):
        # Then nothing is "repeated", and a parse that meets no token out of place has nothing to recover:
        # Lark's own loop makes the same tree without the bookkeeping below, which runs when it does meet one.
        try:
            return Layout(parser.parse(tokens), [])
        except UnexpectedToken:
            pass
    return parse_recovering(tokens, parser)


def parse_recovering(tokens: list[Token], parser: Lark) -> Layout:
    """Parse ``tokens`` one by one, recording what was repeated or out of order and resuming after it."""
    interactive = parser.parse_interactive([])
    state = interactive.parser_state
    feed = state.feed_token
    facts: list[LayoutFact] = []
    scope = _Scope()
    for tok in tokens:
        try:
            feed(tok)
        except UnexpectedToken:
            _recover(state, tok, scope, facts)
            continue
        role = _role(tok.type)
        if role is None:
            continue  # prose (half the tokens): the scope keeps nothing of it
        if (role == "part" or isinstance(tok, RowToken)) and scope.seen(tok):
            # Accepted only because its table or list was resumed, or printed a second time. (Column
            # words and captions are not rows: the 2019 表二 repeats its column words in every block.)
            facts.append(scope.fact("repeated", tok))
        scope.saw(tok)
    tree = interactive.feed_eof()
    return Layout(tree, facts)


class _Scope:
    """What was seen so far, to tell a repeated token from one out of order: the parts of the whole
    report, and the rows of each table number over all its stretches (the model reads them as one table)."""

    def __init__(self) -> None:
        self.parts: set[str] = set()
        # Per table number: each row's terminal -> whether an occurrence of it carried cells.
        self.rows: dict[str, dict[str, bool]] = {}
        self.last_part: Token | None = None
        self.last_row: Token | None = None

    def seen(self, tok: Token) -> bool:
        kind = tok.type
        if kind.startswith("PART_"):
            return kind in self.parts
        return _is_row(kind) and kind in self.rows.get(kind[1:2], {})

    def fact(self, kind: str, tok: Token) -> LayoutFact:
        if tok.type.startswith("PART_"):
            return LayoutFact(kind, tok, self.last_part)
        earlier_cells = kind == "repeated" and self.rows.get(tok.type[1:2], {}).get(tok.type, False)
        return LayoutFact(kind, tok, self.last_row, earlier_cells)

    def saw(self, tok: Token) -> None:
        kind = tok.type
        role = _role(kind)
        if role == "table":
            self.last_row = None
        elif role == "part":
            self.parts.add(kind)
            self.last_part = tok
        elif role == "resumed":
            self.last_part = None
        elif role == "row":
            rows = self.rows.setdefault(kind[1:2], {})
            rows[kind] = rows.get(kind, False) or getattr(tok, "run", None) is not None
            self.last_row = tok


def _each_row_and_part_once(tokens: list[Token]) -> bool:
    """No two tokens of the same row or part terminal: what :meth:`_Scope.seen` looks for is never there."""
    kinds = [kind for tok in tokens if _role(kind := tok.type) in ("row", "part")]
    return len(kinds) == len(set(kinds))


def _is_row(kind: str) -> bool:
    return kind[:1] == "T" and kind[2:3] == "_"


@lru_cache(maxsize=256)  # (the grammar's terminals and TEXT: a few dozen names)
def _role(kind: str) -> str | None:
    """What the scope keeps of a token of this type: "table", "part", "resumed", "row", or nothing."""
    if kind.startswith("TABLE"):
        return "table"
    if kind.startswith("PART_"):
        return "part"
    if kind == "RESUMED_PARTS":
        return "resumed"
    if _is_row(kind):
        return "row"
    return None


def _recover(state: Any, tok: Token, scope: _Scope, facts: list[LayoutFact]) -> None:
    """Resume after ``tok``, which the grammar does not expect here, keeping it and saying why."""
    kind = tok.type
    if kind.startswith("PART_"):
        restart = Token.new_borrow_pos("RESUMED_PARTS", "", tok)
    else:
        restart = Token.new_borrow_pos(f"TABLE{kind[1:2]}", "", tok)
    fact = scope.fact("repeated" if scope.seen(tok) else "out-of-order", tok)
    try:
        state.feed_token(restart)
        scope.saw(restart)
        state.feed_token(tok)
        scope.saw(tok)
    except UnexpectedToken:
        facts.append(LayoutFact("unplaced", tok, None))
        return
    facts.append(fact)
