"""What the web-page and Word readers share: turning the paragraphs of one table cell into one field."""

from __future__ import annotations

from collections.abc import Iterable

# Blanks at the edges of a cell's paragraphs: spaces, nbsp, the ideographic space, and the thin and
# zero-width spaces CMS editors leave behind.
_CELL_BLANK = " \u00a0\u3000\u2002\u2003\u2009\u200b\ufeff"


def join_cell_pieces(pieces: Iterable[tuple[list[str], list[int]]]) -> tuple[list[str], list[int]]:
    """Join the paragraphs of one table cell into one field.

    Paragraphs are joined with a space, except between two digits: Word and CMS editors wrap long numbers
    inside narrow cells ("12" / "34"), and the reader must see 1234. A cell holding only blanks (nbsp,
    U+3000) becomes one nbsp, which the parser reads as a blank cell; a cell holding nothing stays empty.
    """
    chars: list[str] = []
    origins: list[int] = []
    blank_origin: int | None = None
    for p_chars, p_origins in pieces:
        lo, hi = 0, len(p_chars)
        while lo < hi and p_chars[lo] in _CELL_BLANK:
            lo += 1
        while hi > lo and p_chars[hi - 1] in _CELL_BLANK:
            hi -= 1
        if lo == hi:
            if p_chars and blank_origin is None:
                blank_origin = p_origins[0]
            continue
        if chars and not (chars[-1].isdecimal() and p_chars[lo].isdecimal()):
            chars.append(" ")
            origins.append(p_origins[lo])
        chars.extend(p_chars[lo:hi])
        origins.extend(p_origins[lo:hi])
    if not chars and blank_origin is not None:
        return ["\u00a0"], [blank_origin]
    return chars, origins
