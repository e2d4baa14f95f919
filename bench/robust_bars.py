"""Bars 12 and 13 (issue 10): control under load, and a soak with random faults.

* Bar 12: ``POST stop`` while 50 ``POST ensure`` wait on a server that never gets ready. The server is
  a **stand-in** (a script that never listens: ``exec sleep``), since the real llama-server always
  gets ready or fails here within seconds. Each round: 50 ensure calls in flight, then ``POST stop``
  timed; the p95 over the rounds is the bar.
* Bar 13: a soak. A real Jupyter server with the extension (the owner) and 4 real ipykernels that
  run ``%%llama ask`` cells one after another, while a fault thread injects, at random every few
  seconds: kill -9 of llama-server, SIGSTOP (a hang), POST restart, POST stop, a damaged state file.
  Reported: prompts answered, prompts that got a card, prompts stuck (no answer and no card within
  the bound: must be 0), orphans (llama-servers left after Jupyter's SIGTERM: 0), the longest time
  from a fault to ready again, and the owner's RSS growth (after warm-up to the end: <= 5 %).
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from .common import Bar, llama_servers_below, llama_servers_under_state, log, pct, pid_alive, wait_for

PROMPT = "%%llama ask --max-tokens 12 --temperature 0\nSay hello in five words."
PROMPT_BOUND = 240.0  # a prompt with neither answer nor card after this long is stuck
N_WAITING = 50


# --------------------------------------------------------------------------------------------------
# Bar 12
# --------------------------------------------------------------------------------------------------


def bar12(bar: Bar, quick: bool, state_root: Path) -> None:
    from .jupyter_server import start_jupyter

    work = state_root / "jupyter-stop-under-load"
    work.mkdir(parents=True, exist_ok=True)
    script = work / "llama-server-never-ready"
    script.write_text("#!/bin/sh\n# stand-in: a server that never listens\nexec sleep 600\n")
    script.chmod(0o755)
    jp = start_jupyter(work, f"c.LlamaNB.server = {str(script)!r}\nc.LlamaNB.load_timeout = 300.0\n")
    rounds = 3 if quick else 8
    times: list[float] = []
    answered: list[int] = []
    try:
        for r in range(rounds):
            results: list[int] = []
            lock = threading.Lock()

            def ensure() -> None:
                try:
                    with jp.client(timeout=120) as c:
                        code = c.post(jp.api + "ensure", json={}).status_code
                except httpx.HTTPError:
                    code = -1
                with lock:
                    results.append(code)

            threads = [threading.Thread(target=ensure, daemon=True) for _ in range(N_WAITING)]
            for t in threads:
                t.start()
            with jp.client(timeout=120) as c:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    st = c.get(jp.api + "status", params={"profile": "default"}).json()
                    if st["state"] == "starting" and st["pid"]:
                        break
                    time.sleep(0.05)
                time.sleep(0.5)  # all 50 requests in the server
                t0 = time.monotonic()
                stopped = c.post(jp.api + "stop", json={})
                took = time.monotonic() - t0
            if stopped.status_code != 200:
                raise RuntimeError(f"POST stop answered {stopped.status_code}: {stopped.text[:300]}")
            times.append(took)
            for t in threads:
                t.join(60)
            answered.append(len(results))
            log(f"   bar 12 round {r + 1}/{rounds}: POST stop {took * 1000:.0f} ms; {len(results)}/{N_WAITING} waiting ensure calls answered")
    finally:
        jp.cleanup()
    p95 = pct(times, 95)
    bar.measured = f"p95 {p95 * 1000:.0f} ms (max {max(times) * 1000:.0f} ms, {rounds} rounds)"
    bar.raw = f"{N_WAITING} POST ensure in flight each round; all answered after the stop in {sum(answered)}/{N_WAITING * rounds}"
    bar.met = p95 <= 2.0 and sum(answered) == N_WAITING * rounds
    bar.details = {"stop_seconds": [round(t, 3) for t in times], "ensures_answered_per_round": answered,
                   "stand_in": "llama-server replaced by a script that never listens (exec sleep)"}


# --------------------------------------------------------------------------------------------------
# Bar 13
# --------------------------------------------------------------------------------------------------


# LLAMA_NB_SOAK_TRACE=PATH: the soak's Jupyter runs tracemalloc; SIGUSR2 takes a snapshot, and the second one
# writes the 25 biggest growths since the first (by line) to PATH. Diagnosis only: it slows the owner down.
TRACE_HOOK = """
import os as _os, signal as _signal, tracemalloc as _tm
_tm.start(4)
_snaps = []
def _bench_trace(_sig, _frame):
    _snaps.append(_tm.take_snapshot().filter_traces([_tm.Filter(False, _tm.__file__)]))
    if len(_snaps) < 2:
        return
    with open({path!r} + ".tmp", "w") as _out:
        for _st in _snaps[-1].compare_to(_snaps[0], "lineno")[:25]:
            _out.write(f"{{_st.size_diff / 1024:+.1f}} KiB, {{_st.count_diff:+d}} blocks\\n")
            for _ln in _st.traceback.format()[-1:]:
                _out.write("    " + _ln + "\\n")
    _os.replace({path!r} + ".tmp", {path!r})
_signal.signal(_signal.SIGUSR2, _bench_trace)
"""


def bar13(bar: Bar, quick: bool, state_root: Path, minutes: float) -> None:
    from .jupyter_server import connect_kernel, run_cell, start_jupyter

    work = state_root / "jupyter-soak"
    trace = os.environ.get("LLAMA_NB_SOAK_TRACE")  # a path: where the owner's allocation growth goes (tracemalloc)
    jp = start_jupyter(work, "c.LlamaNB.health_interval = 1.0\n" + (TRACE_HOOK.format(path=trace) if trace else ""))
    rng = random.Random(int(os.environ.get("LLAMA_NB_SOAK_SEED", "0")) or None)
    counts = {"answered": 0, "carded": 0, "stuck": 0, "errors": 0}
    card_kinds: dict[str, int] = {}
    faults: list[dict[str, Any]] = []
    lock = threading.Lock()
    ids: list[str] = []
    clients: list[Any] = []
    end = threading.Event()
    try:
        with jp.client() as http:
            for _ in range(4):
                r = http.post(jp.base + "api/kernels", json={"name": "python3"})
                r.raise_for_status()
                ids.append(r.json()["id"])
        for kid in ids:
            clients.append(connect_kernel(jp, kid))
        jp.note_kernels()
        for kc in clients:
            run_cell(kc, "%load_ext llama_nb", 120)
        # Warm-up: every kernel answers once (each kernel's first prompt finds the API and opens its
        # connections in the owner too), so the baseline is the owner as the soak runs it.
        for kc in clients:
            first = run_cell(kc, PROMPT, PROMPT_BOUND)
            if not first["answer"]:
                raise RuntimeError(f"warm-up prompt failed: {first}")
        owner = psutil.Process(jp.proc.pid)
        if trace:
            owner.send_signal(signal.SIGUSR2)  # the first snapshot
        rss_start = owner.memory_info().rss
        t_start = time.monotonic()
        deadline = t_start + minutes * 60

        def kernel_loop(kc: Any) -> None:
            while time.monotonic() < deadline:
                out = run_cell(kc, PROMPT, PROMPT_BOUND)
                with lock:
                    if out["answer"].strip():
                        counts["answered"] += 1
                    elif out["cards"]:
                        counts["carded"] += 1
                        for c in out["cards"]:
                            card_kinds[c.get("kind", "?")] = card_kinds.get(c.get("kind", "?"), 0) + 1
                    elif any("no idle within" in e for e in out["errors"]):
                        counts["stuck"] += 1
                    else:
                        counts["errors"] += 1

        def llama_pid() -> int | None:
            servers = llama_servers_below(jp.proc.pid)
            return servers[0].pid if servers else None

        def wait_ready(since: float, replaced: int | None = None) -> float | None:
            """Seconds from ``since`` to ready again (on a new process when ``replaced`` was faulted)."""
            with jp.client(timeout=30) as http:
                while time.monotonic() < since + 180:
                    try:
                        st = http.get(jp.api + "status", params={"profile": "default"}).json()
                    except httpx.HTTPError:
                        st = {}
                    if st.get("state") in ("ready", "degraded") and (replaced is None or st.get("pid") != replaced):
                        return time.monotonic() - since
                    if st.get("state") in ("stopped", "failed"):
                        http.post(jp.api + "ensure", json={}, timeout=200)  # what the next prompt does
                    time.sleep(0.1)
            return None

        def fault_loop() -> None:
            while time.monotonic() < deadline - 20:
                end.wait(rng.uniform(8, 20))
                if time.monotonic() >= deadline - 20:
                    return
                kind = rng.choice(["kill -9", "SIGSTOP", "restart", "stop", "damaged state file"])
                t0 = time.monotonic()
                pid = llama_pid()
                try:
                    if kind == "kill -9" and pid:
                        os.killpg(pid, signal.SIGKILL)
                    elif kind == "SIGSTOP" and pid:
                        os.kill(pid, signal.SIGSTOP)
                    elif kind == "restart":
                        with jp.client(timeout=200) as http:
                            http.post(jp.api + "restart", json={})
                    elif kind == "stop":
                        with jp.client(timeout=60) as http:
                            http.post(jp.api + "stop", json={})
                    elif kind == "damaged state file":
                        path = jp.state / "run" / "default.json"
                        if path.exists():
                            path.write_bytes(rng.choice([b"[]", b'{"pid": 1', b"\x00garbage"]))
                except (OSError, httpx.HTTPError) as exc:
                    log(f"   soak: fault {kind} could not be injected: {exc}")
                recovered = wait_ready(t0, pid if kind in ("kill -9", "SIGSTOP") else None)
                faults.append({"kind": kind, "at_s": round(t0 - t_start, 1), "recovery_s": None if recovered is None else round(recovered, 2)})
                log(f"   soak {t0 - t_start:5.0f} s: {kind}: ready again after {recovered if recovered is None else round(recovered, 1)} s")

        rss_samples: list[tuple[float, float]] = []

        def rss_loop() -> None:
            """The owner's RSS every 5 s: a leak grows with time, a warm-up is one step."""
            while not end.wait(5.0) and time.monotonic() < deadline + PROMPT_BOUND:
                try:
                    rss_samples.append((round(time.monotonic() - t_start, 1), round(owner.memory_info().rss / 2**20, 2)))
                except psutil.Error:
                    return

        threads = [threading.Thread(target=kernel_loop, args=(kc,), daemon=True) for kc in clients]
        threads.append(threading.Thread(target=fault_loop, daemon=True))
        sampler = threading.Thread(target=rss_loop, daemon=True)
        sampler.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(minutes * 60 + PROMPT_BOUND + 240)
        end.set()
        sampler.join(10)
        rss_end = owner.memory_info().rss
        if trace:
            owner.send_signal(signal.SIGUSR2)  # the second snapshot, compared with the first
            wait_for(lambda: Path(trace).exists(), 120, "the tracemalloc comparison")
        growth = (rss_end - rss_start) / rss_start
        # Orphans: Jupyter's normal shutdown (SIGTERM), then any llama-server still below it or ours.
        seen = {p.pid for p in llama_servers_below(jp.proc.pid)}
        for kc in clients:
            kc.stop_channels()
        jp.note_kernels()
        jp.proc.send_signal(signal.SIGTERM)
        jp.proc.wait(90)
        time.sleep(1.0)
        orphans = sorted({pid for pid in seen if pid_alive(pid)} | {p.pid for p in llama_servers_under_state(str(jp.state))})
    finally:
        end.set()
        jp.cleanup()
    later = [mb for t, mb in rss_samples if t >= 60]
    late_growth = round((rss_end / 2**20 - later[0]) / later[0] * 100, 1) if later else None
    recoveries = [f["recovery_s"] for f in faults if f["recovery_s"] is not None]
    never = [f for f in faults if f["recovery_s"] is None]
    longest = max(recoveries) if recoveries else None
    total = sum(counts.values())
    bar.measured = (f"{counts['answered']} answered, {counts['carded']} carded, {counts['stuck']} stuck, {len(orphans)} orphans; "
                    f"longest recovery {longest if longest is None else f'{longest:.1f} s'}; owner RSS {growth * 100:+.1f} % "
                    f"({late_growth if late_growth is None else f'{late_growth:+.1f}'} % after the first minute)")
    bar.raw = f"{minutes:g} min, {len(faults)} faults ({', '.join(sorted({f['kind'] for f in faults}))}), {total} prompts"
    bar.met = counts["stuck"] == 0 and not orphans and not never and growth <= 0.05 and counts["errors"] == 0
    bar.details = {"counts": counts, "card_kinds": card_kinds, "faults": faults, "orphans": orphans,
                   "rss_start_mb": round(rss_start / 2**20, 1), "rss_end_mb": round(rss_end / 2**20, 1),
                   "rss_samples_mb": rss_samples, "rss_growth_after_first_minute_pct": late_growth,
                   "never_recovered": never,
                   "definition": "4 real ipykernels loop %%llama ask cells; stuck = neither answer nor card within "
                                 f"{PROMPT_BOUND:.0f} s; recovery = fault to the profile ready again (a stop is followed by "
                                 "the ensure a next prompt would send)"}


def measure(bars: dict[int, Bar], quick: bool, state_root: Path, soak_minutes: float) -> None:
    from .common import guarded

    if 12 in bars:
        guarded(bars[12], lambda b: bar12(b, quick, state_root))
    if 13 in bars:
        guarded(bars[13], lambda b: bar13(b, quick, state_root, soak_minutes))
