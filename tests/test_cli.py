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


# --------------------------------------------------------------------------------------------------
# The CLI reads Jupyter's config files (c.LlamaNB), as the server extension does
# --------------------------------------------------------------------------------------------------

SERVER_CONFIG = """\
c = get_config()  # noqa: F821
c.LlamaNB.ctx_size = 1536
c.LlamaNB.model = "/models/from-the-file.gguf"
c.LlamaNB.profiles = {"big": {"model": "/models/big.gguf", "ctx_size": 8192, "fallback": "default"}}
c.LlamaNB.default_profile = "big"
"""


def _status(config_dir, **env: str) -> subprocess.CompletedProcess[str]:
    out = run("status", JUPYTER_CONFIG_DIR=str(config_dir), **env)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out


def _profile_line(out: subprocess.CompletedProcess[str], name: str) -> str:
    return next(line for line in out.stdout.splitlines() if line.startswith(f"{name}: "))


def test_status_shows_the_settings_of_jupyter_server_config_py(tmp_path):
    (tmp_path / "jupyter_server_config.py").write_text(SERVER_CONFIG)
    out = _status(tmp_path)
    assert f"config files: {tmp_path / 'jupyter_server_config.py'}" in out.stdout
    assert "default profile: big" in out.stdout
    assert "model /models/from-the-file.gguf [configured], ctx 1536," in _profile_line(out, "default")
    assert "model /models/big.gguf [configured], ctx 8192," in _profile_line(out, "big")
    assert "fallback default" in _profile_line(out, "big")


def test_json_files_every_config_dir_and_their_priorities(tmp_path):
    """jupyter_config < jupyter_notebook_config < jupyter_server_config, .py < .json, and for one file name the
    directory listed first by ``jupyter --paths`` wins (JUPYTER_CONFIG_PATH before JUPYTER_CONFIG_DIR): the
    order a Jupyter server loads them in."""
    home, extra = tmp_path / "home", tmp_path / "extra"
    home.mkdir(), extra.mkdir()
    (extra / "jupyter_server_config.json").write_text('{"LlamaNB": {"ctx_size": 1111, "gpu_layers": 0}}')
    (home / "jupyter_config.json").write_text(
        '{"LlamaNB": {"ctx_size": 2222, "fallback": "small", "profiles": {"small": {"ctx_size": 512}}}}')
    (home / "jupyter_notebook_config.json").write_text('{"LlamaNB": {"ctx_size": 3333}}')
    (home / "jupyter_server_config.py").write_text("c.LlamaNB.ctx_size = 4444\n")
    out = _status(home, JUPYTER_CONFIG_PATH=str(extra))
    default = _profile_line(out, "default")
    assert "ctx 1111," in default and "gpu_layers 0," in default and "fallback small" in default, out.stdout
    assert "ctx 512," in _profile_line(out, "small")
    files = out.stdout.splitlines()[0]
    assert files.index("jupyter_config.json") < files.index("jupyter_notebook_config.json") \
        < files.index("home/jupyter_server_config.py") < files.index("extra/jupyter_server_config.json"), files
    (extra / "jupyter_server_config.json").unlink()
    assert "ctx 4444," in _profile_line(_status(home, JUPYTER_CONFIG_PATH=str(extra)), "default")
    (home / "jupyter_server_config.json").write_text('{"LlamaNB": {"ctx_size": 5555}}')
    assert "ctx 5555," in _profile_line(_status(home), "default")


def test_a_configured_value_wins_over_the_environment_which_still_fills_the_rest(tmp_path):
    (tmp_path / "jupyter_server_config.py").write_text("c.LlamaNB.ctx_size = 1536\n")
    out = _status(tmp_path, LLAMA_NB_CTX_SIZE="8192", LLAMA_NB_MODEL="/models/from-the-env.gguf")
    default = _profile_line(out, "default")
    assert "ctx 1536," in default and "model /models/from-the-env.gguf [LLAMA_NB_MODEL]" in default
    # No config files at all: the environment alone, as before.
    out = _status(tmp_path / "empty", LLAMA_NB_CTX_SIZE="8192")
    assert "config files: (none" in out.stdout and "ctx 8192," in _profile_line(out, "default")


def test_a_bad_value_in_a_config_file_is_a_card_naming_the_file(tmp_path):
    (tmp_path / "jupyter_server_config.json").write_text('{"LlamaNB": {"ctx_size": 12}}')
    out = run("status", JUPYTER_CONFIG_DIR=str(tmp_path))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "A llama-nb setting is invalid" in out.stderr and "at least 64 tokens" in out.stderr
    assert str(tmp_path / "jupyter_server_config.json") in out.stderr


def test_a_broken_config_file_is_said_and_skipped_like_jupyter_does(tmp_path):
    (tmp_path / "jupyter_config.py").write_text("c.LlamaNB.ctx_size = (\n")
    (tmp_path / "jupyter_server_config.json").write_text('{"LlamaNB": {"ctx_size": 1536}}')
    out = _status(tmp_path)
    assert "could not be read" in out.stderr and "jupyter_config.py" in out.stderr and "SyntaxError" in out.stderr
    assert "ctx 1536," in _profile_line(out, "default")


def test_ask_runs_with_the_context_of_the_config_file(tmp_path):
    (tmp_path / "jupyter_server_config.py").write_text("c.LlamaNB.ctx_size = 256\n")
    out = run("ask", "--max-tokens", "8", "word " * 400, JUPYTER_CONFIG_DIR=str(tmp_path))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "The prompt is longer than the context" in out.stderr and "256 tokens" in out.stderr
    assert llama_servers(os.environ["LLAMA_NB_STATE_DIR"]) == []
