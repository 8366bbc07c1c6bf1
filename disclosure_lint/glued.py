"""Reading a row whose digits are glued together (``（七）总计0000000``), when only one reading exists.

Text copied from a web page often loses the table structure: the cells of a row run together with no
separator. Such a row is read only when the digits allow exactly one reading:

* the row has as many digits as cells (every cell is one digit), or
* exactly one way of cutting the digits into the row's cells, each without leading zeros, satisfies the
  row's own total (表三: the six applicant columns add up to 总计; 表四: the four outcomes add up to 总计).

Anything else stays unreadable (rule T106): a guess would put a wrong number in front of the user. A
reading chosen by its total cannot also confirm that total, which is why the cells carry how they were
read (:attr:`disclosure_lint.model.Cell.reading`).
"""

from __future__ import annotations

import re

from .records import record
from .text import SPACE_CHARS, to_halfwidth_digits

# Beyond this many digits more than cells the cuts multiply and a reading is too fragile to trust.
MAX_EXTRA_DIGITS = 8
# Enough to tell "one reading" from "several".
_ENOUGH = 2

DIGIT_COUNT = "digit-count"
ROW_TOTAL = "row-total"


@record(frozen=True)
class Part:
    token: int  # index of the written piece the cell comes from
    start: int  # offsets of the cell's digits inside that piece (as written)
    end: int
    text: str


def unique_reading(pieces: list[str], cells: int, groups: tuple[int, ...]) -> tuple[list[Part], str] | None:
    """The one reading of ``pieces`` (the row's written runs of digits) as ``cells`` cells, and its basis.

    ``groups`` are the sizes of the row's consecutive groups whose last cell is the total of the others
    (``(7,)`` for a row of 表三, ``(5, 5, 5)`` for 表四, ``()`` for a row without a total).
    """
    digits: list[tuple[int, str]] = []  # (offset of the digits in the piece, the digits)
    for piece in pieces:
        stripped = piece.strip(SPACE_CHARS)
        if not re.fullmatch(r"[0-9０-９]+", stripped):
            return None
        digits.append((piece.find(stripped), to_halfwidth_digits(stripped)))
    count = sum(len(d) for _o, d in digits)
    if count == cells and len(digits) <= cells:
        parts = [
            Part(i, offset + j, offset + j + 1, d[j]) for i, (offset, d) in enumerate(digits) for j in range(len(d))
        ]
        return parts, DIGIT_COUNT
    if not groups or sum(groups) != cells or count < cells or count - cells > MAX_EXTRA_DIGITS:
        return None
    found: list[list[Part]] = []
    # index of a total cell -> index of the group's first cell
    totals_at: dict[int, int] = {}
    first = 0
    for size in groups:
        totals_at[first + size - 1] = first
        first += size

    def cut(index: int, taken: list[Part]) -> None:
        if len(found) >= _ENOUGH:
            return
        if index == len(digits):
            if len(taken) == cells and _totals_hold([int(p.text) for p in taken], groups):
                found.append(list(taken))
            return
        offset, d = digits[index]
        later_digits = sum(len(x) for _o, x in digits[index + 1 :])
        later_pieces = len(digits) - index - 1
        _split(index, offset, d, 0, taken, later_digits, later_pieces)

    def _split(index: int, offset: int, d: str, at: int, taken: list[Part], later_digits: int, later: int) -> None:
        if at == len(d):
            cut(index + 1, taken)
            return
        room = cells - len(taken)
        # Each later piece needs at least one cell, and no cell may take more digits than exist.
        if room - later <= 0 or (len(d) - at) + later_digits < room:
            return
        longest = 1 if d[at] == "0" else len(d) - at
        ends: range | list[int] = range(at + 1, at + longest + 1)
        total_of = totals_at.get(len(taken))
        if total_of is not None:
            # This cell is a group's total: only the digits of the group's sum can stand here.
            due = str(sum(int(p.text) for p in taken[total_of:]))
            ends = [at + len(due)] if d.startswith(due, at) else []
        for end in ends:
            taken.append(Part(index, offset + at, offset + end, d[at:end]))
            _split(index, offset, d, end, taken, later_digits, later)
            taken.pop()
            if len(found) >= _ENOUGH:
                return

    cut(0, [])
    if len(found) == 1:
        return found[0], ROW_TOTAL
    return None


def _totals_hold(values: list[int], groups: tuple[int, ...]) -> bool:
    start = 0
    for size in groups:
        group = values[start : start + size]
        if sum(group[:-1]) != group[-1]:
            return False
        start += size
    return True
