"""Benchmark: the pathological shapes of issue 15 at 10^5 and 10^6 characters, time and growth.

Every shape once at a tenth of the size and once at full size, through the in-process pipeline
(``load_report``: read, render, lex, parse, build). Linear code takes about ten times as long for ten
times the input; the quadratic paths this guards against took a hundred times and more (minutes).

    python bench/hostile.py            # 10^6 characters per shape (a minute or two)
    python bench/hostile.py --quick    # 2 x 10^5

Target: every shape at most 20x between the two sizes, and no shape over 30 s at full size.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' .docx writer

from docxgen import docx_bytes, para

from disclosure_lint.errors import LintError
from disclosure_lint.pipeline import load_report

REAL = (Path(__file__).resolve().parents[1] / "examples" / "faulty-report.txt").read_text(encoding="utf-8")


def _docx_rows(n: int) -> bytes:
    rows = "".join(f"<w:tr><w:tc>{para(str(i))}</w:tc><w:tc>{para('0')}</w:tc></w:tr>" for i in range(n))
    return docx_bytes(f"<w:tbl>{rows}</w:tbl>")


# name -> (file name, bytes of a case of about n characters)
SHAPES: dict[str, Callable[[int], tuple[str, bytes]]] = {
    "spaces then x": lambda n: ("a.txt", (REAL + " " * n + "x\n").encode()),
    "自然人 labels on one line": lambda n: ("a.txt", (REAL + "自然人" * (n // 3) + "\n").encode()),
    "row keywords on one line": lambda n: ("a.txt", (REAL + "本年新收政府信息公开申请数量" * (n // 14)).encode()),
    "row + text cells": lambda n: (
        "a.txt",
        (REAL + "（一）本年新收政府信息公开申请数量\t" + "\t".join(["abc"] * (n // 4)) + "\n").encode(),
    ),
    "real report repeated": lambda n: ("a.txt", "\n".join([REAL] * max(1, n // len(REAL))).encode()),
    "web: <br> (within the tag cap)": lambda n: ("a.html", ("<p>" + "<br>" * min(n // 4, 240_000)).encode()),
    "web: one row of cells": lambda n: ("a.html", ("<table><tr>" + "<td>1" * min(n // 5, 240_000)).encode()),
    "web: unterminated <a": lambda n: ("a.html", ("<p>x" + "<a " * (n // 3)).encode()),
    "web: unterminated <!--": lambda n: ("a.html", ("<p>x" + "<!--" * (n // 4)).encode()),
    "word: table rows": lambda n: ("a.docx", _docx_rows(n // 20)),
}


def seconds(name: str, data: bytes) -> float:
    start = time.perf_counter()
    with contextlib.suppress(LintError):  # a clear refusal is a result too
        load_report(name, data)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    full = 200_000 if "--quick" in argv else 1_000_000
    failed = False
    print(f"{'shape':34} {'n/10 s':>8} {'n s':>8} {'ratio':>6}")
    for label, make in SHAPES.items():
        small, large = seconds(*make(full // 10)), seconds(*make(full))
        ratio = large / max(small, 1e-3)
        bad = ratio > 20 or large > 30
        failed |= bad
        print(f"{label:34} {small:8.2f} {large:8.2f} {ratio:6.1f}{'  <-- over target' if bad else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
