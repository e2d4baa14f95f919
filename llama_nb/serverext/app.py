"""``LlamaNBExtension``: the Jupyter server extension that owns the llama-servers of this Jupyter.

Configuration comes from ``c.LlamaNB.…`` (profiles, model, context, supervisor timings; see
:class:`llama_nb.config.LlamaNB`) and ``c.LlamaNBExtension.…`` (``autostart``, ``idle_timeout``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from tornado.platform.asyncio import BaseAsyncIOLoop
from traitlets import Bool, Float, TraitError

from .._version import __version__
from ..config.errors import ConfigError
from ..config.traits import LlamaNB
from ..render import for_terminal
from ..supervisor import LlamaNBError, SupervisorPool
from . import discovery
from .handlers import KERNEL_TOKEN_SETTING, routes
from .validation import mint_kernel_token
from .service import LlamaService, config_error_card


class LlamaNBExtension(ExtensionApp):
    """Supervised llama.cpp servers for notebooks, with a REST API under ``{base_url}llama-nb/api/``."""

    name = "llama_nb"
    description = "Local-LLM help inside Jupyter with a supervised llama.cpp server."
    version = __version__
    load_other_extensions = True

    autostart = Bool(False, help="Start the default profile's llama-server in the background when Jupyter starts.").tag(config=True)
    idle_timeout = Float(
        0.0,
        help="Stop a profile's llama-server after this many seconds without use (0: never). The next prompt starts it again.",
    ).tag(config=True)

    websocket_compression = Bool(
        True,
        help="Offer permessage-deflate on this Jupyter's kernel websockets (ServerApp.websocket_compression_options) "
        "unless ServerApp config sets it: a streamed answer's repeated message envelopes cost a browser a few bytes "
        "each instead of about 500. False leaves Jupyter's own default (off).",
    ).tag(config=True)

    service: LlamaService
    _autostart_task: "asyncio.Task[None] | None" = None

    # -- ExtensionApp hooks -------------------------------------------------------------------------

    def initialize_settings(self) -> None:
        """Read the settings, build the pool, and tell future kernels where the API is."""
        assert self.serverapp is not None
        pool, card = None, None
        try:
            if self.idle_timeout < 0:
                raise ConfigError(f"LlamaNBExtension.idle_timeout must be 0 (never) or more seconds, got {self.idle_timeout:g}")
            cfg = LlamaNB(parent=self.serverapp, config=self.serverapp.config)
            pool = SupervisorPool(cfg.all_profiles(), cfg.settings(), cfg.default_profile)
        except (TraitError, ConfigError) as exc:
            card = config_error_card(str(exc))
            self.log.error("llama-nb: invalid settings, llama-server will not start: %s", exc)
        io_loop = self.serverapp.io_loop
        assert isinstance(io_loop, BaseAsyncIOLoop)  # every IOLoop is one in tornado 6 (asyncio underneath)
        self.service = LlamaService(pool, loop=io_loop.asyncio_loop, idle_timeout=self.idle_timeout, config_error=card)
        self.settings["llama_nb_service"] = self.service
        if self.websocket_compression:
            self._offer_websocket_compression()
        # Kernels get their own credential, good for llama-nb's routes only, never the Jupyter token.
        self.kernel_token = mint_kernel_token()
        self.settings[KERNEL_TOKEN_SETTING] = self.kernel_token
        # The port may still change when the server binds (port 0, or the configured one taken);
        # _start_jupyter_server_extension sets the final value before any kernel can start.
        discovery.export(self.serverapp, token=self.kernel_token)

    def _offer_websocket_compression(self) -> None:
        """Turn on deflate for kernel websockets, where nobody configured it (either way) in ServerApp."""
        assert self.serverapp is not None
        server_config = self.serverapp.config.get("ServerApp", {})
        explicit = "websocket_compression_options" in server_config or "websocket_compression_options" in (server_config.get("tornado_settings") or {})
        if explicit or self.settings.get("websocket_compression_options") is not None:
            return
        # Level 1: the envelopes repeat, so the fastest level already removes nearly all of them.
        self.settings["websocket_compression_options"] = {"compression_level": 1}
        self.log.info("llama-nb: kernel websockets offer permessage-deflate (c.LlamaNBExtension.websocket_compression)")

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        """Runs once the loop runs and the HTTP port is bound."""
        url = discovery.export(serverapp, token=self.kernel_token)
        self.log.info("llama-nb: kernels reach this server's llama-nb API at %s", url)
        self.service.start_background()
        if self.autostart and self.service.pool is not None:
            self._autostart_task = asyncio.get_running_loop().create_task(self._autostart())

    async def _autostart(self) -> None:
        name = self.service.default_profile
        try:
            outcome = await self.service.ensure(name)
        except LlamaNBError as exc:  # pragma: no cover - ensure answers with an Outcome
            self.log.error("llama-nb: autostart of profile %r failed:\n%s", name, for_terminal(exc.card).to_text())
            return
        if outcome.error is not None:
            self.log.error("llama-nb: autostart of profile %r failed:\n%s", name, for_terminal(outcome.error).to_text())
        else:
            self.log.info("llama-nb: profile %r is %s (autostart)", name, outcome.status.state.value)

    async def stop_extension(self) -> None:
        """Stop every llama-server this Jupyter started and end the event streams."""
        service = getattr(self, "service", None)
        if service is None:
            return
        running = [n for n, st in (service.pool.statuses() if service.pool else {}).items() if st.pid]
        if running:
            self.log.info("llama-nb: stopping llama-server of profile(s) %s", ", ".join(running))
        await service.close()
        self.log.info("llama-nb: stopped")
