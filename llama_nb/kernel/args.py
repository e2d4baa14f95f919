"""Parsing a ``%llama`` line: a subcommand, its options, then literal text.

Options come first; the first word that is not an option starts the text, which is kept exactly as
typed (quotes, braces, ``$``). ``--`` ends the options explicitly: ``%llama ask -- -1 is odd?``.

Every option has the spellings of a usual command line: ``-m big``, ``-mbig``, ``-m=big``,
``--model big`` and ``--model=big`` are the same; a flag takes an explicit value too
(``--cpu=false``, ``--no-stream=yes``: true/false, yes/no, on/off, 1/0). ``-n`` is at most
:data:`~llama_nb.supervisor.process.MAX_LOG_LINES`, the cap of the REST ``logs`` route.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass

from ..cards import Action, Card, Fix
from ..errors import LlamaNBError
from ..supervisor.process import MAX_LOG_LINES

PROMPTS = ("explain", "ask", "fix")
SUBCOMMANDS = (*PROMPTS, "status", "start", "stop", "restart", "logs", "doctor", "models", "pull", "help")

USAGE = """\
%llama — local-LLM help in this notebook (llama-nb)

Prompts (the cell body is taken literally):
  %%llama explain            explain the code or text in the cell
  %llama explain             explain the last exception (traceback + its cell); with none, the previous cell
  %%llama ask  /  %llama ask TEXT
                             a free prompt
  %%llama fix  /  %llama fix propose corrected code for the cell, or for the cell that raised the last error
                             (--insert: put the proposed code in a new cell below; nothing is run)
  Options: -m/--model PROFILE  --max-tokens N  --temperature T  -o/--out VAR  --no-stream
           (the answer is also kept in the variable _llama)
  -m big, -mbig, --model=big are the same; a flag takes a value too (--cpu=false);
  -- ends the options (%llama ask -- -1 is odd?)

Server:
  %llama status [-m PROFILE]                 the live status
  %llama start|restart [--cpu] [--ctx N] [-m PROFILE]
  %llama stop [-m PROFILE]
  %llama logs [-n N] [-m PROFILE]            the tail of the server log (N at most 5000)
  %llama doctor                              check binary, model, memory, ports, GPU
  %llama models                              the model catalogue, GGUF files on this machine, the profiles
  %llama pull NAME                           fetch a catalogue model (sha256 verified), e.g. qwen2.5-coder-1.5b
  %llama help                                this text

Configuration: %config LlamaNB.ctx_size = 8192 · %config LlamaNB.model = "/path/model.gguf" (or a catalogue name)
Remote endpoint: %env LLAMA_NB_URL=http://host:8080/v1 (and LLAMA_NB_API_KEY)"""


class UsageError(LlamaNBError, ValueError):
    """The line could not be understood; the message says what to type instead."""

    kind = "usage"
    title = "%llama did not understand that"

    def make_card(self) -> Card:
        problem = str(self)
        return Card(kind=self.kind, title=self.title, what_happened=problem[:1].upper() + problem[1:] + ".", what_you_can_do=(Fix("See every subcommand and option", Action.HELP),))


@dataclass
class Command:
    name: str
    model: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    out: str | None = None
    stream: bool = True
    ctx: int | None = None
    cpu: bool | None = None
    n: int = 50
    text: str = ""
    help: bool = False
    insert: bool = False  # fix --insert: put the proposed code in a new cell below (never run)

    @property
    def is_prompt(self) -> bool:
        return self.name in PROMPTS


# option -> (attribute, takes a value, converter name)
_OPTIONS: dict[str, tuple[str, bool]] = {
    "-m": ("model", True),
    "--model": ("model", True),
    "--max-tokens": ("max_tokens", True),
    "--temperature": ("temperature", True),
    "-o": ("out", True),
    "--out": ("out", True),
    "--no-stream": ("stream", False),
    "--ctx": ("ctx", True),
    "--ctx-size": ("ctx", True),
    "--cpu": ("cpu", False),
    "-n": ("n", True),
    "-h": ("help", False),
    "--help": ("help", False),
    "--insert": ("insert", False),
}

_ALLOWED: dict[str, set[str]] = {
    **{p: {"model", "max_tokens", "temperature", "out", "stream", "help"} for p in PROMPTS},
    "fix": {"model", "max_tokens", "temperature", "out", "stream", "help", "insert"},
    "start": {"model", "ctx", "cpu", "help"},
    "restart": {"model", "ctx", "cpu", "help"},
    "stop": {"model", "help"},
    "status": {"model", "help"},
    "logs": {"model", "n", "help"},
    "doctor": {"model", "help"},
    "models": {"help"},
    "pull": {"help"},
    "help": {"help"},
}

_TOKEN = re.compile(r"\S+")


def parse(line: str) -> Command:
    """Parse a magic line. Raises :class:`UsageError`."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(line)]
    if not tokens:
        return Command("help")
    name = tokens[0][0]
    if name in ("-h", "--help"):
        return Command("help")
    if name not in SUBCOMMANDS:
        raise UsageError(f"unknown subcommand {name!r}; one of: {', '.join(SUBCOMMANDS)}")
    cmd = Command(name)
    allowed = _ALLOWED[name]
    i = 1
    text_start: int | None = None
    while i < len(tokens):
        word, start, end = tokens[i]
        if word == "--":
            text_start = tokens[i + 1][1] if i + 1 < len(tokens) else len(line)
            break
        opt, inline = _split_option(word, allowed)
        spec = _OPTIONS.get(opt)
        if spec is None or spec[0] not in allowed:
            if word.startswith("--") or (word.startswith("-") and not cmd.is_prompt) or (spec is not None):
                raise UsageError(f"%llama {name} has no option {opt!r}")
            text_start = start
            break
        attr, takes_value = spec
        if not takes_value:
            on = True if inline is None else _flag_value(opt, inline)
            setattr(cmd, attr, not on if attr == "stream" else on)
            i += 1
            continue
        if inline is not None:
            if not inline:
                raise UsageError(f"{opt} needs a value")
            value = inline
            i += 1
        elif i + 1 < len(tokens):
            value = tokens[i + 1][0]
            i += 2
        else:
            raise UsageError(f"{opt} needs a value")
        setattr(cmd, attr, _convert(attr, opt, value))
    else:
        text_start = None
    if text_start is not None:
        cmd.text = line[text_start:].strip()
    if cmd.text and not cmd.is_prompt and name != "pull":
        raise UsageError(f"%llama {name} takes no text, got {cmd.text!r}")
    return cmd


def _convert(attr: str, opt: str, value: str) -> object:
    try:
        if attr in ("max_tokens", "ctx", "n"):
            number = int(value)
            least = {"max_tokens": 1, "ctx": 64, "n": 1}[attr]
            if number < least:
                raise UsageError(f"{opt} must be at least {least}, got {number}")
            if attr == "n" and number > MAX_LOG_LINES:
                raise UsageError(f"{opt} must be at most {MAX_LOG_LINES} lines, got {number}")
            return number
        if attr == "temperature":
            temp = float(value)
            if not 0.0 <= temp <= 5.0:
                raise UsageError(f"{opt} must be between 0 and 5, got {temp}")
            return temp
    except ValueError as exc:
        if isinstance(exc, UsageError):
            raise
        raise UsageError(f"{opt} needs a number, got {value!r}") from None
    if attr == "out" and (not value.isidentifier() or keyword.iskeyword(value)):
        raise UsageError(f"{opt} needs a Python variable name, got {value!r}")
    return value


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _split_option(word: str, allowed: set[str]) -> tuple[str, str | None]:
    """``(option, value given in the same word or None)``: ``--model=big``, ``-mbig`` and ``-m=big`` give
    ``("-m"/"--model", "big")``; ``-mbig`` only where ``-m`` is an option of this subcommand that takes a value."""
    if word.startswith("--"):
        opt, eq, inline = word.partition("=")
        return opt, inline if eq else None
    if word.startswith("-") and len(word) > 2 and not word.startswith("-", 1):
        opt = word[:2]
        spec = _OPTIONS.get(opt)
        if spec is not None and spec[1] and spec[0] in allowed:
            rest = word[2:]
            return opt, rest[1:] if rest.startswith("=") else rest
    return word, None


def _flag_value(opt: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise UsageError(f"{opt} is a flag: {opt} alone, or {opt}=true / {opt}=false; got {value!r}")
