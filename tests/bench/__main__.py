"""`make bench`: every benchmark, one after the other, each in its own process (clean memory figures).

Results are printed and written as JSON under tests/bench/results/ (git-ignored).
"""

from __future__ import annotations

import subprocess
import sys
import time

BENCHMARKS = (
    "tests.bench.bench_extract",         # issues 6, 13: body/date/title accuracy and speed vs trafilatura, per corpus
    "tests.bench.bench_events_kremlin",  # issue 3: event city accuracy and the cost of event extraction
    "tests.bench.bench_events_dev",      # issue 11: events scored on the two annotated development sets
    "tests.bench.bench_load",            # issue 5: loading 10,000 records, then the same again
    "tests.bench.bench_crawl_kremlin",   # issue 4: crawl 600 real pages from a local copy, then again
    "tests.bench.bench_warehouse",       # issue 15: reporting views, README queries and report at size
    "tests.bench.bench_scale",           # issue 14: 600 / 3,000 / 12,000 pages end to end, per stage, 2 workers
)


def main() -> int:
    failed = []
    started = time.perf_counter()
    for module in BENCHMARKS:
        print(f"\n=== {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module]).returncode != 0:
            failed.append(module)
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
