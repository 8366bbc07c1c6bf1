"""Regular expressions compiled when first used instead of when their module is imported."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from .regexcode import compile_re, will_compile


def on_first_use(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """``re.compile(pattern, flags)``, done by the first call and kept for the process.

    For a pattern that only some inputs reach: a class with the CJK range ``\\u4e00-\\u9fff`` alone takes Python's
    compiler about 0.7 ms (it marks each of the 20,992 characters), which every start-up paid at import.
    """
    will_compile(pattern, flags)
    return functools.cache(functools.partial(compile_re, pattern, flags))
