"""The default model is the strongest catalogue coder this machine runs (llama_nb/recommend.py)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from llama_nb import catalogue, recommend
from llama_nb.recommend import Gpu, Machine, choose, parse_devices

GB = 2**30


@pytest.mark.parametrize("machine, want", [
    (Machine(22 * GB, 2), "qwen2.5-coder-1.5b"),  # this class of machine: 2 cores, 24 GB
    (Machine(3 * GB, 2), "qwen2.5-coder-1.5b"),
    (Machine(int(1.5 * GB), 2), "qwen2.5-coder-0.5b"),  # the 1.5B does not fit with its KV cache
    (Machine(22 * GB, 1), "qwen2.5-coder-0.5b"),  # one core: the small one answers in time
    (Machine(3 * GB, 8), "qwen2.5-coder-3b"),
    (Machine(2 * GB, 8), "qwen2.5-coder-1.5b"),  # 8 cores but the 3B does not fit
    (Machine(60 * GB, 16), "qwen2.5-coder-3b"),  # on a CPU the 7B answers too slowly
    (Machine(22 * GB, 2, avx2=False), "qwen2.5-coder-0.5b"),
    (Machine(16 * GB, 4, gpus=(Gpu("CUDA0 H100", 80 * GB),)), "qwen2.5-coder-7b"),
    (Machine(16 * GB, 4, gpus=(Gpu("Vulkan0 small", 3 * GB),)), "qwen2.5-coder-3b"),
    (Machine(16 * GB, 2, gpus=(Gpu("Vulkan0 tiny", GB),)), "qwen2.5-coder-1.5b"),  # too small a GPU: the CPU rule
    (Machine(200 * 2**20, 1), "qwen2.5-coder-0.5b"),  # nothing fits: still the smallest coder
])
def test_the_choice_for_a_table_of_machines(machine: Machine, want: str) -> None:
    choice = choose(machine)
    assert choice.name == want, choice
    assert choice.reasons  # it always says why


def test_the_reasons_name_ram_cores_and_the_gpu() -> None:
    assert "2 CPU cores" in choose(Machine(22 * GB, 2)).describe() and "RAM free" in choose(Machine(22 * GB, 2)).describe()
    assert "GPU CUDA0 H100" in choose(Machine(16 * GB, 4, gpus=(Gpu("CUDA0 H100", 80 * GB),))).describe()


def test_llama_server_device_lines_are_read() -> None:
    text = ("Available devices:\n  CUDA0: NVIDIA H100 80GB HBM3 (81079 MiB, 80526 MiB free)\n"
            "  Vulkan0: Intel(R) Graphics (ADL GT2) (7815 MiB, 7000 MiB free)\n")
    gpus = parse_devices(text)
    assert [g.free_bytes for g in gpus] == [80526 * 2**20, 7000 * 2**20]
    assert gpus[0].name.startswith("CUDA0 NVIDIA H100")
    assert parse_devices("Available devices:\n") == ()


def test_a_gpu_stand_in_listed_by_llama_server_is_seen(tmp_path: Path) -> None:
    # STAND-IN for a GPU llama-server (no GPU here): a script that prints llama.cpp's --list-devices lines.
    server = tmp_path / "llama-server"
    server.write_text(f"#!{sys.executable}\nprint('Available devices:')\n"
                      "print('  CUDA0: NVIDIA H100 80GB HBM3 (81079 MiB, 80526 MiB free)')\n")
    server.chmod(server.stat().st_mode | stat.S_IEXEC)
    recommend.list_devices.cache_clear()
    machine = recommend.this_machine(str(server))
    assert machine.gpus and choose(machine).name == "qwen2.5-coder-7b"


def test_the_real_llama_server_lists_no_gpu_here() -> None:
    from llama_nb.config import server_path

    recommend.list_devices.cache_clear()
    assert recommend.list_devices(server_path()) == ()


def _models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pulled: tuple[str, ...]) -> Path:
    """A models dir holding verified copies of ``pulled`` (links to the real files: nothing is copied)."""
    real = catalogue.models_dir()
    models = tmp_path / "models"
    models.mkdir()
    for name in pulled:
        entry = catalogue.CATALOGUE[name]
        src = real / entry.filename
        if not src.exists():
            pytest.fail(f"{name} is not pulled here (scripts/setup.sh pulls it)") if os.environ.get("CI") == "true" else pytest.skip(f"{name} not pulled")
        (models / entry.filename).symlink_to(src)
        record = real / f".{entry.filename}.verified"
        if record.exists():
            (models / record.name).write_text(record.read_text())
    monkeypatch.setenv(catalogue.ENV_MODELS_DIR, str(models))
    return models


def test_the_recommended_model_is_the_default_when_pulled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llama_nb.config import default_model_notice, find_model

    monkeypatch.delenv("LLAMA_NB_MODEL", raising=False)
    monkeypatch.setenv("LLAMA_NB_RECOMMEND", "qwen2.5-coder-1.5b")
    recommend.recommended.cache_clear()
    try:
        _models_dir(tmp_path, monkeypatch, ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"))
        assert find_model().source == "catalogue: qwen2.5-coder-1.5b"
        assert default_model_notice() is None
    finally:
        recommend.recommended.cache_clear()


def test_without_the_recommended_model_the_next_smaller_pulled_one_is_used_and_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llama_nb.config import default_model_notice, find_model

    monkeypatch.delenv("LLAMA_NB_MODEL", raising=False)
    monkeypatch.setenv("LLAMA_NB_RECOMMEND", "qwen2.5-coder-3b")
    recommend.recommended.cache_clear()
    try:
        _models_dir(tmp_path, monkeypatch, ("qwen2.5-coder-0.5b",))
        assert find_model().source == "catalogue: qwen2.5-coder-0.5b"
        notice = default_model_notice() or ""
        assert "qwen2.5-coder-3b is the recommended model here" in notice and "llama-nb pull qwen2.5-coder-3b" in notice
        assert "uses qwen2.5-coder-0.5b" in notice
    finally:
        recommend.recommended.cache_clear()


def test_a_configured_model_always_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llama_nb.config import default_model_notice, find_model

    monkeypatch.setenv("LLAMA_NB_RECOMMEND", "qwen2.5-coder-1.5b")
    recommend.recommended.cache_clear()
    try:
        _models_dir(tmp_path, monkeypatch, ("qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"))
        monkeypatch.setenv("LLAMA_NB_MODEL", "qwen2.5-coder-0.5b")
        assert find_model().source == "LLAMA_NB_MODEL: catalogue qwen2.5-coder-0.5b"
        assert find_model("smollm2-135m").source.startswith("configured")
        assert default_model_notice() is None
    finally:
        recommend.recommended.cache_clear()


def test_models_listing_says_what_is_recommended_here_and_why() -> None:
    from llama_nb.local_models import catalogue_markdown, catalogue_rows

    md, text = catalogue_markdown(catalogue_rows(), [])
    name = recommend.recommended(None).name
    assert f"**Recommended here:** `{name}`" in md and "RAM free" in text
    assert any(r.role == "recommended here" and r.entry.name == name for r in catalogue_rows())


def test_the_catalogue_has_the_larger_coders_pinned() -> None:
    for name, size in (("qwen2.5-coder-3b", 2_104_932_800), ("qwen2.5-coder-7b", 4_683_073_536)):
        entry = catalogue.CATALOGUE[name]
        assert entry.size == size and len(entry.sha256) == 64 and entry.hf is not None
    assert catalogue.CODERS[-1] == catalogue.DEFAULT_MODEL


@pytest.mark.parametrize("name, machine, recommended_name, says, never", [
    ("qwen2.5-coder-7b", recommend.Machine(24 * GB, 2), "qwen2.5-coder-1.5b",
     ("4.7 GB download", "5.0 GB of memory", "24.0 GB free here", "not expected to answer within the ~10 s budget (it wants 32 cores",
      "stronger but slower than qwen2.5-coder-1.5b"), ("may not load",)),
    ("qwen2.5-coder-3b", recommend.Machine(2 * GB, 1), "qwen2.5-coder-0.5b",
     ("2.1 GB download", "more than is free now, so it may not load", "on 1 CPU core it"), ()),
    ("qwen2.5-coder-0.5b", recommend.Machine(24 * GB, 2), "qwen2.5-coder-1.5b", ("faster but weaker than qwen2.5-coder-1.5b",), ("budget",)),
    ("qwen2.5-coder-7b", recommend.Machine(8 * GB, 4, gpus=(recommend.Gpu("Vulkan0 stand-in", 10 * GB),)), "qwen2.5-coder-7b",
     ("it is the model recommended here",), ("budget", "may not load")),
])
def test_a_pull_says_what_it_will_cost_here(name: str, machine: recommend.Machine, recommended_name: str,
                                            says: tuple[str, ...], never: tuple[str, ...]) -> None:
    text = recommend.cost(name, machine, recommended_name)
    assert text is not None
    for part in says:
        assert part in text, (part, text)
    for part in never:
        assert part not in text, (part, text)
    assert recommend.cost("no-such-model", machine, recommended_name) is None
