"""``llama-nb doctor``: nothing when all is well, one card per real problem."""

from __future__ import annotations

import socket
import subprocess
import sys

from llama_nb.config import Profile, bundled_model_path
from llama_nb.doctor import run_checks, run_doctor
from llama_nb.render import magic


def test_all_well_means_no_cards():
    report = run_checks(Profile(ctx_size=2048))
    assert report.cards == ()
    assert {c.name for c in report.checks} == {"llama-server", "model", "memory", "port", "gpu"}
    assert all(c.ok for c in report.checks)
    assert "All checks passed." in report.to_text()


def test_missing_binary_and_missing_model_each_get_a_card(tmp_path):
    cards = run_doctor(Profile(server=str(tmp_path / "no-server"), model=str(tmp_path / "no.gguf")))
    assert [c.kind for c in cards] == ["binary_missing", "model_missing"]


def test_truncated_model_is_found(tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(bundled_model_path().read_bytes()[:3_000_000])
    cards = run_doctor(Profile(model=str(cut)))
    assert [c.kind for c in cards] == ["model_corrupt"]
    assert "3,000,000 bytes" in cards[0].what_happened


def test_fixed_port_in_use_is_found():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        cards = run_doctor(Profile(port=sock.getsockname()[1]))
    assert [c.kind for c in cards] == ["port_in_use"]


def test_gpu_layers_without_a_gpu_is_found(monkeypatch):
    import llama_nb.doctor as doctor

    monkeypatch.setattr(doctor, "gpu_devices", lambda: [])
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)
    cards = run_doctor(Profile(gpu_layers=20))
    assert [c.kind for c in cards] == ["gpu_unavailable"]
    assert magic(cards[0].what_you_can_do[0]) == "%llama start --cpu"


def test_memory_check_under_a_real_address_space_limit():
    # KV cache for 131072 tokens is about 2.9 GB; a 2 GB address-space limit cannot hold it.
    code = "import os; os.environ['LLAMA_NB_CTX_SIZE']='131072'; from llama_nb.cli import main; raise SystemExit(main(['doctor']))"
    out = subprocess.run(["prlimit", "--as=2000000000", sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Not enough memory to load the model" in out.stdout
    # The fix names the largest context that fits in 2 GB beside the model (KV cache 22.5 MB per 1024 tokens:
    # 32768 would fit) and that the model was trained for (SmolLM2: 8192; a start above it is refused).
    assert "llama-nb ask --ctx 8192" in out.stdout
    # and the fix really works under the same limit
    fix = [sys.executable, "-m", "llama_nb.cli", "ask", "--ctx", "8192", "--max-tokens", "4", "your question"]
    ran = subprocess.run(["prlimit", "--as=2000000000", *fix], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and ran.stdout.strip(), ran.stderr


def test_cli_doctor_exit_codes():
    ok = subprocess.run([sys.executable, "-m", "llama_nb.cli", "doctor"], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "All checks passed." in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "llama_nb.cli", "doctor"], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "LLAMA_NB_MODEL": "/nonexistent.gguf"})
    assert bad.returncode == 1 and "The model file is missing" in bad.stdout
