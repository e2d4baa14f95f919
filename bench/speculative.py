"""Speculative decoding on this machine, measured: the default model alone, with the small model as its
draft (``llama-server -md``), and with n-gram drafts taken from the prompt (``--spec-type ngram-simple``: a
fix repeats most of the cell it fixes), on the explain prompts of the execution-graded sets.

Each configuration is one llama-server (the product's arguments: ``-c 4096``, llama.cpp's default threads)
that answers every prompt once after one warm-up, greedy and seeded as the product asks. Reported per
configuration: answer p50/p90, first token p50, generation tokens/s p50, the draft's acceptance, the
server's memory, and whether each answer is the same text as without speculation (greedy: it should be).

    python -m bench.speculative [--sets fresh_c,fresh_d] [--limit N] [--out bench/results/speculative.json]

Run it on an otherwise idle machine: on two cores llama.cpp slows down badly when anything else runs.
"""

from __future__ import annotations

import argparse
import importlib
import json
import linecache
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx
import psutil

from llama_nb.answer import prompts
from llama_nb.answer.knowledge import error_hints
from llama_nb.answer.values import failing_values
from llama_nb.catalogue import models_dir
from llama_nb.config import server_path
from llama_nb.kernel.history import format_exception
from llama_nb.sse import iter_chat
from llama_nb.supervisor.process import free_port

from bench.probes import health_once

BIG, DRAFT = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
CONFIGS: dict[str, list[str]] = {
    "alone": [],
    # -md alone loads nothing here: this llama.cpp's --spec-type defaults to none.
    "draft 0.5B (-md)": ["-md", "{draft}", "--spec-type", "draft-simple", "--spec-draft-n-max", "8"],
    "n-gram from the prompt": ["--spec-type", "ngram-simple", "--spec-draft-n-max", "8"],
}


def explain_prompts(set_names: list[str]) -> list[tuple[str, list[dict[str, str]]]]:
    """The product's explain prompt for each case: its cell run after its setup, the error as captured."""
    out = []
    for name in set_names:
        for case in importlib.import_module(f"bench.exec_sets.{name}").CASES:
            ns: dict[str, Any] = {}
            exec(compile(case.setup, "<setup>", "exec"), ns)
            linecache.cache["<cell-1>"] = (len(case.cell), None, case.cell.splitlines(True), "<cell-1>")  # as IPython does
            try:
                exec(compile(case.cell, "<cell-1>", "exec"), ns)
            except Exception as exc:
                out.append((case.id, prompts.explain_error(format_exception(exc), case.cell, failing_values(exc, case.cell),
                                                            error_hints(exc, case.cell))))
    return out


class NotReady(RuntimeError):
    pass


@contextmanager
def llama_server(model: Path, extra: list[str], ctx: int = 4096, ready_s: float = 120.0) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """One llama-server on a free loopback port, ready (``GET /health`` = 200) within ``ready_s``; always stopped."""
    port = free_port()
    argv = [str(server_path()), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "-c", str(ctx), *extra]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + ready_s
        while not health_once(port, timeout=2):
            if proc.poll() is not None:
                raise NotReady(f"llama-server exited {proc.returncode}")
            if time.monotonic() > deadline:
                raise NotReady(f"not ready within {ready_s:g} s")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(extra: list[str], cases: list[tuple[str, list[dict[str, str]]]]) -> dict[str, Any]:
    models = models_dir()
    args = [a.replace("{draft}", str(models / DRAFT)) for a in extra]
    rows = []
    try:
        with llama_server(models / BIG, args) as (url, proc), httpx.Client(timeout=300) as http:
            for i, (case_id, messages) in enumerate([cases[0], *cases]):
                body = {"messages": messages, "stream": True, "max_tokens": prompts.MAX_TOKENS["explain"],
                        "temperature": prompts.TEMPERATURE, "seed": prompts.SEED}
                t0 = time.perf_counter()
                first, text, timings = None, "", {}
                with http.stream("POST", url + "/v1/chat/completions", json=body) as response:
                    for item in iter_chat(response):
                        if item.kind != "chunk" or not isinstance(item.body, dict):
                            continue
                        choice = (item.body.get("choices") or [{}])[0]
                        delta = (choice.get("delta") or {}).get("content") or ""
                        if delta and first is None:
                            first = time.perf_counter() - t0
                        text += delta
                        timings = item.body.get("timings") or timings
                total = time.perf_counter() - t0
                if i == 0:
                    continue  # the warm-up: the fixed prefix enters the cache
                rows.append({"id": case_id, "answer_s": round(total, 3), "first_token_s": round(first or total, 3),
                             "tokens_per_s": timings.get("predicted_per_second"), "tokens": timings.get("predicted_n"),
                             "draft_n": timings.get("draft_n"), "draft_accepted": timings.get("draft_n_accepted"), "text": text})
            rss = psutil.Process(proc.pid).memory_info().rss / 2**20
    except NotReady as exc:
        return {"argv": args, "error": str(exc)}
    return {"argv": args, "rows": rows, "rss_mb": round(rss, 1)}


def _p(values: list[float], q: float) -> float:
    values = sorted(v for v in values if v is not None)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3) if values else float("nan")


def summary(results: dict[str, dict[str, Any]]) -> list[str]:
    base = {r["id"]: r["text"] for r in results.get("alone", {}).get("rows", [])}
    lines = [f"{'configuration':26} {'answer p50':>10} {'p90':>6} {'first p50':>9} {'tok/s p50':>9} {'accepted':>9} {'same text':>9} {'RSS MB':>7}"]
    for name, res in results.items():
        rows = res.get("rows") or []
        if not rows:
            lines.append(f"{name:26} {res.get('error', 'no rows')}")
            continue
        drafted = sum(r["draft_n"] or 0 for r in rows)
        accepted = f"{sum(r['draft_accepted'] or 0 for r in rows) / drafted:.0%}" if drafted else "—"
        same = sum(base.get(r["id"]) == r["text"] for r in rows)
        lines.append(f"{name:26} {statistics.median(r['answer_s'] for r in rows):>10.2f} {_p([r['answer_s'] for r in rows], 0.9):>6.2f} "
                     f"{statistics.median(r['first_token_s'] for r in rows):>9.2f} {_p([r['tokens_per_s'] for r in rows], 0.5):>9.1f} "
                     f"{accepted:>9} {same:>4}/{len(rows):<4} {res.get('rss_mb', 0):>7.0f}")
    return lines


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench.speculative", description=__doc__.split("\n\n")[0])
    p.add_argument("--sets", default="fresh_c,fresh_d")
    p.add_argument("--config", action="append", choices=list(CONFIGS), help="only these (default: all)")
    p.add_argument("--limit", type=int, default=0, help="the first N prompts only")
    p.add_argument("--out")
    args = p.parse_args()
    cases = explain_prompts(args.sets.split(","))
    cases = cases[: args.limit] if args.limit else cases
    results = {name: measure(CONFIGS[name], cases) for name in (args.config or CONFIGS)}
    text = "\n".join(summary(results))
    print(text)
    if args.out:
        Path(args.out).write_text(json.dumps({"sets": args.sets, "cpus": os.cpu_count(), "summary": text,
                                              "results": results, "when": time.strftime("%Y-%m-%d %H:%M")}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
