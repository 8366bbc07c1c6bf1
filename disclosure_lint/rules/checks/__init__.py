"""The built-in checks: the rule logic an expression cannot state (order, labels, layout, prose, two years).

One module per folder of ``rules/``, each checking what its folder's rules are about; :mod:`.base` holds
what they share. A check is a function declared with ``@check(name, provides=…)``; a rule file runs it by
that name (``check: blank-cells``). Checks never word the message themselves: they return the values that
the rule's bilingual template fills in, so the words stay in the YAML files.

Registration is explicit: the checks are those of the modules listed in :data:`MODULES`, and nothing else.
To add a check, write it in the module of its category; to add a category, add its module here.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from . import arithmetic, completeness, crossyear, format, narrative, structure, values
from .base import CheckSpec, Finding

MODULES: tuple[ModuleType, ...] = (structure, completeness, values, arithmetic, format, narrative, crossyear)


def collect(modules: Iterable[ModuleType]) -> dict[str, CheckSpec]:
    """Every check the modules declare, by name; two checks of one name are a programming error."""
    found: dict[str, CheckSpec] = {}
    for module in modules:
        for value in vars(module).values():
            spec = getattr(value, "check_spec", None)
            if not isinstance(spec, CheckSpec):
                continue
            if spec.name in found and found[spec.name] is not spec:
                raise RuntimeError(f"two checks named {spec.name!r} ({module.__name__})")
            found[spec.name] = spec
    return found


CHECKS: dict[str, CheckSpec] = collect(MODULES)

__all__ = ["CHECKS", "MODULES", "CheckSpec", "Finding", "collect"]
