"""CPU time per report of each pipeline stage, on a folder of reports (default: 200 generated ones).

usage: python bench/stages.py [--tree TREE] [--reports DIR] [--reps N]

Run it for two checkouts alternately (``--tree``) to compare a change stage by stage: the figures are CPU time
(``time.process_time``), each report timed once per pass, Python's collector left at its defaults.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parents[1], help="the checkout to time")
    parser.add_argument("--reports", type=Path, default=None, help="a folder of reports (default: 200 generated)")
    parser.add_argument("--reps", type=int, default=4, help="passes over the reports (the first is a warm-up)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.tree))
    from disclosure_lint.build import ReportBuilder
    from disclosure_lint.lexer import lex
    from disclosure_lint.parser import parse_layout
    from disclosure_lint.pipeline import load_report, render
    from disclosure_lint.rowtokens import row_stream
    from disclosure_lint.rules.engine import load_rules, run_rules

    if args.reports is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from generate import generate_batch

        files = [(name, text.encode("utf-8")) for name, text in generate_batch(200)]
    else:
        files = [(p.name, p.read_bytes()) for p in sorted(args.reports.iterdir()) if p.is_file()]
    rules = load_rules()
    spent: dict[str, float] = {}

    def timed(stage: str, function, *arguments):  # type: ignore[no-untyped-def]
        start = time.process_time()
        result = function(*arguments)
        spent[stage] = spent.get(stage, 0.0) + time.process_time() - start
        return result

    for rep in range(args.reps + 1):
        if rep == 1:
            spent.clear()  # the first pass fills the memos and compiles the rules
        for name, data in files:
            rendered = timed("render", render, name, data)
            tokens = timed("lex", lex, rendered.text)
            stream = timed("rowtokens", row_stream, tokens)
            timed("parse", parse_layout, stream.tokens)
            timed("build (lex + rowtokens + parse + model)", ReportBuilder(rendered, name).build)
            report = timed("load_report", load_report, name, data)
            timed("run_rules", run_rules, report, rules)
    count = len(files) * args.reps
    for stage, seconds in spent.items():
        print(f"{stage:42s} {seconds / count * 1000:.3f} ms")
    model = spent["build (lex + rowtokens + parse + model)"] - spent["lex"] - spent["rowtokens"] - spent["parse"]
    print(f"{'model (build - lex - rowtokens - parse)':42s} {model / count * 1000:.3f} ms")
    per_second = count / (spent["load_report"] + spent["run_rules"])
    print(f"{'in-process reports/s (load_report + rules)':42s} {per_second:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
