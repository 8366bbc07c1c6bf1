"""The ``extract`` command's JSON and CSV: what was read, as data (the conversion itself is in ``extract.py``)."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from ..extract import to_csv, to_json
from ..streams import CSV_BOM

if TYPE_CHECKING:
    from ..results import Extracted
    from . import Style


def report_json(extracted: Extracted, out: IO[str], style: Style) -> None:
    out.write(to_json(extracted.reports, extracted.failures, extracted.lang) + "\n")


def report_csv(extracted: Extracted, out: IO[str], style: Style) -> None:
    out.write(CSV_BOM + to_csv(extracted.reports))
