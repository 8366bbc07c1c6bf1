"""Configuration: discovery, strict validation with file:line and hints, presets, layering (issue #4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from disclosure_lint.config import (
    Resolver,
    available_profiles,
    cli_options,
    env_options,
    glob_matches,
    load_config_file,
    load_profile,
    resolve,
)
from disclosure_lint.diagnostics import Severity
from disclosure_lint.errors import ConfigError
from disclosure_lint.rules.engine import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "workflows"
ALL_CODES = {r.code for r in load_rules().rules}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def settings(tmp_path: Path, text: str, **cli: object):
    cfg = write(tmp_path / ".disclosure-lint.yaml", text)
    return resolve(load_config_file(cfg), cli_options(cwd=tmp_path, **cli), env_options({}))


def config_error(tmp_path: Path, text: str, name: str = ".disclosure-lint.yaml") -> ConfigError:
    cfg = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        resolve(load_config_file(cfg), cli_options(cwd=tmp_path), env_options({}))
    assert info.value.path == str(cfg)
    return info.value


# --- discovery ------------------------------------------------------------------------------------


def test_nearest_file_wins_and_parents_are_not_merged(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "ignore: [S007]\n")
    write(tmp_path / "county" / ".disclosure-lint.yaml", "ignore: [N501]\n")
    report = write(tmp_path / "county" / "2024" / "r.txt", "x")
    resolver = Resolver(cli_options(cwd=tmp_path), environ={})
    near = resolver.settings_for(report)
    assert near.config_path == tmp_path / "county" / ".disclosure-lint.yaml"
    assert "N501" not in near.enabled and "S007" in near.enabled  # the parent file is not merged in
    top = resolver.settings_for(write(tmp_path / "other" / "r.txt", "x"))
    assert top.config_path == tmp_path / ".disclosure-lint.yaml"
    assert "S007" not in top.enabled


def test_pyproject_with_tool_table_is_found_and_one_without_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.disclosure-lint]\nignore = ["A3"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "x"\n')
    resolver = Resolver(cli_options(cwd=tmp_path), environ={})
    s = resolver.settings_for(write(tmp_path / "pkg" / "r.txt", "x"))
    assert s.config_path == tmp_path / "pyproject.toml"
    assert not {c for c in s.enabled if c.startswith("A3")}


def test_dedicated_file_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.disclosure-lint]\nignore = ["A3"]\n')
    write(tmp_path / ".disclosure-lint.yaml", "ignore: [S007]\n")
    s = Resolver(cli_options(cwd=tmp_path), environ={}).settings_for(tmp_path / "r.txt")
    assert s.config_path == tmp_path / ".disclosure-lint.yaml"
    assert "A301" in s.enabled and "S007" not in s.enabled


def test_explicit_config_and_isolated(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "ignore: [S007]\n")
    other = write(tmp_path / "elsewhere" / "ci.yaml", "ignore: [N501]\n")
    report = tmp_path / "r.txt"
    explicit = Resolver(cli_options(cwd=tmp_path), config_file=other, environ={}).settings_for(report)
    assert "N501" not in explicit.enabled and "S007" in explicit.enabled
    isolated = Resolver(cli_options(cwd=tmp_path), isolated=True, environ={}).settings_for(report)
    assert isolated.config_path is None and isolated.enabled == ALL_CODES
    with pytest.raises(ConfigError):
        Resolver(cli_options(cwd=tmp_path), config_file=other, isolated=True, environ={})


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("lang: en\nfail_on: warning\n", 2, "did you mean 'fail-on'"),
        ("per_file_ignores: {}\n", 1, "did you mean 'per-file-ignores'"),
        ("ignore:\n  - S007\n  - T1O1\n", 3, "did you mean 'T101'"),
        ("select: [A3, Q9]\n", 1, "unknown rule code 'Q9'"),
        ("severity:\n  A301: fatal\n", 2, "error, warning, info"),
        ("severity:\n  A31: error\n", 2, "unknown rule code 'A31'"),
        ("per-file-ignores:\n  'old/*.txt':\n    - S007\n    - X123\n", 4, "unknown rule code 'X123'"),
        ("ignore: S007\n", 1, "must be a list"),
        ("profile: strikt\n", 1, "did you mean 'strict'"),
        ("lang: fr\n", 1, "zh, en"),
        ("fail-on: errors\n", 1, "did you mean 'error'"),
        ("exclude: drafts\n", 1, "must be a list"),
        ("rule-dirs: [no-such-dir]\n", 1, "rule directory not found"),
        ("ignore: [S007]\nignore: [N501]\n", 2, "duplicate key 'ignore'"),
        ("- S007\n", 1, "must be a mapping"),
        ("ignore: [S007\n", 2, "YAML syntax error"),
    ],
)
def test_mistakes_name_the_file_and_line(tmp_path, text, line, fragment):
    err = config_error(tmp_path, text)
    assert err.line == line, err.located("en")
    assert fragment in err.message("en"), err.message("en")
    assert err.message("zh") != err.message("en")  # Chinese by default, English on request


def test_pyproject_mistakes_carry_a_line_too(tmp_path):
    text = '[project]\nname = "x"\n\n[tool.disclosure-lint]\nlang = "en"\nignore = [\n  "S007",\n  "T1O1",\n]\n'
    err = config_error(tmp_path, text, name="pyproject.toml")
    assert err.line == 8 and "did you mean 'T101'" in err.message("en")
    err = config_error(tmp_path, '[tool.disclosure-lint]\nfailon = "warning"\n', name="pyproject.toml")
    assert err.line == 2 and "fail-on" in err.message("en")


def test_an_empty_file_means_defaults(tmp_path):
    s = settings(tmp_path, "# nothing yet\n")
    assert s.enabled == ALL_CODES and s.fail_on is Severity.ERROR and s.lang == "zh" and s.profile == "default"


def test_command_line_codes_are_validated_too(tmp_path):
    with pytest.raises(ConfigError) as info:
        resolve(None, cli_options(cwd=tmp_path, ignore="S007,A3O1"), env_options({}))
    assert "--ignore" in info.value.message("en") and "A301" in info.value.message("en")
    with pytest.raises(ConfigError):
        cli_options(cwd=tmp_path, severity=["A301:error"])
    with pytest.raises(ConfigError):
        env_options({"DISCLOSURE_LINT_LANG": "de"})


# --- layering -------------------------------------------------------------------------------------


def test_command_line_beats_file_beats_profile(tmp_path):
    s = settings(tmp_path, "profile: strict\nseverity:\n  T102: info\n  A301: warning\n", severity=["A301=info"])
    assert s.profile == "strict"
    assert s.severities["T102"] is Severity.INFO  # the file beats the preset
    assert s.severities["A301"] is Severity.INFO  # the command line beats the file
    assert s.severities["S004"] is Severity.ERROR  # from the preset, untouched


def test_select_starts_over_per_source_and_ignore_narrows(tmp_path):
    s = settings(tmp_path, "select: [A3]\nextend-select: [S007]\nignore: [A304]\n")
    assert s.enabled == {"A300", "A301", "A302", "A303", "S007"}
    narrowed = settings(tmp_path, "select: [A3]\nignore: [A304]\n", ignore="A303")
    assert narrowed.enabled == {"A300", "A301", "A302"}
    replaced = settings(tmp_path, "select: [A3]\n", select="S")
    assert replaced.enabled == {c for c in ALL_CODES if c.startswith("S")}
    everything = settings(tmp_path, "select: [ALL]\nignore: [T]\n")
    assert everything.enabled == {c for c in ALL_CODES if not c.startswith("T")}


def test_most_specific_severity_wins_within_a_file(tmp_path):
    s = settings(tmp_path, "severity:\n  T101: warning\n  T: info\n")
    assert s.severities["T101"] is Severity.WARNING
    assert s.severities["T102"] is Severity.INFO


def test_severity_equal_to_the_rule_default_is_not_an_override(tmp_path):
    assert "A301" not in settings(tmp_path, "severity: {A301: error}\n").severities


def test_per_file_ignores_are_relative_to_the_config_directory(tmp_path):
    s = settings(tmp_path, "per-file-ignores:\n  'archive/**': [A, S007]\n  '*.docx': [N501]\n")
    assert "A301" not in s.codes_for(tmp_path / "archive" / "2019" / "r.txt")
    assert "S007" not in s.codes_for(tmp_path / "archive" / "r.txt")
    assert "A301" in s.codes_for(tmp_path / "current" / "archive.txt")
    assert "N501" not in s.codes_for(tmp_path / "drafts" / "r.docx")
    assert s.codes_for(tmp_path.parent / "archive" / "r.txt") == s.enabled  # outside the config's tree


def test_rule_dirs_are_relative_to_the_config_file(tmp_path):
    shutil.copytree(FIXTURES / "province-rules", tmp_path / "province-rules")
    s = settings(tmp_path, "rule-dirs: [province-rules]\nseverity: {P901: warning}\n")
    assert "P901" in s.enabled and s.severities["P901"] is Severity.WARNING
    assert s.rule_dirs == (str((tmp_path / "province-rules").resolve()),)


def test_environment_language_beats_file_and_loses_to_command_line(tmp_path):
    cfg = load_config_file(write(tmp_path / ".disclosure-lint.yaml", "lang: zh\n"))
    env = env_options({"DISCLOSURE_LINT_LANG": "en"})
    assert resolve(cfg, cli_options(cwd=tmp_path), env).lang == "en"
    assert resolve(cfg, cli_options(cwd=tmp_path, lang="zh"), env).lang == "zh"


def test_show_names_the_origin_of_each_value(tmp_path):
    s = settings(tmp_path, "profile: strict\nignore:\n  - S007\n", fail_on="warning")
    shown = {(x.key, x.value): x.origin for x in s.show("en")}
    cfg = tmp_path / ".disclosure-lint.yaml"
    assert shown[("ignore", "S007")] == f"{cfg}:3"
    assert shown[("profile", "strict")] == f"{cfg}:1"
    assert shown[("severity.T102", "error")] == "profile strict"
    assert shown[("fail-on", "warning")] == "command line"
    assert shown[("lang", "zh")] == "default"


# --- presets --------------------------------------------------------------------------------------


def test_presets_ship_with_the_package_and_are_valid():
    assert {"default", "strict"} <= set(available_profiles())
    for name in available_profiles():
        resolve(None, cli_options(profile=name), env_options({}))  # raises on any unknown code or key


def test_strict_raises_the_format_warnings_to_errors():
    strict = {item.value: level for item, level in load_profile("strict").severity}
    assert strict == {"T102": Severity.ERROR, "S003": Severity.ERROR, "S004": Severity.ERROR}
    default = resolve(None, cli_options(), env_options({}))
    assert default.severities == {}


def test_a_preset_may_only_adjust_rules(tmp_path, monkeypatch):
    from disclosure_lint import config

    write(tmp_path / "county.yaml", "severity: {S007: error}\nrule-dirs: [x]\n")
    monkeypatch.setattr(config, "_profiles_dir", lambda: tmp_path)
    config.available_profiles.cache_clear()
    config.load_profile.cache_clear()
    try:
        with pytest.raises(ConfigError) as info:
            load_profile("county")
        assert info.value.line == 2 and "not allowed in a profile" in info.value.message("en")
    finally:
        monkeypatch.undo()
        config.available_profiles.cache_clear()
        config.load_profile.cache_clear()


# --- globs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        ("drafts", "a/drafts/r.txt", False, True),  # a bare name matches any component
        ("drafts/", "a/drafts", True, True),
        ("drafts/", "a/drafts", False, False),  # trailing slash: directories only
        ("*.docx", "x/y/r.docx", False, True),
        ("archive/*.txt", "archive/r.txt", False, True),
        ("archive/*.txt", "archive/2019/r.txt", False, False),  # "*" stays in one segment
        ("archive/**/*.txt", "archive/2019/r.txt", False, True),
        ("archive/**", "archive/2019/r.txt", False, True),
        ("archive/2019", "archive/2019/q4/r.txt", False, True),  # an anchored directory covers its tree
        ("archive", "current/r.txt", False, False),
        ("r[0-9].md", "r7.md", False, True),
        ("r[!0-9].md", "r7.md", False, False),
        ("./old/r.txt", "old/r.txt", False, True),
    ],
)
def test_glob_matching(tmp_path, pattern, path, is_dir, expected):
    assert glob_matches(pattern, tmp_path / path, tmp_path, is_dir=is_dir) is expected


# --- the documentation's examples are valid configurations -------------------------------------


def _blocks(language: str) -> list[str]:
    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text(encoding="utf-8")
    parts = text.split(f"```{language}\n")[1:]
    return [p.split("```")[0] for p in parts]


@pytest.mark.parametrize("block", _blocks("yaml"))
def test_yaml_examples_in_the_docs_validate(tmp_path, block):
    shutil.copytree(FIXTURES / "province-rules", tmp_path / "rules" / "province")
    settings(tmp_path, block)


@pytest.mark.parametrize("block", _blocks("toml"))
def test_toml_examples_in_the_docs_validate(tmp_path, block):
    cfg = write(tmp_path / "pyproject.toml", block)
    resolve(load_config_file(cfg), cli_options(cwd=tmp_path), env_options({}))


@pytest.mark.parametrize(
    "text",
    [
        '[tool.disclosure-lint]\nignore = ["A3"]\n',
        '[tool."disclosure-lint"]\nignore = ["A3"]\n',
        '[tool]\ndisclosure-lint = { ignore = ["A3"] }\n',
        '[tool]\n"disclosure-lint".ignore = ["A3"]\n',
        'tool.disclosure-lint.ignore = ["A3"]\n',
    ],
)
def test_every_way_toml_writes_our_table_is_found(tmp_path, text):
    write(tmp_path / "pyproject.toml", text + '\n[project]\nname = "reports"\n')
    s = Resolver(cli_options(cwd=tmp_path)).settings_for(tmp_path / "r.txt")
    assert s.config_path == tmp_path / "pyproject.toml" and "A3" not in s.enabled


def test_a_broken_pyproject_that_only_depends_on_the_tool_is_not_ours_to_report(tmp_path):
    broken = '[project]\nname = "disclosure-lint-reports"\ndependencies = ["disclosure-lint>=0.1", = ]\n'
    write(tmp_path / "pyproject.toml", broken)
    assert Resolver(cli_options(cwd=tmp_path)).settings_for(tmp_path / "r.txt").config_path is None
    write(tmp_path / "pyproject.toml", broken + '\n[tool.disclosure-lint]\nignore = ["A3"]\n')
    with pytest.raises(ConfigError):
        Resolver(cli_options(cwd=tmp_path)).settings_for(tmp_path / "r.txt")
