"""``llama-nb doctor`` / ``%llama doctor``: check binary, model, memory, ports and GPU.

Returns one card per problem and nothing when all is well; :func:`run_checks` also gives the
passing checks, for a report a user can read top to bottom.
"""

from __future__ import annotations

import glob
import resource
import shutil
import socket
import subprocess
from dataclasses import dataclass, replace

import psutil

from .config.discovery import find_model, find_server
from .config.profiles import Profile
from .config.server_launch import launch_environment
from .config.traits import LlamaNB
from .supervisor.advice import Context, build_card
from .supervisor.cards import Card, Renderer, describe
from .supervisor.diagnosis import Diagnosis, Kind, classify_output
from .supervisor.gguf import GGUFError, GGUFInfo, read_gguf
from .supervisor.process import LOOPBACK
from .supervisor.supervisor import check_model_file


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Report:
    checks: tuple[Check, ...]
    cards: tuple[Card, ...]

    def to_text(self, line: Renderer = describe) -> str:
        """The checks and the cards, each fix said by ``line`` (:func:`llama_nb.render.shell` in a terminal)."""
        lines = [f"{'✓' if c.ok else '✗'} {c.name}: {c.detail}" for c in self.checks]
        for card in self.cards:
            lines += ["", card.to_text(line)]
        if not self.cards:
            lines += ["", "All checks passed."]
        return "\n".join(lines)


def _mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB"


def gpu_devices() -> list[str]:
    """GPU device nodes and tools visible on this machine (empty: no GPU)."""
    found = sorted(glob.glob("/dev/nvidia[0-9]*") + glob.glob("/dev/kfd") + glob.glob("/dev/dri/renderD*"))
    return found


def _trained(info: GGUFInfo) -> int:
    value = info.arch_value("context_length")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1 << 20


def fitting_context(info: GGUFInfo, available: int, asked: int, headroom: int) -> int | None:
    """The largest power-of-two context (>= 512, < ``asked``) whose KV cache fits beside the model."""
    per_token = info.kv_cache_bytes(1)
    if not per_token:
        return None
    budget = available - info.file_size - headroom
    ctx = 512
    while ctx * 2 < asked and (ctx * 2) * per_token <= budget:
        ctx *= 2
    return ctx


def run_checks(profile: Profile | None = None) -> Report:
    """Run every check for ``profile`` (default: the configured default profile)."""
    profile = profile or LlamaNB().default()
    checks: list[Check] = []
    cards: list[Card] = []
    ctx = Context(profile=profile.name, model=profile.model, ctx_requested=profile.ctx_size, port=profile.port or None)

    def problem(diag: Diagnosis, name: str, detail: str, *, ctx_actual: int | None = None) -> None:
        checks.append(Check(name, False, detail))  # ctx_actual: a context that fits, for the card's fix
        cards.append(build_card(diag, replace(ctx, ctx_actual=ctx_actual) if ctx_actual is not None else ctx))

    # 1. binary
    server = find_server(profile.server)
    if server.path is None:
        problem(Diagnosis(Kind.BINARY_MISSING, "Looked for it in: " + "; ".join(server.tried) + ".", server.tried), "llama-server", "not found")
    else:
        ctx = replace(ctx, binary=str(server.path))
        try:
            out = subprocess.run(
                [str(server.path), "--version"],
                env=launch_environment(server.path),
                capture_output=True,
                text=True,
                timeout=30,
            )
            version = next((ln for ln in (out.stdout + out.stderr).splitlines() if "version" in ln), "").strip()
            if out.returncode == 0:
                checks.append(Check("llama-server", True, f"{server.path} ({server.source}) runs: {version or 'ok'}"))
            else:
                diag = classify_output((out.stdout + out.stderr).splitlines(), out.returncode)
                problem(Diagnosis(Kind.BINARY_MISSING, f"{server.path} does not run (exit {out.returncode}).", diag.evidence), "llama-server", f"{server.path} fails to run")
        except (OSError, subprocess.TimeoutExpired) as exc:
            problem(Diagnosis(Kind.BINARY_MISSING, f"{server.path} cannot be run: {exc}.", (str(exc),)), "llama-server", f"{server.path} cannot be run")

    # 2. model
    model = find_model(profile.model)
    ctx = replace(ctx, model=str(model.path) if model.path else profile.model)
    bad = check_model_file(model.path, model.tried)
    info = None
    if bad is not None:
        problem(bad, "model", bad.summary)
    else:
        assert model.path is not None
        try:
            info = read_gguf(model.path)
            checks.append(Check("model", True, f"{model.path} ({model.source}): GGUF v{info.version}, {info.architecture}, {_mb(info.file_size)}"))
        except (GGUFError, OSError) as exc:  # pragma: no cover - check_model_file read it already
            problem(Diagnosis(Kind.MODEL_CORRUPT, str(exc)), "model", str(exc))

    # 3. memory: model + KV cache for the requested context against what is available
    if info is not None:
        kv = info.kv_cache_bytes(profile.ctx_size) or 0
        need = info.file_size + kv
        avail = psutil.virtual_memory().available
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        limit_note = ""
        headroom = 256 * 2**20  # resident memory llama-server needs beyond model and KV cache
        if soft != resource.RLIM_INFINITY:
            avail = min(avail, soft)
            limit_note = f" (address-space limit {_mb(soft)})"
            headroom = 640 * 2**20  # address space also holds libraries, thread stacks and mappings
        detail = f"needs about {_mb(need)} (model {_mb(info.file_size)} + KV cache {_mb(kv)} for {profile.ctx_size} tokens); {_mb(avail)} available{limit_note}"
        if need > avail:
            problem(
                Diagnosis(
                    Kind.OOM_LOAD,
                    f"The model with {profile.ctx_size} tokens of context needs about {_mb(need)}, but only {_mb(avail)} is available.",
                    (detail,),
                    numbers=(("alloc_mb", need // 2**20),),
                ),
                # No larger than the model was trained for: a start above it is refused (supervisor/limits.py).
                "memory",
                detail,
                ctx_actual=fitting_context(info, avail, min(profile.ctx_size, _trained(info) + 1), headroom),
            )
        else:
            checks.append(Check("memory", True, detail))

    # 4. ports
    try:
        with socket.socket() as sock:
            sock.bind((LOOPBACK, profile.port))
            port = sock.getsockname()[1]
        checks.append(Check("port", True, f"{LOOPBACK}:{port} can be bound" + ("" if profile.port else " (a free port is picked at each start)")))
    except OSError as exc:
        problem(Diagnosis(Kind.PORT_IN_USE, f"{LOOPBACK}:{profile.port} cannot be bound: {exc.strerror}.", (str(exc),)), "port", f"{LOOPBACK}:{profile.port} is taken")

    # 5. GPU
    devices = gpu_devices()
    smi = shutil.which("nvidia-smi")
    if devices or smi:
        checks.append(Check("gpu", True, f"GPU devices: {', '.join(devices) or 'none listed'}" + (f"; {smi}" if smi else "")))
    elif profile.gpu_layers:
        problem(
            Diagnosis(Kind.GPU_UNAVAILABLE, f"The profile asks for {profile.gpu_layers} GPU layers but no GPU device is visible.", ("no /dev/nvidia*, /dev/kfd or /dev/dri/renderD* device",)),
            "gpu",
            "asked for but not present",
        )
    else:
        checks.append(Check("gpu", True, "no GPU found: llama-server runs on the CPU (that is fine for small models)"))
    return Report(tuple(checks), tuple(cards))


def run_doctor(profile: Profile | None = None) -> list[Card]:
    """One card per problem; an empty list when all is well."""
    return list(run_checks(profile).cards)


__all__ = ["Check", "Report", "run_checks", "run_doctor", "gpu_devices"]
