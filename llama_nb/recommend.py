"""Which catalogue model this machine should run by default, and why.

The strongest coding model (catalogue.CODERS, strongest first) that fits the machine within the answer
budget (an explain answer in about 10 s): it must fit in the free RAM (or a GPU's free memory) with its
KV cache and a margin, and on a CPU the cores bound the size that answers in time. Measured on a 2-core
machine: the 0.5B generates ~20-25 tokens/s, the 1.5B ~11 (answer p50 7.4 s), so 2 cores get the 1.5B;
the 3B wants about twice the compute, so 8 cores; the 7B is for a GPU.

Facts come from psutil, ``/proc/cpuinfo`` and ``llama-server --list-devices`` (bounded, cached); the
choice itself (:func:`choose`) is a pure function of :class:`Machine`, so it is tested with a table.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue

#: RAM a model needs beyond its file: the KV cache at the default context, buffers, and a margin.
OVERHEAD = 700 * 2**20
#: CPU cores at which each coder answers within the budget (below this, the next smaller one).
CPU_CORES = {"qwen2.5-coder-7b": 32, "qwen2.5-coder-3b": 8, "qwen2.5-coder-1.5b": 2, "qwen2.5-coder-0.5b": 1}
#: Each answer's speed as measured on the 2-core reference machine (tokens/s; bench/results).
MEASURED_TPS = {"qwen2.5-coder-0.5b": 20.0, "qwen2.5-coder-1.5b": 11.2, "smollm2-135m": 55.0}


@dataclass(frozen=True)
class Gpu:
    name: str
    free_bytes: int


@dataclass(frozen=True)
class Machine:
    ram_available: int
    cores: int
    avx2: bool = True
    gpus: tuple[Gpu, ...] = ()


@dataclass(frozen=True)
class Choice:
    name: str
    reasons: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        return f"{self.name}: " + "; ".join(self.reasons)


def _gib(n: int) -> str:
    return f"{n / 2**30:.1f} GB"


def needs(name: str) -> int:
    """Bytes of memory a catalogue model needs to run at the default context."""
    return catalogue.CATALOGUE[name].size + OVERHEAD


def choose(machine: Machine) -> Choice:
    """The strongest coder this machine runs within the answer budget."""
    gpu = max(machine.gpus, key=lambda g: g.free_bytes, default=None)
    for name in catalogue.CODERS:
        need = needs(name)
        if gpu is not None and gpu.free_bytes >= need and machine.ram_available >= catalogue.CATALOGUE[name].size // 4:
            return Choice(name, (f"GPU {gpu.name} has {_gib(gpu.free_bytes)} free, {name} needs {_gib(need)}", f"{machine.cores} CPU cores, {_gib(machine.ram_available)} RAM free"))
        if machine.ram_available < need:
            continue
        if machine.cores < CPU_CORES[name] or not machine.avx2 and name != catalogue.DEFAULT_MODEL:
            continue
        why = [
            f"{_gib(machine.ram_available)} RAM free, {name} needs {_gib(need)}",
            f"{machine.cores} CPU cores{' (AVX2)' if machine.avx2 else ''}: enough for an answer in about 10 s" if machine.cores >= CPU_CORES[name] else f"{machine.cores} CPU core",
        ]
        if not machine.gpus:
            why.append("no GPU listed by llama-server")
        if name in MEASURED_TPS:
            why.append(f"measured ~{MEASURED_TPS[name]:g} tokens/s on a 2-core CPU")
        return Choice(name, tuple(why))
    return Choice(catalogue.DEFAULT_MODEL, (f"only {_gib(machine.ram_available)} RAM free and {machine.cores} core(s): the smallest coding model",))


def cost(name: str, machine: Machine, recommended_name: str) -> str | None:
    """What pulling ``name`` will cost on ``machine``: the download, the memory it runs in, and whether it
    answers in time here (said by ``%llama pull`` and ``llama-nb pull`` before the download starts)."""
    entry = catalogue.CATALOGUE.get(name)
    if entry is None:
        return None
    need = needs(name)
    parts = [f"{name} is a {entry.size / 1e9:.1f} GB download and needs about {_gib(need)} of memory to run ({_gib(machine.ram_available)} free here)"]
    if machine.ram_available < need and not machine.gpus:
        parts.append("more than is free now, so it may not load")
    cores = CPU_CORES.get(name)
    if cores is not None and not machine.gpus and machine.cores < cores:
        parts.append(f"on {machine.cores} CPU core{'s' if machine.cores != 1 else ''} it is not expected to answer within the ~10 s budget (it wants {cores} cores or a GPU)")
    if name == recommended_name:
        parts.append("it is the model recommended here")
    elif name in catalogue.CODERS and recommended_name in catalogue.CODERS:
        stronger = catalogue.CODERS.index(name) < catalogue.CODERS.index(recommended_name)
        parts.append(f"{'stronger but slower' if stronger else 'faster but weaker'} than {recommended_name}, the model recommended here")
    return "; ".join(parts) + "."


# -- facts of this machine ------------------------------------------------------------------------


def _avx2() -> bool:
    try:
        return " avx2" in Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return True  # not Linux: let the cores and RAM decide


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_DEVICE = re.compile(r"^[ \t]*(?P<name>[^:\n]+):[ \t]*(?P<desc>[^\n]*?)\((?P<total>\d+) MiB,[ \t]*(?P<free>\d+) MiB free\)", re.M)


def parse_devices(text: str) -> tuple[Gpu, ...]:
    """GPUs in ``llama-server --list-devices`` output (``Vulkan0: NVIDIA H100 (81559 MiB, 80000 MiB free)``)."""
    return tuple(Gpu(f"{m['name'].strip()} {m['desc'].strip()}".strip(), int(m["free"]) * 2**20) for m in _DEVICE.finditer(text))


@functools.lru_cache(maxsize=4)
def list_devices(server: str | None, timeout: float = 10.0) -> tuple[Gpu, ...]:
    """The GPUs a llama-server lists (none when it lists none, cannot run, or takes too long)."""
    if not server:
        return ()
    env = dict(os.environ)
    lib = str(Path(server).parent)
    env["LD_LIBRARY_PATH"] = lib + (os.pathsep + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    try:
        proc = subprocess.run([server, "--list-devices"], capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.SubprocessError):
        return ()
    return parse_devices(proc.stdout + proc.stderr)


def this_machine(server: str | None = None) -> Machine:
    import psutil

    return Machine(int(psutil.virtual_memory().available), _cores(), _avx2(), list_devices(server))


# -- the default model ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def recommended(server: str | None = None) -> Choice:
    """This machine's choice, made once per process (the free RAM falls once a model is loaded: the
    default must not change under a running server)."""
    if os.environ.get("LLAMA_NB_RECOMMEND"):  # a named model, for a test or a machine the facts misjudge
        name = os.environ["LLAMA_NB_RECOMMEND"]
        if name in catalogue.CATALOGUE:
            return Choice(name, ("LLAMA_NB_RECOMMEND",))
    try:
        return choose(this_machine(server))
    except Exception as exc:  # facts unreadable: the small-machine choice
        return Choice(catalogue.DEFAULT_MODEL, (f"machine facts unreadable ({exc})",))


@dataclass(frozen=True)
class Default:
    """What the default profile runs: the recommended coder if pulled, else the next smaller pulled one."""

    choice: Choice
    name: str | None  # the coder used (None: no coder pulled)
    path: Path | None

    @property
    def notice(self) -> str | None:
        want = self.choice.name
        if self.name == want:
            return None
        using = f"uses {self.name}, the next smaller one pulled" if self.name else "uses the tiny SmolLM2-135M (weak answers)"
        return (
            f"llama-nb: {want} is the recommended model here ({'; '.join(self.choice.reasons)}) but it is not "
            f"pulled, so the default profile {using}. Fix: llama-nb pull {want} (or %llama pull {want} in a notebook)."
        )


def default_model(server: str | None = None) -> Default:
    from .verify import pulled_path

    choice = recommended(server)
    order = list(catalogue.CODERS)
    start = order.index(choice.name) if choice.name in order else len(order) - 1
    for name in order[start:]:
        path = pulled_path(catalogue.CATALOGUE[name])
        if path is not None:
            return Default(choice, name, path)
    return Default(choice, None, None)


def pull_cost(name: str, server: str | None = None) -> str | None:
    """:func:`cost` on this machine (None when the facts cannot be read or the name is not in the catalogue)."""
    try:
        return cost(name, this_machine(server), recommended(server).name)
    except Exception:
        return None
