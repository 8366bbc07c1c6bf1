"""What a rule says about a report: one :class:`Diagnostic` per finding.

Reporters turn these into text, JSON, SARIF …; they never look at the parser or the model beyond the
fields here, which is what keeps the reporting stage independent of parsing.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum

from .bilingual import Text, resolve
from .model import Span
from .records import record


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def text(self) -> Text:
        """The level as a person reads it: 错误 / error."""
        return _SEVERITY_WORDS[self.value]


_SEVERITY_WORDS = {"error": Text("错误", "error"), "warning": Text("警告", "warning"), "info": Text("提示", "info")}


@record(frozen=True)
class Term:
    """A cell that takes part in a finding, shown with its value in code frames and JSON."""

    cell: str  # public cell id
    label: Text  # short human label, e.g. （七）总计×总计
    value: int | float | None
    span: Span | None
    primary: bool = False


@record(frozen=True)
class Related:
    """Another place that bears on a finding: the sentence in the prose that a table contradicts, a relation
    that one likely fix explains, or last year's cell in last year's report."""

    span: Span | None
    path: str | None = None  # None: the same file as the finding
    message: Text | None = None  # what this place is
    cell: str | None = None  # public cell id, when the place is a cell

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        d: dict[str, object] = self.span.to_dict(lang) if self.span else {}
        if self.path is not None:
            d["path"] = self.path
        if self.message is not None:
            d["message"] = self.message.resolve(lang)
        if self.cell is not None:
            d["cell"] = self.cell
        return d


@record(frozen=True)
class Fix:
    """The likely correction of a finding: the cell to change and the value that makes the table consistent."""

    cell: str  # public cell id
    current: int | float | None  # the value as read (None for a blank or missing cell)
    value: int | float  # the value that would make every relation hold

    def to_dict(self) -> dict[str, object]:
        return {"cell": self.cell, "current": self.current, "value": self.value}


@record
class Diagnostic:
    rule: str  # stable code, e.g. "A301"
    name: str  # readable rule name, e.g. "t3-balance"
    severity: Severity
    message: Text
    path: str
    span: Span | None  # primary location; None only when the file has no sensible place
    cells: list[str] = field(default_factory=list)
    section: int | None = None
    place: Text | None = None  # logical place: 表三 ·「（七）总计」行 ·「总计」列
    expected: int | float | None = None
    actual: int | float | None = None
    equation: str | None = None  # the relation with numbers filled in
    terms: list[Term] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)  # other places (e.g. the sentence in the prose)
    help: Text | None = None
    fix: Fix | None = None  # the likely correction, where the tool can name one
    key: str = ""  # stable identity for baselines: rule + cells/section, never a line number

    @property
    def line(self) -> int:
        return self.span.line if self.span else 1

    @property
    def column(self) -> int:
        return self.span.column if self.span else 1

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.key)

    def frame_lines(self) -> set[int]:
        """The lines of its own file a code frame of the finding may show: its span's, its terms' and those of
        the places it relates to in the same file."""
        spans = [self.span, *(t.span for t in self.terms), *(r.span for r in self.related if r.path is None)]
        return {span.line for span in spans if span is not None}

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        """The finding as JSON, its words in ``lang``."""
        span = self.span
        d: dict[str, object] = {
            "rule": self.rule,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message.resolve(lang),
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "cells": list(self.cells),
            "section": self.section,
            "place": resolve(self.place, lang),
            "expected": self.expected,
            "actual": self.actual,
            "equation": self.equation,
            "help": resolve(self.help, lang),
        }
        if span and span.where:
            d["where"] = span.where.resolve(lang)
        if span:
            d.update(span.page_fields())
        if self.related:
            d["related"] = [r.to_dict(lang) for r in self.related]
        if self.fix is not None:
            d["fix"] = self.fix.to_dict()
        return d
