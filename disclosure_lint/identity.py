"""Who issued a report: the body named in its title, normalised so that two years' reports can be matched.

Titles come as ``淮安市洪泽区人民政府2023年政府信息公开工作年度报告``, ``2023年度 XX局 政府信息公开工作年度报告``
or ``关于XX局2022年政府信息公开工作的年度报告``; the body is what remains once the year and the name of the
document are taken away. Nothing is shortened beyond that: 人民政府办公室 and 人民政府 are different bodies.
"""

from __future__ import annotations

import re

from .text import fold

_DOCUMENT_NAME = re.compile(
    r"(?:关于)?(?:的)?(?:政府)?信息公开(?:工作)?(?:的)?(?:年度)?(?:报告|年报)$|(?:工作)?年度报告$|年报$"
)
_YEAR = re.compile(r"[(（]?(?:19|20)\d{2}\s*年\s*度?[)）]?")
_NOISE = re.compile(r"[\s\u3000\u00a0《》「」“”\"'·:：,，]")


def issuing_body(title: str) -> str | None:
    """The issuing body named in ``title``, or None when the title names none."""
    text = _NOISE.sub("", fold(title))
    # Web page titles append the site: 「…年度报告-沭阳县发改局」.
    text = re.sub(r"(报告|年报)[-_|—].*$", r"\1", text)
    text = _YEAR.sub("", text)
    text = re.sub(r"^关于", "", text)
    previous = None
    while previous != text:
        previous = text
        text = _DOCUMENT_NAME.sub("", text)
    text = text.rstrip("的")
    # A body is at least a place and a kind of office; two characters are a fragment, not a name.
    return text if len(text) >= 3 else None
