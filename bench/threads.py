"""llama-server's thread settings on this machine, idle and with another process busy on one core.

On two cores llama.cpp's worker threads spin while they wait for each other (``--poll``, 50 by default):
when another process holds a core, a spinning thread stands in for the one that is descheduled and
generation collapses. Compared here, each as one llama-server with the default model: llama.cpp's
defaults, ``--poll 0`` (wait without spinning), and ``-t 1``; each generates the same greedy answer three
times, idle and beside a busy loop. Reported: generation tokens/s (llama-server's own timings) and the
prompt's evaluation tokens/s, median of three.

    python -m bench.threads [--model qwen2.5-coder-1.5b-instruct-q4_k_m.gguf] [--out bench/results/threads.json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.speculative import BIG, NotReady, llama_server
from llama_nb.catalogue import models_dir

CONFIGS = {"defaults": [], "--poll 0": ["--poll", "0"], "-t 1": ["-t", "1"]}
PROMPT = [{"role": "user", "content": "Explain, in about 120 words, what a Python KeyError is and how to avoid one."}]


def _spin(stop: Any) -> None:
    x = 0
    while not stop.is_set():
        for _ in range(100_000):
            x += 1


def measure(model: Path, extra: list[str], busy: bool, reps: int = 3) -> dict[str, Any]:
    stop = multiprocessing.Event()
    hog = multiprocessing.Process(target=_spin, args=(stop,), daemon=True) if busy else None
    gen, prompt = [], []
    try:
        with llama_server(model, extra, ctx=2048) as (url, _):
            if hog is not None:
                hog.start()
            for i in range(reps + 1):
                body = {"messages": PROMPT, "max_tokens": 128, "temperature": 0, "seed": 42, "cache_prompt": False}
                t = httpx.post(url + "/v1/chat/completions", json=body, timeout=600).json().get("timings") or {}
                if i:  # the first one warms the server up
                    gen.append(t.get("predicted_per_second") or 0.0)
                    prompt.append(t.get("prompt_per_second") or 0.0)
    except NotReady as exc:
        return {"error": f"llama-server did not become ready ({exc})"}
    finally:
        stop.set()
        if hog is not None and hog.is_alive():
            hog.join(5)
    return {"generate_tok_s": round(statistics.median(gen), 1), "prompt_tok_s": round(statistics.median(prompt), 1), "runs": gen}


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench.threads", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=BIG)
    p.add_argument("--out")
    args = p.parse_args()
    model = models_dir() / args.model
    results = {f"{name}, {'beside a busy core' if busy else 'idle'}": measure(model, extra, busy)
               for busy in (False, True) for name, extra in CONFIGS.items()}
    for name, r in results.items():
        print(f"{name:34} generate {r.get('generate_tok_s', '?'):>6} tok/s   prompt {r.get('prompt_tok_s', '?'):>7} tok/s")
    if args.out:
        Path(args.out).write_text(json.dumps({"model": args.model, "results": results, "when": time.strftime("%Y-%m-%d %H:%M")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
