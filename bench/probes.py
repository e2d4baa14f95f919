"""Small probes the bench runs as *separate processes*, so that they share no GIL with the code
they measure. Timestamps are ``time.monotonic()`` (CLOCK_MONOTONIC: one clock for every process
on the machine), printed as JSON lines.

    python -m bench.probes health PORT INTERVAL_S TIMEOUT_S [PHASE_S]   # first GET /health == 200
    python -m bench.probes sse URL TOKEN                       # one line per status event received
"""

from __future__ import annotations

import json
import socket
import sys
import time


def _say(**data: object) -> None:
    sys.stdout.write(json.dumps(data) + "\n")
    sys.stdout.flush()


def health_once(port: int, timeout: float = 0.5) -> bool:
    """One ``GET /health`` on a fresh connection; True on HTTP 200. Raw socket: ~0.1 ms a poll."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = b""
            while len(head) < 12:
                chunk = sock.recv(64)
                if not chunk:
                    break
                head += chunk
            return head[9:12] == b"200"
    except OSError:
        return False


def health(port: int, interval: float, timeout: float, phase: float = 0.0) -> int:
    """Poll at a fixed rate (ticks at start + phase + k*interval, like setInterval) until the first 200."""
    start = time.monotonic()
    _say(event="started", t=start)
    polls = 0
    tick = start + phase
    time.sleep(phase)
    while True:
        polls += 1
        if health_once(port):
            _say(event="ready", t=time.monotonic(), polls=polls)
            return 0
        now = time.monotonic()
        if now - start > timeout:
            _say(event="timeout", t=now, polls=polls)
            return 1
        tick += interval
        while tick < now:  # a slow poll skips ticks instead of bunching up
            tick += interval
        time.sleep(max(0.0, tick - time.monotonic()))


def sse(url: str, token: str) -> int:
    """Follow ``GET events`` like an open panel does; print each event with its arrival time."""
    import httpx

    headers = {"Authorization": f"token {token}"}
    with httpx.Client(trust_env=False, timeout=httpx.Timeout(10.0, read=None)) as client:
        with client.stream("GET", url, headers=headers) as response:
            _say(event="open", t=time.monotonic(), status=response.status_code)
            for line in response.iter_lines():
                if line.startswith("data:"):
                    t = time.monotonic()
                    data = json.loads(line[5:].strip())
                    _say(event="status", t=t, seq=data.get("seq"), profile=data.get("profile"),
                         state=data.get("state"), pid=data.get("pid"))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["health"]:
        return health(int(argv[1]), float(argv[2]), float(argv[3]), float(argv[4]) if len(argv) > 4 else 0.0)
    if argv[:1] == ["sse"]:
        return sse(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
