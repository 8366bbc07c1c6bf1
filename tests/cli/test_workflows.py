"""Every workflow through the real command line: configuration, baselines, batches, outputs (issue #4)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import reportgen
import yaml
from conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent.parent / "fixtures" / "workflows"
SEED0 = "000_9e832b1717b2646d.txt"  # 1 error (A300: the （七）总计 row left at 0), 1 warning (S007), 1 info (S011)
SEED1 = "001_f216bc686eab11d1.txt"  # warnings only, among them S004
SEED4 = "004_1e860eacff34bb2b.txt"  # one warning: N501 (and the info S011)


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: bytes | None = None):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    base.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "disclosure_lint", *args], cwd=cwd, env=base, capture_output=True, input=stdin
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


def seed(name: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shared_path("seeds", name), dest)
    return dest


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def clean_text() -> str:
    return reportgen.render("tab")


def faulty_text() -> str:
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    t3["total"][0] += 1  # （七）总计 × 自然人 one too many: A301, A302 and A304 fail
    return reportgen.render("tab", t3=t3)


def findings(stdout: str) -> list[tuple[str, str, str]]:
    """(file name, rule, severity) for every finding in a JSON document."""
    doc = json.loads(stdout)
    return [(Path(f["path"]).name, d["rule"], d["severity"]) for f in doc["files"] for d in f["diagnostics"]]


def rules_of(stdout: str) -> set[str]:
    return {rule for _, rule, _ in findings(stdout)}


# --- exit codes -----------------------------------------------------------------------------------


def test_exit_codes_zero_one_two(tmp_path):
    clean = write(tmp_path / "clean.txt", clean_text())
    faulty = write(tmp_path / "faulty.txt", faulty_text())
    assert run("check", str(clean), cwd=tmp_path).returncode == 0
    p = run("check", str(faulty), cwd=tmp_path)
    assert p.returncode == 1 and "A301" in p.stdout
    p = run("check", str(clean), str(tmp_path / "missing.txt"), "--format", "json", cwd=tmp_path)
    assert p.returncode == 2
    assert "missing.txt" in p.stderr and "文件不存在" in p.stderr
    assert [f["path"] for f in json.loads(p.stdout)["files"]] == [str(clean), str(tmp_path / "missing.txt")]
    assert run("check", str(faulty), "--exit-zero", cwd=tmp_path).returncode == 0
    assert run("check", str(tmp_path / "missing.txt"), "--exit-zero", cwd=tmp_path).returncode == 2


def test_unreadable_file_is_reported_and_the_others_still_checked(tmp_path):
    write(tmp_path / "empty.txt", "")
    report = seed(SEED0, tmp_path / "r.txt")
    p = run("check", "empty.txt", str(report), cwd=tmp_path)
    assert p.returncode == 2
    assert "错误: empty.txt: 文件" in p.stdout  # the reason comes from the reader, in Chinese
    assert "错误[A300]" in p.stdout  # the readable file was still checked


# --- configuration --------------------------------------------------------------------------------


def test_config_is_found_upward_from_each_file(tmp_path):
    proj = tmp_path / "proj"
    write(proj / ".disclosure-lint.yaml", "ignore: [S007]\n")
    write(proj / "county" / ".disclosure-lint.yaml", "select: [S007]\n")
    seed(SEED0, proj / "city" / "2024" / "a.txt")
    seed(SEED0, proj / "county" / "2024" / "b.txt")
    p = run("check", "--format", "json", str(proj / "city"), str(proj / "county"), cwd=tmp_path)
    got = findings(p.stdout)
    assert {r for f, r, _ in got if f == "a.txt"} == {"A300", "S011"}  # proj/ config: S007 ignored
    assert {r for f, r, _ in got if f == "b.txt"} == {"S007"}  # nearest config wins, no merging


def test_pyproject_table(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "reports"\n\n[tool.disclosure-lint]\nignore = ["A3"]\n')
    report = seed(SEED0, tmp_path / "reports" / "r.txt")
    p = run("check", "--format", "json", str(report), cwd=tmp_path)
    assert rules_of(p.stdout) == {"S007", "S011"}
    assert p.returncode == 0  # only a warning and an info are left


def test_isolated_and_explicit_config(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "ignore: [A, S]\n")
    other = write(tmp_path / "ci" / "strict.yaml", "select: [S007]\nseverity: {S007: error}\n")
    report = seed(SEED0, tmp_path / "r.txt")
    assert rules_of(run("check", "--format", "json", "r.txt", cwd=tmp_path).stdout) == set()
    assert rules_of(run("check", "--format", "json", "--isolated", "r.txt", cwd=tmp_path).stdout) == {
        "A300",
        "S007",
        "S011",
    }
    p = run("check", "--format", "json", "--config", str(other), str(report), cwd=tmp_path)
    assert findings(p.stdout) == [("r.txt", "S007", "error")] and p.returncode == 1
    p = run("check", "--config", str(other), "--isolated", "r.txt", cwd=tmp_path)
    assert p.returncode == 2 and "--isolated" in p.stderr


def test_strict_validation_error_names_file_line_and_suggestion(tmp_path):
    cfg = write(tmp_path / ".disclosure-lint.yaml", "lang: en\nignore:\n  - S007\n  - T1O1\n")
    seed(SEED4, tmp_path / "r.txt")
    p = run("check", "r.txt", cwd=tmp_path)
    assert p.returncode == 2 and p.stdout == ""
    assert f"{cfg}:4:" in p.stderr and "T1O1" in p.stderr and "T101" in p.stderr
    write(cfg, "fail_on: warning\n")
    p = run("check", "--lang", "en", "r.txt", cwd=tmp_path)
    assert p.returncode == 2
    assert f"{cfg}:1: unknown key 'fail_on'; did you mean 'fail-on'?" in p.stderr


def test_per_file_ignores(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "per-file-ignores:\n  'archive/**': [A]\n")
    seed(SEED0, tmp_path / "archive" / "2019" / "old.txt")
    seed(SEED0, tmp_path / "current" / "new.txt")
    got = findings(run("check", "--format", "json", ".", cwd=tmp_path).stdout)
    assert {r for f, r, _ in got if f == "old.txt"} == {"S007", "S011"}
    assert {r for f, r, _ in got if f == "new.txt"} == {"A300", "S007", "S011"}


def test_severity_override_from_file_and_command_line(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "severity:\n  N501: error\n")
    seed(SEED4, tmp_path / "r.txt")
    p = run("check", "--format", "json", "r.txt", cwd=tmp_path)
    assert findings(p.stdout) == [("r.txt", "N501", "error"), ("r.txt", "S011", "info")] and p.returncode == 1
    p = run("check", "--format", "json", "--severity", "N501=info", "r.txt", cwd=tmp_path)
    assert findings(p.stdout) == [("r.txt", "N501", "info"), ("r.txt", "S011", "info")] and p.returncode == 0


def test_strict_profile_turns_warnings_into_failures(tmp_path):
    seed(SEED1, tmp_path / "r.txt")
    assert run("check", "r.txt", cwd=tmp_path).returncode == 0
    p = run("check", "--format", "json", "--profile", "strict", "r.txt", cwd=tmp_path)
    assert ("r.txt", "S004", "error") in findings(p.stdout) and p.returncode == 1
    write(tmp_path / ".disclosure-lint.yaml", "profile: strict\n")
    assert run("check", "r.txt", cwd=tmp_path).returncode == 1


def test_fail_on_and_lang_from_the_configuration(tmp_path):
    seed(SEED4, tmp_path / "r.txt")
    write(tmp_path / ".disclosure-lint.yaml", "fail-on: warning\nlang: en\n")
    p = run("check", "--format", "concise", "r.txt", cwd=tmp_path)
    assert p.returncode == 1 and "1 file checked" in p.stdout
    p = run("check", "--format", "concise", "--fail-on", "error", "--lang", "zh", "r.txt", cwd=tmp_path)
    assert p.returncode == 0 and "共检查 1 个文件" in p.stdout


def test_rule_dirs_from_the_configuration(tmp_path):
    shutil.copytree(FIXTURES / "province-rules", tmp_path / "province-rules")
    write(tmp_path / ".disclosure-lint.yaml", "rule-dirs: [province-rules]\nselect: [P]\n")
    write(tmp_path / "r.txt", clean_text())
    p = run("check", "--format", "json", "r.txt", cwd=tmp_path)
    assert findings(p.stdout) == [("r.txt", "P901", "info")]


def test_config_show_tells_where_values_come_from(tmp_path):
    cfg = write(tmp_path / ".disclosure-lint.yaml", "profile: strict\nignore:\n  - S007\n")
    p = run("config", "--show", "--lang", "en", "--extend-select", "S", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == f"configuration file: {cfg}"

    def line_for(key: str) -> str:
        return next(line for line in lines if line.split()[0] == key)

    assert line_for("ignore").endswith(f"# {cfg}:3")
    assert line_for("extend-select").endswith("# command line")
    assert line_for("select").endswith("# default")
    assert line_for("severity.T102").endswith("# profile strict")
    assert line_for("fail-on").endswith("# default")
    # A command-line --select starts the selection over, so the file's ignore no longer applies.
    p = run("config", "--lang", "en", "--select", "S", cwd=tmp_path)
    assert "ignore" not in p.stdout
    assert ["select", "S", "#", "command", "line"] in [line.split() for line in p.stdout.splitlines()]
    doc = json.loads(run("config", "--format", "json", cwd=tmp_path).stdout)
    assert {"key": "ignore", "value": "S007", "origin": f"{cfg}:3"} in doc["settings"]
    p = run("config", "--show", cwd=tmp_path, env={"DISCLOSURE_LINT_LANG": "en"})
    assert "# environment DISCLOSURE_LINT_LANG" in p.stdout


# --- baselines ------------------------------------------------------------------------------------


def test_baseline_write_then_only_new_findings(tmp_path):
    report = seed(SEED0, tmp_path / "reports" / "r.txt")
    p = run("check", "--write-baseline", "baseline.json", "reports", cwd=tmp_path)
    assert p.returncode == 0 and "3" in p.stderr
    doc = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    entries = doc["files"]["reports/r.txt"]
    assert sum(e["count"] for e in entries) == 3
    assert not any(str(e.get("line", "")) for e in entries)  # keyed by cells, never by line numbers

    p = run("check", "--baseline", "baseline.json", "reports", cwd=tmp_path)
    assert p.returncode == 0 and "错误[" not in p.stdout and "3" in p.stderr

    # Lines added above the tables shift every line number; the findings are still known.
    text = report.read_text(encoding="utf-8")
    report.write_text("（附：本报告电子版）\n\n" + text, encoding="utf-8")
    p = run("check", "--baseline", "baseline.json", "--format", "json", "reports", cwd=tmp_path)
    assert findings(p.stdout) == [] and p.returncode == 0

    # A finding that is not in the baseline is reported and fails.
    faulty = write(tmp_path / "reports" / "new.txt", faulty_text())
    p = run("check", "--baseline", "baseline.json", "--format", "json", "reports", cwd=tmp_path)
    assert {f for f, _, _ in findings(p.stdout)} == {faulty.name} and p.returncode == 1


def test_baseline_stale_entries_are_reported(tmp_path):
    report = seed(SEED0, tmp_path / "r.txt")
    run("check", "--write-baseline", "b.json", "r.txt", cwd=tmp_path)
    report.write_text(clean_text(), encoding="utf-8")  # every recorded problem has been fixed
    p = run("check", "--baseline", "b.json", "--format", "json", "--lang", "en", "r.txt", cwd=tmp_path)
    assert p.returncode == 0
    stale = json.loads(p.stdout)["baseline"]["stale"]
    assert sum(s["count"] for s in stale) == 3 and {s["path"] for s in stale} == {"r.txt"}
    assert "3 baseline entries no longer found" in p.stderr and "--write-baseline" in p.stderr


def test_baseline_from_the_configuration_and_no_baseline(tmp_path):
    seed(SEED0, tmp_path / "r.txt")
    run("check", "--write-baseline", ".disclosure-lint-baseline.json", "r.txt", cwd=tmp_path)
    write(tmp_path / ".disclosure-lint.yaml", "baseline: .disclosure-lint-baseline.json\n")
    assert run("check", "r.txt", cwd=tmp_path).returncode == 0
    assert run("check", "--no-baseline", "r.txt", cwd=tmp_path).returncode == 1
    write(tmp_path / ".disclosure-lint.yaml", "baseline: missing.json\n")
    p = run("check", "r.txt", cwd=tmp_path)
    assert p.returncode == 2 and "--write-baseline" in p.stderr


# --- files and batches ----------------------------------------------------------------------------


def test_directory_recursion_with_exclude(tmp_path):
    write(tmp_path / ".disclosure-lint.yaml", "exclude: ['drafts/', '*.bak.md']\n")
    for rel in ("a/r.txt", "a/b/r.md", "a/b/r.markdown", "c/r.html", "c/r.htm", "d/drafts/x.txt", "a/r.bak.md"):
        write(tmp_path / rel, "x")
    for rel in (".git/r.txt", "node_modules/r.txt", "a/r.xlsx", "a/notes.csv"):
        write(tmp_path / rel, "x")
    write(tmp_path / "a/r.pdf", "x")
    p = run("check", "--show-files", ".", cwd=tmp_path)
    assert p.returncode == 0
    assert p.stdout.split() == sorted(
        os.path.join(".", rel) for rel in ("a/r.txt", "a/b/r.md", "a/b/r.markdown", "c/r.html", "c/r.htm", "a/r.pdf")
    )
    # A file named on the command line is checked unless --force-exclude (what pre-commit uses).
    assert run("check", "--show-files", "d/drafts/x.txt", cwd=tmp_path).stdout.split() == ["d/drafts/x.txt"]
    assert run("check", "--show-files", "--force-exclude", "d/drafts/x.txt", cwd=tmp_path).stdout == ""
    # The command line can add globs.
    p = run("check", "--show-files", "--extend-exclude", "c", ".", cwd=tmp_path)
    assert not [f for f in p.stdout.split() if f.startswith("./c/")]


def test_a_directory_without_reports_is_an_error(tmp_path):
    write(tmp_path / "empty" / "notes.csv", "x")
    p = run("check", "empty", cwd=tmp_path)
    assert p.returncode == 2 and "empty" in p.stderr + p.stdout


def test_stdin_with_a_file_name_gets_that_files_configuration(tmp_path):
    write(tmp_path / "county" / ".disclosure-lint.yaml", "ignore: [S007]\n")
    data = shared_path("seeds", SEED0).read_bytes()
    p = run("check", "--format", "json", "--stdin-filename", "county/r.txt", "-", cwd=tmp_path, stdin=data)
    assert findings(p.stdout) and {f for f, _, _ in findings(p.stdout)} == {"r.txt"}
    assert json.loads(p.stdout)["files"][0]["path"] == "county/r.txt"
    assert rules_of(p.stdout) == {"A300", "S011"}
    p = run("check", "--format", "concise", "-", cwd=tmp_path, stdin=data)
    assert p.stdout.startswith("<stdin>:") and p.returncode == 1


_CRASH = """
import os, sys
import disclosure_lint.runner as runner
real = runner.load_report
def load_report(path, data=None, **options):
    if path.endswith("boom.txt"):
        raise RuntimeError(f"synthetic failure in process {os.getpid()}")
    return real(path, data, **options)
runner.load_report = load_report
print(f"parent {os.getpid()}", file=sys.stderr)
from disclosure_lint.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_internal_error_stays_with_its_file(tmp_path, jobs):
    """Any unexpected exception becomes a per-file message; the other files are still checked."""
    files = [seed(SEED0, tmp_path / f"r{i}.txt") for i in range(5)]
    write(tmp_path / "boom.txt", clean_text())
    script = write(tmp_path / "crash.py", _CRASH)
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    args = [sys.executable, str(script), "check", "--jobs", jobs, "--format", "concise", "--isolated", "."]
    p = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert p.returncode == 2
    assert "boom.txt: error: 内部错误：RuntimeError: synthetic failure" in p.stdout
    assert "Traceback" not in p.stderr
    for f in files:
        assert f"{f.name}:346:3: error A300" in p.stdout
    parent = p.stderr.split()[1]
    crashed_in = p.stdout.split("synthetic failure in process ")[1].split("（")[0]
    assert (crashed_in != parent) is (jobs == "2")  # --jobs 2 really checked in worker processes
    p = subprocess.run([*args, "--debug"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "Traceback" in p.stderr and "RuntimeError" in p.stderr


def test_parallel_output_is_identical_to_serial(tmp_path):
    for name in (SEED0, SEED1, SEED4, "002_30f21ffa1848b77a.txt", "003_fe98648910e778a2.txt"):
        seed(name, tmp_path / "reports" / name)
    write(tmp_path / "reports" / "clean.txt", clean_text())
    write(tmp_path / "reports" / "faulty.txt", faulty_text())
    for fmt in ("full", "json", "sarif"):
        one = run("check", "--isolated", "--jobs", "1", "--format", fmt, "reports", cwd=tmp_path)
        two = run("check", "--isolated", "--jobs", "2", "--format", fmt, "reports", cwd=tmp_path)
        assert one.returncode == two.returncode == 1
        assert one.stdout == two.stdout and one.stdout


def test_statistics(tmp_path):
    seed(SEED0, tmp_path / "a.txt")
    write(tmp_path / "clean.txt", clean_text())
    p = run("check", "--statistics", "--lang", "en", ".", cwd=tmp_path)
    assert p.returncode == 1
    rows = {line.split()[0]: line.split() for line in p.stdout.splitlines() if line.strip()}
    assert rows["A300"][1:3] == ["1", "error"] and "A301" not in rows and rows["S007"][1:3] == ["1", "warning"]
    assert rows["./a.txt"][1:5] == ["1", "1", "1", "findings"]
    assert rows["./clean.txt"][1:5] == ["0", "0", "0", "ok"]
    doc = json.loads(run("check", "--statistics", "--format", "json", ".", cwd=tmp_path).stdout)
    assert {
        "code": "A300",
        "name": "likely-wrong-cell",
        "severity": "error",
        "category": "arithmetic",
        "count": 1,
    } in doc["rules"]
    assert {f["path"]: f["errors"] for f in doc["files"]} == {"./a.txt": 1, "./clean.txt": 0}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal_and_for_many_files(tmp_path):
    import pty

    for i in range(21):
        write(tmp_path / "reports" / f"r{i:02}.txt", clean_text())

    def progress_shown(*extra: str) -> bool:
        master, slave = pty.openpty()
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        cmd = [sys.executable, "-m", "disclosure_lint", "check", "--isolated", *extra, "reports"]
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal is closed once everything has been read
                break
            if not chunk:
                break
            seen += chunk
        os.close(master)
        assert proc.returncode == 0 and b"\x1b[" not in proc.stdout  # stdout stays clean
        return b"/21" in seen

    assert progress_shown()
    assert not progress_shown("--color", "never")
    piped = run("check", "--isolated", "reports", cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == ""


# --- output ---------------------------------------------------------------------------------------


def _parse(fmt: str, text: str) -> None:
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(text)
    elif fmt == "junit":
        ET.fromstring(text)


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "sarif", "github", "junit", "gitlab"])
def test_output_file_for_every_format(tmp_path, fmt):
    seed(SEED0, tmp_path / "r.txt")
    out = tmp_path / "out" / f"report.{fmt}"
    p = run("check", "--format", fmt, "--output", str(out), "r.txt", cwd=tmp_path)
    assert p.returncode == 1 and p.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "A301" in text and "\x1b[" not in text
    _parse(fmt, text)


def test_statistics_to_an_output_file(tmp_path):
    seed(SEED0, tmp_path / "r.txt")
    p = run("check", "--statistics", "--output", "stats.txt", "r.txt", cwd=tmp_path)
    assert p.stdout == "" and "A300" in (tmp_path / "stats.txt").read_text(encoding="utf-8")


def test_colour_follows_the_option_and_the_environment(tmp_path):
    seed(SEED0, tmp_path / "r.txt")

    def coloured(*extra: str, **env: str) -> bool:
        p = run("check", *extra, "r.txt", cwd=tmp_path, env={"NO_COLOR": "", **env})
        return "\x1b[" in p.stdout

    assert not coloured()  # a pipe is not a terminal
    assert coloured(FORCE_COLOR="1")
    assert not coloured(FORCE_COLOR="1", NO_COLOR="1")  # NO_COLOR wins over FORCE_COLOR
    assert coloured("--color", "always", NO_COLOR="1")  # the explicit option wins over both
    assert not coloured("--color", "never", FORCE_COLOR="1")


def test_github_format_is_automatic_under_actions_with_a_step_summary(tmp_path):
    seed(SEED0, tmp_path / "r.txt")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    p = run("check", "r.txt", cwd=tmp_path, env=env)
    assert p.returncode == 1
    assert p.stdout.startswith("::group::r.txt") and "::error file=r.txt,line=346" in p.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## disclosure-lint") and "A300" in text
    p = run("check", "--format", "concise", "r.txt", cwd=tmp_path, env=env)
    assert p.stdout.startswith("r.txt:346:3: error A300")  # an explicit --format wins


# --- the CI examples ------------------------------------------------------------------------------


def _commands(text: str) -> list[list[str]]:
    """Every ``disclosure-lint …`` command in a CI file's shell lines."""
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("#"):
            continue
        line = line.removeprefix("-").strip().removeprefix("run:").strip()
        if line.startswith("disclosure-lint "):
            out.append(shlex.split(line.split(" #")[0].split("||")[0])[1:])
    return out


@pytest.mark.parametrize("name", ["github-workflow.yml", "gitlab-ci.yml"])
def test_ci_examples_use_real_options(name):
    from disclosure_lint.cli import build_parser

    text = (ROOT / "examples" / "ci" / name).read_text(encoding="utf-8")
    yaml.safe_load(text)
    commands = _commands(text)
    assert commands
    for argv in commands:
        build_parser().parse_args(argv)  # exits (fails the test) on an unknown option


def test_github_workflow_example_uploads_sarif_with_the_right_permission():
    doc = yaml.safe_load((ROOT / "examples" / "ci" / "github-workflow.yml").read_text(encoding="utf-8"))
    jobs = doc["jobs"]
    steps = [s for job in jobs.values() for s in job["steps"]]
    assert any("--format github" in s.get("run", "") for s in steps)
    sarif_jobs = [j for j in jobs.values() if any("upload-sarif" in s.get("uses", "") for s in j["steps"])]
    assert sarif_jobs and all(j["permissions"]["security-events"] == "write" for j in sarif_jobs)


def test_gitlab_example_publishes_code_quality_and_junit_reports():
    doc = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))
    job = next(j for j in doc.values() if isinstance(j, dict) and "script" in j)
    reports = job["artifacts"]["reports"]
    script = "\n".join(job["script"])
    assert f"--output {reports['codequality']}" in script and "--format gitlab" in script
    assert f"--output {reports['junit']}" in script and "--format junit" in script
    assert job["artifacts"]["when"] == "always"


def test_files_that_cannot_be_checked_are_listed_and_make_the_run_incomplete(tmp_path):
    seed(SEED0, tmp_path / "reports" / "r.txt")
    for name in ("old.doc", "table.xlsx", "draft.rtf"):
        write(tmp_path / "reports" / name, "x")
    write(tmp_path / "reports" / "photo.png", "x")  # not a document: not a report either
    p = run("check", "reports", cwd=tmp_path)
    assert p.returncode == 2  # incomplete: the person must see that three files were not checked
    assert "已跳过 3 个无法检查的文件：" in p.stdout and "photo.png" not in p.stdout
    assert "old.doc（不支持此格式，请另存为 .docx 或 .txt 后再检查）" in p.stdout
    assert "共检查 1 个文件：1 个错误、1 个警告、1 条提示；3 个文件未检查。" in p.stdout
    doc = json.loads(run("check", "--format", "json", "reports", cwd=tmp_path).stdout)
    assert sorted(Path(s["path"]).name for s in doc["skipped"]) == ["draft.rtf", "old.doc", "table.xlsx"]
    p = run("check", "--format", "concise", "--lang", "en", "reports", cwd=tmp_path)
    assert p.returncode == 2 and "Skipped 3 files that cannot be checked:" in p.stderr


def test_pdfs_in_a_folder_are_skipped_and_named_without_the_pdf_extra(tmp_path):
    seed(SEED0, tmp_path / "reports" / "r.txt")
    write(tmp_path / "reports" / "old.pdf", "x")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "pdfplumber.py").write_text("raise ImportError('not installed')\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}"}
    p = run("check", "reports", cwd=tmp_path, env=env)
    assert p.returncode == 2 and "old.pdf（需要安装 disclosure-lint[pdf] 才能读取 PDF）" in p.stdout
    # With the extra, the same folder reads the PDF (this one is not a PDF at all, and says so).
    p = run("check", "reports", cwd=tmp_path)
    assert p.returncode == 2 and "old.pdf" in p.stdout and "不是有效的 PDF 文件" in p.stdout


def test_a_missing_path_is_not_counted_as_checked(tmp_path):
    seed(SEED0, tmp_path / "r.txt")
    p = run("check", "r.txt", "nosuch.txt", cwd=tmp_path)
    assert p.returncode == 2 and "共检查 1 个文件" in p.stdout and "1 个文件无法读取" in p.stdout
