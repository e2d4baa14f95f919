"""Bar 16: bytes sent to the frontend while streaming a long answer, and the kernel's CPU per token.

A real ipykernel (jupyter_client) with ``%load_ext llama_nb`` (embedded backend, real llama-server).
What a browser receives is measured on a real jupyter server with llama-nb: a TCP relay counts every
byte the server writes to the kernel's websocket during the cell; the client offers permessage-deflate
as every browser does, and llama-nb's server extension turns it on (Jupyter's default is off). The bar
is judged on those bytes. Also reported: the same with compression off, and the kernel's own iopub
bytes (a second ZMQ SUB socket counts every frame of every message caused by the cell: stream deltas,
the clear, the final rendered answer, status), which travel only to the local jupyter server. The answer's size is its UTF-8 length. Kernel CPU is the kernel process's user+system
time over the cell, divided by the tokens generated.

The anchor is computed, not run: the previous design re-sent the whole answer (plain text + Markdown)
every 50 ms, i.e. about ``sum over ticks of 2 x (text so far)`` for the same answer and duration.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .common import Bar, log

PROMPT = "Write a very long, detailed story about a dragon who learns Python, in many chapters."
MAX_TOKENS = 1000
QUICK_TOKENS = 300  # --quick: the ratio is per answer (linear), a shorter answer measures it too


def _cell(max_tokens: int) -> str:
    return f"%%llama ask --max-tokens {max_tokens} --temperature 0.7\n{PROMPT}"


def measure(bar: Bar, quick: bool) -> None:
    import psutil
    import zmq
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.blocking_client()
    kc.start_channels()
    sub = None
    try:
        kc.wait_for_ready(timeout=120)
        info = km.get_connection_info()
        ctx = zmq.Context.instance()
        sub = ctx.socket(zmq.SUB)
        sub.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        time.sleep(0.5)  # SUB sockets join late: let this one connect before the cells run
        kernel = psutil.Process(km.provisioner.process.pid)  # type: ignore[union-attr]

        def run(code: str, timeout: float = 900) -> tuple[dict[str, Any], list[tuple[str, int, dict[str, Any]]]]:
            msg_id = kc.execute(code)
            seen: list[tuple[str, int, dict[str, Any]]] = []
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if not sub.poll(1000):
                    continue
                frames = sub.recv_multipart()
                _, parts = kc.session.feed_identities(frames)
                msg = kc.session.deserialize(parts)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                seen.append((msg["msg_type"], sum(len(f) for f in frames), msg["content"]))
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
            reply = kc.get_shell_msg(timeout=30)
            return reply, seen

        # 1,000 tokens of answer need more than the bench's usual 1,024-token context.
        reply, _ = run("%load_ext llama_nb\n%config LlamaNB.ctx_size = 2048\n%config LlamaNB.provenance_footer = True")
        assert reply["content"]["status"] == "ok", reply
        run("%llama ask --max-tokens 4 hi")  # the server starts here, not in the measured cell
        runs = []
        for _ in range(1 if quick else 2):
            cpu0 = sum(kernel.cpu_times()[:2])
            t0 = time.perf_counter()
            reply, seen = run(_cell(QUICK_TOKENS if quick else MAX_TOKENS), timeout=1500)
            seconds = time.perf_counter() - t0
            cpu = sum(kernel.cpu_times()[:2]) - cpu0
            assert reply["content"]["status"] == "ok", reply
            finals = [c["data"] for t, _, c in seen if t == "display_data" and "application/vnd.llama-nb.answer+json" in c.get("data", {})]
            assert finals, f"no final answer among {[t for t, _, _ in seen]}"
            answer = finals[-1]["text/plain"]
            _, probe = run("import json as _j; from llama_nb.kernel.magics import current as _c; "
                           "print(_j.dumps(_c().last.answer.timings))")
            timings = json.loads("".join(c.get("text", "") for t, _, c in probe if t == "stream").strip().splitlines()[-1])
            size = len(answer.encode("utf-8"))
            wire = sum(n for _, n, _ in seen)
            payload = sum(len(json.dumps(c).encode("utf-8")) for t, _, c in seen if t != "status")
            tokens = int(timings.get("predicted_n") or 0)
            kinds: dict[str, int] = {}
            for t, _, _ in seen:
                kinds[t] = kinds.get(t, 0) + 1
            # The previous design: plain + Markdown of the whole answer every 50 ms while it streamed.
            gen_s = (timings.get("predicted_ms") or 0) / 1000
            ticks = max(1, int(gen_s / 0.05))
            old = sum(2 * size * k / ticks for k in range(1, ticks + 1))
            runs.append({"answer_bytes": size, "wire_bytes": wire, "content_bytes": payload, "messages": kinds,
                         "tokens": tokens, "seconds": round(seconds, 2), "kernel_cpu_s": round(cpu, 3),
                         "cpu_ms_per_token": round(cpu * 1000 / tokens, 3) if tokens else None,
                         "previous_design_bytes_computed": round(old)})
            log(f"   stream: {tokens} tokens, answer {size} B, wire {wire} B ({wire / size:.2f}x), "
                f"content {payload} B ({payload / size:.2f}x), kernel CPU {cpu:.2f} s")
        best = max(runs, key=lambda r: r["tokens"])
        ratio_wire = best["wire_bytes"] / best["answer_bytes"]
        ratio_content = best["content_bytes"] / best["answer_bytes"]
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory(prefix="llama-nb-bench-ws-") as work:
            ws = measure_websocket(quick, Path(work))
        browser, plain = ws["llama-nb default"], ws["compression off"]
        bar.measured = (f"{browser['ratio']:.2f}x to the browser (kernel websocket, permessage-deflate offered by llama-nb); "
                        f"{plain['ratio']:.2f}x with compression off; kernel iopub {ratio_wire:.2f}x on ZMQ, "
                        f"{ratio_content:.2f}x message content ({best['tokens']} tokens, {best['answer_bytes']} B answer); "
                        f"kernel CPU {best['cpu_ms_per_token']} ms/token")
        bar.raw = f"previous design (whole answer every 50 ms, computed): {best['previous_design_bytes_computed'] / best['answer_bytes']:.0f}x"
        bar.met = browser["permessage_deflate"] and browser["ratio"] <= 3.0
        bar.details = {
            "cell": _cell(QUICK_TOKENS if quick else MAX_TOKENS), "runs": runs, "websocket": ws,
            "wire": "every ZMQ frame (identities, signature, header, parent header, metadata, content) of every iopub "
                    "message whose parent is the cell, status messages included",
            "content": "JSON of the content of those messages (status excluded)",
            "websocket_bytes": "every byte a real jupyter server with llama-nb writes to the kernel's websocket during the "
                               "cell (websocket framing included), counted by a TCP relay; the client offers "
                               "permessage-deflate as browsers do",
            "note": "the model stops when it has finished its story; the ratio is per answer and does not grow with length",
        }
    finally:
        if sub is not None:
            sub.close(0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# --------------------------------------------------------------------------------------------------
# The same answer as a browser receives it: a real jupyter server with llama-nb, the kernel's
# websocket, every byte the server writes to that socket counted by a TCP relay in between.
# --------------------------------------------------------------------------------------------------


class _Relay:
    """A TCP relay on loopback that counts the bytes going from the server to the client."""

    def __init__(self, target_port: int) -> None:
        import socket
        import threading

        self.target_port = target_port
        self.down = 0  # server -> client bytes, websocket framing included
        self.lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for src, dst, count in ((client, server, False), (server, client, True)):
                threading.Thread(target=self._pipe, args=(src, dst, count), daemon=True).start()

    def _pipe(self, src: Any, dst: Any, count: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if count:
                    with self.lock:
                        self.down += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def close(self) -> None:
        self.sock.close()


def measure_websocket(quick: bool, work: Any) -> dict[str, Any]:
    """Bytes a browser receives on the kernel's websocket for the same cell, with the compression the
    server extension negotiates (permessage-deflate) and, for comparison, with it turned off."""
    import asyncio
    import uuid

    import httpx
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    from .jupyter_server import BASE_URL, TOKEN, start_jupyter
    from llama_nb.kernel.display import ANSWER_MIME

    out: dict[str, Any] = {}
    for label, extra in (("llama-nb default", ""), ("compression off", "c.LlamaNBExtension.websocket_compression = False\n")):
        jp = start_jupyter(work / label.replace(" ", "-"), extra + "c.LlamaNB.ctx_size = 2048\n")
        relay = None
        try:
            with httpx.Client(headers={"Authorization": f"token {TOKEN}"}, trust_env=False, timeout=60) as http:
                kernel = http.post(f"{jp.base}api/kernels", json={"name": "python3"}).json()["id"]
            relay = _Relay(jp.port)
            session = uuid.uuid4().hex

            async def drive() -> dict[str, Any]:
                url = f"ws://127.0.0.1:{relay.port}{BASE_URL}api/kernels/{kernel}/channels?session_id={session}"
                request = HTTPRequest(url, headers={"Authorization": f"token {TOKEN}"})
                ws = await websocket_connect(request, compression_options={})  # a browser offers permessage-deflate

                async def run(code: str) -> tuple[int, str]:
                    msg_id = uuid.uuid4().hex
                    msg = {"header": {"msg_id": msg_id, "username": "bench", "session": session, "date": "",
                                      "msg_type": "execute_request", "version": "5.3"},
                           "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                           "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                                       "allow_stdin": False, "stop_on_error": True}}
                    before = relay.down
                    await ws.write_message(json.dumps(msg))
                    answer = ""
                    while True:
                        raw = await asyncio.wait_for(ws.read_message(), 900)
                        if raw is None:
                            raise RuntimeError("the kernel websocket closed")
                        m = json.loads(raw)
                        if m.get("parent_header", {}).get("msg_id") != msg_id:
                            continue
                        data = m.get("content", {}).get("data", {})
                        if m["msg_type"] == "display_data" and ANSWER_MIME in data:
                            answer = data.get("text/plain", "")
                        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                            break
                    return relay.down - before, answer

                await run("%load_ext llama_nb\n%config LlamaNB.provenance_footer = True")
                await run("%llama ask --max-tokens 4 hi")
                down, answer = await run(_cell(QUICK_TOKENS if quick else MAX_TOKENS))
                deflate = getattr(ws.protocol, "_compressor", None) is not None
                ws.close()
                return {"websocket_bytes": down, "answer_bytes": len(answer.encode("utf-8")),
                        "ratio": round(down / max(1, len(answer.encode("utf-8"))), 2), "permessage_deflate": deflate}

            out[label] = asyncio.run(drive())
            log(f"   websocket ({label}): {out[label]}")
        finally:
            if relay is not None:
                relay.close()
            jp.cleanup()
    return out
