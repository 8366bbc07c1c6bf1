"""The command line's parser in the person's language: Chinese help and errors by default, English on request.

argparse builds its help and its error messages from English strings (through gettext) before any option
is read, so the language is decided from the raw arguments and the environment first (:func:`language`),
and argparse's own words are swapped for :data:`messages.ARGPARSE_ZH` while it parses or prints help. An
error names the option or value the person probably meant, instead of printing the whole usage.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
from collections.abc import Collection, Iterator, Sequence
from typing import Any, NoReturn

from . import messages
from .config import LANG_ENV, LANGS


def language(argv: Sequence[str], environ: dict[str, str] | None = None) -> str:
    """``--lang`` on the command line, else ``DISCLOSURE_LINT_LANG``, else Chinese."""
    env = os.environ if environ is None else environ
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGS:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGS:
            return arg.split("=", 1)[1]
    lang = env.get(LANG_ENV, "")
    return lang if lang in LANGS else "zh"


@contextlib.contextmanager
def argparse_words(lang: str, own: Collection[str] = ()) -> Iterator[None]:
    """argparse's built-in words in ``lang`` while the block runs (argparse looks ``_`` up at call time).

    ``own`` are words of ours that argparse runs through ``_`` as well (a group's title): they are in ``lang``
    already and are given back as written, without gettext, which searches the locale directories on every
    call (about 1 % of a single-file check)."""
    table = messages.ARGPARSE_ZH if lang != "en" else {}
    if not (table or own) or not hasattr(argparse, "_"):
        yield
        return
    original = argparse._

    def translate(text: str) -> str:
        if text is None or text in own:
            return text  # (argparse also passes a missing description, None, which gettext gives back)
        # gettext only for words without a translation here.
        translated = table.get(text)
        return original(text) if translated is None else translated

    argparse._ = translate
    try:
        yield
    finally:
        argparse._ = original


class Parser(argparse.ArgumentParser):
    lang = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _ChineseFormatter if self.lang != "en" else argparse.HelpFormatter)
        with argparse_words(self.lang):  # the section titles are worded here
            super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help=messages.help_text("help", self.lang))

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with argparse_words(self.lang):
            return super().parse_args(args, namespace)

    def format_help(self) -> str:
        with argparse_words(self.lang):
            return super().format_help()

    def format_usage(self) -> str:
        with argparse_words(self.lang):
            return super().format_usage()

    def error(self, message: str) -> NoReturn:
        """One line saying what is wrong and what was probably meant; no 20-line usage dump."""
        lines = [f"{self.prog}{'：' if self.lang != 'en' else ': '}{message}"]
        suggestion = self._suggestion(message)
        if suggestion:
            lines.append(messages.help_text("did-you-mean", self.lang).format(suggestion=suggestion))
        lines.append(messages.help_text("see-help", self.lang).format(prog=self.prog))
        self.exit(2, "\n".join(lines) + "\n")

    def _suggestion(self, message: str) -> str | None:
        words = message.replace("'", " ").replace(",", " ").replace("：", " ").replace("（", " ").split()
        # Unknown options are reported by the top parser, so the subcommands' options are candidates too.
        parsers = [self] + [
            p for a in self._actions if isinstance(a, argparse._SubParsersAction) for p in a.choices.values()
        ]
        options = sorted({s for p in parsers for s in p._option_string_actions if s.startswith("--")})
        choices = [
            str(c)
            for p in parsers
            for a in p._actions
            if a.choices and not isinstance(a, argparse._SubParsersAction)
            for c in a.choices
        ]
        from difflib import get_close_matches  # (only a mistyped word needs it: not imported at start-up)

        for word in words:
            if word.startswith("-") and word.split("=", 1)[0] not in self._option_string_actions:
                match = get_close_matches(word.split("=", 1)[0], options, n=1, cutoff=0.6)
                if match:
                    return match[0]
        for word in words:
            if word in choices:
                continue
            match = get_close_matches(word, choices, n=1, cutoff=0.6)
            if match:
                return match[0]
        return None


class _ChineseFormatter(argparse.HelpFormatter):
    def format_help(self) -> str:
        # argparse ends section headings with an ASCII colon; Chinese text uses the full-width one.
        return re.sub(r"(?m)^(\S[^\n]*?):$", r"\1：", super().format_help())


def parser_class(lang: str) -> type[Parser]:
    return type("Parser", (Parser,), {"lang": lang})


def mistyped_command(argv: Sequence[str], commands: Sequence[str], lang: str) -> str | None:
    """The message for ``disclosure-lint chek``: a word that is neither a command nor an existing file but
    close to a command. None when the word is a path (or not close to anything): it is then checked."""
    if not argv or argv[0].startswith("-") or argv[0] in commands or os.path.exists(argv[0]):
        return None
    from difflib import get_close_matches

    match = get_close_matches(argv[0], commands, n=1, cutoff=0.6)
    if not match:
        return None
    colon = ": " if lang == "en" else "："
    return (
        f"disclosure-lint{colon}{messages.help_text('unknown-command', lang).format(command=argv[0])}\n"
        + messages.help_text("did-you-mean", lang).format(suggestion=match[0])
    )
