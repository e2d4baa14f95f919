"""The context sizes a profile may be started with: at least the settings' minimum, at most the model's
trained context (read from its GGUF metadata), and never above :data:`HARD_MAX_CTX`.

One rule for every surface: the REST API refuses a request outside it (400), and the supervisor refuses
a start or restart outside it (the embedded backend, the CLI), before anything is spawned.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..config.discovery import find_model
from ..config.profiles import Profile, SupervisorSettings
from .gguf import GGUFError, read_gguf

#: No context above this is accepted, whatever the model says (2**20 tokens).
HARD_MAX_CTX = 1 << 20


def trained_context(model: Path | None) -> int | None:
    """The model's trained context length from its GGUF metadata, or ``None`` when it cannot be read."""
    if model is None:
        return None
    try:
        st = model.stat()
    except OSError:
        return None
    return _trained_context(str(model), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _trained_context(path: str, mtime_ns: int, size: int) -> int | None:
    """Cached per file version: a large model's metadata takes a moment to parse."""
    try:
        value = read_gguf(Path(path)).arch_value("context_length")
    except (GGUFError, OSError):
        return None
    return int(value) if isinstance(value, int) and value > 0 else None


def ctx_limits(profile: Profile, settings: SupervisorSettings) -> tuple[int, int, str]:
    """``(lowest, highest, why the highest)`` context size a request may ask of ``profile``."""
    trained = trained_context(find_model(profile.model).path)
    if trained is not None and trained <= HARD_MAX_CTX:
        return settings.min_ctx_size, max(trained, settings.min_ctx_size), "the model's trained context"
    return settings.min_ctx_size, HARD_MAX_CTX, "llama-nb's limit"
