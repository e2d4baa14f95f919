"""Loopback HTTP servers standing in for the places ``pull`` fetches from: a Hugging Face-compatible
endpoint for ``HF_ENDPOINT`` (``huggingface_hub`` in the pull's child process talks to it as to the Hub),
and the misbehaving servers of the fault tests, which subclass it.

``with serving(HFResolve, files={...}) as (url, handler):`` serves a fresh subclass of the handler on a
free port; ``handler.requests`` lists every request it got, as ``"GET /path"``.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, TypeVar

H = TypeVar("H", bound="StandIn")


class StandIn(BaseHTTPRequestHandler):
    """HEAD and GET both go to :meth:`_serve` (``body`` tells them apart); every request is recorded in
    the class's ``requests``; nothing is logged."""

    requests: list[str] = []

    def _serve(self, body: bool) -> None:
        raise NotImplementedError

    def do_HEAD(self) -> None:  # noqa: N802
        self.requests.append(f"HEAD {self.path}")
        self._serve(False)

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(f"GET {self.path}")
        self._serve(True)

    def log_message(self, *args: object) -> None:
        pass


def resolve_path(repo: str, filename: str, revision: str = "main") -> str:
    """The Hub's URL path of one file of a repo: what ``hf_hub_download`` asks the endpoint for."""
    return f"/{repo}/resolve/{revision}/{filename}"


class HFResolve(StandIn):
    """Just enough of the Hugging Face Hub's ``resolve`` route for ``hf_hub_download``: ``files`` maps a
    URL path (:func:`resolve_path`) to a file or to bytes; any other path is a 404 ``EntryNotFound``."""

    files: dict[str, Path | bytes] = {}
    etag = ""
    commit = "a" * 40

    def send_file_headers(self, length: int, content_type: str = "application/octet-stream") -> None:
        """200 with the headers the Hub sends for a file (an HTML page gets no ETag and no commit)."""
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.send_header("Content-Type", content_type)
        if content_type != "text/html":
            self.send_header("ETag", f'"{self.etag}"')
            self.send_header("X-Repo-Commit", self.commit)
        self.end_headers()

    def _serve(self, body: bool) -> None:
        served = self.files.get(self.path.split("?")[0])
        if served is None:
            self.send_response(404)
            self.send_header("X-Error-Code", "EntryNotFound")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if isinstance(served, bytes):
            self.send_file_headers(len(served))
            if body:
                self.wfile.write(served)
            return
        self.send_file_headers(served.stat().st_size)
        if body:
            with served.open("rb") as f:
                while block := f.read(1 << 20):
                    self.wfile.write(block)


@contextmanager
def serving(handler: type[H], **attrs: Any) -> Iterator[tuple[str, type[H]]]:
    """Serve a fresh subclass of ``handler`` (``attrs`` set on it, a ``requests`` list of its own) on a
    free loopback port, each request on a daemon thread; yield its URL and the subclass. The server is
    shut down and closed when the block ends."""
    cls = type(handler.__name__, (handler,), {"requests": [], **attrs})
    server = ThreadingHTTPServer(("127.0.0.1", 0), cls)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", cls
    finally:
        server.shutdown()
        server.server_close()


def hf_env(url: str, home: Path) -> dict[str, str]:
    """The environment that sends ``huggingface_hub`` to ``url`` and nowhere else: online, no Xet
    transfer (the stand-in speaks plain HTTP), its own ``HF_HOME``."""
    return {"HF_ENDPOINT": url, "HF_HUB_OFFLINE": "0", "HF_HUB_DISABLE_XET": "1", "HF_HOME": str(home)}
