"""Output streams that never fail on a character: a report full of CJK text and no-break spaces must not
stop halfway because the console or a redirected file uses GBK.

The standard streams are switched to UTF-8 when nothing says otherwise. When the person chose an encoding
(``PYTHONIOENCODING``), or the stream cannot be switched, it keeps its encoding and a character it cannot
hold becomes "?" instead of an exception.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO

# Excel on Chinese Windows reads a CSV file as GBK unless it starts with a byte order mark.
CSV_BOM = "\ufeff"


def safe_streams() -> None:
    chosen = bool(os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        make_safe(stream, prefer_utf8=not chosen)


def make_safe(stream: IO[str] | None, *, prefer_utf8: bool = True) -> None:
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return  # a stream replaced by a caller (tests, an embedding program): theirs to configure
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    try:
        if encoding == "utf8":
            return
        if prefer_utf8:
            reconfigure(encoding="utf-8", errors="replace")
        else:
            reconfigure(errors="replace")
    except (ValueError, OSError):
        # Already written to (reconfiguring the encoding is refused then): at least never raise.
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
