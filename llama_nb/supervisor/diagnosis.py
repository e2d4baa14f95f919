"""Failure → kind + evidence, and the recovery ladder's next step.

Classification reads llama.cpp's own lines (the log tail), the exit code or signal, and HTTP errors.
Order matters: a missing file must win over the ``try reducing --n-gpu-layers`` hint that llama.cpp
prints after *any* load failure.
"""

from __future__ import annotations

import re
import signal
from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterable, Sequence


class Kind(str, Enum):
    BINARY_MISSING = "binary_missing"
    MODEL_MISSING = "model_missing"
    MODEL_CORRUPT = "model_corrupt"
    PORT_IN_USE = "port_in_use"
    BAD_ARGUMENT = "bad_argument"
    BAD_CONFIG = "bad_config"
    OOM_LOAD = "oom_load"
    GPU_OOM = "gpu_oom"
    GPU_UNAVAILABLE = "gpu_unavailable"
    CONTEXT_EXCEEDED = "context_exceeded"
    CONTEXT_MISMATCH = "context_mismatch"
    CRASHED = "crashed"
    HUNG = "hung"
    LOAD_STALL = "load_stall"
    CONNECTION_FAILED = "connection_failed"
    CRASH_LOOP = "crash_loop"
    UNKNOWN = "unknown"


#: Starts that cannot succeed by trying again: they fail at once, with their card.
NOT_RETRYABLE = frozenset({Kind.BINARY_MISSING, Kind.MODEL_MISSING, Kind.MODEL_CORRUPT, Kind.BAD_ARGUMENT, Kind.BAD_CONFIG, Kind.PORT_IN_USE})


@dataclass(frozen=True)
class Diagnosis:
    """What went wrong, in one kind, with the lines and numbers that prove it."""

    kind: Kind
    summary: str
    evidence: tuple[str, ...] = ()
    exit_code: int | None = None
    numbers: tuple[tuple[str, int], ...] = ()

    @property
    def retryable(self) -> bool:
        return self.kind not in NOT_RETRYABLE

    def number(self, key: str) -> int | None:
        return dict(self.numbers).get(key)


# (kind, pattern, summary) — first match in this order wins.
_RULES: tuple[tuple[Kind, re.Pattern[str], str], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE), summary)
    for kind, pattern, summary in (
        (Kind.MODEL_MISSING, r"failed to open GGUF file .*\((No such file|Permission denied|Is a directory)", "The model file could not be opened."),
        (
            Kind.MODEL_CORRUPT,
            r"not within the file bounds|model is corrupted or incomplete|invalid magic|failed to read magic|failed to read key-value pairs|failed to read tensor info|GGUF file version \d+ is extremely large|unknown model architecture",
            "The model file is damaged or incomplete.",
        ),
        (Kind.BAD_ARGUMENT, r"^error: (invalid|unknown) argument|error while handling argument|invalid value for|^error: .*argument", "llama-server rejected a command-line argument."),
        (Kind.PORT_IN_USE, r"couldn't bind HTTP server socket|address already in use", "The port is already taken by another program."),
        (
            Kind.GPU_OOM,
            r"cudaMalloc failed: out of memory|CUDA error: out of memory|ggml_vulkan: Device memory allocation of size|ErrorOutOfDeviceMemory|hipMalloc failed: out of memory|ggml_metal.*failed to allocate|failed to allocate (CUDA|Vulkan|ROCm|Metal)\d* buffer",
            "The GPU ran out of memory while loading the model.",
        ),
        (
            Kind.GPU_UNAVAILABLE,
            r"no CUDA-capable device is detected|ggml_cuda_init: failed to initialize CUDA|CUDA driver version is insufficient|ggml_vulkan: No devices found|ErrorIncompatibleDriver|ErrorInitializationFailed|failed to initialize (the )?(CUDA|Vulkan|Metal) backend",
            "The GPU could not be used.",
        ),
        (
            Kind.OOM_LOAD,
            r"failed to allocate buffer for kv cache|ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate|insufficient memory \(attempted to allocate|failed to allocate CPU buffer|std::bad_alloc|Cannot allocate memory|Thread creation failed: Resource temporarily unavailable|what\(\):\s+Resource temporarily unavailable|GGML_ASSERT\(ctx->mem_buffer != NULL\) failed",
            "There was not enough memory to load the model with this context size.",
        ),
        (Kind.CONTEXT_EXCEEDED, r"exceed_context_size_error|exceeds the available context size", "The prompt is longer than the server's context."),
        (Kind.CRASHED, r"GGML_ASSERT|Segmentation fault|terminate called after|core dumped|Aborted", "llama-server crashed."),
    )
)

#: The summary of a llama-server that cannot run on this CPU (advice.py words its card on it).
ILLEGAL_INSTRUCTION = "llama-server was killed by SIGILL: it uses CPU instructions this processor does not have."

_TIMESTAMP = re.compile(r"^\d+\.\d+\.\d+\.\d+ [DIWE] ")

#: llama.cpp's lines while it creates the context (the KV cache is its largest allocation), and the
#: lines that say loading went past that point.
_CONTEXT_STARTED = re.compile(r"llama_context:|llama_kv_cache|llama_init_from_model|n_ctx_seq|kv_cache_init|llama_new_context")
_PAST_CONTEXT = re.compile(r"model loaded|server is listening|main: loading model.*done|srv\s+init:|slot\s+load_model|all slots are idle")
#: Signals a llama.cpp build dies of when an allocation fails and it does not check (0.10068.0 under
#: an address-space limit: it prints the allocation errors, then segfaults during cleanup).
_CRASH_SIGNALS = (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS)
LOST_OOM_LINES = "llama-server died while creating its context, the step that allocates the most memory; most likely it ran out of memory (its own error lines are lost when it crashes)."


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _evidence_lines(lines: Sequence[str], pattern: re.Pattern[str] | None, limit: int = 6) -> tuple[str, ...]:
    """The matching lines plus the last error lines, de-duplicated, most telling first."""
    picked: list[str] = []
    if pattern is not None:
        picked += [ln for ln in lines if pattern.search(ln)]
    picked += [ln for ln in lines if re.search(r"\b(E|error|failed)\b", ln, re.IGNORECASE)][-limit:]
    if not picked:
        picked = list(lines[-limit:])
    seen: dict[str, str] = {}
    for line in picked:  # llama.cpp repeats some errors; the timestamp alone does not make a new fact
        seen.setdefault(_TIMESTAMP.sub("", line.strip()), line.strip())
    return tuple(list(seen.values())[:limit])


def classify_output(lines: Sequence[str], exit_code: int | None) -> Diagnosis:
    """Classify a llama-server that exited (or failed to load) from its output and exit status."""
    text_lines = [ln.rstrip() for ln in lines]
    for kind, pattern, summary in _RULES:
        for line in text_lines:
            if pattern.search(line):
                numbers: list[tuple[str, int]] = []
                if kind in (Kind.OOM_LOAD, Kind.GPU_OOM):
                    numbers += _alloc_numbers(text_lines)
                return Diagnosis(kind, summary, _evidence_lines(text_lines, pattern), exit_code, tuple(numbers))
    exit_line = (f"exit status {exit_code}",) if exit_code is not None and exit_code >= 0 else ()
    if exit_code == -signal.SIGILL:
        # An illegal instruction is a build made for a newer CPU (AVX-512, AMX) than this one: it dies the
        # same way on every start, so it is not a crash to retry but a binary that does not run here.
        return Diagnosis(
            Kind.BINARY_MISSING,
            ILLEGAL_INSTRUCTION,
            ("killed by SIGILL (illegal instruction)",) + _evidence_lines(text_lines, re.compile(r"AMX|AVX|illegal", re.I), 4),
            exit_code,
        )
    if exit_code is not None and exit_code < 0 and -exit_code in _CRASH_SIGNALS:
        # llama.cpp logs from a background thread: a build that crashes right after a failed allocation
        # often loses those lines. Dying while the context is being created (the last lines say so, and
        # nothing says loading went past it) is an allocation that failed: a smaller context is the fix.
        tail = [ln for ln in text_lines if ln.strip()][-3:]
        if tail and any(_CONTEXT_STARTED.search(ln) for ln in tail) and not any(_PAST_CONTEXT.search(ln) for ln in text_lines):
            name = _signal_name(exit_code)
            return Diagnosis(
                Kind.OOM_LOAD,
                LOST_OOM_LINES,
                (f"killed by {name} while creating the context (likely a failed allocation)",) + _evidence_lines(text_lines, _CONTEXT_STARTED, 3),
                exit_code,
            )
    if exit_code is not None and exit_code < 0:
        name = _signal_name(exit_code)
        return Diagnosis(
            Kind.CRASHED,
            f"llama-server was killed by {name}.",
            (f"killed by {name}",) + _evidence_lines(text_lines, None, 4),
            exit_code,
        )
    return Diagnosis(
        Kind.UNKNOWN,
        "llama-server stopped for a reason it did not name." if exit_code is not None else "llama-server failed.",
        exit_line + _evidence_lines(text_lines, None),
        exit_code,
    )


def _alloc_numbers(lines: Iterable[str]) -> list[tuple[str, int]]:
    for line in lines:
        m = re.search(r"attempted to allocate ([\d.]+) MB", line)
        if m:
            return [("alloc_mb", int(float(m.group(1))))]
        m = re.search(r"failed to allocate \w* ?buffer of size (\d+)", line)
        if m:
            return [("alloc_mb", int(m.group(1)) // (1024 * 1024))]
        m = re.search(r"allocation of size (\d+)", line)
        if m:
            return [("alloc_mb", int(m.group(1)) // (1024 * 1024))]
    return []


def classify_http_error(status_code: int, body: dict | str | None) -> Diagnosis | None:
    """Classify an error answer from llama-server's HTTP API (``None`` if it is not a server problem)."""
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and (err.get("type") == "exceed_context_size_error" or "context size" in str(err.get("message", ""))):
            n_prompt = int(err.get("n_prompt_tokens") or 0)
            n_ctx = int(err.get("n_ctx") or 0)
            return Diagnosis(
                Kind.CONTEXT_EXCEEDED,
                f"The prompt needs {n_prompt} tokens but the server's context holds {n_ctx}.",
                (str(err.get("message", "")),),
                numbers=(("n_prompt_tokens", n_prompt), ("n_ctx", n_ctx)),
            )
    return None


# --------------------------------------------------------------------------------------------------
# The recovery ladder
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LaunchConfig:
    """What one start of llama-server uses; the ladder derives safer ones from it."""

    profile: str
    model: str | None
    ctx_size: int
    gpu_layers: int | None  # None: llama.cpp decides; 0: CPU only
    port: int = 0
    extra_args: tuple[str, ...] = ()

    @property
    def cpu_only(self) -> bool:
        return self.gpu_layers == 0


@dataclass(frozen=True)
class Recovery:
    """One rung of the ladder: the configuration to try next and how to say it on the card."""

    config: LaunchConfig
    description: str


def next_recovery(
    diagnosis: Diagnosis,
    current: LaunchConfig,
    *,
    min_ctx: int,
    fallback: LaunchConfig | None,
    tried: frozenset[str],
) -> Recovery | None:
    """The next safer configuration for a failed *load*, or ``None`` when the ladder is exhausted.

    Out of memory at load: smaller context (halving, down to ``min_ctx``) → CPU only → fallback model.
    GPU out of memory: CPU only → smaller context → fallback. GPU unavailable: CPU only → fallback.
    Each rung is tried once (``tried`` holds the rungs already used).
    """

    def smaller_ctx() -> Recovery | None:
        new_ctx = max(min_ctx, current.ctx_size // 2)
        if new_ctx >= current.ctx_size:
            return None
        key = f"ctx:{current.model}:{new_ctx}:{current.gpu_layers}"
        if key in tried:
            return None
        return Recovery(replace(current, ctx_size=new_ctx), f"Retried with a smaller context: {new_ctx} tokens (was {current.ctx_size})")

    def cpu_only() -> Recovery | None:
        if current.cpu_only or f"cpu:{current.model}" in tried:
            return None
        return Recovery(replace(current, gpu_layers=0), "Retried on the CPU only (no GPU layers)")

    def use_fallback() -> Recovery | None:
        if fallback is None or f"fallback:{fallback.profile}" in tried:
            return None
        return Recovery(fallback, f"Switched to the fallback profile {fallback.profile!r} ({_model_name(fallback.model)})")

    if diagnosis.kind == Kind.OOM_LOAD:
        # Host memory: "CPU only" only helps when GPU layers were asked for explicitly.
        order = (smaller_ctx, cpu_only, use_fallback) if current.gpu_layers else (smaller_ctx, use_fallback)
    elif diagnosis.kind == Kind.GPU_OOM:
        order = (cpu_only, smaller_ctx, use_fallback)
    elif diagnosis.kind == Kind.GPU_UNAVAILABLE:
        order = (cpu_only, use_fallback)
    else:
        return None
    for rung in order:
        recovery = rung()
        if recovery is not None:
            return recovery
    return None


def recovery_key(old: LaunchConfig, new: LaunchConfig) -> str:
    """The ``tried`` key of the rung that turned ``old`` into ``new``."""
    if new.profile != old.profile:
        return f"fallback:{new.profile}"
    if new.gpu_layers == 0 and old.gpu_layers != 0:
        return f"cpu:{old.model}"
    return f"ctx:{new.model}:{new.ctx_size}:{new.gpu_layers}"


def _model_name(path: str | None) -> str:
    return path.rsplit("/", 1)[-1] if path else "no model"
