"""What was read, as data: the ``extract`` command's JSON and CSV (no terminal formatting here)."""

from __future__ import annotations

import csv
import io
import json

from . import formats
from .model import Report


def report_to_dict(report: Report, lang: str = "zh") -> dict[str, object]:
    return {
        "path": report.path,
        "year": report.year,
        "title": report.title,
        "body": report.body,  # the issuing body that pairs reports across years (see pairing.py)
        "edition": report.edition,
        "input_kind": report.input_kind,
        "encoding": report.encoding,
        "sections": [
            {
                "number": s.number,
                "written_number": s.written_number,
                "title": s.title,
                "line": s.span.line,
                "column": s.span.column,
                **({"where": s.span.where.resolve(lang)} if s.span.where else {}),
            }
            for s in report.sections
        ],
        "tables": {
            str(n): {
                "present": t.present,
                "unreadable": t.unreadable,
                "rows": {
                    k: {
                        "label": r.label,
                        "standard_label": r.standard_label,
                        "deviates": r.deviates,
                        "line": r.span.line if r.span else None,
                        "extra_cells": [c.raw for c in r.extra],
                    }
                    for k, r in t.rows.items()
                },
            }
            for n, t in sorted(report.tables.items())
        },
        "cells": {cid: report.cells[cid].to_dict(lang) for cid in formats.STANDARD_CELL_IDS},
        # What the report grammar's parse found about the layout (docs/reading.md, stage 4).
        "layout_notes": [
            {
                "kind": n.kind,
                "terminal": n.terminal,
                "text": n.text,
                "table": n.table,
                "key": n.key,
                "after": n.after,
                "after_key": n.after_key,
                "numbers": n.numbers,
                "after_numbers": n.after_numbers,
                "earlier_cells": n.earlier_cells,
                **n.span.to_dict(lang),
            }
            for n in report.layout_notes
        ],
    }


def to_json(reports: list[Report], errors: list[tuple[str, str]], lang: str = "zh") -> str:
    doc: dict[str, object] = {"reports": [report_to_dict(r, lang) for r in reports]}
    if errors:
        doc["errors"] = [{"path": p, "error": e} for p, e in errors]
    return json.dumps(doc, ensure_ascii=False, indent=2)


def to_csv(reports: list[Report]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["path", "year", "edition", *formats.STANDARD_CELL_IDS])
    for r in reports:
        row: list[object] = [r.path, r.year or "", r.edition]
        for cid in formats.STANDARD_CELL_IDS:
            cell = r.cells[cid]
            row.append(
                cell.value if cell.value is not None else ("" if cell.status.value == "missing" else cell.status.value)
            )
        writer.writerow(row)
    return out.getvalue()
