"""A proxy for "the answer names the concrete cause", read from execution-graded results: whether the
**Cause:** paragraph of the answer shown contains what the error message quotes (the key, the name, the
value in quotes). Only cases whose message quotes something count; it says nothing of whether the reason
given is right, which only a reader can judge.

    python -m bench.cause_quotes fresh_d:bench/results/exec-fresh_d-unseen.json fresh_e:bench/results/exec-fresh_e-shipped.json
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from typing import Any


def quoted(message: str) -> list[str]:
    return [q for pair in re.findall(r"'([^']{1,40})'|\"([^\"]{1,40})\"", message) for q in pair if q]


def cause_of(answer: str) -> str:
    m = re.search(r"\*\*Cause:\*\*(.*?)(?:\n\s*\n|\*\*Fix:\*\*|$)", answer or "", re.S)
    return m.group(1) if m else ""


def message(case: Any) -> str | None:
    ns: dict[str, Any] = {}
    exec(case.setup, ns)
    try:
        exec(compile(case.cell, "<cell>", "exec"), ns)
    except Exception as exc:
        return str(exc)
    return None


def main(argv: list[str]) -> int:
    for arg in argv:
        set_name, path = arg.split(":", 1)
        cases = {c.id: c for c in importlib.import_module(f"bench.exec_sets.{set_name}").CASES}
        for res in json.loads(open(path).read())["results"]:
            named = eligible = 0
            for row in res["cases"]:
                said = quoted(message(cases[row["id"]]) or "")
                if said:
                    eligible += 1
                    named += any(q in cause_of(row.get("answer") or "") for q in said)
            print(f"{set_name} {res['model']}: the Cause contains what the message quotes in {named}/{eligible} "
                  f"(of {len(res['cases'])} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
