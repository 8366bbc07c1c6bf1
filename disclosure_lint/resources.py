"""Locating the data files (grammars, rule files) that ship with the package.

The grammars and rules are maintained at the top level of the repository, and the wheel build copies
them into ``disclosure_lint/_data/`` (see ``force-include`` in pyproject.toml). So an installed package
finds them under ``_data``, while a source checkout, which has no ``_data``, finds them next to the
package directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_INSTALLED_DATA = _PACKAGE_DIR / "_data"
_SOURCE_ROOT = _PACKAGE_DIR.parent


def _candidates(kind: str) -> tuple[Path, Path]:
    # Installed copy first: if both exist (an editable install that was also built), the copy that
    # was packaged together with this code is the one that matches it.
    return (_INSTALLED_DATA / kind, _SOURCE_ROOT / kind)


def grammar_path(name: str) -> Path:
    """The path of the grammar file ``name`` (e.g. ``"expr.lark"``).

    Raises ``ValueError`` for a name that is not a plain file name and ``FileNotFoundError`` when the
    grammar is in neither location.
    """
    # Only plain names: a caller must not be able to reach outside the grammar directories.
    if not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"not a grammar file name: {name!r}")
    tried = [directory / name for directory in _candidates("grammars")]
    for path in tried:
        if path.is_file():
            return path
    raise FileNotFoundError(f"grammar {name!r} not found; looked in: " + ", ".join(str(p) for p in tried))


def rules_dir() -> Path:
    """The directory of the built-in rule files.

    Raises ``FileNotFoundError`` when neither the installed nor the source-checkout directory exists.
    """
    tried = _candidates("rules")
    for path in tried:
        if path.is_dir():
            return path
    raise FileNotFoundError("rules directory not found; looked in: " + ", ".join(str(p) for p in tried))
