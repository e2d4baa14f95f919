"""Render a bench result file as the README's Markdown: the machine line and the bar table.

    python -m bench.report bench/results/full-2026-12-04.json [more.json ...]

With more than one file, the first is the table and the others add one line each for bar 6 (the bar that
must hold in consecutive full runs), so the README's figures come from runs, never typed in by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _esc(text: Any) -> str:
    return str(text if text not in (None, "") else "—").replace("|", "\\|").replace("\n", " ")


def machine_line(report: dict[str, Any]) -> str:
    m = report["machine"]
    commit = m.get("llama_nb", {}).get("commit")
    dirty = " (uncommitted changes)" if m.get("llama_nb", {}).get("dirty") else ""
    load0, load1 = m.get("load_average_at_start", ["?"])[0], m.get("load_average_at_end", ["?"])[0]
    return (f"{m['date']}, {report['mode']} run, {report['runtime_s']:.0f} s; {m['cpu_model']}, "
            f"{m['cpu_cores_logical']} cores, {m['ram_gib']} GiB, {m['python']}, {m.get('gpu', '')}; "
            f"{m['llama_server'].get('wheel')}; commit {commit}{dirty}; load average {load0} at the start, {load1} at the end; "
            f"{report['summary']['met']} of {report['summary']['bars']} judged bars met")


def table(report: dict[str, Any]) -> str:
    rows = ["| # | bar | target | measured | raw / anchor (same run) | met |", "|---|---|---|---|---|---|"]
    for b in report["bars"]:
        if b["status"] != "measured":
            measured, met = f"not measured: {b.get('reason')}", "n/m"
        else:
            measured = b["measured"]
            met = "—" if b["target"] == "reported" else ("yes" if b["met"] else "**NO**" if b["met"] is False else "n/m")
        rows.append(f"| {b['id']} | {_esc(b['bar'])} | {_esc(b['target'])} | {_esc(measured)} | "
                    f"{_esc(b.get('raw_or_anchor'))} | {met} |")
    return "\n".join(rows)


def bar_line(report: dict[str, Any], bar: int) -> str:
    for b in report["bars"]:
        if b["id"] == bar:
            met = "met" if b["met"] else "NOT met"
            return f"- {report['machine']['date']}: {b['measured']} ({met})"
    return f"- {report['machine']['date']}: bar {bar} not in this run"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n")[0])
    parser.add_argument("results", type=Path, nargs="+")
    parser.add_argument("--bar", type=int, default=6, help="the bar listed for every file (default 6)")
    args = parser.parse_args(argv)
    reports = [json.loads(p.read_text()) for p in args.results]
    print(machine_line(reports[0]) + "\n")
    print(table(reports[0]))
    if len(reports) > 1:
        print(f"\nBar {args.bar} in each run:")
        for r in reports:
            print(bar_line(r, args.bar))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
