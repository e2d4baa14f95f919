"""The cost of one sandboxed run of a fix (llama_nb/answer/sandbox.py), on a kernel holding a 1 GB DataFrame.

Overhead is the whole run of a fix that does nothing (``pass``): fork, confining the child (closing
descriptors, private shared mappings, rlimits, Landlock, the seccomp filter), reading its report, reaping
it. ``python -m bench.sandbox_bars [--gb 1] [--n 30]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np


def measure(gb: float = 1.0, n: int = 30) -> dict[str, float | int]:
    import pandas as pd

    from llama_nb.answer import sandbox

    rows = int(gb * 2**30 / 8 / 8)
    frame = pd.DataFrame(np.ones((rows, 8)), columns=[f"c{i}" for i in range(8)])  # touched: resident, not lazy
    ns = {"df": frame}
    sandbox.run("pass", ns)  # warm the imports
    totals, forks, confines = [], [], []
    for _ in range(n):
        t0 = time.perf_counter()
        out = sandbox.run("pass", ns)
        totals.append(time.perf_counter() - t0)
        forks.append(out.timings.get("fork_s", 0.0))
        confines.append(out.timings.get("confine_s", 0.0))
        assert out.status == sandbox.OK, out
    work = sandbox.run("s = df['c0'].sum()", ns, after="s == len(df)")
    return {"frame_bytes": int(frame.memory_usage(deep=True).sum()), "n": n,
            "overhead_p50_ms": round(statistics.median(totals) * 1000, 1),
            "overhead_p95_ms": round(sorted(totals)[int(0.95 * (n - 1))] * 1000, 1),
            "fork_p50_ms": round(statistics.median(forks) * 1000, 1),
            "confine_p50_ms": round(statistics.median(confines) * 1000, 1),
            "sum_of_a_column_ms": round(work.elapsed_s * 1000, 1), "sum_checked": bool(work.check)}


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m bench.sandbox_bars")
    p.add_argument("--gb", type=float, default=1.0)
    p.add_argument("--n", type=int, default=30)
    args = p.parse_args()
    print(json.dumps(measure(args.gb, args.n)))


if __name__ == "__main__":
    main()
