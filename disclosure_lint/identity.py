"""Who issued a report: the body named in its title, normalised so that two years' reports can be matched.

Titles come as ``淮安市洪泽区人民政府2023年政府信息公开工作年度报告``, ``2023年度 XX局 政府信息公开工作年度报告``
or ``关于XX局2022年政府信息公开工作的年度报告``; the body is what remains once the year and the name of the
document are taken away. Nothing is shortened beyond that: 人民政府办公室 and 人民政府 are different bodies.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lazyre import on_first_use
from .regexcode import compile_re
from .text import fold

_DOCUMENT_NAME = compile_re(
    r"(?:关于)?(?:的)?(?:政府)?信息公开(?:工作)?(?:的)?(?:年度)?(?:报告|年报)$|(?:工作)?年度报告$|年报$"
)
_YEAR = compile_re(r"[(（]?(?:(?:19|20)\d{2}|[一二][〇○零O九][一二三四五六七八九〇○零O]{2})\s*年\s*度?[)）]?")
_NOT_A_TITLE = compile_re(r"[。；;]|^(?:本报告|根据|按照|现将|如对)")
_NOISE = compile_re(r"[\s\u3000\u00a0《》「」“”\"'·:：,，]")
_SITE_AFTER = compile_re(r"(报告|年报)[-_|—].*$")
_SITE_BEFORE = compile_re(r"^.*[-_|—](?=[^-_|—]*(?:报告|年报)$)")
_ABOUT = compile_re(r"^关于")


def issuing_body(title: str) -> str | None:
    """The issuing body named in ``title``, or None when the title names none."""
    folded = fold(title)
    if _NOT_A_TITLE.search(folded):
        return None  # a sentence that mentions 本报告, not a title
    text = _NOISE.sub("", folded)
    # Web page titles append the site: 「…年度报告-沭阳县发改局」, or put it first: 「某县人民政府-…年度报告」.
    text = _SITE_AFTER.sub(r"\1", text)
    text = _SITE_BEFORE.sub("", text)
    text = _YEAR.sub("", text)
    text = _ABOUT.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _DOCUMENT_NAME.sub("", text)
    text = text.rstrip("的")
    # A body is at least a place and a kind of office; two characters are a fragment, not a name.
    return text if len(text) >= 3 else None


# --- finding the body and year in a report that has no usable title line -----------------------------
# (Compiled on first use: a report whose title names its body and year never needs them.)

_HTML_TITLE = on_first_use(r"<title[^>]*>([^<]{1,300})</title>", re.IGNORECASE)
_DATE_LINE = on_first_use(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_TRAILING_DATE = on_first_use(r"\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
# The words an issuing body's name ends with; a signature line is a short name, not a sentence.
_BODY_END = on_first_use(r"(?:政府|办公室|办公厅|局|委员会|委|管委会|办|厅|署|院|中心|公司|处|所|站|队|街道|镇|乡|会)$")
_SENTENCE = on_first_use(r"[。，,；;：:！？!?（）()《》]")
# The statistical period, for the year: loose on purpose (some periods start in September).
_PERIOD_YEAR = on_first_use(r"统计(?:期限|时限|区间|时段|周期)[^。\n]{0,12}?((?:19|20)\d{2})\s*年")


_CHINESE_DIGITS = str.maketrans("〇○零O一二三四五六七八九", "000012345678" + "9")
_DIGITS_YEAR = compile_re(r"((?:19|20)\d{2})\s*年")
_CHINESE_YEAR = compile_re(r"([一二][〇○零O九][一二三四五六七八九〇○零O]{2})\s*年")


def title_year(title: str) -> int | None:
    """The year a title names, in digits or in Chinese numerals (「二〇二三年度」)."""
    m = _DIGITS_YEAR.search(title) or _CHINESE_YEAR.search(title)
    if not m:
        return None
    digits = m.group(1).translate(_CHINESE_DIGITS)
    return int(digits) if digits.isdigit() else None


def html_title(source_text: str) -> tuple[str, int] | None:
    """The text of a web page's ``<title>`` and its offset in the source, when it names a report."""
    m = _HTML_TITLE().search(source_text[:20000])
    if not m:
        return None
    raw = m.group(1)
    text = raw.strip()
    if not text or not ("报告" in text or "年报" in text):
        return None
    return text, m.start(1) + raw.find(text)


def heading_body(lines: list[str], title_index: int) -> str | None:
    """A body written on the line(s) above a title that names none (「XX局」 / 「2023年度…年度报告」)."""
    for line in reversed(lines[max(0, title_index - 2) : title_index]):
        candidate = _signature_name(line)
        if candidate:
            return candidate
    return None


def signature_body(text: str) -> str | None:
    """The body in the signature at the end: its name on the line before (or beside) the date."""
    lines = [line.strip(" \t\u3000\u00a0") for line in text[-1500:].splitlines()]
    lines = [line for line in lines if line]
    # Pages end with chrome (「附件下载」, 「扫一扫在手机打开当前页」) after the signature: look a little above.
    for i in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        line = lines[i]
        if _DATE_LINE().match(line) and i > 0:
            return _signature_name(lines[i - 1])
        if _TRAILING_DATE().search(line):
            name = _signature_name(_TRAILING_DATE().sub("", line))
            if name:
                return name
    return None


def period_year(text: str) -> int | None:
    m = _PERIOD_YEAR().search(text)
    return int(m.group(1)) if m else None


def _signature_name(line: str) -> str | None:
    name = fold(line).strip()
    if not 3 <= len(name) <= 40 or _SENTENCE().search(name) or re.search(r"\d", name):
        return None
    if not _BODY_END().search(name):
        return None
    return issuing_body(name)


def same_body(a: str, b: str) -> bool:
    """Two names of one body: equal, or one is the other with its province/city written in front.

    「淮安市洪泽区人民政府」 and 「洪泽区人民政府」 are one body; 「淮安市人民政府」 and 「人民政府」 are not, since
    what remains must itself start with a place (a 区, 县, 旗 or 市 of at least two characters).
    """
    a, b = _as_government(a), _as_government(b)
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if not long.endswith(short) or not _PLACE_START().match(short):
        return False
    prefix = long[: -len(short)]
    return _region_prefix_ends(prefix)[len(prefix)]


# Pairing asks for each report's body twice (indexing it, then looking up its predecessor's).
@lru_cache(maxsize=4096)
def names_of_body(name: str) -> tuple[str, ...]:
    """``name`` as :func:`same_body` reads it (a bare place as its 人民政府), then each shorter name it takes for
    the same body: the name without a province or city in front (「淮安市洪泽区人民政府」 → 「洪泽区人民政府」)."""
    name = _as_government(name)
    ends = _region_prefix_ends(name)
    shorter = (name[i:] for i in range(1, len(name)) if ends[i])
    return (name, *(short for short in shorter if _PLACE_START().match(short)))


# A region written in front of a place: two to eight characters and one of these (江苏省, 淮安市, 延边朝鲜族自治州).
_REGION_ENDS = ("省", "自治区", "市", "自治州", "州", "地区", "盟")
_REGION_NAME = range(2, 9)
# The endings by their first character: where a region's name may end, one look-up finds those that follow.
_REGION_ENDS_AT = {first: tuple(e for e in _REGION_ENDS if e[0] == first) for first in {e[0] for e in _REGION_ENDS}}
# Regions written in front of a place run to about twenty characters (新疆维吾尔自治区伊犁哈萨克自治州 is 16); a
# longer run is not a name, and bounding it bounds the names names_of_body gives for one body.
MAX_REGIONS_LENGTH = 64


def _region_prefix_ends(name: str) -> list[bool]:
    """``ends[i]``: ``name[:i]`` is one or more regions written one after another (「江苏省淮安市」), with
    1 ≤ i ≤ MAX_REGIONS_LENGTH.

    Worked out left to right in one pass. As a regular expression (two to eight CJK characters and a region's
    ending, repeated) the many ways to cut a long run of regions made a failing match take exponential time
    (90 characters of 「江苏省…」 took seconds), and a body's name comes from the report or from a --pair-by file."""
    cjk = [_is_cjk(ch) for ch in name[: MAX_REGIONS_LENGTH + 1]]
    ends = [False] * (len(name) + 1)
    starts = [0]  # where a region may begin: the start, and the end of a region
    for start in starts:
        if start == len(name) or not cjk[start]:
            continue
        for length in _REGION_NAME:
            end = start + length
            if end >= min(len(name), MAX_REGIONS_LENGTH) or not cjk[end - 1]:
                break  # (no room left for an ending; the characters of a region's name are all CJK)
            for suffix in _REGION_ENDS_AT.get(name[end], ()):
                if end + len(suffix) > MAX_REGIONS_LENGTH:
                    continue
                if name.startswith(suffix, end) and not ends[end + len(suffix)]:
                    ends[end + len(suffix)] = True
                    starts.append(end + len(suffix))
    ends[0] = False
    return ends


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _as_government(name: str) -> str:
    """A bare place (「绥芬河市」, 「成安县」) in a title means its 人民政府."""
    return name + "人民政府" if _BARE_PLACE().fullmatch(name) else name


# Only pairing compares bodies: compiled then (their CJK ranges cost about 2 ms to compile).
_BARE_PLACE = on_first_use(r"[\u4e00-\u9fff]{1,12}?(?:省|自治区|市|自治州|州|地区|盟|县|自治县|旗|区|镇|乡)")
_PLACE_START = on_first_use(r"^[\u4e00-\u9fff]{2,6}?(?:区|县|旗|市)")
