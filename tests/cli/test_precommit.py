"""The pre-commit hook, run by the real pre-commit tool against a throw-away repository of reports.

pre-commit installs a hook repository from a commit, so the project files are copied into a temporary
hook repository and committed there: the test then proves the manifest and packaging as they are on
disk, not whatever the working copy last committed. Installing the hook needs pip to fetch the build
backend and the dependencies from the package index; the environment is cached per test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import reportgen

ROOT = Path(__file__).resolve().parents[2]
# What pip needs to build and install the package: the manifest, the code and its data.
HOOK_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "disclosure_lint", "rules", "grammars")


def _pre_commit() -> list[str] | None:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        exe = shutil.which("pre-commit")
        return [exe] if exe else None
    return [sys.executable, "-m", "pre_commit"]


PRE_COMMIT = _pre_commit()
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit is not installed (pip install pre-commit)"),
]


def _git(cwd: Path, *args: str) -> str:
    # No global or system git configuration: a signing hook or template must not break the test.
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in HOOK_FILES:
        src = ROOT / name
        if not src.exists():
            pytest.fail(f"{name} is missing from the project; the hook cannot be installed without it")
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "_data"))
        else:
            shutil.copy2(src, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-gpg-sign", "-m", "hook under test")
    return repo, _git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def reports_repo(tmp_path: Path, hook_repo: tuple[Path, str]) -> Path:
    repo_path, sha = hook_repo
    target = tmp_path / "reports"
    target.mkdir()
    _git(target, "init", "-q")
    (target / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo_path}\n    rev: {sha}\n    hooks:\n      - id: disclosure-lint\n",
        encoding="utf-8",
    )
    t3 = {k: list(v) for k, v in reportgen.T3_DATA.items()}
    t3["total"][0] += 1  # A301/A302/A304 fail
    (target / "clean.txt").write_text(reportgen.render("tab"), encoding="utf-8")
    (target / "faulty.txt").write_text(reportgen.render("tab", t3=t3), encoding="utf-8")
    (target / "drafts").mkdir()
    (target / "drafts" / "faulty.md").write_text(reportgen.render("markdown", t3=t3), encoding="utf-8")
    (target / "notes.csv").write_text("not,a,report\n", encoding="utf-8")
    _git(target, "add", "-A")
    return target


def _run(repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    env.pop("GITHUB_ACTIONS", None)  # the output format must not depend on where the test runs
    return subprocess.run(
        [*PRE_COMMIT, "run", "--color", "never", "--files", *files],  # type: ignore[misc]
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_passes_a_clean_report(reports_repo, pre_commit_home):
    p = _run(reports_repo, pre_commit_home, "clean.txt", "notes.csv")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "disclosure-lint" in p.stdout and "Passed" in p.stdout


def test_hook_fails_a_faulty_report_and_shows_why(reports_repo, pre_commit_home):
    p = _run(reports_repo, pre_commit_home, "clean.txt", "faulty.txt")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "Failed" in p.stdout
    assert "错误[A300]" in p.stdout and "faulty.txt:" in p.stdout


def test_hook_skips_files_it_does_not_read_and_honours_exclude(reports_repo, pre_commit_home):
    p = _run(reports_repo, pre_commit_home, "notes.csv")
    assert p.returncode == 0 and "no files to check" in p.stdout.lower(), p.stdout
    assert _run(reports_repo, pre_commit_home, "drafts/faulty.md").returncode == 1
    (reports_repo / ".disclosure-lint.yaml").write_text("exclude: [drafts/]\n", encoding="utf-8")
    p = _run(reports_repo, pre_commit_home, "drafts/faulty.md")
    assert p.returncode == 0, p.stdout + p.stderr
