"""The Jupyter server extension: one supervised llama-server per profile, shared by every kernel.

:mod:`.app` holds the ``ExtensionApp``, :mod:`.service` the state behind the REST API (the pool, the
idle timer, the event fan-out), :mod:`.handlers` the thin HTTP handlers, and :mod:`.discovery` the
environment variables through which kernels find this server.
"""

from .discovery import ENV_API_TOKEN, ENV_API_URL

__all__ = ["ENV_API_TOKEN", "ENV_API_URL"]
