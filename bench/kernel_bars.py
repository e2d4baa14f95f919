"""Bars 1, 2 and 7: the kernel side, in a real IPython ``InteractiveShell`` with ``%load_ext llama_nb``
(embedded backend: the shell's own supervisor runs the real llama-server).

* Bar 1 times ``Preflight.run`` (what every ``%%llama`` prompt runs first) on the ready server.
* Bar 2 runs ``%%llama ask --max-tokens 64 --temperature 0`` and the same request as a raw httpx
  streaming POST, interleaved, and compares medians.
* Bar 7 compares the tokens/s the cell *receives* with llama-server's own ``timings`` for the same
  request. Arrival times come from a thin subclass of the magic's ``StreamView`` that notes the time of
  each delta it is handed (bench-side instrumentation; the product is not changed).
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from .common import Bar, log, median, pct, summary

PROMPT = "Write a long story about a dragon."
MAX_TOKENS = 64
CELL = f"%%llama ask --max-tokens {MAX_TOKENS} --temperature 0\n{PROMPT}"


class _Timed:
    """Installs a StreamView subclass in llama_nb.kernel.session that records delta arrival times."""

    def __init__(self) -> None:
        import llama_nb.kernel.session as session_mod

        self._mod = session_mod
        self._orig = session_mod.StreamView
        self.arrivals: list[float] = []
        outer = self

        class TimedStreamView(self._orig):  # type: ignore[misc,valid-type]
            def add(self, delta: str) -> None:
                outer.arrivals.append(time.perf_counter())
                super().add(delta)

        self._cls = TimedStreamView

    def __enter__(self) -> "_Timed":
        self._mod.StreamView = self._cls
        return self

    def __exit__(self, *exc: Any) -> None:
        self._mod.StreamView = self._orig


def _rate(n: int, first: float | None, last: float | None) -> float | None:
    """Tokens per second the way llama-server computes ``predicted_per_second``: tokens over the time
    from the first generated token to the last."""
    if not first or not last or last <= first or n < 2:
        return None
    return n / (last - first)


class KernelRig:
    """One IPython shell with llama-nb loaded, shared by bars 1, 2 and 7."""

    def __init__(self) -> None:
        from IPython.core.interactiveshell import InteractiveShell

        self.ip = InteractiveShell.instance()
        self.ip.config.pop("LlamaNB", None)
        self.ip.run_cell("%load_ext llama_nb")
        from llama_nb.kernel.magics import current

        self.session = current(self.ip)
        assert self.session is not None, "%load_ext llama_nb did not create a session"
        self.timed = _Timed()
        self.magic_runs: list[dict[str, Any]] = []
        self.raw_runs: list[dict[str, Any]] = []

    def close(self) -> None:
        self.ip.run_cell("%unload_ext llama_nb")

    def run_cell(self, code: str) -> tuple[float, Any, list[Any]]:
        from IPython.utils.capture import capture_output

        t0 = time.perf_counter()
        with capture_output(display=True) as cap:  # outputs go to a display publisher, as in a kernel
            result = self.ip.run_cell(code, store_history=True)
        return time.perf_counter() - t0, result, cap.outputs

    # -- the two ways to ask ------------------------------------------------------------------------

    def magic(self) -> dict[str, Any]:
        self.timed.arrivals = []
        with self.timed:
            elapsed, result, outputs = self.run_cell(CELL)
        rec = self.session.last
        from llama_nb.kernel.display import CARD_MIME

        cards = [o.data[CARD_MIME] for o in outputs if CARD_MIME in o.data]
        if cards or rec is None or rec.answer is None:
            raise RuntimeError(f"%%llama ask failed: {cards[0]['title'] if cards else 'no answer'}")
        arrivals = list(self.timed.arrivals)
        timings = rec.answer.timings or {}
        return {
            "seconds": elapsed, "text": rec.answer.text, "timings": timings, "deltas": len(arrivals),
            "cell_tps": _rate(len(arrivals), arrivals[0] if arrivals else None, arrivals[-1] if arrivals else None),
            "preflight_s": rec.ready.elapsed if rec.ready else None,
            "messages": rec.messages,
        }

    def raw(self, http: httpx.Client, url: str, key: str, messages: list[dict[str, str]]) -> dict[str, Any]:
        payload = {"messages": messages, "stream": True, "max_tokens": MAX_TOKENS, "temperature": 0.0}
        t0 = time.perf_counter()
        arrivals: list[float] = []
        text, timings = "", {}
        with http.stream("POST", f"{url}/v1/chat/completions", json=payload, headers={"Authorization": f"Bearer {key}"}) as r:
            if r.status_code != 200:
                r.read()
                raise RuntimeError(f"raw POST: HTTP {r.status_code}: {r.text[:300]}")
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                data = line[5:].strip()
                if data == "[DONE]":
                    break
                event = json.loads(data)
                if event.get("timings"):
                    timings = event["timings"]
                for choice in event.get("choices") or ():
                    delta = (choice.get("delta") or {}).get("content")
                    if delta:
                        arrivals.append(time.perf_counter())
                        text += delta
        elapsed = time.perf_counter() - t0
        return {
            "seconds": elapsed, "text": text, "timings": timings, "deltas": len(arrivals),
            "cell_tps": _rate(len(arrivals), arrivals[0] if arrivals else None, arrivals[-1] if arrivals else None),
        }


def measure(bars: dict[int, Bar], quick: bool) -> None:
    """Fill bars 1, 2 and 7 (whichever are in ``bars``)."""
    rig = KernelRig()
    try:
        t0 = time.perf_counter()
        first = rig.magic()  # cold: the first prompt starts llama-server
        log(f"  first %%llama (cold start included): {time.perf_counter() - t0:.2f} s")
        messages = first["messages"]
        status, conn = rig.session.backend.ensure(None)
        if 1 in bars:
            _bar1(bars[1], rig, messages, reps=100 if quick else 300)
        if 2 in bars or 7 in bars:
            pairs = 6 if quick else 30
            with httpx.Client(trust_env=False, timeout=httpx.Timeout(300.0, connect=5.0)) as http:
                rig.raw(http, conn.url, conn.api_key, messages)  # warm the raw path too
                rig.magic()
                for i in range(pairs):
                    order = ("magic", "raw") if i % 2 == 0 else ("raw", "magic")
                    for who in order:
                        if who == "magic":
                            rig.magic_runs.append(rig.magic())
                        else:
                            rig.raw_runs.append(rig.raw(http, conn.url, conn.api_key, messages))
            if 2 in bars:
                _bar2(bars[2], rig, status)
            if 7 in bars:
                _bar7(bars[7], rig)
    finally:
        rig.close()


def _bar1(bar: Bar, rig: KernelRig, messages: list[dict[str, str]], reps: int) -> None:
    from llama_nb.kernel.preflight import Preflight  # noqa: F401 - the function under test

    pf, backend = rig.session.preflight, rig.session.backend
    for _ in range(20):  # warm-up: keep-alive connection, caches
        pf.run(backend, None, messages, MAX_TOKENS)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        ready = pf.run(backend, None, messages, MAX_TOKENS)
        times.append(time.perf_counter() - t0)
    assert ready.n_prompt_tokens, "the pre-flight did not count the prompt"
    p50, p95 = pct(times, 50) * 1000, pct(times, 95) * 1000
    bar.measured = f"p50 {p50:.2f} ms, p95 {p95:.2f} ms (n={reps})"
    bar.met = p50 <= 2.0
    bar.details = {
        "what": "Preflight.run(session.backend, None, messages, 64) on the ready embedded backend: routing, "
                "in-memory status, one /tokenize round trip, context check",
        "ms": summary(times, 1000, 3), "n_prompt_tokens": ready.n_prompt_tokens,
    }


def _bar2(bar: Bar, rig: KernelRig, status: Any) -> None:
    m = [r["seconds"] for r in rig.magic_runs]
    r = [x["seconds"] for x in rig.raw_runs]
    ratio = median(m) / median(r)
    pn_m = [x["timings"].get("predicted_n") for x in rig.magic_runs]
    pn_r = [x["timings"].get("predicted_n") for x in rig.raw_runs]
    same_tokens = len(set(pn_m + pn_r)) == 1
    same_text = len({x["text"] for x in rig.magic_runs + rig.raw_runs}) == 1
    paired = median([a / b for a, b in zip(m, r)])
    bar.measured = f"ratio {ratio:.3f} (%%llama p50 {median(m) * 1000:.0f} ms; median of paired ratios {paired:.3f}, n={len(m)})"
    bar.raw = f"raw httpx p50 {median(r) * 1000:.0f} ms"
    bar.met = ratio <= 1.05 and same_tokens
    bar.details = {
        "cell": CELL, "pairs": len(m), "order": "interleaved, alternating which goes first",
        "magic_ms": summary(m, 1000, 1), "raw_ms": summary(r, 1000, 1), "ratio_of_medians": round(ratio, 4),
        "median_of_pair_ratios": round(paired, 4), "judged_on": "ratio of medians (as the bar is written)",
        "predicted_n_magic": pn_m, "predicted_n_raw": pn_r, "token_counts_match": same_tokens, "answers_identical": same_text,
        "preflight_in_magic_ms": summary([x["preflight_s"] for x in rig.magic_runs if x["preflight_s"]], 1000, 2),
        "server_pid": status.pid, "ctx": status.ctx_actual,
        "raw_request": "httpx.Client (keep-alive) streaming POST /v1/chat/completions, same messages (prompts.ask), "
                       "max_tokens 64, temperature 0 (greedy: no seed needed; the magic sends none either)",
    }
    if not same_tokens:
        bar.details["note"] = "token counts differ between runs: the ratio compares unequal work"


def _bar7(bar: Bar, rig: KernelRig) -> None:
    ratios, raw_ratios = [], []
    for run in rig.magic_runs:
        server = run["timings"].get("predicted_per_second")
        if run["cell_tps"] and server:
            ratios.append(run["cell_tps"] / server)
    for run in rig.raw_runs:
        server = run["timings"].get("predicted_per_second")
        if run["cell_tps"] and server:
            raw_ratios.append(run["cell_tps"] / server)
    if not ratios:
        bar.not_measured("no streamed run had token arrival times and server timings")
        return
    ratio = median(ratios)
    cell_tps = median([x["cell_tps"] for x in rig.magic_runs if x["cell_tps"]])
    server_tps = median([x["timings"]["predicted_per_second"] for x in rig.magic_runs])
    bar.measured = f"{ratio:.3f} (cell {cell_tps:.1f} tok/s vs server {server_tps:.1f} tok/s)"
    bar.raw = f"raw httpx client: {median(raw_ratios):.3f}" if raw_ratios else "—"
    bar.met = ratio >= 0.95
    bar.details = {
        "definition": "deltas received by the magic's StreamView / (last arrival - first arrival), vs timings.predicted_per_second "
                      "(predicted_n / predicted_ms) of the same request; median over runs",
        "ratio_per_run": [round(x, 4) for x in ratios], "raw_ratio_per_run": [round(x, 4) for x in raw_ratios],
        "deltas_vs_predicted_n": [(x["deltas"], x["timings"].get("predicted_n")) for x in rig.magic_runs],
    }
