"""The parsers loaded from the pre-built tables are the ones Lark's own loader makes from the same tables."""

from __future__ import annotations

import lark
import pytest

from disclosure_lint import lalrtables


@pytest.mark.parametrize("grammar", sorted(lalrtables.TABLE_MODULES))
def test_the_quick_table_loader_gives_lark_s_own_parse_table(grammar: str) -> None:
    tables = lalrtables._tables(grammar)
    if lark.__version__ != tables.LARK_VERSION:
        pytest.skip(f"the tables were generated with Lark {tables.LARK_VERSION}, this is {lark.__version__}")
    options = lalrtables.parser_options()[grammar]
    quick = lalrtables.parser(grammar, **options)
    lexer = options.get("lexer")
    data = lalrtables._placed(tables.DATA, tables.LEXER_PATHS, lexer) if isinstance(lexer, type) else tables.DATA
    # Lark's own loader, given the states in its own form.
    data = {**data, "parser": {**data["parser"], "parser": dict(data["parser"]["parser"])}}
    data["parser"]["parser"]["states"] = lalrtables.lark_states(data["parser"]["parser"]["states"])
    own = lark.Lark._load_from_dict(data, tables.MEMO)

    assert isinstance(quick.parser.parser, lalrtables._TablesParser)
    assert not isinstance(own.parser.parser, lalrtables._TablesParser)
    quick_table, own_table = quick.parser.parser._parse_table, own.parser.parser._parse_table
    assert quick_table.start_states == own_table.start_states
    assert quick_table.end_states == own_table.end_states
    assert quick_table.states.keys() == own_table.states.keys()
    reduces = 0
    for state, actions in own_table.states.items():
        assert quick_table.states[state].keys() == actions.keys()
        for token, (action, arg) in actions.items():
            quick_action, quick_arg = quick_table.states[state][token]
            assert quick_action is action
            if action is lark.parsers.lalr_analysis.Reduce:
                reduces += 1
                # The same rule, field by field (Lark's RuleOptions have no equality of their own).
                assert quick_arg.serialize() == arg.serialize()
            else:
                assert quick_arg == arg
    assert reduces > 100


def test_the_report_tables_name_every_place_of_the_lexer_class() -> None:
    tables = lalrtables._tables("report.lark")
    placed = lalrtables._placed(tables.DATA, tables.LEXER_PATHS, int)
    assert lalrtables._paths_to(placed, lalrtables._LEXER_MARKER) == []
    assert lalrtables._paths_to(tables.DATA, lalrtables._LEXER_MARKER) == tables.LEXER_PATHS
    # Placing copies: the module's own data still holds the marker for the next parser built from it.
    assert placed["options"] is not tables.DATA["options"]
