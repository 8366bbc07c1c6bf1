"""One type for every string that exists in two languages: :class:`Text`.

The core (readers, model, rules) never picks a language: a message, a finding's value, an error or a word of
the tool's own output is a ``Text`` holding both, and it becomes a ``str`` only where output is written
(reporters and the command line, which know ``--lang``). So no ``lang`` argument travels through the core,
and no ``if lang == "en"`` builds words there.

A ``Text`` has no ``__str__`` of its own on purpose: formatting one into a string without choosing a language
prints ``Text(zh=…, en=…)``, which the tests that scan English output for Chinese find at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .records import record

LANGUAGES = ("zh", "en")


@record(frozen=True)
class Text:
    """A string in Chinese and English. Chinese is the default language of the tool."""

    zh: str
    en: str

    def resolve(self, lang: str) -> str:
        """The string in ``lang`` (anything but ``"en"`` is Chinese, the default)."""
        return self.en if lang == "en" else self.zh

    @classmethod
    def same(cls, text: str) -> Text:
        """A string that reads the same in both languages (a number, a quote of the report, a code)."""
        return cls(text, text)

    def __add__(self, other: Text | str) -> Text:
        other = as_text(other)
        return Text(self.zh + other.zh, self.en + other.en)

    def __radd__(self, other: str) -> Text:
        return as_text(other) + self

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def join(self, parts: Iterable[Text | str]) -> Text:
        """``parts`` joined by this text as the separator, each language with its own (「、」 and ", ")."""
        items = [as_text(p) for p in parts]
        return Text(self.zh.join(p.zh for p in items), self.en.join(p.en for p in items))

    def map(self, fn: Callable[[str], str]) -> Text:
        """Both languages through the same ``str -> str`` function."""
        return Text(fn(self.zh), fn(self.en))

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def as_text(value: Text | str) -> Text:
    return value if isinstance(value, Text) else Text.same(value)


def resolve(value: object, lang: str) -> object:
    """``value`` in ``lang`` if it is a :class:`Text`, else ``value`` itself (numbers, plain strings)."""
    return value.resolve(lang) if isinstance(value, Text) else value
