"""YAML from other people's files (rule packs, configuration), loaded with bounds.

``yaml.SafeLoader`` builds no Python objects beyond plain data, but it still lets a small file describe a
huge one: an alias names a node already read, so nine levels of ten aliases each ("billion laughs") stand
for 10^9 nodes to anything that walks the result, and deep nesting exhausts the recursion limit. This
loader counts, while composing, how many nodes the document stands for with every alias expanded, and how
deep it is nested, and stops with a YAML error (with its line) past :data:`~disclosure_lint.limits`'
bounds. The package's own files are trusted and keep the fast C loader.

When PyYAML has LibYAML, the text is parsed into events in C and composed here, in Python, with the same
bounds (LibYAML's own composer recurses in C, where nesting thousands deep crashes the process): about
ten times faster than the pure-Python parser. A document LibYAML refuses is parsed again in pure Python,
so that error messages do not depend on how PyYAML was built.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer, ComposerError

from .bilingual import Text
from .limits import MAX_NESTING, MAX_YAML_NODES


class YAMLLimitError(ComposerError):
    """A document past a bound; carries the reason in both languages for the caller's message."""

    def __init__(self, text: Text, mark: yaml.Mark | None) -> None:
        super().__init__(None, None, text.en, mark)
        self.text = text


class _Bounded(Composer):
    """The composer with the bounds; the parser beneath it is pure Python or LibYAML."""

    _depth = 0
    _expanded: dict[int, int]  # id(node) -> nodes it stands for, aliases expanded

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise YAMLLimitError(
                    Text(f"嵌套超过 {MAX_NESTING} 层", f"nested more than {MAX_NESTING} levels deep"), event.start_mark
                )
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        size = self._expanded.get(id(node))
        if size is None or not isinstance(event, yaml.AliasEvent):
            # A new node: itself plus what its children stand for (an alias child counts in full).
            size = 1
            if isinstance(node, yaml.SequenceNode):
                size += sum(self._expanded.get(id(child), 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size += sum(self._expanded.get(id(k), 1) + self._expanded.get(id(v), 1) for k, v in node.value)
            self._expanded[id(node)] = size
        if size > MAX_YAML_NODES:
            raise YAMLLimitError(
                Text(
                    f"别名（alias）展开后超过 {MAX_YAML_NODES} 个值",
                    f"the document stands for more than {MAX_YAML_NODES} values (aliases)",
                ),
                event.start_mark,
            )
        return node


class BoundedSafeLoader(_Bounded, yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._expanded = {}


_CParser: type[Any] | None = getattr(getattr(yaml, "_yaml", None), "CParser", None) if yaml.__with_libyaml__ else None

if _CParser is not None:

    class _BoundedCSafeLoader(_Bounded, _CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._expanded = {}


def _node_and_data(text: str, loader_class: type[Any], *, construct: bool) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if construct and node is not None else None)
    finally:
        loader.dispose()


def node_and_data(text: str, *, construct: bool = True, trusted: bool = False) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the plain data of ``text``, parsed once, within the bounds.

    ``trusted`` (the package's own files) lets LibYAML compose too, unbounded, which is faster still."""
    if _CParser is not None:
        try:
            loader_class = yaml.CSafeLoader if trusted else _BoundedCSafeLoader
            return _node_and_data(text, loader_class, construct=construct)
        except YAMLLimitError:
            raise
        except yaml.YAMLError:
            pass  # worded by the pure-Python parser below
    return _node_and_data(text, BoundedSafeLoader, construct=construct)


def compose(text: str) -> yaml.Node | None:
    return node_and_data(text, construct=False)[0]


def safe_load(text: str) -> Any:
    return node_and_data(text)[1]
