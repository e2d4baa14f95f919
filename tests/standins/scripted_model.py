"""STAND-IN for a model (named as such on purpose): an OpenAI-compatible endpoint that answers with
scripted text, for tests that need a hostile or a fixed answer (a fix that deletes a file, kills the
kernel, or raises again). No real model can be made to write exactly that on demand.

It speaks what llama-nb's remote profile uses: ``GET /v1/models``, ``GET /health`` and streamed
``POST /v1/chat/completions`` (SSE). Each chat request takes the next answer of ``answers``; the last
one repeats. An answer may be ``{"status": 500}`` (an HTTP error), ``{"stall": SECONDS}`` (one token, then
silence until :meth:`stop`) or ``{"think": SECONDS, "every": SECONDS, "text": ...}`` (``reasoning_content``
deltas that often for that long, as a reasoning model streams them, then the text). ``requests`` keeps every request body. Run in a thread (``ScriptedModel().start()``) or
as a process: ``python scripted_model.py PORT ANSWERS.json``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ScriptedModel:
    def __init__(self, answers: list[str], port: int = 0) -> None:
        self.answers = list(answers)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.released = threading.Event()  # ends every scripted stall
        model = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, body: Any, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/v1/models"):
                    self._json({"data": [{"id": "scripted-standin"}]})
                elif self.path.startswith("/health"):
                    self._json({"status": "ok"})
                else:
                    self._json({"error": "not found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with model._lock:
                    model.requests.append(body)
                    text = model.answers[min(len(model.requests), len(model.answers)) - 1]
                if isinstance(text, dict) and "stall" in text:  # a scripted stall: one token, then silence
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    chunk = {"choices": [{"index": 0, "delta": {"content": "**Cause:** "}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    self.wfile.flush()
                    model.released.wait(float(text["stall"]))
                    return
                started = False
                if isinstance(text, dict) and "think" in text:  # a reasoning model: reasoning deltas, then the answer
                    started = True
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    until = time.monotonic() + float(text["think"])
                    while time.monotonic() < until and not model.released.is_set():
                        chunk = {"choices": [{"index": 0, "delta": {"reasoning_content": "hmm, "}, "finish_reason": None}]}
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                        model.released.wait(float(text.get("every", 0.2)))
                    text = text["text"]
                elif isinstance(text, dict):  # a scripted failure: {"status": 500, "body": {...}}
                    self._json(text.get("body", {"error": {"message": "scripted failure"}}), int(text.get("status", 500)))
                    return
                if not started:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                pieces = [text[i:i + 12] for i in range(0, len(text), 12)] or [""]
                for piece in pieces:
                    chunk = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                end = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                       "timings": {"predicted_n": len(pieces), "prompt_n": 10}}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "ScriptedModel":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


if __name__ == "__main__":
    with open(sys.argv[2]) as f:
        ScriptedModel(json.load(f), int(sys.argv[1])).server.serve_forever()
