"""Explain-quality benchmark: real errors, the real ``%llama explain``, the real llama-server.

    python -m bench.quality                         # every catalogue model that is pulled
    python -m bench.quality --model qwen2.5-coder-0.5b --only dict-key-case,off-by-one

For each model, in its own process (a fresh IPython ``InteractiveShell``, ``%load_ext llama_nb``,
embedded backend, ``LLAMA_NB_MODEL`` set to the catalogue name): every case's cell is run and must
really raise its exception; then ``%llama explain`` (no body: the last exception, exactly what a user
types) answers it with the product's own prompt and generation defaults. ``--read-time S`` waits S seconds
between the error and the explain, as a user does who reads the traceback before asking; the kernel's
``warm_explain`` (on by default, as for users) evaluates the prompt in that time. 0 asks at once. The answer is scored by the
rubric in bench/quality_cases.py (cause *and* fix; bench/README.md). Reported: score, seconds per
answer (p50), first token (p50), tokens/s (llama-server's own timings, median) and llama-server's RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # python bench/quality.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

from .quality_cases import CASES, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6, HELDOUT7, HELDOUT8, HELDOUT9, HELDOUT10, Case  # noqa: E402

SETS = {"core": CASES, "heldout": HELDOUT, "heldout2": HELDOUT2, "heldout3": HELDOUT3, "heldout4": HELDOUT4,
        "heldout5": HELDOUT5,
        "heldout6": HELDOUT6, "heldout7": HELDOUT7, "heldout8": HELDOUT8, "heldout9": HELDOUT9, "heldout10": HELDOUT10,
        "all": CASES + HELDOUT + HELDOUT2 + HELDOUT3 + HELDOUT4 + HELDOUT5 + HELDOUT6 + HELDOUT7 + HELDOUT8 + HELDOUT9 + HELDOUT10}

RESULTS = Path(__file__).resolve().parent / "results"
CTX = 4096
_CODE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)|`([^`\n]+)`", re.S)


def code_of(answer: str) -> str:
    """The code in an answer: fenced blocks (an unclosed last block counts) and inline spans."""
    return "\n".join(m.group(1) if m.group(1) is not None else m.group(2) for m in _CODE.finditer(answer))


def prose_of(answer: str) -> str:
    """The answer without its fenced code blocks (inline code stays): quoting the cell is not a cause."""
    return re.sub(r"```[^\n]*\n.*?(?:```|\Z)", " ", answer, flags=re.S)


def score(case: Case, answer: str) -> dict[str, bool]:
    cause = any(re.search(p, prose_of(answer), re.I | re.S) for p in case.cause)
    code = code_of(answer)
    fix = any(re.search(p, code) for p in case.fix)
    return {"cause": cause, "fix": fix, "pass": cause and fix}


def _median(xs: list[float]) -> float | None:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def _raised(result: Any) -> str | None:
    exc = result.error_in_exec or result.error_before_exec
    return None if exc is None else ",".join(c.__name__ for c in type(exc).__mro__)


def run_model(model: str, only: set[str] | None = None, cases: str = "core", read_time: float = 0.0) -> dict[str, Any]:
    """Run every case against ``model`` in this process (call it in a fresh one: see :func:`run`)."""
    import psutil
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    # The cells run in an empty folder of their own: a case that writes a file (heldout6's
    # write-int-to-file) must not leave it in the repository.
    os.chdir(tempfile.mkdtemp(prefix="llama-nb-quality-cells-"))
    os.environ["LLAMA_NB_MODEL"] = model
    os.environ.setdefault("LLAMA_NB_CTX_SIZE", str(CTX))
    ip = InteractiveShell.instance()
    ip.run_cell("%load_ext llama_nb")
    from llama_nb.config import find_model
    from llama_nb.answer import prompts
    from llama_nb.kernel.magics import current

    session = current(ip)
    assert session is not None
    found = find_model(model)
    out: dict[str, Any] = {"model": model, "file": found.path.name if found.path else None, "cases": [],
                           "settings": {"temperature": prompts.TEMPERATURE, "seed": prompts.SEED,
                                        "max_tokens": prompts.MAX_TOKENS["explain"], "ctx": int(os.environ["LLAMA_NB_CTX_SIZE"]),
                                        "warm_explain": bool(getattr(session.config, "warm_explain", True))},
                           "set": cases, "read_time_s": read_time}
    if found.path is None:
        out["error"] = f"{model} is not pulled (llama-nb pull {model})"
        return out
    with capture_output(display=True):  # warm-up: start the server, not counted
        ip.run_cell("1 / 0")
        ip.run_cell("%llama explain")
    rss = []
    for case in SETS[cases]:
        if only and case.id not in only:
            continue
        ip.reset(new_session=False)
        with capture_output(display=True):
            result = ip.run_cell(case.cell, store_history=True)
        raised = _raised(result)
        row: dict[str, Any] = {"id": case.id, "raised": raised}
        if raised is None or case.raises not in raised.split(","):
            row.update(valid=False, why=f"expected {case.raises}, the cell raised {raised}")
            out["cases"].append(row)
            continue
        if read_time > 0:
            time.sleep(read_time)  # the user reading the traceback: the time being measured, not a wait for an event
        with capture_output(display=True):
            ip.run_cell("%llama explain")
        rec = session.last
        answer = rec.answer.text if rec and rec.answer else ""
        timings = (rec.answer.timings or {}) if rec and rec.answer else {}
        row.update(
            valid=True, answer=answer, card=rec.card.to_dict() if rec and rec.card else None,
            seconds=(rec.finished - rec.started) if rec and rec.finished else None,
            first_token=(rec.first_token - rec.started) if rec and rec.first_token else None,
            tokens=timings.get("predicted_n"), tokens_per_s=timings.get("predicted_per_second"),
            prompt_tokens=timings.get("prompt_n"), **score(case, answer),
        )
        if rec and rec.ready and rec.ready.status.pid:
            try:
                rss.append(psutil.Process(rec.ready.status.pid).memory_info().rss)
            except psutil.Error:
                pass
        out["cases"].append(row)
        print(f"  {case.id:28s} {'PASS' if row['pass'] else 'fail'} cause={row['cause']} fix={row['fix']} "
              f"{row['seconds'] or 0:.1f}s", file=sys.stderr, flush=True)
        if os.environ.get("LLAMA_NB_QUALITY_VERBOSE"):
            print(textwrap.indent(answer, "    | "), file=sys.stderr, flush=True)
    ip.run_cell("%unload_ext llama_nb")
    valid = [c for c in out["cases"] if c["valid"]]
    out["summary"] = {
        "cases": len(valid), "invalid": len(out["cases"]) - len(valid),
        "passed": sum(c["pass"] for c in valid), "cause_ok": sum(c["cause"] for c in valid), "fix_ok": sum(c["fix"] for c in valid),
        "score": (sum(c["pass"] for c in valid) / len(valid)) if valid else None,
        "answer_p50_s": _median([c["seconds"] for c in valid]),
        "first_token_p50_s": _median([c["first_token"] for c in valid]),
        "tokens_per_s": _median([c["tokens_per_s"] for c in valid]),
        "rss_mb": round(max(rss) / 2**20) if rss else None,
    }
    return out


def run(model: str, only: set[str] | None = None, cases: str = "core", timeout: float = 3 * 3600,
        read_time: float = 0.0) -> dict[str, Any]:
    """Run one model in a fresh Python process (one IPython shell, one llama-server per model)."""
    with tempfile.TemporaryDirectory(prefix="llama-nb-quality-") as tmp:
        out_file = Path(tmp) / "out.json"
        env = dict(os.environ, LLAMA_NB_STATE_DIR=str(Path(tmp) / "state"), LLAMA_NB_CTX_SIZE=str(CTX))
        for var in ("LLAMA_NB_URL", "LLAMA_NB_API_KEY", "LLAMA_NB_API_URL", "LLAMA_NB_API_TOKEN", "LLAMA_NB_BACKEND"):
            env.pop(var, None)
        argv = [sys.executable, "-m", "bench.quality", "--child", "--model", model, "--set", cases, "--out", str(out_file),
                "--read-time", str(read_time)]
        if only:
            argv += ["--only", ",".join(sorted(only))]
        t0 = time.monotonic()
        proc = subprocess.run(argv, cwd=Path(__file__).resolve().parent.parent, env=env, timeout=timeout)
        if proc.returncode != 0 or not out_file.exists():
            return {"model": model, "error": f"the run exited {proc.returncode}"}
        data = json.loads(out_file.read_text())
        data["wall_s"] = round(time.monotonic() - t0, 1)
        return data


def pulled_models() -> list[str]:
    from llama_nb.catalogue import CATALOGUE
    from llama_nb.config import find_model

    return [name for name in CATALOGUE if find_model(name).path is not None]


def line(result: dict[str, Any]) -> str:
    s = result.get("summary")
    if not s:
        return f"{result['model']}: not measured: {result.get('error')}"
    def f(x: float | None, fmt: str) -> str:
        return "?" if x is None else format(x, fmt)
    read = f", asked {result['read_time_s']:g} s after the error" if result.get("read_time_s") else ""
    return (f"{result['model']} ({result.get('set', 'core')}{read}): {s['passed']}/{s['cases']} = {f(s['score'] and s['score'] * 100, '.0f')} % "
            f"(cause {s['cause_ok']}, fix {s['fix_ok']}); answer p50 {f(s['answer_p50_s'], '.1f')} s, "
            f"first token p50 {f(s['first_token_p50_s'], '.2f')} s, {f(s['tokens_per_s'], '.1f')} tokens/s, "
            f"llama-server RSS {s['rss_mb']} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n")[0])
    parser.add_argument("--model", action="append", help="catalogue name (repeatable); default: every pulled one")
    parser.add_argument("--only", help="comma-separated case ids")
    parser.add_argument("--set", choices=sorted(SETS), default="core",
                        help="core: the 30 cases; heldout: written before kernel/hints.py; heldout2: written after it (its misses shaped the second round of rules); "
                             "heldout3: written by a helper that never saw the rules (its misses shaped the third round); "
                             "heldout4: written by another helper after that (its misses shaped the fourth round); "
                             "heldout5: written by a third helper after that (its misses shaped the fifth round); "
                             "heldout6: written by a fourth helper after that (its misses shaped the sixth round); "
                             "heldout7: written by a fifth helper before the sixth round; heldout8: by a sixth helper before the seventh; "
                             "heldout9: by a seventh helper before the eighth round (its misses shaped the ninth); "
                             "heldout10: by an eighth helper before the ninth round; "
                             "all: every set")
    parser.add_argument("--read-time", type=float, default=0.0, metavar="S",
                        help="seconds between the error and %%llama explain (a user reading the traceback); default 0")
    parser.add_argument("--out", type=Path, default=RESULTS / "quality.json")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.child:
        # A SIGTERM to this process becomes SystemExit, so subprocess.run kills the child (and with it its
        # llama-server) instead of leaving it running.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    only = set(args.only.split(",")) if args.only else None
    if args.child:
        data = run_model(args.model[0], only, args.set, args.read_time)
        args.out.write_text(json.dumps(data, indent=1))
        return 0
    models = args.model or pulled_models()
    results = []
    for model in models:
        print(f"== {model}", file=sys.stderr, flush=True)
        results.append(run(model, only, args.set, read_time=args.read_time))
        print(line(results[-1]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                                    "load_average": os.getloadavg(), "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
