"""``llama-nb``: ask a question, check the machine, or see what would run — from a terminal.

    llama-nb ask "What is a Python generator?"   # starts a supervised llama-server, streams the answer
    llama-nb doctor                              # binary, model, memory, ports, GPU
    llama-nb status                              # profiles, binary and model that would be used
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Sequence

import httpx

from .config import ConfigError, LlamaNB, find_model, find_server, load_config
from .supervisor import LlamaNBError, Step, SupervisorPool
from .supervisor.advice import Context, build_card, for_terminal
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
                diag = classify_http_error(resp.status_code, payload) or Diagnosis(
                    Kind.UNKNOWN, f"llama-server answered HTTP {resp.status_code}.", (str(payload)[:300],)
                )
                raise _DiagnosisError(diag)
            for line in resp.iter_lines():
                if not line.startswith("data: ") or line == "data: [DONE]":
                    continue
                chunk = json.loads(line[6:])
                for choice in chunk.get("choices", []):
                    piece = (choice.get("delta") or {}).get("content") or ""
                    if piece:
                        text.append(piece)
                        out.write(piece)
                        out.flush()
    out.write("\n")
    return "".join(text)


class _DiagnosisError(Exception):
    def __init__(self, diagnosis: Diagnosis) -> None:
        super().__init__(diagnosis.summary)
        self.diagnosis = diagnosis


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
    for name, profile in cfg.all_profiles().items():
        if profile.is_remote:
            print(f"{name}: remote endpoint {mask_urls(profile.url)}")
            continue
        server, model = find_server(profile.server), find_model(profile.model)
        print(f"{name}: model {model.path or '(none found)'} [{model.source}], ctx {profile.ctx_size}, "
              f"gpu_layers {'auto' if profile.gpu_layers is None else profile.gpu_layers}, "
              f"server {server.path or '(none found)'} [{server.source}]"
              + (f", fallback {profile.fallback}" if profile.fallback else ""))
    return 0


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config()
        cfg.all_profiles()  # validate now: a bad value is a card, not a traceback
        handler = {"ask": cmd_ask, "doctor": cmd_doctor, "status": cmd_status}[args.command]
        return handler(args, cfg)
    except ConfigError as exc:
        print(_config_card(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
