"""Text from reports and file names made inert before anyone's terminal sees it.

A report is written by someone else; its text (and its file name) could carry escape sequences that
retitle, clear or hide a terminal's output. Every control character except TAB is shown as its visible
Unicode "control picture" (ESC becomes ␛), one character for one, so that columns in a code frame still
line up. File names that are not valid UTF-8 reach Python with their bytes as lone surrogates; those are
shown as ``%NN`` (the byte in hex, as in a URI; a backslash would read as a Windows path separator in
the reporters) so the name can be printed, written to JSON or SARIF, and still recognised.
"""

from __future__ import annotations

import dataclasses
import re

from .bilingual import Text
from .diagnostics import Diagnostic
from .regexcode import compile_re

# C0 controls except TAB and LF (harmless, and messages quoting several lines keep their shape), DEL,
# and the C1 controls (ESC's 8-bit twin CSI is U+009B).
_CONTROL = compile_re(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAME_CONTROL = compile_re(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = compile_re(r"[\ud800-\udfff]")


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1: no control picture exists


def visible(text: str) -> str:
    """``text`` with every control character but TAB and LF replaced by a visible character of its own."""
    if text.isprintable() or not (_CONTROL.search(text) or _SURROGATE.search(text)):
        return text
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(_picture, text))


def visible_path(path: str) -> str:
    """A file name that can be printed anywhere: undecodable bytes as ``%NN``, controls as pictures."""
    if path.isprintable():
        return path
    escaped = _SURROGATE.sub(lambda m: f"%{ord(m.group(0)) - 0xDC00:02X}", path)
    # Unlike message text, a name has no business holding a line break or a TAB: one would forge an
    # output line (a fake annotation) or a column.
    return _NAME_CONTROL.sub(_picture, escaped)


def inert_diagnostic(d: Diagnostic) -> Diagnostic:
    """``d`` with every text that may quote the report made visible."""
    changes: dict[str, object] = {}
    for name in ("message", "place", "equation", "help", "path"):
        value = getattr(d, name)
        if isinstance(value, Text):
            shown: object = value.map(visible)
            if shown != value:
                changes[name] = shown
        elif isinstance(value, str):
            shown = visible_path(value) if name == "path" else visible(value)
            if shown != value:
                changes[name] = shown
    if any(not (t.label.zh + t.label.en).isprintable() for t in d.terms):
        changes["terms"] = [dataclasses.replace(t, label=t.label.map(visible)) for t in d.terms]
    return dataclasses.replace(d, **changes) if changes else d
