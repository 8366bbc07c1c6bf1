"""Numbers the prose states about the tables: "共收到政府信息公开申请30件", "现行有效规范性文件448件".

Only unambiguous phrasings are read, because a warning that misreads a sentence costs the user more
than a missed one. Sentences such as "受理申请50件（含上年结转3件）" state new plus carried-over
applications, and are compared with that sum.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from ..bilingual import Text
from ..model import Report, Span
from ..records import record
from ..regexcode import compile_re
from ..text import to_halfwidth_digits

N = r"([0-9０-９][0-9０-９,，]*)"
UNIT = r"\s*(?:件|条|个|份|起)"


@record
class Claim:
    kind: str
    label: Text
    value: int
    cells: tuple[str, ...]
    span: Span
    place: str
    quote: str = ""  # the prose's own words, as the message quotes them
    # Other cells the same words may mean ("受理" counts new applications, or new and carried-over ones):
    # the claim is wrong only when it matches none of them.
    alternatives: tuple[tuple[tuple[str, ...], str], ...] = ()

    def table_value(self, report: Report) -> int | float | None:
        return _sum_of(report, self.cells)

    def readings(self, report: Report) -> list[tuple[int | float, str]]:
        """(table value, place) for every reading of the claim whose cells could all be read."""
        return _readings(report, self.cells, self.place, self.alternatives)


def _readings(
    report: Report, cells: tuple[str, ...], place: str, alternatives: tuple[tuple[tuple[str, ...], str], ...]
) -> list[tuple[int | float, str]]:
    out: list[tuple[int | float, str]] = []
    for reading_cells, reading_place in ((cells, place), *alternatives):
        value = _sum_of(report, reading_cells)
        if value is not None and all(value != seen for seen, _place in out):
            out.append((value, reading_place))
    return out


def _disputed(
    report: Report,
    value: int,
    cells: tuple[str, ...],
    place: str,
    alternatives: tuple[tuple[tuple[str, ...], str], ...],
) -> bool:
    """Whether the tables can be read for a claim of ``value`` and no reading of them gives it (what
    ``narrative_vs_table`` reports)."""
    readings = _readings(report, cells, place, alternatives)
    return bool(readings) and all(value != table_value for table_value, _place in readings)


def _sum_of(report: Report, cells: tuple[str, ...]) -> int | float | None:
    total: float = 0
    for cid in cells:
        cell = report.cells.get(cid)
        if cell is None or not cell.ok or cell.value is None:
            return None
        total += cell.value
    return int(total) if total == int(total) else total


@record(frozen=True)
class Pattern:
    kind: str
    regex: re.Pattern[str]
    cells: tuple[str, ...]
    label: Text
    place: str
    needs_context: str | None = None  # a word that must appear earlier in the same sentence
    # Words earlier in the same clause that give the phrase another meaning ("同意公开答复" is 予以公开,
    # "因无法提供相关信息答复2件" is 无法提供).
    not_after: re.Pattern[str] | None = None


def _each_before(prefixes: tuple[str, ...], word: str) -> str:
    """``(?:被提起行政诉讼|…|行政诉讼)`` for ``(?:被提起|…)?行政诉讼``: the same matches, but a pattern whose
    every alternative starts with a fixed character lets ``re`` skip to those characters (as does
    ``新收到|收到`` for ``新?收到``), where a leading optional group makes it try every position."""
    return "(?:" + "|".join(prefix + word for prefix in prefixes) + ")"


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "t3-new",
        compile_re(
            r"(?:新收到|收到|受理|接收|接到)[^。；;，,\d]{0,14}?(?:政府信息公开申请|依申请公开(?:政府信息)?(?:申请)?|信息公开申请)"
            r"(?:事项)?(?:共计|合计|共)?\s*" + N + UNIT
        ),
        ("t3.new.total",),
        Text("本年新收申请数", "new applications this year"),
        "表三 ·「一、本年新收政府信息公开申请数量」行 ·「总计」列",
    ),
    Pattern(
        "t3-carried-over",
        compile_re(r"上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(?:共|共计)?\s*" + N + UNIT),
        ("t3.carried_over.total",),
        Text("上年结转申请数", "applications carried over from last year"),
        "表三 ·「二、上年结转政府信息公开申请数量」行 ·「总计」列",
    ),
    Pattern(
        "t3-processed",
        compile_re(r"(?:已办结|办结|已答复|答复|办理完毕)(?:申请)?(?:共|共计)?\s*" + N + UNIT),
        ("t3.total.total",),
        Text("办结（答复）数", "applications answered"),
        "表三 ·「（七）总计」行 ·「总计」列",
        needs_context="申请",
        not_after=compile_re(r"公开|同意|不予|部分|告知|无法提供|其他处理|区分处理|不掌握|补正"),
    ),
    Pattern(
        "t3-granted",
        compile_re(r"(?:同意公开|予以公开)(?:答复)?(?:的)?(?:申请)?(?:共|共计)?\s*" + N + UNIT),
        ("t3.granted.total",),
        Text("予以公开数", "applications granted"),
        "表三 ·「（一）予以公开」行 ·「总计」列",
        needs_context="申请",
        not_after=compile_re(r"(?:部分|不)$|区分处理"),
    ),
    Pattern(
        "t3-carried-forward",
        compile_re(r"结转(?:至)?下(?:一)?年(?:度)?(?:继续)?(?:办理)?(?:的)?(?:申请)?(?:共)?\s*" + N + UNIT),
        ("t3.carried_forward.total",),
        Text("结转下年度办理数", "applications carried forward"),
        "表三 ·「四、结转下年度继续办理」行 ·「总计」列",
    ),
    Pattern(
        "t4-review",
        compile_re(
            _each_before(("被申请", "收到", "发生", "涉及", ""), "行政复议")
            + r"(?:案件|申请)?(?:共|共计)?\s*"
            + N
            + UNIT
        ),
        ("t4.review.total",),
        Text("行政复议数", "administrative reviews"),
        "表四 ·「行政复议」·「总计」",
        needs_context="政府信息公开",
    ),
    Pattern(
        "t4-litigation",
        compile_re(
            _each_before(("被提起", "提起", "发生", "涉及", ""), "行政诉讼") + r"(?:案件)?(?:共|共计)?\s*" + N + UNIT
        ),
        ("t4.litigation_direct.total", "t4.litigation_after_review.total"),
        Text("行政诉讼数", "lawsuits"),
        "表四 ·「行政诉讼」·「总计」（直接起诉 + 复议后起诉）",
        needs_context="政府信息公开",
    ),
    Pattern(
        "t2-issued",
        compile_re(r"(?:制发|印发|发布|出台|制定|主动公开)(?:了)?(?:行政)?规范性文件(?:共|共计)?\s*" + N + UNIT),
        ("t2.normative_docs.issued",),
        Text("本年制发行政规范性文件数", "normative documents issued"),
        "表二 ·「行政规范性文件」行 ·「本年制发件数」列",
    ),
    Pattern(
        "t2-repealed",
        compile_re(r"废止(?:了)?(?:行政)?(?:规范性文件)?(?:共|共计)?\s*" + N + UNIT),
        ("t2.normative_docs.repealed",),
        Text("本年废止行政规范性文件数", "normative documents repealed"),
        "表二 ·「行政规范性文件」行 ·「本年废止件数」列",
        needs_context="规范性文件",
    ),
    Pattern(
        "t2-in-force",
        compile_re(
            r"现行有效(?:的)?(?:行政)?规范性文件(?:共计|合计|共)?\s*"
            + N
            + UNIT
            + r"|现行有效\s*"
            + N
            + r"\s*(?:件|个)(?:行政)?规范性文件"
        ),
        ("t2.normative_docs.in_force",),
        Text("现行有效行政规范性文件数", "normative documents in force"),
        "表二 ·「行政规范性文件」行 ·「现行有效件数」列",
    ),
)

_EXCLUDES_CARRIED = compile_re(r"\s*[（(]\s*不含上年(?:度)?结转")
# The verbs of "t3-new" that may count carried-over applications with the new ones.
_RECEIVED_MAY_INCLUDE_CARRIED = ("受理", "收到", "接收", "接到")
NEW_PLUS_CARRIED = ("t3.new.total", "t3.carried_over.total")
NEW_PLUS_CARRIED_PLACE = "表三 ·「一」+「二」行 ·「总计」列"
# A body acting for another ("区政府办代表区政府受理…") states a part of the total, not the total.
_SUBSET_SUBJECT = compile_re(r"代表|其中|本级|本部门|机关本级")
_INCLUDES_CARRIED = compile_re(r"\s*[（(]\s*(?:其中)?含上年(?:度)?结转(?:的)?(?:申请)?\s*" + N + UNIT)
_SUBCOUNT_BEFORE = compile_re(r"(?:其中|包括|含)[^。，,；;]{0,12}$")
_LINE_BREAK = compile_re(r"\s*\n\s*")


# A count in a report has a handful of digits. A run of thousands states nothing (and int() refuses
# more than 4,300 digits), so such a sentence is not read as a claim.
MAX_DIGITS = 15


def _number(text: str) -> int | None:
    digits = to_halfwidth_digits(text).replace(",", "").replace("，", "")
    return int(digits) if len(digits) <= MAX_DIGITS else None


_REGEX_SYNTAX = frozenset("\\.^$*+?{}[]|()")


@functools.cache
def leading_words(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Words one of which every match of ``regex`` starts with, when its source shows them plainly: a
    literal, or a group of literal alternatives, at the start, and no ``|`` outside a group. None when the
    source has another shape (then nothing is known)."""
    source = regex.pattern
    if regex.flags & (re.IGNORECASE | re.VERBOSE) or _has_top_level_alternative(source):
        return None
    if source.startswith("(?:"):
        end = source.find(")")
        alternatives = source[3:end].split("|")
        if end < 0 or source[end + 1 : end + 2] in ("?", "*", "+", "{"):
            return None
        if any(not word or _REGEX_SYNTAX.intersection(word) for word in alternatives):
            return None
        return tuple(alternatives)
    length = 0
    while length < len(source) and source[length] not in _REGEX_SYNTAX:
        length += 1
    if source[length : length + 1] in ("?", "*", "+", "{"):
        length -= 1  # the last character is repeated or optional: not part of every match
    return (source[:length],) if length > 0 else None


def _has_top_level_alternative(source: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 2 if source[i + 1 : i + 2] == "^" else 1
            if source[i : i + 1] == "]":  # a "]" first in a class is the character itself
                i += 1
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        i += 1
    return False


@functools.cache
def _word_scanner() -> tuple[re.Pattern[str], dict[str, tuple[str, ...]], frozenset[str]]:
    """One regex for the leading words of all the patterns, longest first, and for each word the patterns
    whose leading words include it or one of its prefixes (those start wherever it starts); and the kinds of
    the patterns whose leading words are not known."""
    words_of = {p.kind: leading_words(p.regex) for p in PATTERNS}
    every = sorted({w for words in words_of.values() if words for w in words}, key=lambda w: (-len(w), w))
    kinds_at = {
        word: tuple(kind for kind, words in words_of.items() if words and any(word.startswith(w) for w in words))
        for word in every
    }
    unknown = frozenset(kind for kind, words in words_of.items() if words is None)
    return compile_re("|".join(map(re.escape, every))), kinds_at, unknown


class _LeadingWords:
    """Where each pattern's leading words start in one text, found in one scan for all the patterns."""

    def __init__(self, text: str) -> None:
        scanner, kinds_at, self.unknown = _word_scanner()
        self.places: dict[str, list[int]] = {}
        m = scanner.search(text)
        while m is not None:
            # The longest word starting here was found: any other starting here is a prefix of it.
            for kind in kinds_at[m.group(0)]:
                self.places.setdefault(kind, []).append(m.start())
            m = scanner.search(text, m.start() + 1)

    def finditer(self, pattern: Pattern, text: str) -> Iterator[re.Match[str]]:
        """``pattern.regex.finditer(text)``: every match starts with a leading word, so the leftmost match
        from a point on starts at the first place after it where a leading word starts and the pattern
        matches. A pattern whose leading words are not known is searched for as usual."""
        # (by kind: hashing a compiled pattern to look up leading_words hashes its whole program each time)
        if pattern.kind in self.unknown:
            return pattern.regex.finditer(text)
        places = self.places.get(pattern.kind)
        return _matches_at(pattern.regex, text, places) if places else iter(())  # (most: no generator to make)


def _matches_at(regex: re.Pattern[str], text: str, places: list[int]) -> Iterator[re.Match[str]]:
    """The matches of ``regex`` that start at one of ``places`` (ascending), each after the one before."""
    end = 0
    for start in places:
        if start >= end and (m := regex.match(text, start)) is not None:
            yield m
            end = m.end()


def narrative_claims(report: Report, *, disputed_only: bool = False) -> Iterator[Claim]:
    """The numbers the prose of parts 一 to 四 states about the tables, the first of each kind. With
    ``disputed_only``, only the claims that no reading of the tables agrees with (``_disputed``): the others
    are read all the same (a kind stops at its first claim) but their place and quote are not made."""
    locator = report.locator
    if locator is None:
        return
    seen: set[str] = set()
    for section in sorted(report.sections, key=lambda s: s.number):
        if section.number > 4:
            continue
        text = section.text
        base = section.body_start
        starts = _LeadingWords(text)
        for pattern in PATTERNS:
            if pattern.kind in seen:
                continue
            for m in starts.finditer(pattern, text):
                number_text = next(g for g in m.groups() if g)
                sentence_start = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
                before = text[sentence_start : m.start()]
                if pattern.needs_context and pattern.needs_context not in before + m.group(0):
                    continue
                # (searched back to the sentence's start only: a separator before it does not move the clause)
                clause_start = max(sentence_start, *(text.rfind(p, sentence_start, m.start()) + 1 for p in "，,；;"))
                if pattern.not_after and pattern.not_after.search(text[clause_start : m.start()]):
                    continue
                if _SUBCOUNT_BEFORE.search(text[max(sentence_start, m.start() - 14) : m.start()]):
                    continue  # "其中…" introduces a part, not the total
                if pattern.kind == "t3-new" and _SUBSET_SUBJECT.search(before):
                    continue
                value = _number(number_text)
                if value is None:
                    continue
                cells = pattern.cells
                label, place = pattern.label, pattern.place
                alternatives: tuple[tuple[tuple[str, ...], str], ...] = ()
                if pattern.kind == "t3-new":
                    inc = _INCLUDES_CARRIED.match(text, m.end())
                    if inc:
                        cells = NEW_PLUS_CARRIED
                        label = Text("收到申请数（含上年结转）", "applications including those carried over")
                        place = NEW_PLUS_CARRIED_PLACE
                    elif not _EXCLUDES_CARRIED.match(text, m.end()) and m.group(0).startswith(
                        _RECEIVED_MAY_INCLUDE_CARRIED
                    ):
                        alternatives = ((NEW_PLUS_CARRIED, NEW_PLUS_CARRIED_PLACE),)
                seen.add(pattern.kind)
                if disputed_only and not _disputed(report, value, cells, place, alternatives):
                    break
                num_start = m.start(m.lastindex or 1)
                for i, g in enumerate(m.groups(), 1):
                    if g:
                        num_start = m.start(i)
                        break
                span = locator.span(base + num_start, base + num_start + len(number_text))
                quote = _LINE_BREAK.sub("", m.group(0)).strip()
                yield Claim(pattern.kind, label, value, cells, span, place, quote, alternatives)
                break
