"""The house checks on llama_nb/: ruff lint and mypy, run as tests so CI fails on them.

`ruff format` is not applied yet: applied, it grew config.py, pull.py, manager.py, widgets.py and session.py
past their line ceilings (tests/test_layers.py). The first four are split now (issue 29); kernel/session.py
is still over the limit: split it, then format.

mypy is a ratchet: the errors it finds today (KNOWN_MYPY_ERRORS, all older than the check) may only go
down; a new one fails. Settings: [tool.ruff] and [tool.mypy] in pyproject.toml.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: mypy's count (41 on 2026-12-06, in 17 files: Optional narrowing in the rules, **kwargs to dataclass
#: replace, tornado attributes; fewer as they are fixed). Lower it when you fix some; never raise it.
KNOWN_MYPY_ERRORS = 29


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


def test_mypy_finds_no_new_errors() -> None:
    proc = subprocess.run([*_tool("mypy"), "llama_nb"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    found = re.search(r"Found (\d+) errors?", proc.stdout)
    count = int(found.group(1)) if found else (0 if proc.returncode == 0 else -1)
    assert count >= 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert count <= KNOWN_MYPY_ERRORS, f"mypy: {count} errors, {KNOWN_MYPY_ERRORS} known:\n" + proc.stdout[-6000:]
