"""Rows 25-27: the anchors, measured in the same run wherever they install from PyPI.

The anchors live in their own venv (``~/.cache/llama-nb/anchors-venv``, or ``$LLAMA_NB_ANCHORS_VENV``),
made by the bench when it is missing (and again when ANCHOR_PACKAGES change); nothing of theirs goes
into llama-nb's venv or its dependencies. Everything runs on loopback against the same llama-server
binary and model as the bars.

* 25/26: jupyter-server-proxy (simpervisor) running llama-server as a proxied server process, the
  way its documentation shows: a fresh ``jupyter server`` per repetition; a probe process polls
  llama-server's ``/health`` directly every 1 ms for the true ready instant, while a client asks
  ``GET {base}llama/health`` through the proxy (this request makes jupyter-server-proxy start the
  process, and is answered once it calls it ready), then polls through the proxy every 10 ms until 200.
  Row 25: readiness seen after llama-server is ready (signed: negative = called ready too early, and
  the status code the first proxied request got). Row 26: ``kill -9`` of llama-server → the first
  200 through the proxy, client polling every 10 ms.
* 27: jupyter-ai's ``%%ai`` magic (jupyter-ai-magics, provider ``openai-chat-custom`` with
  ``openai_api_base`` pointed at the llama-server llama-nb supervises here) vs ``%%llama ask`` on the
  same server (a remote profile: ``LLAMA_NB_URL``), same prompt text and token limit, each in a fresh
  ipykernel of its own venv: time until the first answer text is visible in the cell. Then the same
  two magics with a cell body that holds braces (a dict literal and an f-string).

Ollama and llama-swap do not install from PyPI: their anchors stay computed (bars 3 and 4) and say so.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from .latency_bars import start_kernel
from .common import CTX, REPORTED, Bar, Probe, guarded, kill_pids, log, median, summary, wait_for

ANCHOR_PACKAGES = ["jupyter-server-proxy>=4,<5", "jupyter-ai-magics>=2.31,<3", "langchain-openai<0.4", "ipykernel>=6.29"]
TOKEN = "llama-nb-bench-anchor"
MAX_TOKENS = 48
PROMPT = "Explain what this code does, step by step:\n\nnums = [3, 1, 2]\nprint(sorted(nums)[-1] / len(nums))"
BRACES = 'Explain this code:\n\nd = {"a": 1}\nprint(f"{d[\'a\']} and {{}}")'


def anchor_rows() -> dict[int, Bar]:
    return {
        25: Bar(25, "anchor, measured: jupyter-server-proxy readiness seen after llama-server is ready", REPORTED,
                "llama-nb: bar 3"),
        26: Bar(26, "anchor, measured: jupyter-server-proxy kill -9 → answering again", REPORTED, "llama-nb: bar 4"),
        27: Bar(27, "anchor, measured: jupyter-ai %%ai vs %%llama, first answer text visible; a body with braces", REPORTED),
    }


# --------------------------------------------------------------------------------------------------
# The anchors' venv
# --------------------------------------------------------------------------------------------------


def anchors_venv() -> Path:
    venv = Path(os.environ.get("LLAMA_NB_ANCHORS_VENV") or Path.home() / ".cache" / "llama-nb" / "anchors-venv")
    stamp = hashlib.sha256(json.dumps([ANCHOR_PACKAGES, sys.version]).encode()).hexdigest()[:16]
    py = venv / "bin" / "python"
    if py.exists() and (venv / ".llama-nb-stamp").exists() and (venv / ".llama-nb-stamp").read_text().strip() == stamp:
        return venv
    log(f"  making the anchors' venv in {venv} (once; minutes): {' '.join(ANCHOR_PACKAGES)}")
    subprocess.run(["rm", "-rf", str(venv)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--prefer-binary"]
    out = subprocess.run(pip + ANCHOR_PACKAGES, capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"could not install the anchors: {out.stderr[-800:]}")
    (venv / ".llama-nb-stamp").write_text(stamp + "\n")
    return venv


def _versions(venv: Path) -> dict[str, str]:
    code = ("from importlib.metadata import version as v\nimport json\n"
            "print(json.dumps({n: v(n) for n in ('jupyter-server-proxy', 'simpervisor', 'jupyter-ai-magics', 'langchain-openai', 'jupyter-server')}))")
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], capture_output=True, text=True, timeout=120)
    return json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr[-300:]}


def _server_and_model() -> tuple[Path, Path, dict[str, str]]:
    from llama_nb import config

    server = config.find_server().path
    model = config.find_model(os.environ.get("LLAMA_NB_MODEL") or config.load_config().default().model).path
    if server is None or model is None or not Path(model).exists():
        raise RuntimeError(f"llama-server ({server}) or the model ({model}) is not installed")
    return Path(server), Path(model), config.launch_environment(Path(server), {})


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------------
# Rows 25-26: jupyter-server-proxy
# --------------------------------------------------------------------------------------------------


def _jsp_once(venv: Path, work: Path, server: Path, model: Path, env_extra: dict[str, str]) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    cmd = [str(server), "-m", str(model), "--host", "127.0.0.1", "--port", "{port}", "-c", str(CTX)]
    cfg = work / "jupyter_server_config.py"
    cfg.write_text(textwrap.dedent(f"""
        c.IdentityProvider.token = {TOKEN!r}
        c.ServerApp.base_url = "/bench/"
        c.ServerApp.port = 0
        c.ServerApp.open_browser = False
        c.ServerApp.allow_root = True
        c.ServerApp.root_dir = {str(work)!r}
        c.ServerApp.jpserver_extensions = {{"jupyter_server_proxy": True}}
        c.ServerProxy.servers = {{"llama": {{"command": {cmd!r}, "port": {port}, "timeout": 120,
                                           "environment": {env_extra!r}}}}}
    """))
    runtime = work / "runtime"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLAMA_NB_", "PYTHONPATH"))}
    env.update({"JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(work / "cfgdir")})
    with open(work / "jupyter.log", "wb") as out:
        proc = subprocess.Popen([str(venv / "bin" / "python"), "-m", "jupyter_server", f"--config={cfg}"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=work)
    probe = None
    try:
        info = runtime / f"jpserver-{proc.pid}.json"
        jport = wait_for(lambda: _port_of(info, proc), 120, "jupyter-server-proxy's Jupyter to start", interval=0.05)
        url = f"http://127.0.0.1:{jport}/bench/llama/health"
        headers = {"Authorization": f"token {TOKEN}"}
        with httpx.Client(trust_env=False, timeout=httpx.Timeout(180.0, connect=5.0), headers=headers) as http:
            wait_for(lambda: http.get(f"http://127.0.0.1:{jport}/bench/api/status").status_code == 200, 60, "Jupyter answering")
            probe = Probe("health", str(port), "0.001", "300")
            probe.wait("started", 30)
            t0 = time.monotonic()
            first = http.get(url)  # makes jupyter-server-proxy start llama-server; answered once it calls it ready
            t_first, first_code = time.monotonic(), first.status_code
            code = first_code
            while code != 200 and time.monotonic() - t0 < 180:
                time.sleep(0.01)
                code = http.get(url).status_code
            t_200 = time.monotonic()
            t_ready = probe.wait("ready", 180)["t"]
            pids = [p.pid for p in psutil.Process(proc.pid).children(recursive=True) if "llama-server" in p.name()]
            assert pids, "no llama-server below jupyter-server-proxy's Jupyter"
            t_kill = time.monotonic()
            os.kill(pids[0], signal.SIGKILL)
            codes: list[int] = []
            while time.monotonic() - t_kill < 120:
                try:
                    c = http.get(url).status_code
                except httpx.HTTPError:
                    c = 0
                codes.append(c)
                if c == 200 and time.monotonic() - t_kill > 0.05:
                    new = [p.pid for p in psutil.Process(proc.pid).children(recursive=True) if "llama-server" in p.name()]
                    if new and new[0] != pids[0]:
                        break
                time.sleep(0.01)
            t_back = time.monotonic()
            recovered = bool(codes) and codes[-1] == 200
        return {"seen_after_ready_s": t_first - t_ready, "first_code": first_code, "first_200_after_ready_s": t_200 - t_ready,
                "cold_start_s": t_ready - t0, "kill_to_200_s": (t_back - t_kill) if recovered else None,
                "codes_after_kill": sorted(set(codes))}
    finally:
        if probe is not None:
            probe.stop()
        mine = [p.pid for p in psutil.Process(proc.pid).children(recursive=True)] if proc.poll() is None else []
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        kill_pids(p for p in mine if psutil.pid_exists(p))


def _port_of(info: Path, proc: subprocess.Popen[bytes]) -> int | None:
    if proc.poll() is not None:
        raise RuntimeError(f"Jupyter (anchors) exited with {proc.returncode}")
    try:
        return int(json.loads(info.read_text())["port"])
    except (OSError, ValueError, KeyError):
        return None


def rows25_26(bars: dict[int, Bar], venv: Path, quick: bool, state_root: Path) -> None:
    server, model, env_extra = _server_and_model()
    env_extra = {k: v for k, v in env_extra.items() if k == "LD_LIBRARY_PATH"}
    runs = [_jsp_once(venv, state_root / f"jsp-{i}", server, model, env_extra) for i in range(1 if quick else 3)]
    seen = [r["seen_after_ready_s"] for r in runs]
    first200 = [r["first_200_after_ready_s"] for r in runs]
    codes = sorted({r["first_code"] for r in runs})
    if 25 in bars:
        b = bars[25]
        b.measured = (f"{median(seen) * 1000:+.0f} ms (first proxied answer: HTTP {'/'.join(map(str, codes))}); "
                      f"first 200 {median(first200) * 1000:+.0f} ms, client polling every 10 ms (n={len(runs)})")
        b.raw = "llama-nb: bar 3 (ready = /health 200 and our child owns the port)"
        b.details = {"runs": runs, "model": model.name, "definition": "time of the proxied request's answer (jupyter-server-proxy "
                     "answers it once simpervisor's ready check passes: any HTTP answer from the port) minus the first /health 200 "
                     "seen by a 1 ms probe; negative = called ready while llama-server still loads (503)"}
    if 26 in bars:
        b = bars[26]
        back = [r["kill_to_200_s"] for r in runs if r["kill_to_200_s"] is not None]
        cold = [r["cold_start_s"] for r in runs]
        b.measured = (f"{median(back):.2f} s to a 200 through the proxy (cold start {median(cold):.2f} s; n={len(back)})"
                      if back else "never answered again within 120 s")
        b.raw = "llama-nb: bar 4"
        b.details = {"kill_to_200_s": summary(back, 1, 3), "cold_start_s": summary(cold, 1, 3),
                     "codes_seen_after_kill": sorted({c for r in runs for c in r["codes_after_kill"]}),
                     "definition": "kill -9 of the llama-server jupyter-server-proxy started → first 200 for GET llama/health "
                                   "through the proxy, polled every 10 ms (simpervisor notices the exit within 0.5 s and starts it again)"}


# --------------------------------------------------------------------------------------------------
# Row 27: jupyter-ai's %%ai vs %%llama on the same llama-server
# --------------------------------------------------------------------------------------------------


def _run(kc: Any, code: str, timeout: float = 300) -> dict[str, Any]:
    from .latency_bars import _execute  # noqa: F811

    out = _execute(kc, code, timeout)
    if out["first"] is None and not out["errors"]:
        # %%ai shows its answer as one display (Markdown); _execute notes the first non-placeholder text
        out["errors"].append("no answer text was shown")
    return out


def row27(bar: Bar, venv: Path, quick: bool, state_root: Path) -> None:
    from llama_nb.config import Profile, SupervisorSettings
    from llama_nb.supervisor import Supervisor

    sup = Supervisor(Profile(ctx_size=CTX), SupervisorSettings(state_dir=str(state_root / "anchor-ai-state")))
    try:
        sup.ensure()
        conn = sup.connection()
        if conn is None:
            raise RuntimeError("the supervised llama-server is not up")
        conn_url, key = conn.url, conn.api_key
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("LLAMA_NB_")}
        ai_env = {**{k: v for k, v in base_env.items() if k != "PYTHONPATH"}, "OPENAI_API_KEY": key}
        from .common import ROOT

        nb_env = {**base_env, "LLAMA_NB_URL": f"{conn_url}/v1", "LLAMA_NB_API_KEY": key,
                  "LLAMA_NB_STATE_DIR": str(state_root / "anchor-nb-state"),
                  "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        # jupyter-ai splits the magic line on single spaces: the JSON must hold none
        params = json.dumps({"openai_api_base": f"{conn_url}/v1", "max_tokens": MAX_TOKENS, "temperature": 0}, separators=(",", ":"))
        ai_cell = f"%%ai openai-chat-custom:local -m {params}\n"
        nb_cell = f"%%llama ask --max-tokens {MAX_TOKENS} --temperature 0\n"
        reps = 2 if quick else 5
        ai_km, ai_kc = start_kernel(str(venv / "bin" / "python"), ai_env)
        nb_km, nb_kc = start_kernel(sys.executable, nb_env)
        try:
            ai_load = _run(ai_kc, "%load_ext jupyter_ai_magics", 120)
            nb_load = _run(nb_kc, "%load_ext llama_nb", 120)
            _run(ai_kc, ai_cell + PROMPT)  # warm-up of each path (imports, connections)
            _run(nb_kc, nb_cell + PROMPT)
            ai_runs, nb_runs = [], []
            for i in range(reps):
                for who in (("ai", "nb") if i % 2 == 0 else ("nb", "ai")):
                    if who == "ai":
                        ai_runs.append(_run(ai_kc, ai_cell + PROMPT))
                    else:
                        nb_runs.append(_run(nb_kc, nb_cell + PROMPT))
            ai_braces = _run(ai_kc, ai_cell + BRACES)
            nb_braces = _run(nb_kc, nb_cell + BRACES)
        finally:
            for km, kc in ((ai_km, ai_kc), (nb_km, nb_kc)):
                kc.stop_channels()
                km.shutdown_kernel(now=True)
    finally:
        sup.close()
    ai_first = [r["first"] for r in ai_runs if r["first"] is not None]
    nb_first = [r["first"] for r in nb_runs if r["first"] is not None]
    ai_done = [r["seconds"] for r in ai_runs]
    nb_done = [r["seconds"] for r in nb_runs]

    def outcome(r: dict[str, Any]) -> str:
        if r["errors"]:
            return "error: " + "; ".join(r["errors"])[:200]
        return "answered" if r["first"] is not None else "no answer"

    bar.measured = (f"%%ai first text {median(ai_first) * 1000:.0f} ms (= the whole answer, not streamed) vs %%llama "
                    f"{median(nb_first) * 1000:.0f} ms (n={len(nb_first)}); braces: %%ai {outcome(ai_braces)[:80]}; "
                    f"%%llama {outcome(nb_braces)[:40]}") if ai_first and nb_first else (
                    f"%%ai: {[outcome(r) for r in ai_runs][:1]}; %%llama: {[outcome(r) for r in nb_runs][:1]}")
    bar.raw = f"answer done: %%ai {median(ai_done) * 1000:.0f} ms, %%llama {median(nb_done) * 1000:.0f} ms"
    bar.details = {
        "prompt": PROMPT, "braces_body": BRACES, "max_tokens": MAX_TOKENS, "server": conn_url,
        "ai_first_ms": summary(ai_first, 1000, 1), "llama_first_ms": summary(nb_first, 1000, 1),
        "ai_done_ms": summary(ai_done, 1000, 1), "llama_done_ms": summary(nb_done, 1000, 1),
        "braces": {"ai": outcome(ai_braces), "ai_stdout": ai_braces["stdout"][-300:], "llama": outcome(nb_braces)},
        "load_ext_ms": {"jupyter_ai_magics": round(ai_load["seconds"] * 1000), "llama_nb": round(nb_load["seconds"] * 1000)},
        "definition": "each magic in a fresh ipykernel of its own venv, same llama-server (supervised by llama-nb in the bench "
                      "process; %%llama reaches it as a remote profile), same prompt and max_tokens, interleaved after one "
                      "warm-up each; first = execute → first display whose text/plain is answer text",
    }


def measure(bars: dict[int, Bar], quick: bool, state_root: Path) -> None:
    try:
        venv = anchors_venv()
    except Exception as exc:  # noqa: BLE001 - every anchor row says why
        for b in bars.values():
            b.not_measured(f"the anchors' venv could not be made: {type(exc).__name__}: {str(exc)[:300]}")
        return
    versions = _versions(venv)
    log(f"  anchors: {versions}")
    if 25 in bars or 26 in bars:
        rows = {i: bars[i] for i in (25, 26) if i in bars}
        try:
            rows25_26(rows, venv, quick, state_root)
        except Exception as exc:  # noqa: BLE001
            import traceback

            for b in rows.values():
                b.details["error"] = traceback.format_exc(limit=6)
                b.not_measured(f"{type(exc).__name__}: {str(exc)[:300]}")
        for i, b in rows.items():
            b.details["versions"] = versions
            log(f"  row {i}: {b.measured}")
    if 27 in bars:
        guarded(bars[27], lambda b: row27(b, venv, quick, state_root))
        bars[27].details["versions"] = versions
        log(f"  row 27: {bars[27].measured}")
