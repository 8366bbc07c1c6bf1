"""Fuzzing the whole in-process pipeline: whatever bytes come in, the result is diagnostics or a LintError.

Real reports are damaged in every way an editor, a PDF converter or a web page can damage text, so the
inputs here are reports that are damaged on purpose: lines deleted, duplicated, swapped and joined,
digits changed, stray characters (tabs, pipes, nbsp, U+3000, CJK, numbering such as "（七）") inserted,
the file cut short, saved in another encoding. Every case must

* end with a list of diagnostics, or with a :class:`~disclosure_lint.errors.LintError` (a file that is
  not a report), never with another exception;
* take well under five seconds;
* point every diagnostic at a real place: line >= 1 and within the file, column >= 1.

Two profiles: ``ci`` (the default, 150 cases in all, a few seconds) and ``long`` (thousands of cases, to
run by hand before a release)::

    HYPOTHESIS_PROFILE=long python -m pytest tests/hostile/test_fuzz.py -q --hypothesis-show-statistics

The five seed reports of ``../shared/seeds`` are read in place (never copied into the project); the
test that needs them is skipped when they are absent.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import reportgen
from docxgen import docx_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_lint.errors import LintError
from disclosure_lint.pipeline import load_report
from disclosure_lint.rules.engine import load_rules, run_rules

ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# Per-case time limit. A real report takes milliseconds; seconds would mean something went quadratic.
TIME_LIMIT_S = 5.0

# Three fuzz tests: 3 x 50 = 150 cases for CI, 3 x 2,000 = 6,000 for the long run.
settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    # FUZZ_EXAMPLES sets the cases per test for a long run (see docs/security.md).
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")),
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Applied to these tests only, so that other property tests keep their own settings.
_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ = settings.get_profile(_PROFILE if _PROFILE in ("ci", "long") else "ci")


# --- inputs ----------------------------------------------------------------------------------------


def _read_texts(paths: list[Path]) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(paths)]


def seed_reports() -> list[tuple[str, str]]:
    return _read_texts(list(SEEDS_DIR.glob("*.txt"))) if SEEDS_DIR.is_dir() else []


def project_reports() -> list[tuple[str, str]]:
    """The project's own reports: examples, text fixtures, and the generated report in every layout."""
    paths = list((ROOT / "examples").glob("*.txt")) + list((ROOT / "tests" / "fixtures").rglob("*.txt"))
    texts = _read_texts(paths)
    texts += [(f"generated-{layout}.txt", reportgen.render(layout)) for layout in reportgen.LAYOUTS]
    return texts


SEEDS = seed_reports()
OWN = project_reports()

# Characters that change how the lexer reads a line: cell delimiters, the spaces of Word and PDF text,
# brackets and numbering of row labels, digits and the words of table labels.
NOISE_CHARS = (
    "\t|\u00a0\u3000 \r\n0123456789０１２３（）()、.．,，:：;；/—-"
    "一二三四五六七八九十总计其他申请公开不予处理结转本年新收上年行政复议诉讼"
)
NOISE_WORDS = (
    "（七）",
    "（一）",
    "(六)",
    "三、",
    "四、",
    "1.",
    "总计",
    "（七）总计",
    "其他",
    "自然人",
    "本年新收政府信息公开申请数量",
    "第二十条第（一）项",
    "| --- |",
    "\t\t\t",
    "0000000",
    "/",
    "——",
)
noise = st.one_of(
    st.text(alphabet=NOISE_CHARS, min_size=1, max_size=12),
    st.sampled_from(NOISE_WORDS),
    st.text(min_size=1, max_size=6),  # anything at all, any script
)
# Positions are fractions of the text, so a shrunk case still points at the same kind of place.
where = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)
mutation = st.one_of(
    st.tuples(st.just("delete"), where),
    st.tuples(st.just("duplicate"), where),
    st.tuples(st.just("swap"), where, where),
    st.tuples(st.just("join"), where),
    st.tuples(st.just("digit"), where, st.sampled_from("0123456789")),
    st.tuples(st.just("insert"), where, noise),
    st.tuples(st.just("cut"), where),
    # The same line in another layout: tab cells become spaces (PDF text), pipes, U+3000 or nothing.
    st.tuples(st.just("relayout"), where, st.sampled_from([" ", "  ", "|", " | ", "\u3000", "\u00a0", ""])),
)
encodings = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
suffixes = st.sampled_from([".txt", ".txt", ".md"])


def mutate(text: str, mutations: list[tuple]) -> str:
    for kind, *args in mutations:
        lines = text.split("\n")
        i = int(args[0] * len(lines))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = int(args[1] * len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "relayout":
            lines[i] = lines[i].replace("\t", args[1])
        elif kind == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif kind == "digit":
            digits = [k for k, ch in enumerate(text) if ch.isdigit()]
            if digits:
                k = digits[int(args[0] * len(digits))]
                text = text[:k] + args[1] + text[k + 1 :]
            continue
        elif kind == "insert":
            k = int(args[0] * (len(text) + 1))
            text = text[:k] + args[1] + text[k:]
            continue
        elif kind == "cut":
            text = text[: int(args[0] * len(text))]
            continue
        text = "\n".join(lines)
    return text


# --- the property ---------------------------------------------------------------------------------


RULES = load_rules()


def check_never_crashes(path: str, data: bytes) -> None:
    """The invariants above, for one input."""
    # CPU time, not wall time: a long run at low priority on a shared machine is paused for seconds at a
    # time, and that must not read as a slow input.
    start = time.process_time()
    try:
        report = load_report(path, data=data)
        diagnostics = run_rules(report, RULES)
    except LintError as exc:
        # A refusal must say something, in both languages.
        assert exc.message("zh") and exc.message("en")
        diagnostics = None
    elapsed = time.process_time() - start
    assert elapsed < TIME_LIMIT_S, f"{path}: {elapsed:.2f} s for {len(data)} bytes"
    if diagnostics is None:
        return
    line_count = report.text.count("\n") + 1
    for d in diagnostics:
        span = d.span
        assert span is not None, d
        assert 1 <= span.line <= line_count, (d.rule, span, line_count)
        assert span.column >= 1, (d.rule, span)
        assert 1 <= span.end_line <= line_count, (d.rule, span, line_count)


@FUZZ
@given(
    seed=st.sampled_from(SEEDS or [("none", "")]),
    mutations=st.lists(mutation, min_size=1, max_size=8),
    encoding=encodings,
    suffix=suffixes,
)
def test_mutated_seed_reports_never_crash(seed, mutations, encoding, suffix):
    if not SEEDS:
        pytest.skip(f"the seed reports are read in place from {SEEDS_DIR}, which is not present")
    name, text = seed
    check_never_crashes(name + suffix, mutate(text, mutations).encode(encoding))


@FUZZ
@given(
    seed=st.sampled_from(OWN),
    mutations=st.lists(mutation, min_size=1, max_size=8),
    encoding=encodings,
    suffix=suffixes,
)
def test_mutated_project_reports_never_crash(seed, mutations, encoding, suffix):
    name, text = seed
    check_never_crashes(name + suffix, mutate(text, mutations).encode(encoding))


magic = st.sampled_from(
    [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]
)


@FUZZ
@given(
    head=magic,
    body=st.one_of(
        st.binary(max_size=4096),
        st.text(alphabet=NOISE_CHARS, max_size=2000).map(lambda t: t.encode("utf-8")),
        st.lists(st.sampled_from(NOISE_WORDS), max_size=200).map(lambda ws: "".join(ws).encode("gb18030")),
    ),
    suffix=st.sampled_from([".txt", ".md", ".html", ""]),
)
def test_arbitrary_bytes_never_crash(head, body, suffix):
    check_never_crashes("input" + suffix, head + body)


# --- web pages and Word documents --------------------------------------------------------------------

HTML_DIR = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "html"
PAGES = sorted((p.name, p.read_bytes()) for p in HTML_DIR.glob("*.htm*")) if HTML_DIR.is_dir() else []
# Markup that has broken parsers: unterminated constructs, Word's conditional comments, long references,
# labels that are not text encodings, deep tables.
MARKUP_NOISE = (
    "<![ endif]>", "<![if !supportLists]>", "<!--", "-->", "<a ", "</", "<?", "<!x", "<![CDATA[", "&#",
    "&#99999999999;", "&#x110000;", "&nbsp", "<table>", "</table>", "<tr>", "<td>", "</td>", "<br>", "<p>",
    '<meta charset="base64">', '<meta charset="utf-16">', "<script>", "</script>", "<style>", '"', "'", ">",
    "<td colspan=99999>", "\x00", "\u3000",
)  # fmt: skip
markup_mutation = st.one_of(
    st.tuples(st.just("insert"), where, st.one_of(st.sampled_from(MARKUP_NOISE), noise)),
    st.tuples(st.just("delete"), where, st.integers(1, 200)),
    st.tuples(st.just("duplicate"), where, st.integers(1, 2000)),
    st.tuples(st.just("cut"), where),
)


def mutate_bytes(data: bytes, mutations: list[tuple]) -> bytes:
    for kind, at, *args in mutations:
        k = int(at * (len(data) + 1))
        if kind == "insert":
            data = data[:k] + str(args[0]).encode("utf-8") + data[k:]
        elif kind == "delete":
            data = data[:k] + data[k + args[0] :]
        elif kind == "duplicate":
            data = data[:k] + data[k : k + args[0]] + data[k:]
        elif kind == "cut":
            data = data[:k]
    return data


@FUZZ
@given(
    page=st.sampled_from(PAGES or [("none", b"")]),
    mutations=st.lists(markup_mutation, min_size=1, max_size=8),
)
def test_mutated_real_web_pages_never_crash(page, mutations):
    if not PAGES:
        pytest.skip(f"the real web pages are read in place from {HTML_DIR}, which is not present")
    name, data = page
    check_never_crashes(name, mutate_bytes(data, mutations))


def docx_of(text: str) -> bytes:
    """A .docx of ``text``: lines with tabs become table rows, other lines paragraphs (written by hand, fast)."""
    from xml.sax.saxutils import escape

    def para(line: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'

    body: list[str] = []
    rows: list[str] = []
    for line in text.split("\n"):
        clean = "".join(ch for ch in line if ch in "\t" or ch.isprintable())
        if "\t" in clean:
            rows.append("<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in clean.split("\t")) + "</w:tr>")
            continue
        if rows:
            body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
            rows = []
        body.append(para(clean))
    if rows:
        body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    return docx_bytes("".join(body))


@FUZZ
@given(
    seed=st.sampled_from(SEEDS or OWN),
    mutations=st.lists(mutation, min_size=1, max_size=8),
    damage=st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(0, 255)), max_size=3),
)
def test_mutated_word_documents_never_crash(seed, mutations, damage):
    pytest.importorskip("docx")
    name, text = seed
    data = bytearray(docx_of(mutate(text, mutations)))
    for at, byte in damage:  # a damaged archive: any byte of it overwritten
        data[int(at * len(data))] = byte
    check_never_crashes(name + ".docx", bytes(data))


def test_the_fuzz_inputs_exist():
    """The project's own reports are always there (the seeds may not be): the fuzzing never runs empty."""
    assert len(OWN) >= len(reportgen.LAYOUTS)
    for name, text in OWN:
        assert text.strip(), name
