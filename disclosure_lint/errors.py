"""Errors that stop the tool from doing its job on one input (exit status 2), with bilingual text."""

from __future__ import annotations

from .bilingual import Text


class LintError(Exception):
    """Base class: an error with a stable code and a message in Chinese and English.

    Raised as ``RuleFileError(Text(zh, en), path=…, line=…)``: the one way, so that no call site can put the
    two languages in the wrong order."""

    code = "E000"

    def __init__(self, text: Text, *, path: str | None = None, line: int | None = None) -> None:
        self.text = text
        super().__init__(self.text.en)
        self.path = path
        self.line = line

    @property
    def zh(self) -> str:
        return self.text.zh

    @property
    def en(self) -> str:
        return self.text.en

    def message(self, lang: str = "zh") -> str:
        return self.text.resolve(lang)

    def located(self, lang: str = "zh") -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message(lang)}" if where else self.message(lang)


class InputError(LintError):
    """A report file that cannot be read as text (missing, binary, undecodable, empty …)."""

    code = "E001"


class RuleFileError(LintError):
    """A rule file that is not valid (YAML syntax, unknown key, bad expression, unknown cell id)."""

    code = "E002"


class ConfigError(LintError):
    """A configuration file or command-line option that is not valid."""

    code = "E003"


class MissingDependencyError(LintError):
    """An optional extra is needed for this input (python-docx for .docx)."""

    code = "E004"


class OutputError(LintError):
    """An output file that must not or cannot be written (an input, a directory, a full disk …)."""

    code = "E005"
