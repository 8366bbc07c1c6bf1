"""``text.fold_with_map`` builds its index from runs between deleted characters; it must give what folding
one character at a time gives, on real reports and on text dense with every character the fold touches."""

from __future__ import annotations

import random

from conftest import shared_path

from disclosure_lint.text import _FOLD_TABLE, fold, fold_with_map, folded_text_pattern


def _fold_one_at_a_time(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        rep = _FOLD_TABLE.get(ord(ch), ch)
        if rep is None:
            continue
        out.append(rep)
        index.append(i)
    return "".join(out), index


def test_every_folded_character_is_one_character() -> None:
    # The run-based index relies on it: a character that folded to two would shift every later index.
    assert all(rep is None or len(rep) == 1 for rep in _FOLD_TABLE.values())


def test_same_as_folding_one_character_at_a_time_on_real_reports() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(shared_path("corpus").glob("*.txt"))]
    assert texts
    for text in texts:
        assert fold_with_map(text) == _fold_one_at_a_time(text)


def test_same_on_text_dense_with_folded_and_deleted_characters() -> None:
    alphabet = [chr(cp) for cp in _FOLD_TABLE] + list("年报告12３\n")
    rng = random.Random(14)
    for length in [0, 1, 2, 3, 10, 200]:
        for _ in range(200):
            text = "".join(rng.choice(alphabet) for _ in range(length))
            folded, index = fold_with_map(text)
            assert (folded, index) == _fold_one_at_a_time(text)
            assert folded == fold(text)
    assert fold_with_map("  ") == ("", [])
    assert fold_with_map("a\u3000ｂ") == ("ab", [0, 2])


def _find_by_folding(text: str, wanted: str) -> tuple[int, int] | None:
    folded, index = _fold_one_at_a_time(text)
    at = folded.replace("(", "[").replace(")", "]").find(wanted)
    return None if at < 0 else (index[at], index[at + len(wanted) - 1] + 1)


def _find_by_pattern(text: str, wanted: str) -> tuple[int, int] | None:
    found = folded_text_pattern(wanted, (("(", "["), (")", "]"))).search(text)
    return None if found is None else found.span()


def test_pattern_finds_what_folding_the_whole_text_finds() -> None:
    # S013's citation search: brackets of every kind around a year compare equal, spaces may sit anywhere.
    wanted = fold("国办公开办函〔2019〕60号").replace("(", "[").replace(")", "]")
    pieces = ["国", "办", "公开", "办函", "〔", "[", "(", "（", "【", "2019", "２０１９", "〕", ")", "）", "]"]
    pieces += ["60", "６0", "号", " ", "\u3000", "*", "\n", "x", "函"]
    rng = random.Random(13)
    hits = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = _find_by_folding(text, wanted)
        assert _find_by_pattern(text, wanted) == expected, text
        hits += expected is not None
    for text in ["国办公开办函（２０１９） 60 号", "见国办公开办函【2019】60号文", " 国 办公开办函[2019]60号 "]:
        assert _find_by_pattern(text, wanted) == _find_by_folding(text, wanted) is not None
        hits += 1
    assert hits
    # A wanted "(" can never match: the folded text has every "(" turned into "[".
    assert _find_by_pattern("a(b", "a(b") is None
    assert _find_by_pattern("ａ[b", "a[b") == (0, 3)


def test_pattern_on_real_reports() -> None:
    for path in sorted(shared_path("corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for document in ["国办公开办函〔2021〕30号", "中华人民共和国政府信息公开条例", "国务院令第711号", "（2019）"]:
            wanted = fold(document).replace("(", "[").replace(")", "]")
            assert _find_by_pattern(text, wanted) == _find_by_folding(text, wanted)


def test_fold_is_the_translation_table() -> None:
    # fold replaces the few distinct characters it finds instead of translating every character; deleting
    # first keeps the "*" that "＊" folds to, as translating does.
    alphabet = [chr(cp) for cp in _FOLD_TABLE] + list("年报告12３\n")
    rng = random.Random(15)
    for length in [0, 1, 2, 5, 10, 40, 300, 5000]:
        for _ in range(300 if length < 5000 else 5):
            text = "".join(rng.choice(alphabet) for _ in range(length))
            assert fold(text) == text.translate(_FOLD_TABLE), text
    for text in ["＊*", "*＊", "＃#＊*", "** 总计 **", "（一）＊予以公开", "a\u3000ｂ＃", "年，" * 3000]:
        assert fold(text) == text.translate(_FOLD_TABLE)
    assert fold("＊*") == "*" and fold("＃#") == "#"
