"""Bounded YAML: LibYAML's parser under the same bounds and with the same words as the pure-Python one."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from disclosure_lint import safeyaml
from disclosure_lint.limits import MAX_NESTING

ROOT = Path(__file__).resolve().parents[1]

needs_libyaml = pytest.mark.skipif(safeyaml._CParser is None, reason="PyYAML was built without LibYAML")

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
)
DOCUMENTS = {
    "rule file": (ROOT / "rules" / "arithmetic" / "A301-t3-balance.yaml").read_text(encoding="utf-8"),
    "syntax error": "a: [1, 2\nb: c\n",
    "python tag": "!!python/object/apply:os.system [echo hi]\n",
    "nested too deep": "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5),
    "alias bomb": BOMB,
    "empty": "# only a comment\n",
}


def _outcome(text: str) -> tuple[str, object]:
    try:
        node, data = safeyaml.node_and_data(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return type(exc).__name__, (getattr(exc, "problem", None), mark.line if mark else None)
    return "loaded", (data, node.start_mark.line if node is not None else None)


@needs_libyaml
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_libyaml_and_pure_python_give_the_same_data_and_errors(name, monkeypatch):
    fast = _outcome(DOCUMENTS[name])
    monkeypatch.setattr(safeyaml, "_CParser", None)
    assert _outcome(DOCUMENTS[name]) == fast


@needs_libyaml
def test_the_bounds_hold_under_libyaml():
    with pytest.raises(safeyaml.YAMLLimitError, match="nested more than"):
        safeyaml.node_and_data("[" * 20_000 + "]" * 20_000)  # LibYAML's own composer would recurse in C
    with pytest.raises(safeyaml.YAMLLimitError, match="stands for more than"):
        safeyaml.safe_load(BOMB)


def test_node_and_data_parses_once_into_lines_and_values():
    node, data = safeyaml.node_and_data("code: X900\nsummary:\n  zh: 文字\n")
    assert data == {"code": "X900", "summary": {"zh": "文字"}}
    assert isinstance(node, yaml.MappingNode)
    assert [key.start_mark.line for key, _value in node.value] == [0, 1]
    assert safeyaml.compose("a: 1").value[0][1].value == "1"
