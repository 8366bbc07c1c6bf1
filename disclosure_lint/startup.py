"""What the command line sets for its whole process, before it imports the rest of the package."""

from __future__ import annotations

import gc

# Start-up creates tens of thousands of objects that live as long as the process (modules, classes, compiled
# patterns, parse tables, rules): at Python's default of 700 the cycle collector runs about a hundred times over them
# during a single-file check and frees nothing (about 10 % of its time). Cyclic garbage is still collected, only
# after more allocations; a batch of 200 reports peaks at the same memory (60 MB) either way.
GC_YOUNG_THRESHOLD = 100_000


def collect_less_often() -> None:
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
