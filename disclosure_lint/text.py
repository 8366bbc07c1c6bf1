"""Text normalisation shared by the lexer and the rules: folding labels, reading cell values.

Folding makes the many ways reports write the same label compare equal: full-width and half-width
forms, whitespace (including nbsp and U+3000) inside labels, curly and straight quotes, Markdown emphasis.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .records import record
from .regexcode import compile_re

# Characters that render as space in reports copied from Word, PDF and web pages.
SPACE_CHARS = " \t\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\r\f\v"

_FOLD_TABLE: dict[int, str | None] = {}
for _cp in range(0xFF01, 0xFF5F):  # full-width ASCII block
    _FOLD_TABLE[_cp] = chr(_cp - 0xFEE0)
_FOLD_TABLE.update(
    {
        ord("\u3000"): None,
        ord("\u00a0"): None,
        ord(" "): None,
        ord("\t"): None,
        ord("\r"): None,
        ord("\u200b"): None,
        ord("\ufeff"): None,
        ord("\u2002"): None,
        ord("\u2003"): None,
        ord("\u2009"): None,
        ord("“"): '"',
        ord("”"): '"',
        ord("‘"): "'",
        ord("’"): "'",
        ord("〔"): "[",
        ord("〕"): "]",
        ord("【"): "[",
        ord("】"): "]",
        ord("．"): ".",
        ord("*"): None,  # Markdown emphasis around headings and labels
        ord("#"): None,
    }
)


def fold(text: str) -> str:
    """Compare-form of a label: no whitespace, half-width ASCII, straight quotes, no Markdown marks."""
    # str.translate costs a dict miss per character of CJK text (~50 ns), and a line of prose holds only a
    # few distinct characters that fold: replacing each of those (C-speed passes) is 4x faster. Deletions
    # go first, so the "*" and "#" that "＊" and "＃" fold to are not deleted again as translate would not.
    if len(text) > 4096:
        return text.translate(_FOLD_TABLE)  # findall would hold a string for each folded character of it
    found = set(_FOLDABLE.findall(text))
    if not found:
        return text
    if len(found) > 8:
        return text.translate(_FOLD_TABLE)  # bounded passes: each replace walks the whole text
    mapped: list[str] = []
    for ch in found:
        if FOLDED_CHAR[ch]:
            mapped.append(ch)
        else:
            text = text.replace(ch, "")
    for ch in mapped:
        text = text.replace(ch, FOLDED_CHAR[ch])
    return text


# Every character folding deletes; every other character folds to exactly one character, so the
# folded text's characters correspond one to one to the original's characters outside these runs.
_DELETED_CLASS = "[" + "".join(re.escape(chr(cp)) for cp, rep in _FOLD_TABLE.items() if rep is None) + "]"
_FOLD_DELETED = compile_re(_DELETED_CLASS + "+")
# Each character the fold touches, and what it becomes ("" when deleted); no result is itself one of them
# except "*" and "#", which are deleted ones (see fold).
FOLDED_CHAR = {chr(cp): rep or "" for cp, rep in _FOLD_TABLE.items()}
_FOLDABLE = compile_re("[" + "".join(re.escape(ch) for ch in FOLDED_CHAR) + "]")


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` and return, for each folded character, its index in the original."""
    # The index is built from the runs between deleted characters with ``range`` (in C), not one
    # character at a time: this runs over a whole report's text for every report checked.
    index: list[int] = []
    kept_from = 0
    for deleted in _FOLD_DELETED.finditer(text):
        index.extend(range(kept_from, deleted.start()))
        kept_from = deleted.end()
    index.extend(range(kept_from, len(text)))
    return fold(text), index


@lru_cache(maxsize=64)
def folded_text_pattern(wanted: str, also: tuple[tuple[str, str], ...] = ()) -> re.Pattern[str]:
    """A pattern that finds in text as written the first stretch whose fold is ``wanted`` (folded, not
    empty): the place ``str.find`` finds in the folded text, without folding a whole report. ``also``
    maps folded characters that count as another (``("(", "[")``: a folded ``(`` matches a wanted ``[``)."""
    counts_as = dict(also)
    written: dict[str, set[str]] = {}
    for cp, rep in _FOLD_TABLE.items():
        if rep is not None:
            written.setdefault(counts_as.get(rep, rep), set()).add(chr(cp))
    for ch in {*counts_as, *wanted}:
        if ord(ch) not in _FOLD_TABLE:  # folds to itself
            written.setdefault(counts_as.get(ch, ch), set()).add(ch)
    # A character nothing folds to (a wanted "(" when "(" counts as "[") can never match: (?!).
    classes = ["[" + "".join(map(re.escape, sorted(written[ch]))) + "]" if ch in written else "(?!)" for ch in wanted]
    return compile_re((_DELETED_CLASS + "*").join(classes))


# Numbering in front of labels and headings: 一、 （一） (一) 1. 1、 1． ①
_NUMBERING = compile_re(r"^(?:[(]?[一二三四五六七八九十]+[)]?[、.,:]?|\d{1,2}[.、,](?!\d)|[①-⑳])")


def strip_numbering(folded: str) -> tuple[str, str]:
    """Split a folded label into (numbering, rest)."""
    m = _NUMBERING.match(folded)
    if not m:
        return "", folded
    return m.group(0), folded[m.end() :]


def chinese_numeral(text: str) -> int | None:
    digits = "一二三四五六七八九"
    if text == "十":
        return 10
    if len(text) == 1 and text in digits:
        return digits.index(text) + 1
    if len(text) == 2 and text[0] == "十" and text[1] in digits:
        return 10 + digits.index(text[1]) + 1
    if len(text) == 2 and text[1] == "十" and text[0] in digits:
        return (digits.index(text[0]) + 1) * 10
    return None


# --- cell values ---------------------------------------------------------------------------------

PLACEHOLDERS = frozenset({"/", "-", "—", "——", "－", "–", "―", "\\", "无", "/ ", "×", "x", "X", "N/A", "n/a", "--"})

_NUMBER = compile_re(
    r"""^(?P<sign>[-+])?
        (?P<int>\d{1,3}(?:[,，]\d{3})+|\d+)
        (?:\.(?P<frac>\d+))?
        (?P<unit>万元|元|件|个|条|项|次|人|%)?$""",
    re.VERBOSE,
)


# A report's counts and 万元 amounts have at most a dozen digits.
MAX_DIGITS = 15


@record(frozen=True)
class ParsedValue:
    status: str  # ok, blank, placeholder, invalid
    value: int | float | None
    unit: str | None = None


def to_halfwidth_digits(text: str) -> str:
    return text.translate(_DIGIT_TABLE)


_DIGIT_TABLE = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}
_DIGIT_TABLE.update({ord("，"): ",", ord("．"): ".", ord("－"): "-", ord("＋"): "+"})


def parse_value(raw: str) -> ParsedValue:
    """Read one table cell as written. Blank, placeholder, number and text stay distinct."""
    stripped = raw.strip(SPACE_CHARS + "\n")
    if not stripped:
        return ParsedValue("blank", None)
    if stripped in PLACEHOLDERS or fold(stripped) in PLACEHOLDERS:
        return ParsedValue("placeholder", None)
    compact = to_halfwidth_digits(stripped)
    compact = "".join(ch for ch in compact if ch not in SPACE_CHARS)
    m = _NUMBER.match(compact)
    if not m:
        return ParsedValue("invalid", None)
    digits = m.group("int").replace(",", "").replace("，", "")
    frac = m.group("frac")
    if len(digits) > MAX_DIGITS or (frac is not None and len(frac) > MAX_DIGITS):
        # No count or amount in a report has this many digits: it is digits of several cells run together
        # (or garbage), and int()/float() would refuse or overflow on it.
        return ParsedValue("invalid", None)
    sign = -1 if m.group("sign") == "-" else 1
    value: int | float = sign * (float(f"{digits}.{frac}") if frac is not None else int(digits))
    return ParsedValue("ok", value, m.group("unit"))


def display_width(text: str) -> int:
    """Terminal cell width: CJK and full-width characters take two cells."""
    import unicodedata

    width = 0
    for ch in text:
        if ch == "\t":
            width += 4
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 2
        elif unicodedata.combining(ch):
            continue
        else:
            width += 1
    return width
