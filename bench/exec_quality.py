"""Explain quality graded by running the fix: bench/exec_case.py's cases through the real ``%llama explain``.

For each case the kernel runs ``setup``, then the cell (which raises), waits the reading time, and asks
``%llama explain``. The fix is graded by execution, never by keywords: the answer's code is put into the
cell (bench's own reading of "put it in place": every way :func:`llama_nb.answer.acceptance.fixed_cells`
offers, so the grade does not depend on the product's acceptance rule) and run in the sandbox on the
state the failed cell left; it is correct when some placement makes the case's ``check`` true. Where the
product verified the fix, its shown cell is graded too, so ``passed`` marks that are wrong are counted.

    python -m bench.exec_quality --model qwen2.5-coder-0.5b --set fresh --out bench/results/x.json
    python -m bench.exec_quality --validate         # prove every case: raises, reference passes, escapes fail

Cause naming is not graded here (no keyword rubric); bench/quality.py still reports it on its sets.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from bench.exec_case import ExecCase

#: The execution-graded sets. ``fresh_a`` and ``fresh_b`` were written by two helpers who saw neither the
#: code nor the rules nor each other's set (2026-12-06); they were measured before the verified fixes and
#: after. ``fresh_c`` (a third blind helper) was written after that and measured once, unseen; ``fresh_d`` (a
#: fourth, 30 cases, 2026-12-07) before the explanation-follows-fix and degenerate-result changes it measures;
#: ``fresh_e`` (a fifth, 30 cases) while the re-ask of repeated candidates was written, which it measures;
#: ``fresh_f`` (a sixth, 30 cases, 2026-12-07) before the refusal of escapes through the data; ``fresh_g`` (a
#: seventh) before the code as it shipped that day, which it measured once; ``fresh_h`` (an eighth, 2026-12-07)
#: before the retry told what each candidate's own error means; ``fresh_i`` (a ninth) before the acceptance
#: changes of that day (the traceback's calls, filters, constants over the data); ``fresh_j`` (a tenth,
#: 2026-12-07) before the whole cell asked at a retry's dead end; ``fresh_k`` (an eleventh) before the first
#: values of a Series and of the columns the failing line reads; ``fresh_l`` (a twelfth) before those data
#: lines beside a rule's hints (measured, not kept); ``fresh_m`` (a thirteenth) before the refusal of passes that
#: leave missing values, ``fresh_n`` (a fourteenth) after it; ``fresh_o`` (a fifteenth, leaning to calls made the
#: wrong way) before the library signatures at a TypeError's failing line; ``fresh_p`` (a sixteenth, few classics)
#: before the acceptance of compound statements repaired in their body; ``fresh_q`` (a seventeenth, 2026-12-07,
#: asked for the long tail and for errors whose right fix is not to skip the item) before the refusal of guards
#: that skip real data, of fixes that stop reading the failing line's data, and of data built from new literals;
#: ``fresh_r`` (an eighteenth, the same brief; its helper chose a dozen of fresh_q's error kinds again) before
#: the made-up data taken out of candidates and the refusal of a counter made a function's own copy;
#: ``fresh_s`` (a nineteenth, 2026-12-07, told which error kinds the earlier sets used many times, to avoid
#: them) before the filters and loop ``continue`` guards judged by what they skip.
SET_MODULES = {"fresh_a": "bench.exec_sets.fresh_a", "fresh_b": "bench.exec_sets.fresh_b", "fresh_c": "bench.exec_sets.fresh_c",
               "fresh_d": "bench.exec_sets.fresh_d", "fresh_e": "bench.exec_sets.fresh_e",
               "fresh_f": "bench.exec_sets.fresh_f", "fresh_g": "bench.exec_sets.fresh_g",
               "fresh_h": "bench.exec_sets.fresh_h", "fresh_i": "bench.exec_sets.fresh_i",
               "fresh_j": "bench.exec_sets.fresh_j",
               "fresh_k": "bench.exec_sets.fresh_k",
               "fresh_l": "bench.exec_sets.fresh_l",
               "fresh_m": "bench.exec_sets.fresh_m",
               "fresh_n": "bench.exec_sets.fresh_n",
               "fresh_o": "bench.exec_sets.fresh_o",
               "fresh_p": "bench.exec_sets.fresh_p",
               "fresh_q": "bench.exec_sets.fresh_q",
               "fresh_r": "bench.exec_sets.fresh_r",
               "fresh_s": "bench.exec_sets.fresh_s"}
GROUPS = {"fresh": ("fresh_a", "fresh_b")}
#: The newest set: what bench/run.py's bar 14 reports (it joins the others once a newer one is written).
NEWEST = "fresh_s"
CTX = 4096
READ_TIME = 1.5


def load(name: str) -> tuple[ExecCase, ...]:
    names = GROUPS.get(name, (name,))
    out: list[ExecCase] = []
    for n in names:
        out.extend(importlib.import_module(SET_MODULES[n]).CASES)
    return tuple(out)


# -- grading ----------------------------------------------------------------------------------------

def failed_state(case: ExecCase) -> tuple[dict[str, Any], BaseException | None]:
    """The namespace the failed cell leaves (setup, then the cell up to its error), and that error."""
    ns: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(case.setup, "<setup>", "exec"), ns)
    try:
        exec(compile(case.cell, "<cell>", "exec"), ns)
    except Exception as exc:
        return ns, exc
    return ns, None


def satisfies(case: ExecCase, fixed_cell: str, ns: dict[str, Any]) -> bool:
    from llama_nb.answer import sandbox

    outcome = sandbox.run(fixed_cell, ns, after=case.check, limits=sandbox.Limits(wall_s=10, cpu_s=10))
    return outcome.status == sandbox.OK and outcome.check is True


def grade_code(case: ExecCase, code: str | None) -> dict[str, Any]:
    """Whether some placement of ``code`` in the cell computes the intended result."""
    from llama_nb.answer.acceptance import failing_line, fixed_cells

    if not code:
        return {"correct": False, "why": "no code"}
    ns, exc = failed_state(case)
    line = failing_line(exc, case.cell) if exc is not None else None
    for i, cell in enumerate(fixed_cells(case.cell, line, code)):
        if satisfies(case, cell, ns):
            return {"correct": True, "placement": i}
    return {"correct": False, "why": "no placement satisfies the check"}


def validate(cases: tuple[ExecCase, ...]) -> list[str]:
    """Every case: the cell raises what it says; the reference passes; deleting or swallowing the failing line does not."""
    from llama_nb.answer.acceptance import failing_line

    problems = []
    for case in cases:
        ns, exc = failed_state(case)
        if exc is None or type(exc).__name__ != case.raises:
            problems.append(f"{case.id}: raised {type(exc).__name__ if exc else None}, expected {case.raises}")
            continue
        if not satisfies(case, case.reference, ns):
            # Graded on the state the failed cell left (what the kernel holds when the fix is checked):
            # a cell that consumed or rebound its own input before failing cannot be fixed by itself.
            problems.append(f"{case.id}: the reference does not satisfy the check on the state the failed cell left")
        line = failing_line(exc, case.cell)
        if line is None:
            problems.append(f"{case.id}: no failing line found in the cell")
            continue
        lines = case.cell.splitlines()
        target = lines[line - 1]
        indent = target[: len(target) - len(target.lstrip())]
        deleted = "\n".join(lines[: line - 1] + [indent + "pass"] + lines[line:])
        swallowed = "\n".join(lines[: line - 1] + [f"{indent}try:", f"{indent}    {target.strip()}", f"{indent}except Exception:",
                                                   f"{indent}    pass"] + lines[line:])
        fresh: dict[str, Any] = {"__name__": "__main__"}
        exec(compile(case.setup, "<setup>", "exec"), fresh)
        for name, cell, state in (("deleted", deleted, ns), ("swallowed", swallowed, ns), ("setup only", "pass", fresh)):
            if satisfies(case, cell, state):
                problems.append(f"{case.id}: the check is satisfied with the failing line {name}")
    return problems


# -- the run ------------------------------------------------------------------------------------------

def run_model(model: str, set_name: str, verify: bool, read_time: float) -> dict[str, Any]:
    """Every case through ``%llama explain`` in this process (call it in a fresh one: :func:`run`)."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    os.chdir(tempfile.mkdtemp(prefix="llama-nb-exec-cells-"))
    os.environ["LLAMA_NB_MODEL"] = model
    ip = InteractiveShell.instance()
    ip.run_cell("%load_ext llama_nb")
    from llama_nb.config import find_model
    from llama_nb.answer.pipeline import extract_code
    from llama_nb.kernel.magics import current

    session = current(ip)
    assert session is not None
    if hasattr(session.config, "verify_fixes"):
        session.config.verify_fixes = verify
    found = find_model(model)
    out: dict[str, Any] = {"model": model, "file": found.path.name if found.path else None, "set": set_name,
                           "verify": verify, "read_time_s": read_time, "cases": []}
    if found.path is None:
        out["error"] = f"{model} is not pulled"
        return out
    with capture_output(display=True):
        ip.run_cell("1 / 0")
        ip.run_cell("%llama explain")
    problems = validate(load(set_name))
    out["excluded"] = problems  # e.g. a cell whose failure changed the state its own fix needs
    excluded = {line.split(":", 1)[0] for line in problems}
    for case in load(set_name):
        if case.id in excluded:
            continue
        ip.reset(new_session=False)
        with capture_output(display=True):
            setup = ip.run_cell(case.setup, store_history=True)
            result = ip.run_cell(case.cell, store_history=True)
        exc = result.error_in_exec or result.error_before_exec
        row: dict[str, Any] = {"id": case.id}
        if setup.error_in_exec or exc is None or type(exc).__name__ != case.raises:
            row.update(valid=False, why=f"expected {case.raises}, got {type(exc).__name__ if exc else None}")
            out["cases"].append(row)
            continue
        time.sleep(read_time)  # the user reading the traceback: part of what is measured
        with capture_output(display=True):
            ip.run_cell("%llama explain")
        rec = session.last
        answer = rec.answer.text if rec and rec.answer else ""
        verification = getattr(rec, "verification", None) if rec else None
        vjson = verification.to_json() if verification is not None else None
        first_code = extract_code(answer)
        row.update(valid=True, answer=answer, card=rec.card.to_dict() if rec and rec.card else None,
                   seconds=(rec.finished - rec.started) if rec and rec.finished else None,
                   first_token=(rec.first_token - rec.started) if rec and rec.first_token else None,
                   verified_s=getattr(rec, "verified_s", None), verification=vjson)
        row["model_fix"] = grade_code(case, first_code)  # the model's own first fix, placed every way
        if verification is not None and verification.fixed_cell:
            ns, _ = failed_state(case)
            row["shown_correct"] = satisfies(case, verification.fixed_cell, ns)
        else:
            row["shown_correct"] = row["model_fix"]["correct"] if not verify else False
        row["passed_mark"] = bool(vjson and vjson.get("status") == "passed")
        out["cases"].append(row)
        print(f"  {case.id:44s} model_fix={'ok ' if row['model_fix']['correct'] else 'bad'} "
              f"shown={'ok ' if row['shown_correct'] else 'bad'} mark={(vjson or {}).get('status', '-'):8s} "
              f"{row['seconds'] or 0:5.1f}s", file=sys.stderr, flush=True)
    ip.run_cell("%unload_ext llama_nb")
    out["summary"] = summarize(out["cases"])
    return out


def _median(xs: list[float | None]) -> float | None:
    ys = sorted(x for x in xs if x is not None)
    if not ys:
        return None
    mid = len(ys) // 2
    return ys[mid] if len(ys) % 2 else (ys[mid - 1] + ys[mid]) / 2


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    valid = [r for r in rows if r.get("valid")]
    passed = [r for r in valid if r.get("passed_mark")]
    return {
        "cases": len(valid), "invalid": len(rows) - len(valid),
        "model_fix_correct": sum(r["model_fix"]["correct"] for r in valid),
        "shown_correct": sum(bool(r.get("shown_correct")) for r in valid),
        "marked_passed": len(passed),
        "passed_but_wrong": sum(not r.get("shown_correct") for r in passed),
        "answer_p50_s": _median([r.get("seconds") for r in valid]),
        "first_token_p50_s": _median([r.get("first_token") for r in valid]),
        "verified_p50_s": _median([r.get("verified_s") for r in valid]),
    }


def run(model: str, set_name: str, verify: bool, read_time: float = READ_TIME, timeout: float = 3 * 3600) -> dict[str, Any]:
    """One model in a fresh Python process (one IPython shell, one llama-server)."""
    with tempfile.TemporaryDirectory(prefix="llama-nb-exec-") as tmp:
        out_file = Path(tmp) / "out.json"
        env = dict(os.environ, LLAMA_NB_STATE_DIR=str(Path(tmp) / "state"), LLAMA_NB_CTX_SIZE=str(CTX))
        for var in ("LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_BACKEND"):
            env.pop(var, None)
        argv = [sys.executable, "-m", "bench.exec_quality", "--child", "--model", model, "--set", set_name,
                "--out", str(out_file), "--read-time", str(read_time)] + ([] if verify else ["--no-verify"])
        t0 = time.monotonic()
        proc = subprocess.run(argv, cwd=Path(__file__).resolve().parent.parent, env=env, timeout=timeout)
        if proc.returncode != 0 or not out_file.exists():
            return {"model": model, "error": f"the run exited {proc.returncode}"}
        data = json.loads(out_file.read_text())
        data["wall_s"] = round(time.monotonic() - t0, 1)
        return data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.exec_quality", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", action="append", default=[])
    p.add_argument("--set", default="fresh")
    p.add_argument("--no-verify", action="store_true", help="the answer as the model gave it (verify_fixes off)")
    p.add_argument("--read-time", type=float, default=READ_TIME)
    p.add_argument("--out")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--validate", action="store_true")
    args = p.parse_args(argv)
    if args.validate:
        problems = validate(load(args.set))
        for line in problems:
            print(line)
        print(f"{len(load(args.set))} cases, {len(problems)} problem(s)")
        return 1 if problems else 0
    if args.child:
        try:
            data = run_model(args.model[0], args.set, not args.no_verify, args.read_time)
        except Exception:
            data = {"model": args.model[0], "error": traceback.format_exc()}
        Path(args.out).write_text(json.dumps(data, indent=1, default=str))
        return 0
    results = [run(m, args.set, not args.no_verify, args.read_time) for m in args.model or ["qwen2.5-coder-0.5b"]]
    for r in results:
        print(r.get("model"), json.dumps(r.get("summary") or r.get("error")))
    if args.out:
        Path(args.out).write_text(json.dumps({"when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                                              "results": results}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
