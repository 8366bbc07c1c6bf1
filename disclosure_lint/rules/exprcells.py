"""Cell references of rule expressions: loop values written in, wildcards expanded over the known ids."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from ..bilingual import Text
from .exprtree import _SEGMENT_RE, PREVIOUS, WILDCARD, CellRef, Expr, ExpressionError, Name, walk


def _binding_segments(ref: CellRef, part: str, bindings: Mapping[str, object]) -> list[str]:
    var = part[1:]
    if var not in bindings:
        raise ExpressionError(
            Text(
                f"“{ref.text}”中的循环变量“{part}”在此处没有取值",
                f"loop variable '{part}' in '{ref.text}' has no value here",
            ),
            ref.column,
        )
    value = bindings[var]
    segments = value.split(".") if isinstance(value, str) else []
    if not segments or not all(_SEGMENT_RE.fullmatch(s) for s in segments):
        raise ExpressionError(
            Text(
                f"循环变量“{part}”的取值 {value!r} 不能用作单元格编号的一部分",
                f"loop variable '{part}' is {value!r}, which is not a cell-id segment",
            ),
            ref.column,
        )
    return segments


def _substitute(ref: CellRef, bindings: Mapping[str, object]) -> tuple[str, ...]:
    parts: list[str] = []
    for part in ref.parts:
        if part.startswith("$"):
            parts.extend(_binding_segments(ref, part, bindings))
        else:
            parts.append(part)
    return tuple(parts)


def _unknown_cell(ref: CellRef, cell: str, known: Iterable[str]) -> ExpressionError:
    from difflib import get_close_matches  # (only a mistyped id needs it: not imported at start-up)

    close = get_close_matches(cell, list(known), n=1)
    hint = Text(f"，是否应为“{close[0]}”？", f"; did you mean '{close[0]}'?") if close else Text.same("")
    shown = cell if cell == ref.text else f"{ref.text}' (here '{cell}"
    return ExpressionError(
        Text(f"单元格引用“{cell}”不对应任何已知单元格", f"cell reference '{shown}' does not match any known cell")
        + hint,
        ref.column,
    )


# Wildcards and ids are resolved when a rule set is compiled (see compiled.py), once per reference
# and loop binding; these caches keep that cheap when many references share one known-cells tuple.
@functools.lru_cache(maxsize=8)
def _known_set(known: tuple[str, ...]) -> frozenset[str]:
    return frozenset(known)


@functools.lru_cache(maxsize=8)
def _segment_index(known: tuple[str, ...]) -> dict[tuple[int, int, str], list[str]]:
    """The known ids by (number of segments, position, segment there), in ``known`` order; (n, -1, "")
    holds every id of n segments."""
    index: dict[tuple[int, int, str], list[str]] = {}
    for cell in known:
        segments = cell.split(".")
        count = len(segments)
        index.setdefault((count, -1, ""), []).append(cell)
        for position, segment in enumerate(segments):
            index.setdefault((count, position, segment), []).append(cell)
    return index


@functools.lru_cache(maxsize=1024)
def _wildcard_matches(parts: tuple[str, ...], known: tuple[str, ...]) -> tuple[str, ...]:
    """The known ids of as many segments as ``parts`` whose segments equal every segment of ``parts`` that is
    not a wildcard: the ids listed under each such segment, walked in ``known`` order from the shortest list."""
    index, count = _segment_index(known), len(parts)
    fixed = [index.get((count, i, part), []) for i, part in enumerate(parts) if part != WILDCARD]
    if not fixed:
        return tuple(index.get((count, -1, ""), ()))
    shortest = min(fixed, key=len)
    others = [frozenset(cells) for cells in fixed if cells is not shortest]
    return tuple(cell for cell in shortest if all(cell in cells for cells in others))


def _expand(ref: CellRef, bindings: Mapping[str, object], known_cells: Iterable[str]) -> list[str]:
    """The concrete ids ``ref`` names under ``bindings``, in ``known_cells`` order."""
    if ref.previous:
        # Last year's report has the same cell ids; they are named with the prefix kept.
        inner = CellRef(ref.parts[1:], ref.column)
        return [f"{PREVIOUS}.{cell}" for cell in _expand(inner, bindings, known_cells)]
    known = known_cells if isinstance(known_cells, tuple) else tuple(known_cells)
    parts = _substitute(ref, bindings)
    if WILDCARD not in parts:
        cell = ".".join(parts)
        if cell not in _known_set(known):
            raise _unknown_cell(ref, cell, known)
        return [cell]
    return list(_wildcard_matches(parts, known))


def _pattern_can_match(pattern: tuple[str, ...], segs: tuple[str, ...]) -> bool:
    """Static matching: ``*`` is one segment, ``$var`` is one or more (a binding may contain dots)."""
    if not pattern:
        return not segs
    if not segs:
        return False
    head, rest = pattern[0], pattern[1:]
    if head.startswith("$"):
        return any(_pattern_can_match(rest, segs[i:]) for i in range(1, len(segs) - len(rest) + 1))
    if head == WILDCARD or head == segs[0]:
        return _pattern_can_match(rest, segs[1:])
    return False


def uses_previous(expr: Expr) -> bool:
    """Whether ``expr`` names a cell or variable of last year's report (``prev.…``)."""
    for node in walk(expr):
        if isinstance(node, CellRef) and node.previous:
            return True
        if isinstance(node, Name) and node.name.startswith(PREVIOUS + "."):
            return True
    return False


def references(expr: Expr, bindings: Mapping[str, str], known_cells: Iterable[str]) -> list[str]:
    """The concrete cell ids ``expr`` touches under ``bindings``: wildcards expanded, in order, unique."""
    known = tuple(known_cells)
    found: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, CellRef):
            for cell in _expand(node, bindings, known):
                found.setdefault(cell, None)
    return list(found)
