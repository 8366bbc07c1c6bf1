"""Arithmetic checks (``rules/arithmetic/``). The relations themselves (A301–A401) are expression rules and
need no check; what an expression cannot say is A300's: which one cell, changed, would make every failed
relation of a table hold. That search lives in :mod:`disclosure_lint.rules.localise`; it reads the other
rules' findings, so it runs after them.
"""

from __future__ import annotations

from .. import localise
from .base import check

# ``localise.apply`` words A300's findings itself, with these values.
fault_localisation = check("fault-localisation", provides=("table", "changes", "relations"), after_rules=True)(
    localise.apply
)
