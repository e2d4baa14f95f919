"""The house checks on llama_nb/: ruff lint, ruff format and mypy, run as tests so CI fails on them.

mypy was a ratchet from 41 errors (2026-12-06); it is clean now and must stay so. Settings: [tool.ruff] and
[tool.mypy] in pyproject.toml.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: mypy's errors allowed on llama_nb/: none (it was 41 on 2026-12-06; all fixed).
KNOWN_MYPY_ERRORS = 0


def _tool(name: str) -> list[str]:
    exe = Path(sys.executable).parent / name
    if exe.exists():
        return [str(exe)]
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed (the test extra installs it: scripts/setup.sh --test)")
    return [found]


def test_ruff_lint_is_clean() -> None:
    proc = subprocess.run([*_tool("ruff"), "check", "llama_nb"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_ruff_format_is_applied() -> None:
    proc = subprocess.run([*_tool("ruff"), "format", "--check", "llama_nb"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, "run `ruff format llama_nb`:\n" + proc.stdout[-4000:] + proc.stderr[-2000:]


def test_mypy_finds_no_new_errors() -> None:
    proc = subprocess.run([*_tool("mypy"), "llama_nb"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    found = re.search(r"Found (\d+) errors?", proc.stdout)
    count = int(found.group(1)) if found else (0 if proc.returncode == 0 else -1)
    assert count >= 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert count <= KNOWN_MYPY_ERRORS, f"mypy: {count} errors, {KNOWN_MYPY_ERRORS} known:\n" + proc.stdout[-6000:]
