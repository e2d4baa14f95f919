"""How kernels find the server extension: two environment variables, set before any kernel starts.

Kernels started by Jupyter inherit the server's environment, so a kernel reads
``LLAMA_NB_API_URL`` (the REST root, always ending in ``/``) and ``LLAMA_NB_API_TOKEN`` (a credential the
extension mints for its kernels: it opens ``llama-nb/api/*`` only, never the rest of Jupyter's API) and
sends ``Authorization: token <TOKEN>``.
This module has no Jupyter imports: the kernel side may import the names from here.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from typing import Any, MutableMapping

ENV_API_URL = "LLAMA_NB_API_URL"
ENV_API_TOKEN = "LLAMA_NB_API_TOKEN"
API_PATH = "llama-nb/api/"


def loopback_host(ip: str | None) -> str:
    """The host a process on this machine uses to reach a server bound to ``ip``.

    Wildcards and ``localhost`` map to ``127.0.0.1`` (``[::1]`` for the IPv6 wildcard, which tornado
    binds IPv6-only); a specific address is used as it is.
    """
    if not ip or ip in ("localhost", "*"):
        return "127.0.0.1"
    bare = ip.strip("[]")
    try:
        addr = ipaddress.ip_address(bare)
    except ValueError:
        return ip  # a host name the server was told to bind to
    if addr.version == 6:
        return "[::1]" if addr.is_unspecified else f"[{bare}]"
    return "127.0.0.1" if addr.is_unspecified else bare


def api_url(serverapp: Any) -> str:
    """The loopback URL of the REST API of ``serverapp`` (a jupyter_server ``ServerApp``)."""
    base_url = serverapp.base_url or "/"
    if not base_url.endswith("/"):
        base_url += "/"
    if getattr(serverapp, "sock", ""):
        netloc = urllib.parse.quote(serverapp.sock, safe="")
        return f"http+unix://{netloc}{base_url}{API_PATH}"
    scheme = "https" if getattr(serverapp, "certfile", None) else "http"
    return f"{scheme}://{loopback_host(serverapp.ip)}:{serverapp.port}{base_url}{API_PATH}"


def export(serverapp: Any, environ: MutableMapping[str, str] | None = None, *, token: str) -> str:
    """Write both variables into ``environ`` (``os.environ`` by default); returns the URL. ``token`` is
    the kernels' scoped credential (never the Jupyter token)."""
    env = os.environ if environ is None else environ
    url = api_url(serverapp)
    env[ENV_API_URL] = url
    env[ENV_API_TOKEN] = token
    return url
