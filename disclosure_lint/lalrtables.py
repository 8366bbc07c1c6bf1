"""The LALR parsers of the two grammars, pre-built so that start-up does not pay for them.

``grammars/expr.lark`` (rule conditions) and ``grammars/report.lark`` (the report layout) are the
reference. Building Lark's LALR tables from a grammar takes 30–100 ms, most of a cold start's work
before any report is read, so the tables are generated once, at build time, into ``_tables_*.py``
modules (plain literals: loading them runs no code and unpickles nothing) by::

    python -m disclosure_lint.lalrtables

Each table records its grammar's hash and Lark's version; when either differs (an edited grammar,
another Lark), the parser is built from the grammar file as before, so a stale table can only cost
time. ``tests/rules/test_compiled.py`` checks that the committed tables are those of the committed grammars.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import sys
from pathlib import Path
from typing import Any

import lark
from lark import Lark
from lark.parsers.lalr_parser import LALR_Parser

from .resources import grammar_path

# Grammar file -> the module its tables are written to (beside this one).
TABLE_MODULES = {"expr.lark": "_tables_expr", "report.lark": "_tables_report"}
_PACKAGE_DIR = Path(__file__).resolve().parent
# A custom lexer class cannot be written as a literal; the tables name it with this marker instead.
_LEXER_MARKER = "<lexer class given at load time>"


def _grammar_text(grammar: str) -> str:
    return grammar_path(grammar).read_text(encoding="utf-8")


def grammar_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_parser(text: str, options: dict[str, Any]) -> Lark:
    """The parser of grammar ``text``, built from scratch."""
    return Lark(text, **options)


@functools.cache
def _tables(grammar: str) -> Any | None:
    try:
        return importlib.import_module(f"{__package__}.{TABLE_MODULES[grammar]}")
    except ImportError:
        return None


def parser(grammar: str, **options: Any) -> Lark:
    """The parser of ``grammar`` under ``options``: from its pre-built tables when they match the grammar
    file and the installed Lark, else built from the grammar."""
    text = _grammar_text(grammar)
    tables = _tables(grammar)
    if tables is None or grammar_hash(text) != tables.GRAMMAR_SHA256 or lark.__version__ != tables.LARK_VERSION:
        return build_parser(text, options)
    lexer = options.get("lexer")
    data = _placed(tables.DATA, tables.LEXER_PATHS, lexer) if isinstance(lexer, type) else tables.DATA
    # The loader Lark's own standalone parsers use: it rebuilds the parser from plain data.
    return Lark._load_from_dict(data, tables.MEMO, _plugins={"LALR_Parser": _TablesParser})


class _TablesParser(LALR_Parser):
    """Lark's LALR parser, its parse table read from the tables with a dict lookup per reduce action.

    Lark's own loader (``LALR_Parser.deserialize`` and ``IntParseTable.deserialize``, which this repeats) resolves
    each action's rule with ``Rule.deserialize``: a generic call per action, about 4,000 of them in the report
    grammar (~6 ms of every start-up). In the tables every rule is a memo reference ``{"@": n}``, which that call
    resolves to ``memo[n]``; so does this, giving the same table. It runs only for tables generated with the
    installed Lark (see :func:`parser`), whose loader this is.

    The states are stored compactly (see :func:`_compact_states`); :func:`lark_states` gives them back in Lark's
    own form.
    """

    @classmethod
    def deserialize(cls, data: dict[str, Any], memo: dict[int, Any], callbacks: Any, debug: bool = False) -> Any:
        # Imported here: internals of the Lark the tables were made with, so another Lark falls back, never fails.
        from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
        from lark.parsers.lalr_parser import _Parser

        tokens = data["tokens"]
        states = {
            state: {
                tokens[token]: (Reduce, memo[arg]) if action == 1 else (Shift, arg)
                for token, action, arg in _actions(actions)
            }
            for state, actions in enumerate(data["states"])
        }
        loaded = cls.__new__(cls)
        loaded._parse_table = IntParseTable(states, data["start_states"], data["end_states"])
        loaded.parser = _Parser(loaded._parse_table, callbacks, debug)
        return loaded


def _placed(data: dict[str, Any], paths: list[tuple[str, ...]], value: object) -> dict[str, Any]:
    """``data`` with ``value`` at each of ``paths`` (keys from the top), copying only the dicts on the way so that
    the tables module's own ``DATA`` stays as generated."""
    data = dict(data)
    for path in paths:
        inner = data
        for key in path[:-1]:
            inner[key] = inner = dict(inner[key])
        inner[path[-1]] = value
    return data


def _swap(value: Any, old: object, new: object) -> Any:
    """``value`` with every ``old`` (compared by identity or equality) replaced by ``new``, copied."""
    if isinstance(value, dict):
        return {k: _swap(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_swap(v, old, new) for v in value]
    if isinstance(value, tuple):
        return tuple(_swap(v, old, new) for v in value)
    return new if value is old or (isinstance(value, str) and value == old) else value


def tables_source(grammar: str, options: dict[str, Any]) -> str:
    """The text of the tables module of ``grammar`` under ``options`` and the installed Lark."""
    import pprint  # (only generating the tables needs it)

    text = _grammar_text(grammar)
    data, memo = build_parser(text, options).memo_serialize([lark.lexer.TerminalDef, lark.grammar.Rule])
    lexer = options.get("lexer")
    if isinstance(lexer, type):
        data = _swap(data, lexer, _LEXER_MARKER)
    data, memo = _canonical(data, memo)
    states = _compact_states(data["parser"]["parser"]["states"])
    data["parser"]["parser"]["states"] = _STATES_MARKER
    data_text = pprint.pformat(data, width=110, sort_dicts=False).replace(repr(_STATES_MARKER), "STATES")
    return (
        f'"""Generated by ``python -m disclosure_lint.lalrtables`` from grammars/{grammar}: do not edit."""\n\n'
        f"GRAMMAR_SHA256 = {grammar_hash(text)!r}\n"
        f"LARK_VERSION = {lark.__version__!r}\n"
        # Where the marker stands, so that loading puts the lexer class there without walking all the tables.
        f"LEXER_PATHS = {_paths_to(data, _LEXER_MARKER)!r}\n"
        f"STATES = {_states_text(states)}\n"
        f"DATA = {data_text}\n"
        f"MEMO = {pprint.pformat(memo, width=110, sort_dicts=False)}\n"
    )


_STATES_MARKER = "<the states, written before the rest>"


def _states_text(states: tuple[tuple[int, ...], ...]) -> str:
    """``states`` as Python source, a state's ints on as few lines of at most 110 characters as they take."""
    import textwrap  # (only generating the tables needs it)

    lines = ["("]
    for actions in states:
        wrapped = textwrap.wrap(", ".join(map(str, actions)) + ",", width=104) if actions else [""]
        lines.append("    (" + ("\n     ".join(wrapped)) + "),")
    lines.append(")")
    return "\n".join(lines)


def _paths_to(value: Any, marker: str, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The key paths through nested dicts at which ``marker`` stands, in order; it must stand nowhere else."""
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _paths_to(v, marker, (*path, k))]
    if isinstance(value, list | tuple):
        if any(_paths_to(v, marker) for v in value):
            raise ValueError(f"the lexer marker stands in a list at {path}")
        return []
    return [path] if value == marker else []


def _canonical(data: dict[str, Any], memo: dict[int, Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """The same tables numbered the same way every time, so that regenerating them changes only what changed.

    Lark numbers LALR states, tokens and memoised rules in the order it meets them in sets, which changes from
    run to run; the tables mean the same, but each regeneration rewrote thousands of lines. Rules are numbered
    by their content, tokens by name and states in the breadth-first order they are reached from the start
    states, trying tokens by name.
    """
    memo_ids = {old: new for new, old in enumerate(sorted(memo, key=lambda i: repr(memo[i])))}
    new_memo = {memo_ids[old]: memo[old] for old in sorted(memo, key=memo_ids.__getitem__)}
    data = _renumber_refs(data, memo_ids)
    table = data["parser"]["parser"]
    names = table["tokens"]
    token_ids = {old: new for new, old in enumerate(sorted(names, key=names.__getitem__))}
    states = table["states"]
    state_ids: dict[int, int] = {}
    queue = [table["start_states"][name] for name in sorted(table["start_states"])]
    while queue:
        state = queue.pop(0)
        if state in state_ids:
            continue
        state_ids[state] = len(state_ids)
        for token in sorted(states[state], key=token_ids.__getitem__):
            action, arg = states[state][token]
            if action == 0:  # a shift (or goto): arg is the next state
                queue.append(arg)
    for state in states:  # unreachable states, if Lark ever leaves one: kept, numbered after the rest
        state_ids.setdefault(state, len(state_ids))
    table["tokens"] = {token_ids[old]: names[old] for old in sorted(names, key=token_ids.__getitem__)}
    table["states"] = {
        state_ids[old]: {
            token_ids[token]: (action, state_ids[arg] if action == 0 else arg)
            for token, (action, arg) in sorted(states[old].items(), key=lambda item: token_ids[item[0]])
        }
        for old in sorted(states, key=state_ids.__getitem__)
    }
    table["start_states"] = {name: state_ids[s] for name, s in sorted(table["start_states"].items())}
    table["end_states"] = {name: state_ids[s] for name, s in sorted(table["end_states"].items())}
    return data, new_memo


def _compact_states(states: dict[int, dict[int, tuple[int, Any]]]) -> tuple[tuple[int, ...], ...]:
    """The parse table's states, numbered 0, 1, … (see _canonical), as one tuple of ints each: (token, action, arg)
    for each of its actions in order, a reduction's rule given by its memo number.

    Written as plain tuples of ints, the table is one constant of the compiled module, read by the bytecode loader
    in C; as Lark's dicts (``{token: (action, arg)}``, a rule as ``{"@": n}``), building its 4,000 actions was
    most of importing the report grammar's tables."""
    assert list(states) == list(range(len(states)))
    return tuple(
        tuple(part for token, (action, arg) in actions.items() for part in (token, action, arg["@"] if action else arg))
        for actions in states.values()
    )


def _actions(state: tuple[int, ...]) -> zip[tuple[int, int, int]]:
    """A compact state's actions, each as (token, action, arg)."""
    return zip(state[::3], state[1::3], state[2::3])


def lark_states(compact: tuple[tuple[int, ...], ...]) -> dict[int, dict[int, tuple[int, Any]]]:
    """The states of :func:`_compact_states` in Lark's own serialised form (for Lark's loader)."""
    return {
        state: {token: (action, {"@": arg} if action == 1 else arg) for token, action, arg in _actions(actions)}
        for state, actions in enumerate(compact)
    }


def _renumber_refs(value: Any, ids: dict[int, int]) -> Any:
    """``value`` with every memo reference ``{"@": old}`` made ``{"@": ids[old]}``, copied."""
    if isinstance(value, dict):
        if set(value) == {"@"}:
            return {"@": ids[value["@"]]}
        return {k: _renumber_refs(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_renumber_refs(v, ids) for v in value]
    if isinstance(value, tuple):
        return tuple(_renumber_refs(v, ids) for v in value)
    return value


def parser_options() -> dict[str, dict[str, Any]]:
    """Each grammar's parser options, as the modules that use the parsers set them."""
    from .parser import REPORT_PARSER_OPTIONS
    from .rules.exprparse import EXPR_PARSER_OPTIONS

    return {"expr.lark": EXPR_PARSER_OPTIONS, "report.lark": REPORT_PARSER_OPTIONS}


def main() -> int:
    for grammar, options in parser_options().items():
        path = _PACKAGE_DIR / f"{TABLE_MODULES[grammar]}.py"
        path.write_text(tables_source(grammar, options), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
