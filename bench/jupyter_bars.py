"""Bars 8, 6 and 11 on one real ``jupyter server`` subprocess with the llama-nb extension.

* Bar 8: 8 real kernels started through Jupyter's REST API (``POST api/kernels``), driven over their
  ZMQ channels with ``jupyter_client``; each loads llama-nb (which finds the extension through the
  environment Jupyter gives it), then all 8 run ``%%llama ask`` at once on the cold server.
  Spawns are counted from the profile's log (one header line per llama-server start) and from the
  llama-server processes seen below Jupyter during the run.
* Bar 6: 4 ``GET events`` clients, each a separate process, like 4 open panels. Jupyter's config
  file (Python) wraps ``Supervisor._publish_locked`` to note the monotonic time of every status
  change with its ``seq`` (bench-side instrumentation inside the Jupyter process; the product is not
  changed). Delay = arrival at a client − publish time, matched by ``seq``, for every change
  caused by ``kill -9`` of llama-server and by ``POST restart``.
* Bar 11: ``kill -9`` of Jupyter with llama-server running; count llama-server processes left.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from .common import (
    Bar, Probe, guarded, kill_pids, llama_servers_below, llama_servers_under_state, log, median, pct, pid_alive,
    summary, wait_for,
)
from .jupyter_server import TOKEN, Jupyter, connect_kernel, run_cell, start_jupyter

PROMPT_CELL = "%%llama ask --max-tokens 16 --temperature 0\nSay hello in five words."
N_KERNELS = 8
N_PANELS = 4


# --------------------------------------------------------------------------------------------------
# Bar 8: 8 kernels at once on a cold server
# --------------------------------------------------------------------------------------------------


def bar8(bar: Bar, jp: Jupyter, quick: bool) -> None:
    with jp.client() as http:
        cold = http.get(jp.api + "status").json()["profiles"]["default"]["state"]
    assert cold == "not_started", f"the default profile must be cold, it is {cold}"
    ids: list[str] = []
    errors: list[str] = []

    def start_kernel() -> None:
        try:
            with jp.client() as http:
                r = http.post(jp.base + "api/kernels", json={"name": "python3"})
                r.raise_for_status()
                ids.append(r.json()["id"])
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    t0 = time.monotonic()
    threads = [threading.Thread(target=start_kernel) for _ in range(N_KERNELS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    if errors or len(ids) != N_KERNELS:
        raise RuntimeError(f"could not start {N_KERNELS} kernels: {errors}")
    clients = [connect_kernel(jp, kid) for kid in ids]
    kernels_up = time.monotonic() - t0
    jp.note_kernels()
    setup_code = ("%load_ext llama_nb\nfrom llama_nb.kernel.magics import current as _bench_current\n"
                  "print(_bench_current().backend.backend_of(None))")
    backends = []
    for kc in clients:
        out = run_cell(kc, setup_code, 120)
        backends.append(out["stdout"].strip().splitlines()[-1] if out["stdout"].strip() else f"? {out['errors']}")
    with jp.client() as http:
        still = http.get(jp.api + "status").json()["profiles"]["default"]["state"]
    assert still == "not_started", f"loading llama-nb in the kernels must not start the server (state {still})"

    seen: set[int] = set()
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            seen.update(p.pid for p in llama_servers_below(jp.proc.pid))
            sampling.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    barrier = threading.Barrier(N_KERNELS)
    results: list[dict[str, Any] | None] = [None] * N_KERNELS

    def prompt(i: int) -> None:
        barrier.wait(60)
        try:
            results[i] = run_cell(clients[i], PROMPT_CELL, 300)
        except Exception as exc:  # noqa: BLE001
            results[i] = {"errors": [repr(exc)], "cards": [], "answer": "", "seconds": None}

    t_prompt = time.monotonic()
    threads = [threading.Thread(target=prompt, args=(i,)) for i in range(N_KERNELS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(360)
    wall = time.monotonic() - t_prompt
    sampling.set()
    sampler.join(5)
    seen.update(p.pid for p in llama_servers_below(jp.proc.pid))
    spawns = jp.spawn_headers("default")
    failures = [i for i, r in enumerate(results) if r is None or r["cards"] or r["errors"] or not r["answer"].strip()]
    with jp.client() as http:
        final = http.get(jp.api + "status").json()["profiles"]["default"]
    bar.measured = f"{len(failures)} failures of {N_KERNELS}; {spawns} spawn{'s' if spawns != 1 else ''}"
    bar.raw = f"{len(seen)} llama-server pid(s) seen below Jupyter; all answered in {wall:.1f} s"
    bar.met = not failures and spawns == 1 and len(seen) == 1 and all(b == "extension" for b in backends)
    bar.details = {
        "kernels": N_KERNELS, "kernel_start_s": round(kernels_up, 1), "backend_per_kernel": backends,
        "cell": PROMPT_CELL, "per_kernel": [
            {"seconds": round(r["seconds"], 2) if r and r["seconds"] else None, "cards": [c.get("kind") for c in r["cards"]] if r else None,
             "errors": r["errors"] if r else ["no result"], "answered": bool(r and r["answer"].strip())} for r in results],
        "spawn_headers_in_log": spawns, "llama_server_pids_seen": sorted(seen), "final_status": {k: final.get(k) for k in ("state", "pid", "restarts")},
        "definition": "8 real ipykernels started by Jupyter (POST api/kernels), llama-nb loaded in each (server still not_started), "
                      "then the same %%llama cell in all 8 at once (barrier); failure = a card, an error or no answer",
    }
    if any(b != "extension" for b in backends):
        bar.details["problem"] = "a kernel did not use the server extension"

    def shutdown(kid: str) -> None:
        with jp.client() as http:
            http.delete(jp.base + f"api/kernels/{kid}")

    for kc in clients:
        kc.stop_channels()
    threads = [threading.Thread(target=shutdown, args=(kid,)) for kid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)


# --------------------------------------------------------------------------------------------------
# Bar 6: status change → every open panel
# --------------------------------------------------------------------------------------------------


def _status(jp: Jupyter) -> dict[str, Any]:
    with jp.client() as http:
        return http.get(jp.api + "status", params={"profile": "default"}).json()


def bar6(bar: Bar, jp: Jupyter, quick: bool) -> None:
    with jp.client() as http:
        r = http.post(jp.api + "ensure", json={})
        assert r.status_code == 200, r.text
    panels = [Probe("sse", jp.api + "events?profile=default", TOKEN) for _ in range(N_PANELS)]
    try:
        for p in panels:
            p.wait("status", 30)  # the snapshot: the stream is open and live
        t_open = time.monotonic()
        triggers = ["kill", "restart"] if quick else ["kill", "restart", "kill", "restart", "kill"]
        kill_marks: list[tuple[float, int]] = []
        for trig in triggers:
            before = _status(jp)
            old_pid = before["pid"]
            seen_before = [len(p.events("status")) for p in panels]
            if trig == "kill":
                t_kill = time.monotonic()
                os.kill(old_pid, signal.SIGKILL)
                kill_marks.append((t_kill, old_pid))
            else:
                with jp.client() as http:
                    r = http.post(jp.api + "restart", json={})
                    assert r.status_code == 200, r.text

            def all_ready() -> bool:  # only events after this trigger count
                return all(any(e["state"] in ("ready", "degraded") and e["pid"] not in (None, old_pid)
                               for e in p.events("status")[n:]) for p, n in zip(panels, seen_before))

            wait_for(all_ready, 60, f"every panel to see ready again after {trig}")
            time.sleep(0.2)  # let trailing events (uptime/policy updates) arrive too
    finally:
        for p in panels:
            p.stop()
    pubs, at_loop, gcs = [], {}, []
    for line in jp.publish_log.read_text().splitlines():
        item = json.loads(line)
        if item.get("stage") == "gc":
            if item["t"] > t_open:
                gcs.append(item)
        elif item.get("stage") == "loop":
            if item["profile"] == "default":
                at_loop.setdefault(item["seq"], item)
        elif item["profile"] == "default" and item["t"] > t_open:
            pubs.append(item)
    delays: list[float] = []
    missing = 0
    per_change = []
    for pub in pubs:
        row = []
        for p in panels:
            got = [e for e in p.events("status") if e["seq"] == pub["seq"]]
            if got:
                row.append(got[0]["t"] - pub["t"])
            else:
                missing += 1
        delays += row
        loop = at_loop.get(pub["seq"])
        per_change.append({"seq": pub["seq"], "state": pub["state"], "max_ms": round(max(row) * 1000, 2) if row else None,
                           "received_by": len(row),
                           "to_event_loop_ms": round((loop["t"] - pub["t"]) * 1000, 2) if loop else None,
                           "written_at_ms": round((loop["t_done"] - pub["t"]) * 1000, 2) if loop else None})
    kill_to_restarting = []
    for t_kill, old_pid in kill_marks:
        for p in panels:
            got = [e for e in p.events("status") if e["t"] >= t_kill and e["state"] == "restarting"]
            if got:
                kill_to_restarting.append(got[0]["t"] - t_kill)
    if not delays:
        bar.not_measured("no status change was matched between the supervisor and the panels")
        return
    every = [c["max_ms"] for c in per_change if c["max_ms"] is not None]  # until the last panel has it
    worst, p95 = max(every), pct(every, 95)
    bar.measured = (f"p95 {p95:.1f} ms, max {worst:.1f} ms until every panel has it ({len(pubs)} changes × {N_PANELS} panels; "
                    f"per panel p50 {pct(delays, 50) * 1000:.1f} ms)" + (f"; {missing} not delivered" if missing else ""))
    bar.raw = (f"anchor < 100 ms; kill -9 → `restarting` at a panel p50 {median(kill_to_restarting) * 1000:.0f} ms"
               if kill_to_restarting else "anchor < 100 ms")
    bar.met = p95 <= 50.0 and missing == 0
    bar.details = {
        "definition": "arrival of each status event at each of 4 separate SSE client processes minus the moment the supervisor "
                      "published it (same seq), for every change after the streams opened; per change the slowest panel counts "
                      "(every open panel); judged on the p95 over changes, the max is shown; triggers: " + ", ".join(triggers),
        "delay_ms": summary(delays, 1000, 2), "changes": per_change, "not_delivered": missing,
        "breakdown": "per change: to_event_loop_ms = publish → StatusHub._deliver starts on Jupyter's event loop; "
                     "written_at_ms = publish → every listener has it queued; the rest of max_ms is the stream writes and "
                     "the panel processes being scheduled",
        "gc_pauses_ge_5ms_in_jupyter": [{"generation": g["generation"], "ms": round((g["t_done"] - g["t"]) * 1000, 1)} for g in gcs],
        "to_event_loop_ms": summary([c["to_event_loop_ms"] / 1000 for c in per_change if c.get("to_event_loop_ms") is not None], 1000, 2),
        "kill_to_restarting_at_panel_ms": summary(kill_to_restarting, 1000, 1),
    }


# --------------------------------------------------------------------------------------------------
# Bar 11: kill -9 of Jupyter
# --------------------------------------------------------------------------------------------------


def bar11(bar: Bar, jp: Jupyter) -> None:
    with jp.client() as http:
        r = http.post(jp.api + "ensure", json={})
        assert r.status_code == 200, r.text
    procs = llama_servers_below(jp.proc.pid)
    servers = [p.pid for p in procs]
    assert servers, "no llama-server was running below Jupyter"
    described = []
    for p in procs:
        try:
            cmd = p.cmdline()
            described.append({"pid": p.pid, "ppid": p.ppid(), "port": cmd[cmd.index("--port") + 1] if "--port" in cmd else None,
                              "status": p.status(), "threads": p.num_threads()})
        except (psutil.Error, ValueError, IndexError):
            described.append({"pid": p.pid})
    with jp.client() as http:
        status_pid = http.get(jp.api + "status", params={"profile": "default"}).json().get("pid")
    t_kill = time.monotonic()
    os.kill(jp.proc.pid, signal.SIGKILL)
    jp.proc.wait(30)
    bound = 10.0
    gone_at: dict[int, float] = {}
    while time.monotonic() - t_kill < bound and len(gone_at) < len(servers):
        for pid in servers:
            if pid not in gone_at and not pid_alive(pid):
                gone_at[pid] = time.monotonic() - t_kill
        time.sleep(0.005)
    left = llama_servers_under_state(str(jp.state))
    bar.measured = f"{len(left)} left (of {len(servers)} running) after a {bound:.0f} s bounded wait"
    bar.raw = ("gone " + ", ".join(f"{t * 1000:.0f} ms" for t in gone_at.values()) + " after the kill") if gone_at else "—"
    bar.met = not left
    bar.details = {"running_before": described, "status_pid": status_pid, "left_after_wait": [p.pid for p in left],
                   "gone_after_ms": {str(k): round(v * 1000, 1) for k, v in gone_at.items()}, "bounded_wait_s": bound,
                   "anchor": "llama-swap issues #100 and #138: llama-server orphans left behind"}
    if left:
        kill_pids(p.pid for p in left)


def measure(bars: dict[int, Bar], quick: bool, state_root: Path) -> None:
    jp = start_jupyter(state_root / "jupyter")
    try:
        if 8 in bars:
            guarded(bars[8], lambda b: bar8(b, jp, quick))
            if bars[8].status != "measured":
                bars[8].details["jupyter_log_tail"] = jp.log_tail(4000)
            log(f"  bar 8: {bars[8].measured} {bars[8].raw}")
        if 6 in bars:
            guarded(bars[6], lambda b: bar6(b, jp, quick))
            log(f"  bar 6: {bars[6].measured}")
        if 11 in bars:
            guarded(bars[11], lambda b: bar11(b, jp))
            log(f"  bar 11: {bars[11].measured}")
    finally:
        jp.cleanup()
