"""The table of settings drives files, flags, layering and ``config --show``: a new setting is one entry."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from disclosure_lint import config
from disclosure_lint.bilingual import Text
from disclosure_lint.cli import build_parser
from disclosure_lint.config import (
    Flag,
    cli_options,
    env_options,
    file_keys,
    flag_values,
    load_config_file,
    profile_keys,
    resolve,
    scalar,
)
from disclosure_lint.errors import ConfigError

FIXTURES = Path(__file__).parent / "fixtures" / "workflows"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shown(settings: config.Settings, lang: str = "en") -> list[tuple[str, str, str]]:
    return [(s.key, s.value, s.origin) for s in settings.show(lang)]


def test_show_lists_every_setting_in_the_table_order_with_its_origin(tmp_path: Path) -> None:
    cfg = write(
        tmp_path / ".disclosure-lint.yaml",
        "profile: strict\nignore: [S007]\nseverity:\n  N501: error\n  T: warning\n"
        "per-file-ignores:\n  'archive/**': [A, T102]\nfail-on: warning\nexclude: ['drafts/', '*.bak.md']\n"
        "baseline: b.json\npairing: false\npair-by: p.csv\nmax-file-size: 10\nmax-memory: 100\nextend-select: [S]\n",
    )
    s = resolve(load_config_file(cfg), cli_options(cwd=tmp_path, lang="en"), env_options({}))
    at = f"{cfg}:"
    assert shown(s) == [
        ("profile", "strict", at + "1"),
        ("select", "ALL", "default"),
        ("extend-select", "S", at + "15"),
        ("ignore", "S007", at + "2"),
        ("severity.N501", "error", at + "4"),
        ("severity.S003", "error", "profile strict"),
        ("severity.S004", "error", "profile strict"),
        ("severity.T", "warning", at + "5"),
        ("severity.T102", "error", "profile strict"),
        ("per-file-ignores.archive/**", "A, T102", at + "7"),
        ("fail-on", "warning", at + "8"),
        ("lang", "en", "command line"),
        ("exclude", "drafts/", at + "9"),
        ("exclude", "*.bak.md", at + "9"),
        ("baseline", str(tmp_path.resolve() / "b.json"), at + "10"),
        ("pairing", "false", at + "11"),
        ("pair-by", str(tmp_path.resolve() / "p.csv"), at + "12"),
        ("max-file-size", "10 MB", at + "13"),
        ("max-memory", "100 MB", at + "14"),
        ("rules.enabled", f"{len(s.enabled)}/{len(s.ruleset.rules)}", "from the settings above"),
        ("rules.disabled", "S007", "from the settings above"),
    ]
    assert s.baseline == tmp_path.resolve() / "b.json" and s.pairing is False and s.max_memory_mb == 100
    assert s.values["max-file-size"] == 10 and s.values["fail-on"] is s.fail_on


def test_defaults_show_as_defaults(tmp_path: Path) -> None:
    s = resolve(None, cli_options(cwd=tmp_path), env_options({}))
    rows = {key: (value, origin) for key, value, origin in shown(s)}
    assert rows["profile"] == ("default", "default") and rows["baseline"] == ("-", "default")
    assert rows["pairing"] == ("true", "default") and rows["max-memory"] == ("-", "default")
    assert rows["max-file-size"] == ("50 MB", "default") and rows["fail-on"] == ("error", "default")


def test_the_key_lists_come_from_the_table() -> None:
    assert file_keys() == tuple(s.key for s in config.SETTINGS)
    assert set(profile_keys()) == {"select", "ignore", "extend-select", "severity", "fail-on"}
    assert "extend-exclude" not in file_keys()  # a command-line flag of "exclude", not a key of its own


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("check", {"--select", "--profile", "--lang", "--rule-dir", "--baseline", "--no-pairing", "--max-memory"}),
        ("rules", {"--select", "--profile", "--exclude", "--lang", "--rule-dir"}),
        ("extract", {"--lang", "--rule-dir"}),
    ],
)
def test_each_command_takes_the_flags_its_group_gives(command: str, expected: set[str]) -> None:
    sub = _subparser(build_parser("en"), command)
    options = set(sub._option_string_actions)
    assert expected <= options
    wanted = {"all"} | ({"settings", "check"} if command == "check" else {"settings"} if command == "rules" else set())
    assert {f.option for f in config.flags() if f.commands in wanted} <= options
    assert not {f.option for f in config.flags() if f.commands not in wanted} & options


def test_parsed_flags_become_the_command_line_layer(tmp_path: Path) -> None:
    args = build_parser("en").parse_args(
        [
            *("check", "r.txt", "--select", "a,S", "--severity", "A301=info", "--no-pairing", "--max-file-size", "3"),
            *("--rule-dir", str(FIXTURES / "province-rules"), "--extend-exclude", "old/"),
        ]
    )
    values = flag_values(args)
    assert values["select"] == "a,S" and values["pairing"] is False and values["max_file_size"] == 3
    assert "baseline" not in values and "profile" not in values  # not given: left to the other sources
    s = resolve(None, cli_options(cwd=tmp_path, **values), env_options({}))
    assert "A301" in s.enabled and "S007" in s.enabled and all(c[0] in "AS" for c in s.enabled)
    assert any(r.code.startswith("P") for r in s.ruleset.rules)  # the --rule-dir's rules were loaded
    assert s.severities["A301"].value == "info" and s.pairing is False and s.max_file_size_mb == 3
    assert s.exclude == [("old/", tmp_path)]
    assert cli_options(pairing=False).pairing is not None  # the layer still answers by attribute


def test_cli_options_refuses_a_keyword_no_flag_has() -> None:
    with pytest.raises(TypeError, match="no_such"):
        cli_options(no_such="x")


# --- adding a setting --------------------------------------------------------------------------------


def _pages(node: Any, key: str, opts: config.Options, line: int | None) -> int:
    if isinstance(node.data, bool) or not isinstance(node.data, int) or node.data < 1:
        raise config._error(Text(f"“{key}”应为正整数", f"'{key}' must be a positive whole number"), opts.origin, line)
    return node.data


MAX_PAGES = scalar(
    "max-pages",
    _pages,
    default=200,
    flags=(Flag("--max-pages", Text("最多读取的 PDF 页数", "most PDF pages read"), "check", metavar="N", type=int),),
    show=lambda pages: f"{pages} pages",
)


@pytest.fixture
def with_max_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "SETTINGS", (*config.SETTINGS, MAX_PAGES))


def test_a_new_setting_is_read_from_a_file_and_shown(tmp_path: Path, with_max_pages: None) -> None:
    cfg = write(tmp_path / ".disclosure-lint.yaml", "lang: en\nmax-pages: 7\n")
    s = resolve(load_config_file(cfg), cli_options(cwd=tmp_path), env_options({}))
    assert s.values["max-pages"] == 7
    assert ("max-pages", "7 pages", f"{cfg}:2") in shown(s)
    default = resolve(None, cli_options(cwd=tmp_path), env_options({}))
    assert default.values["max-pages"] == 200 and ("max-pages", "200 pages", "default") in shown(default)


def test_a_new_setting_is_checked_and_suggested(tmp_path: Path, with_max_pages: None) -> None:
    with pytest.raises(ConfigError) as info:
        load_config_file(write(tmp_path / ".disclosure-lint.yaml", "lang: en\nmax-pages: many\n"))
    assert info.value.line == 2 and "'max-pages' must be a positive whole number" in info.value.message("en")
    with pytest.raises(ConfigError) as info:
        load_config_file(write(tmp_path / ".disclosure-lint.yaml", "max-page: 7\n"))
    assert "did you mean 'max-pages'" in info.value.message("en")
    toml = write(tmp_path / "pyproject.toml", '[tool.disclosure-lint]\n"max-pages" = 9\n')
    assert load_config_file(toml).max_pages.value == 9


def test_a_new_setting_has_its_flag_and_the_command_line_wins(tmp_path: Path, with_max_pages: None) -> None:
    parser = build_parser("en")
    assert "most PDF pages read" in _subparser(parser, "check").format_help()
    args = parser.parse_args(["check", "r.txt", "--max-pages", "3"])
    cfg = write(tmp_path / ".disclosure-lint.yaml", "max-pages: 7\n")
    s = resolve(load_config_file(cfg), cli_options(cwd=tmp_path, **flag_values(args)), env_options({}))
    assert s.values["max-pages"] == 3 and ("max-pages", "3 pages", "command line") in shown(s)
    with pytest.raises(ConfigError) as info:  # not stated as allowed in a preset
        config._options(
            config._Node({"max-pages": 1}, 1, entries=[("max-pages", 1, config._Node(1, 1))]),
            config.Origin("profile", "p"),
            tmp_path,
            profile_keys(),
        )
    assert "not allowed in a profile" in info.value.message("en")


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[command]
