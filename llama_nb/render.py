"""A fix (an action with its parameters) in the words of each surface.

* :func:`magic`: the line a notebook user types (``%llama restart --ctx 8192``, ``%config LlamaNB.port = 0``);
* :func:`shell`: the command a terminal user types (``llama-nb ask --ctx 8192 'your question'``,
  ``export LLAMA_NB_MODEL=…``, ``tail -n 50 LOG``), or ``None`` where a shell has no equivalent;
* :func:`fix_json` / :func:`card_json`: REST, the action and its parameters plus both rendered lines;
* the status panel turns the safe actions into buttons (:mod:`llama_nb.kernel.widgets`).

The supervisor never imports this module: it says what to do, the surfaces say how to type it.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import replace
from typing import Any, Callable

from .cards import Action, Card, Fix
from .config.defaults import ENV_CTX_SIZE, ENV_MODEL, ENV_SERVER

__all__ = ["card_json", "fix_json", "for_terminal", "magic", "shell", "shell_renderer"]

#: ``c.LlamaNB`` settings a terminal sets through the environment instead.
CONFIG_ENV = {"model": ENV_MODEL, "server": ENV_SERVER, "ctx_size": ENV_CTX_SIZE}


def _options(fix: Fix, *, with_profile: bool = True) -> list[str]:
    """The options of a ``%llama`` subcommand (the same words follow ``llama-nb`` in a terminal)."""
    opts: list[str] = []
    if fix.get("use_profile"):
        opts += ["-m", str(fix.get("use_profile"))]
    if fix.get("cpu"):
        opts.append("--cpu")
    if fix.get("ctx"):
        opts += ["--ctx", str(fix.get("ctx"))]
    if fix.get("n"):
        opts += ["-n", str(fix.get("n"))]
    profile = fix.get("profile")
    if with_profile and profile and profile != "default":
        opts += ["-m", str(profile)]
    return opts


def _value(value: Any) -> str:
    """A ``%config`` value as Python source: strings in double quotes, the rest as Python writes it."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _program(fix: Fix) -> str:
    line = fix.get("line")
    return str(line) if line is not None else shlex.join(str(a) for a in fix.get("argv") or ())


def _env_value(value: object) -> str:
    """A shell word for an environment value: as is when plain, else in double quotes, which keep ``$HOME``
    expanding (the fixes use it) while a space, ``;`` or quote in a value stays part of the value."""
    text = str(value)
    if re.fullmatch(r"[\w@%+=:,./$-]*", text):
        return text
    return '"' + re.sub(r'(["\\`]|\$(?![A-Za-z_]))', r"\\\1", text) + '"'  # "$(" and "${" are not expanded


def _pull_shell(fix: Fix) -> str:
    env = " ".join(f"{k}={_env_value(v)}" for k, v in (fix.get("env") or {}).items())
    return f"{env} llama-nb pull {shlex.quote(str(fix.get('name')))}".strip()


def magic(fix: Fix) -> str | None:
    """The line that does ``fix`` in a notebook (a magic, ``%config``, ``%env``, or a shell command)."""
    a = fix.action
    if a in (Action.START, Action.RESTART, Action.STOP, Action.LOGS, Action.DOCTOR, Action.STATUS):
        return " ".join([f"%llama {a.value}", *_options(fix)])
    if a in (Action.MODELS, Action.HELP):
        return f"%llama {a.value}"
    if a == Action.PULL:
        # An environment for one command is shell syntax: in a notebook it runs through ``!``.
        return "!" + _pull_shell(fix) if fix.get("env") else f"%llama pull {fix.get('name')}"
    if a == Action.SET_CONFIG:
        return f"%config LlamaNB.{fix.get('key')} = {_value(fix.get('value'))}"
    if a == Action.SET_ENV:
        return f"%env {fix.get('name')}={fix.get('value', '')}"
    if a == Action.PIP_INSTALL:
        return shlex.join(["pip", "install", *fix.get("options", ()), *fix.get("packages", ())])
    if a == Action.RUN:
        return ("!" if fix.get("shell_escape") else "") + _program(fix)
    if a == Action.RELOAD:
        return "%reload_ext llama_nb"
    if a == Action.PROMPT:
        line = f"{'%%' if fix.get('cell') else '%'}llama {fix.get('name', 'explain')}"
        if fix.get("text"):
            line += f" {fix.get('text')}"
        if fix.get("max_tokens"):
            line += f" --max-tokens {fix.get('max_tokens')}"
        if fix.get("note"):
            line += f"   # {fix.get('note')}"
        return line
    return None


def shell(fix: Fix, log_path: str | None = None) -> str | None:
    """The command that does ``fix`` in a terminal, or ``None`` where a terminal cannot do it."""
    a = fix.action
    if a in (Action.START, Action.RESTART):  # a terminal starts the server for the question it asks
        return " ".join(["llama-nb ask", *_options(fix), "'your question'"])
    if a in (Action.DOCTOR, Action.MODELS):
        return " ".join([f"llama-nb {a.value}", *_options(fix)])
    if a == Action.PULL:
        return _pull_shell(fix)
    if a == Action.LOGS:
        return f"tail -n {fix.get('n') or 50} {shlex.quote(log_path)}" if log_path else None
    if a == Action.SET_CONFIG:
        env = CONFIG_ENV.get(str(fix.get("key")))
        return f"export {env}={shlex.quote(str(fix.get('value')))}" if env else None
    if a == Action.SET_ENV:
        return f"export {fix.get('name')}={fix.get('value', '')}"
    if a == Action.PIP_INSTALL:
        return magic(fix)
    if a == Action.RUN:
        return _program(fix)
    return None  # status, stop, help, reload, prompts: nothing to type in a shell for them


def shell_renderer(log_path: str | None = None) -> Callable[[Fix], str | None]:
    return lambda fix: shell(fix, log_path)


def for_terminal(card: Card, log_path: str | None = None) -> Card:
    """The same card with each fix as the shell command that does it (the fixes a shell cannot do left
    out, none repeated), for ``llama-nb`` in a terminal; print it with ``.to_text(render.shell)``."""
    fixes: list[Fix] = []
    for fix in card.what_you_can_do:
        command = shell(fix, log_path)
        if command and all(command != f.get("line") for f in fixes):
            fixes.append(Fix(fix.text, Action.RUN, {"line": command}))
    if not fixes:
        fixes.append(Fix("Check the binary, model, memory, ports and GPU in one go", Action.RUN, {"line": "llama-nb doctor"}))
    return replace(card, what_you_can_do=tuple(fixes))


def fix_json(fix: Fix, log_path: str | None = None) -> dict[str, Any]:
    """A fix for REST: the action and its parameters, and the line for a notebook and for a shell."""
    return {**fix.to_dict(), "magic": magic(fix), "shell": shell(fix, log_path)}


def card_json(card: Card | None, log_path: str | None = None) -> dict[str, Any] | None:
    """A card for REST (and the card MIME type): :meth:`Card.to_dict` with each fix as :func:`fix_json`."""
    if card is None:
        return None
    data = card.to_dict()
    data["what_you_can_do"] = [fix_json(f, log_path) for f in card.what_you_can_do]
    return data
