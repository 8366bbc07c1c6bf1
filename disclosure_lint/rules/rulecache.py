"""A cache of loaded rule sets that outlives the process, so a single-file check starts fast.

Loading the rules means parsing two dozen YAML files, building the LALR parser of the expression
language and validating every expression: a third of the time of checking one report from the command
line. The loaded :class:`~disclosure_lint.rules.engine.RuleSet` only changes when a rule file or the
package changes, so it is kept on disk and reused.

Safety and robustness:

* The cache lives in the user's cache directory (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux and
  macOS, ``%LOCALAPPDATA%`` on Windows), never beside the installed package.
  ``DISCLOSURE_LINT_CACHE_DIR`` chooses another directory; ``DISCLOSURE_LINT_NO_CACHE=1`` turns the
  cache off.
* The file name is a hash of everything the result depends on: the tool version, the Python version,
  the size and modification time of every module and grammar of the package, the registered checks and
  cell ids, and the path and bytes of every rule file. Editing a rule file therefore misses the cache
  instead of reading a stale rule.
* Files are written atomically (temporary file, then rename) with owner-only permissions. A file is only
  read if the current user owns it and nobody else may write to it, and it is unpickled with an
  allow-list of the rule-set classes, so a planted or damaged file cannot run code: it is ignored and
  the rules are loaded from the YAML files as if there were no cache.
* Any failure to read or write the cache (read-only home, full disk, corrupt file) is silent: the cache
  is an optimisation, never a reason for the check to fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LintError
from ..reading import read_bytes
from .loader import MAX_RULE_FILE_BYTES, rule_files

# Bump when the pickled layout changes in a way the source fingerprint would not notice.
CACHE_FORMAT = 1
# Enough for a few --rule-dir combinations used in turn, without letting the directory grow unbounded.
KEEP_FILES = 8
# A rule set pickles to ~30 KB; anything far larger is not ours.
MAX_CACHE_BYTES = 8 * 1024 * 1024
_PREFIX = "rules-"
_SUFFIX = ".pickle"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

# Classes a cached rule set is made of. Everything else (os.system, builtins.eval …) is refused.
_ALLOWED_MODULES = frozenset(
    {
        "disclosure_lint.rules.engine",
        "disclosure_lint.rules.loader",
        "disclosure_lint.rules.exprtree",  # the AST of parsed conditions
        "disclosure_lint.diagnostics",
    }
)
# YAML ``params`` may hold dates and sets (safe_load builds those); they pickle by reference too.
_ALLOWED_GLOBALS = frozenset(
    {
        ("builtins", "set"),
        ("builtins", "frozenset"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
    }
)


def cache_dir() -> Path | None:
    """The directory for cached rule sets, or None when caching is turned off."""
    if os.environ.get("DISCLOSURE_LINT_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("DISCLOSURE_LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "disclosure-lint" / "Cache" if base else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base and os.path.isabs(base):
        return Path(base) / "disclosure-lint"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home directory for this user
        return None
    return home / ".cache" / "disclosure-lint"


def fingerprint(
    rule_dirs: Sequence[Path], given: Sequence[str], checks: Iterable[str], cells: Iterable[str]
) -> str | None:
    """A key for the rule set loaded from ``rule_dirs``, or None when it cannot be computed.

    ``given`` are the extra directories as the user wrote them: rule paths are stored as written, so the
    same directory named two ways gives two entries.
    """
    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogateescape"))
            digest.update(b"\0")

    add(CACHE_FORMAT, __version__, sys.version, *given)
    add("checks", *sorted(checks))
    add("cells", *cells)
    try:
        # Source files by size and mtime: reading them all would cost more than the cache saves.
        for pattern, root in (("*.py", _PACKAGE_DIR), ("*.lark", _grammar_dir())):
            if root is None:
                continue
            for path in sorted(root.rglob(pattern)):
                st = path.stat()
                add(path, st.st_size, st.st_mtime_ns)
        for directory in rule_dirs:
            if not directory.is_dir():
                return None  # the uncached load reports the missing directory
            add("dir", directory.resolve())
            # The same files, in the same order, as the loader reads.
            for path in rule_files(directory):
                add(path, read_bytes(str(path), MAX_RULE_FILE_BYTES))
    except (OSError, LintError):
        return None  # the uncached load reports the file that cannot be read
    return digest.hexdigest()[:32]


def _grammar_dir() -> Path | None:
    from ..resources import grammar_path

    try:
        return grammar_path("expr.lark").parent
    except (FileNotFoundError, ValueError):
        return None


class _RuleSetUnpickler(pickle.Unpickler):
    """Unpickles rule sets only: a reference to any other global stops the load."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _ALLOWED_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        elif (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"global {module}.{name} is not part of a rule set")


def load(key: str, expected: type) -> Any | None:
    """The cached object for ``key`` if there is a trustworthy one of type ``expected``, else None."""
    directory = cache_dir()
    if directory is None:
        return None
    path = directory / f"{_PREFIX}{key}{_SUFFIX}"
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
                return None  # someone else could have written it
            if st.st_size > MAX_CACHE_BYTES:
                return None
            data = fh.read()
        value = _RuleSetUnpickler(io.BytesIO(data)).load()
    except Exception:  # missing, unreadable, truncated, tampered, from another version: just rebuild
        return None
    return value if isinstance(value, expected) else None


def store(key: str, value: object) -> None:
    """Write ``value`` under ``key``; silently does nothing when the cache directory is not writable."""
    directory = cache_dir()
    if directory is None:
        return
    tmp: str | None = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=_SUFFIX, dir=directory)  # created 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, directory / f"{_PREFIX}{key}{_SUFFIX}")
        tmp = None
        _prune(directory)
    except Exception:  # an optimisation only: never fail a check because the cache cannot be written
        return
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _prune(directory: Path) -> None:
    entries = []
    for path in directory.glob(f"{_PREFIX}*{_SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    for _mtime, path in entries[KEEP_FILES:]:
        with contextlib.suppress(OSError):
            path.unlink()
