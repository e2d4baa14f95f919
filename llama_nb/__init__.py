"""llama-nb: local-LLM help inside Jupyter with a supervised llama.cpp server."""

from __future__ import annotations

from typing import Any

from ._version import __version__

__all__ = ["__version__"]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .serverext.app import LlamaNBExtension

    return [{"module": "llama_nb", "app": LlamaNBExtension}]


def load_ipython_extension(ipython: Any) -> None:
    from .kernel.magics import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .kernel.magics import unload

    unload(ipython)
