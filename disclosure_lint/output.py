"""Writing the tool's own files (``-o``, ``--write-baseline``, the GitHub step summary) without ever
touching an input.

Two promises. An output path that is, by any name (a symlink, a hard link, ``./`` prefixes), one of the
files the run reads — a report being checked, a rule file, a configuration file, the baseline — is
refused before anything is written: a mistyped ``-o`` must not destroy a clerk's only copy of a report.
And a regular file is written to a temporary file beside it and renamed over it, so a full disk or a
killed process leaves either the old file or the complete new one, never half of it. Targets that are
not regular files (``/dev/null``, ``/dev/stdout``, a pipe) are written in place, as a rename cannot
apply to them.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from .bilingual import Text
from .errors import OutputError

Identity = tuple[int, int]  # (st_dev, st_ino): the file itself, whatever name reaches it


def identity(path: str | os.PathLike[str]) -> Identity | None:
    """The file ``path`` leads to (following symlinks), or None when there is none yet."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def input_identities(paths: Iterable[str | os.PathLike[str] | None]) -> dict[Identity, str]:
    """Identity -> the name it was given as, for every existing regular file among ``paths``."""
    found: dict[Identity, str] = {}
    for path in paths:
        if path is None or str(path) == "-":
            continue
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode):
            found.setdefault((st.st_dev, st.st_ino), str(path))
    return found


def refuse_if_input(target: str, inputs: dict[Identity, str], *, what: Text) -> None:
    """Raise OutputError when ``target`` is one of ``inputs`` (exit 2 before anything is written)."""
    ident = identity(target)
    if ident is not None and ident in inputs:
        shown = inputs[ident]
        raise OutputError(
            Text(
                f"{what.zh}“{target}”就是输入文件“{shown}”，写入会覆盖它；请换一个输出文件名",
                f"{what.en} '{target}' is the input file '{shown}'; writing would overwrite it; choose another name",
            ),
            path=target,
        )


def _write_error(target: str, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(Text(f"无法写入输出文件：{reason}", f"cannot write output file: {reason}"), path=target)


@contextlib.contextmanager
def atomic_writer(target: str, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A text stream whose content replaces ``target`` only once all of it was written.

    Any OSError (disk full, a directory, no permission) becomes an OutputError naming ``target``; the
    temporary file is removed and ``target`` is left as it was.
    """
    try:
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _write_error(target, exc) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(Text("输出路径是一个目录", "the output path is a directory"), path=target)
    if st is not None and not stat.S_ISREG(st.st_mode):
        # A device or a pipe: nothing to replace, and opening it for writing does not truncate a file.
        try:
            fh = open(target, "wb") if binary else open(target, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise _write_error(target, exc) from None
        try:
            yield fh
            fh.close()
        except OSError as exc:
            with contextlib.suppress(OSError):
                fh.close()
            raise _write_error(target, exc) from None
        return

    # Rename over the file a symlink points at, so the link stays a link.
    real = os.path.realpath(target)
    directory = os.path.dirname(real) or "."
    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".disclosure-lint-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _write_error(target, exc) from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file 0600; an output keeps the mode it had, or gets the usual one.
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask())
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _write_error(target, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(target: str, text: str) -> None:
    with atomic_writer(target) as fh:
        fh.write(text)


def append_text(target: str, text: str) -> None:
    """Append to ``target`` (the GitHub step summary is appended to, by contract)."""
    if os.path.isdir(target):
        raise OutputError(Text("输出路径是一个目录", "the output path is a directory"), path=target)
    try:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise _write_error(target, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def run_inputs(
    files: Iterable[str], configs: Iterable[os.PathLike[str] | str], rule_dirs: Iterable[str], *extra: str | None
) -> dict[Identity, str]:
    """Everything a run reads: the reports, configuration files, rule files under ``rule_dirs``, ``extra``."""
    paths: list[str | os.PathLike[str] | None] = [*files, *configs, *extra]
    for directory in rule_dirs:
        for root, _dirs, names in os.walk(directory):
            paths += [os.path.join(root, n) for n in names if n.endswith((".yaml", ".yml"))]
    return input_identities(paths)
