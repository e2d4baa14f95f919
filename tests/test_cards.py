"""Every diagnosis kind has a card with all three parts, rendered safely; its fixes really work."""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import sys

import pytest

from llama_nb.config import LlamaNB, bundled_model_path
from llama_nb.supervisor.advice import Context, build_card
from llama_nb.supervisor.cards import Card, Step
from llama_nb.supervisor.diagnosis import Diagnosis, Kind
from llama_nb.render import magic

from kernel_fixtures import ipshell, llama_env  # noqa: F401 - fixtures

CTX = Context(profile="default", model="/models/m.gguf", binary="/usr/bin/llama-server", ctx_requested=8192,
              ctx_actual=4096, port=8080, log_path="/tmp/llama-nb/logs/default.log", url="http://gpu-box:8080/v1")


def sample(kind: Kind) -> Diagnosis:
    numbers: tuple = ()
    if kind == Kind.CONTEXT_EXCEEDED:
        numbers = (("n_prompt_tokens", 5000), ("n_ctx", 4096))
    if kind in (Kind.OOM_LOAD, Kind.GPU_OOM):
        numbers = (("alloc_mb", 2880),)
    return Diagnosis(kind, f"summary of {kind.value}.", (f"E evidence line for {kind.value}",), 1, numbers)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_a_three_part_card(kind: Kind):
    card = build_card(sample(kind), CTX, (Step("Restarted llama-server", True),))
    assert card.kind == kind.value
    assert card.title and card.what_happened
    assert f"E evidence line for {kind.value}" in card.evidence
    assert card.what_tried == (Step("Restarted llama-server", True),)
    assert len(card.what_you_can_do) >= 2
    for fix in card.what_you_can_do:
        assert fix.text and magic(fix) and "\n" not in magic(fix), fix
    text, md, html = card.to_text(magic), card.to_markdown(magic), card.to_html(magic)
    for part in ("What happened", "What I tried", "What you can do"):
        assert part in text and part in md and part in html
    assert "✓ Restarted llama-server" in text and "✓ Restarted llama-server" in md
    for fix in card.what_you_can_do:
        assert magic(fix) in text and magic(fix) in md
    assert Card.from_dict(card.to_dict()) == card


def test_cards_escape_log_lines_and_model_output_in_html():
    evil = "<img src=x onerror=alert(1)>"
    card = build_card(Diagnosis(Kind.UNKNOWN, f"said {evil}", (evil,)), CTX, (Step(evil, False),))
    html = card.to_html()
    assert evil not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_markdown_puts_fixes_in_copy_ready_code_blocks():
    card = build_card(sample(Kind.GPU_OOM), CTX)
    md = card.to_markdown(magic)
    assert "```python\n   %llama start --cpu\n   ```" in md


def test_context_exceeded_card_gives_the_token_numbers_and_a_big_enough_context():
    card = build_card(sample(Kind.CONTEXT_EXCEEDED), CTX)
    assert "5000 tokens" in card.what_happened and "4096 tokens" in card.what_happened
    assert magic(card.what_you_can_do[0]) == "%llama restart --ctx 8192"


def test_profile_appears_in_magic_fixes():
    card = build_card(sample(Kind.CRASHED), Context(profile="big"))
    assert magic(card.what_you_can_do[0]) == "%llama restart -m big"


# --------------------------------------------------------------------------------------------------
# The fixes run: %config lines in a real IPython shell, shell commands in a real shell
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def shell():
    # The suite's one global test shell (IPython allows a single shell singleton per process).
    from IPython.testing.globalipapp import get_ipython

    sh = get_ipython()
    assert sh is not None
    yield sh
    sh.config.pop("LlamaNB", None)


def _config_fixes() -> list[str]:
    commands = set()
    for kind in Kind:
        for fix in build_card(sample(kind), CTX).what_you_can_do:
            if magic(fix).startswith("%config "):
                commands.add(magic(fix))
    return sorted(commands)


@pytest.mark.parametrize("command", _config_fixes())
def test_config_fixes_take_effect_in_ipython(shell, command: str):
    result = shell.run_cell(command)
    assert result.success, result.error_in_exec
    cfg = LlamaNB(parent=shell)
    cfg.all_profiles()  # still a valid configuration
    name, value = command.removeprefix("%config LlamaNB.").split(" = ", 1)
    assert getattr(cfg, name) == eval(value)  # noqa: S307 - our own literal


def test_bundled_model_fix_points_at_a_real_model():
    card = build_card(sample(Kind.MODEL_MISSING), CTX)
    first = magic(card.what_you_can_do[0])
    assert first == f'%config LlamaNB.model = "{bundled_model_path()}"'


def _shell_fixes() -> list[str]:
    runnable = {"free", "ss", "llama-nb", "pip"}
    commands = set()
    for kind in Kind:
        for fix in build_card(sample(kind), CTX).what_you_can_do:
            words = shlex.split(magic(fix))
            if words and words[0] in runnable:
                commands.add(magic(fix))
    return sorted(commands)


@pytest.mark.parametrize("command", _shell_fixes())
def test_shell_fixes_run(command: str):
    words = shlex.split(command)
    if words[0] == "pip":
        if "--force-reinstall" in words:
            pytest.skip("reinstalling the model would rewrite site-packages under the running suite")
        words = [sys.executable, "-m", *words]
    elif words[0] == "llama-nb":
        words = [sys.executable, "-m", "llama_nb.cli", *words[1:]]
    elif shutil.which(words[0]) is None:
        pytest.skip(f"{words[0]} is not installed on this machine")
    out = subprocess.run(words, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_port_fix_names_the_holder():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        card = build_card(Diagnosis(Kind.PORT_IN_USE, "held"), Context(port=port))
        command = magic(card.what_you_can_do[1])
        if shutil.which("ss") is None:
            pytest.skip("ss is not installed")
        out = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=10)
        assert out.returncode == 0 and str(port) in out.stdout


def test_context_card_when_the_prompt_fits_but_the_answer_does_not():
    diag = Diagnosis(Kind.CONTEXT_EXCEEDED, "x", numbers=(("n_prompt_tokens", 900), ("n_ctx", 1024), ("max_tokens", 256)))
    card = build_card(diag, CTX)
    assert "too many" not in card.what_happened
    assert "no room left for an answer of up to 256 tokens" in card.what_happened
    assert magic(card.what_you_can_do[0]) == "%llama restart --ctx 2048"


def _magic_fixes() -> list[str]:
    """Every %llama fix line the cards give for the default profile (placeholders excluded)."""
    commands = set()
    for kind in Kind:
        for fix in build_card(sample(kind), CTX).what_you_can_do:
            if magic(fix).startswith("%llama ") and " -m " not in magic(fix):
                commands.add(magic(fix))
    return sorted(commands)


def test_magic_fixes_run_in_a_real_shell(ipshell):
    """Each %llama line a card suggests runs against the real server and ends without a card."""
    commands = _magic_fixes()
    assert {"%llama start --cpu", "%llama restart", "%llama logs -n 50", "%llama doctor"} <= set(commands), commands
    for command in commands:
        run = ipshell.run(command)
        assert run.result.success, (command, run.result.error_in_exec)
        assert not run.cards, (command, run.cards)


def test_shipped_server_fix_replaces_a_wrong_configured_path(tmp_path):
    from llama_nb.config import discover_server

    card = build_card(Diagnosis(Kind.BINARY_MISSING, "x"), Context(binary=str(tmp_path / "gone")))
    assert magic(card.what_you_can_do[0]) == f'%config LlamaNB.server = "{discover_server().path}"'
