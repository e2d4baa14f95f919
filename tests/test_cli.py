"""The ``llama-nb`` console script: a real answer from a terminal, and cards instead of tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from helpers import llama_servers


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "llama_nb.cli", *args], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})


def test_ask_answers_from_the_real_model_and_leaves_nothing_running():
    out = run("ask", "--max-tokens", "16", "--ctx", "1024", "What is Python?")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip(), "the real model should answer"
    assert llama_servers(os.environ["LLAMA_NB_STATE_DIR"]) == []


@pytest.mark.parametrize("env,expected", [
    ({"LLAMA_NB_CTX_SIZE": "abc"}, "LLAMA_NB_CTX_SIZE must be a whole number"),
    ({"LLAMA_NB_CTX_SIZE": "12"}, "at least 64 tokens"),
])
def test_invalid_settings_are_a_card_not_a_traceback(env, expected):
    out = run("ask", "hi", **env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "A llama-nb setting is invalid" in out.stderr and expected in out.stderr
    assert "What you can do" in out.stderr


def test_missing_model_is_a_card():
    out = run("ask", "hi", LLAMA_NB_MODEL="/nonexistent/model.gguf")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "The model file is missing" in out.stderr
    assert "export LLAMA_NB_MODEL=" in out.stderr


def fix_lines(text: str) -> list[str]:
    """The command line under each numbered fix of a printed card."""
    lines = text.splitlines()
    return [lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if line.strip()[:2].rstrip(".").isdigit()]


@pytest.mark.parametrize("args,env", [
    (("ask", "hi"), {"LLAMA_NB_MODEL": "/nonexistent/model.gguf"}),
    (("ask", "--ctx", "256", "--max-tokens", "8", "word " * 400), {}),
    (("doctor",), {"LLAMA_NB_SERVER": "/nonexistent/llama-server"}),
])
def test_terminal_cards_give_shell_commands_not_magics(args, env):
    out = run(*args, **env)
    fixes = fix_lines(out.stdout + out.stderr)
    assert fixes, out.stdout + out.stderr
    assert not [f for f in fixes if f.startswith("%")], fixes


def test_prompt_over_the_context_is_a_card_with_token_numbers():
    out = run("ask", "--ctx", "256", "--max-tokens", "8", "word " * 400)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "The prompt is longer than the context" in out.stderr
    assert "256 tokens" in out.stderr
    assert "llama-nb ask --ctx 1024" in out.stderr
