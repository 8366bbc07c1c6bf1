"""disclosure-lint: a linter for 政府信息公开工作年度报告 (annual government information disclosure reports).

The Python API (see :mod:`disclosure_lint.api` and docs/python-api.md): ``lint(paths, settings, options) ->
RunResult``, ``load_report(path) -> Report`` and ``extract(paths, settings) -> Extracted``. They are imported on
first use, so that ``import disclosure_lint`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .api import OutputFile as OutputFile
    from .api import RunOptions as RunOptions
    from .api import extract as extract
    from .api import lint as lint
    from .api import load_report as load_report
    from .api import settings as settings
    from .results import Extracted as Extracted
    from .results import FileResult as FileResult
    from .results import RunResult as RunResult

# Public name -> the module that defines it.
_LAZY = {
    "lint": "api",
    "load_report": "api",
    "extract": "api",
    "settings": "api",
    "RunOptions": "api",
    "OutputFile": "api",
    "RunResult": "results",
    "FileResult": "results",
    "Extracted": "results",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
