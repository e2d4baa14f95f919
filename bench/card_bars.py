"""Bar 9 (and the OOM part of bar 10): real faults, met the way a user meets them, in a real IPython
shell with ``%load_ext llama_nb``: a ``%config`` line sets the fault up, a ``%%llama ask`` cell meets it.

For each fault the bench checks the card (``what_happened``, ``what_tried``, ``what_you_can_do`` all
non-empty) and then tries the card's one-line fixes *as written*, in order, until one works:

* ``%…`` lines run in the same shell (``%%…`` fixes run with the original cell body);
* shell commands run with argv from ``shlex.split`` (``llama-nb`` is the installed console script);
* ``pip install`` of a package that is already installed is a no-op, so it is recorded, not run
  (nothing from a registry is downloaded);
* a fix with a placeholder (``/path/to/``, ``gpu-box``) is not runnable as written: recorded, not run.

After each fix that ran, the original cell runs again; the fix *works* when that cell now gets an
answer with no card (for the OOM fault: when the server is no longer degraded).
"""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from llama_nb.render import card_json

from .common import Bar, log

CELL_BODY = "Say hello in five words."
CELL = f"%%llama ask --max-tokens 16 --temperature 0\n{CELL_BODY}"
PLACEHOLDERS = ("/path/to/", "gpu-box")


def _write_script(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


class CardRig:
    def __init__(self, work: Path) -> None:
        from IPython.core.interactiveshell import InteractiveShell

        self.ip = InteractiveShell.instance()
        self.work = work
        work.mkdir(parents=True, exist_ok=True)
        self.loaded = False

    def fresh(self) -> None:
        """A clean llama-nb: unload (stops the servers), forget every %config LlamaNB line, load again."""
        if self.loaded:
            self.ip.run_cell("%unload_ext llama_nb")
        self.ip.config.pop("LlamaNB", None)
        self.ip.run_cell("%load_ext llama_nb")
        self.loaded = True

    @property
    def session(self) -> Any:
        from llama_nb.kernel.magics import current

        return current(self.ip)

    def run(self, code: str) -> dict[str, Any]:
        from IPython.utils.capture import capture_output

        from llama_nb.kernel.display import ANSWER_MIME, CARD_MIME, NOTE_MIME

        t0 = time.monotonic()
        with capture_output(display=True) as cap:
            result = self.ip.run_cell(code, store_history=True)
        cards = [o.data[CARD_MIME] for o in cap.outputs if CARD_MIME in o.data]
        notes = [o.data[NOTE_MIME] for o in cap.outputs if NOTE_MIME in o.data]
        answers = [o.data.get("text/plain", "") for o in cap.outputs
                   if ANSWER_MIME in o.data and o.data[ANSWER_MIME].get("done")]
        return {
            "seconds": time.monotonic() - t0, "ok": result.success, "error": repr(result.error_in_exec) if result.error_in_exec else None,
            "cards": cards, "notes": notes, "answer": answers[-1] if answers else "", "stdout": cap.stdout[-2000:],
        }

    def close(self) -> None:
        if self.loaded:
            self.ip.run_cell("%unload_ext llama_nb")
            self.ip.config.pop("LlamaNB", None)
            self.loaded = False


def _card_complete(card: dict[str, Any] | None) -> bool:
    return bool(card and str(card.get("what_happened", "")).strip() and card.get("what_tried") and card.get("what_you_can_do"))


def _pip_noop(words: list[str]) -> str | None:
    """'already installed' when every package a ``pip install`` names is installed (so it changes nothing)."""
    names = [w for w in words[2:] if not w.startswith("-")]
    try:
        versions = [metadata.version(n) for n in names]
    except metadata.PackageNotFoundError:
        return None
    return f"already installed ({', '.join(f'{n} {v}' for n, v in zip(names, versions))}): a no-op, not run"


class Fault:
    def __init__(self, name: str, setup: list[str], cell: str = CELL, body: str = CELL_BODY, *, card_from_status: bool = False,
                 before: Any = None, after: Any = None) -> None:
        self.name, self.setup, self.cell, self.body = name, setup, cell, body
        self.card_from_status = card_from_status
        self.before, self.after = before, after


def faults(rig: CardRig) -> list[Fault]:
    from llama_nb.config import find_model, find_server

    model = find_model().path
    server = find_server().path
    assert model is not None and server is not None, "llama-server and the SmolLM2 model must be installed"
    trunc = rig.work / "truncated.gguf"
    with open(model, "rb") as src, open(trunc, "wb") as dst:
        dst.write(src.read(model.stat().st_size // 2))
    crashy = _write_script(rig.work / "crashy-llama-server", "#!/bin/sh\necho 'GGML_ASSERT(ctx != nullptr) failed' >&2\nkill -ABRT $$\n")
    limited = _write_script(rig.work / "limited-llama-server", f'#!/bin/sh\nexec prlimit --as=2000000000 "{server}" "$@"\n')
    holder = socket.socket()  # a real listening socket holds the profile's fixed port
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    held_port = holder.getsockname()[1]
    long_body = "word " * 1500
    return [
        Fault("missing binary", ['%config LlamaNB.server = "/opt/missing/bin/llama-server"']),
        Fault("missing model", ['%config LlamaNB.model = "/opt/missing/models/model.gguf"']),
        Fault("truncated GGUF", [f'%config LlamaNB.model = "{trunc}"']),
        Fault("held fixed port", [f"%config LlamaNB.port = {held_port}"], after=holder.close),
        Fault("bad argument", ['%config LlamaNB.profiles = {"default": {"extra_args": ["--definitely-not-a-flag"]}}']),
        # Short backoff so the loop ends in ~1 s instead of ~8 s: the card, not the timing, is measured here.
        Fault("crash loop", [f'%config LlamaNB.server = "{crashy}"', "%config LlamaNB.backoff_initial = 0.05",
                             "%config LlamaNB.backoff_max = 0.2"]),
        Fault("prompt over context", [], cell=f"%%llama ask --max-tokens 16 --temperature 0\n{long_body}", body=long_body),
        Fault("prlimit OOM", [f'%config LlamaNB.server = "{limited}"', "%config LlamaNB.ctx_size = 131072"], card_from_status=True),
    ]


def _resolved(rig: CardRig, fault: Fault, run: dict[str, Any]) -> bool:
    if run["cards"] or not run["answer"].strip():
        return False
    if fault.card_from_status:
        status = rig.session.backend.status(None)
        return status.state.value == "ready"
    return True


def _try_fix(rig: CardRig, fault: Fault, command: str) -> dict[str, Any]:
    """Run one fix line as written; returns what happened (``ran`` False when it was not runnable)."""
    entry: dict[str, Any] = {"command": command}
    if any(p in command for p in PLACEHOLDERS):
        entry.update(ran=False, note="placeholder: not runnable as written")
        return entry
    if command.startswith("%%"):
        out = rig.run(command + "\n" + fault.body)
        entry.update(ran=True, ok=out["ok"] and not out["cards"], cards=[c["kind"] for c in out["cards"]])
        return entry
    if command.startswith("%"):
        out = rig.run(command)
        entry.update(ran=True, ok=out["ok"] and not out["cards"], cards=[c["kind"] for c in out["cards"]])
        return entry
    words = shlex.split(command, comments=True)
    if not words:
        entry.update(ran=False, note="empty")
        return entry
    if words[0] == "pip" and len(words) > 1 and words[1] == "install":
        noop = _pip_noop(words)
        if noop:
            entry.update(ran=False, note=noop)
            return entry
        entry.update(ran=False, note="would download from PyPI: not run by the bench")
        return entry
    if shutil.which(words[0]) is None:
        entry.update(ran=False, note=f"{words[0]} is not installed on this machine")
        return entry
    try:
        out = subprocess.run(words, capture_output=True, text=True, timeout=60)
        entry.update(ran=True, ok=out.returncode == 0, rc=out.returncode, output=(out.stdout + out.stderr)[-300:])
    except subprocess.TimeoutExpired:
        entry.update(ran=True, ok=False, note="timed out after 60 s")
    return entry


def run_fault(rig: CardRig, fault: Fault) -> dict[str, Any]:
    rig.fresh()
    for line in fault.setup:
        out = rig.run(line)
        if not out["ok"] or out["cards"]:
            raise RuntimeError(f"{fault.name}: setting up with {line!r} failed: {out['error'] or out['cards']}")
    first = rig.run(fault.cell)
    card = first["cards"][0] if first["cards"] else None
    from_status = False
    if card is None and fault.card_from_status:
        status = rig.session.backend.status(None)
        card = card_json(status.last_error) if status.last_error else None  # with each fix's magic line, as the card MIME has
        from_status = True
    result: dict[str, Any] = {
        "fault": fault.name, "seconds_to_card": round(first["seconds"], 2), "card_kind": card["kind"] if card else None,
        "card_title": card["title"] if card else None, "card_complete": _card_complete(card), "card_from_status": from_status,
        "answered": bool(first["answer"].strip()), "notes": [n["text"] for n in first["notes"]],
        "what_tried": [f"{'✓' if s['ok'] else '✗'} {s['text']}" for s in (card or {}).get("what_tried", [])],
        "fixes": [], "fixed_by": None,
    }
    if fault.card_from_status:
        status = rig.session.backend.status(None)
        result["state_before_fix"] = status.state.value
        result["degraded_reason"] = status.degraded_reason
    if card is None:
        result["problem"] = f"no card: {first['error'] or 'the cell ended without one'}"
        return result
    for fix in card.get("what_you_can_do", []):
        entry = _try_fix(rig, fault, fix["magic"])  # the card MIME carries each fix's action and its notebook line
        if entry.get("ran"):
            again = rig.run(fault.cell)
            entry["then_cell"] = "answered" if _resolved(rig, fault, again) else (
                f"card {again['cards'][0]['kind']}" if again["cards"] else ("answered (still degraded)" if again["answer"] else "no answer"))
            if _resolved(rig, fault, again):
                result["fixes"].append(entry)
                result["fixed_by"] = fix["magic"]
                break
        result["fixes"].append(entry)
    return result


def measure(bar: Bar | None, quick: bool, state_root: Path) -> dict[str, Any]:
    """Fill bar 9 (when given) and return the OOM recovery outcome for bar 10."""
    rig = CardRig(state_root / "cards")
    results: list[dict[str, Any]] = []
    shared: dict[str, Any] = {"oom_recovered": None, "oom_notes": []}
    try:
        for fault in faults(rig):
            if bar is None and fault.name != "prlimit OOM":
                continue
            try:
                res = run_fault(rig, fault)
            except Exception as exc:  # noqa: BLE001 - counted as a failure with its reason
                res = {"fault": fault.name, "card_complete": False, "fixed_by": None, "problem": f"{type(exc).__name__}: {exc}"}
            finally:
                if fault.after:
                    fault.after()
            results.append(res)
            log(f"  {fault.name}: card {res.get('card_kind')} complete={res.get('card_complete')} fixed_by={res.get('fixed_by')!r}"
                f" ({res.get('seconds_to_card')} s to card)")
            if fault.name == "prlimit OOM":
                shared["oom_recovered"] = res.get("state_before_fix") in ("degraded", "ready") and res.get("answered", False)
                shared["oom_notes"].append(f"prlimit OOM: state {res.get('state_before_fix')}, {res.get('degraded_reason')}")
    finally:
        rig.close()
    if bar is not None:
        good = [r for r in results if r.get("card_complete") and r.get("fixed_by")]
        complete = [r for r in results if r.get("card_complete")]
        bar.measured = f"{len(good)}/{len(results)} = {len(good) / len(results):.0%} (cards complete {len(complete)}/{len(results)})"
        failing = [f"{r['fault']}: {'no complete card' if not r.get('card_complete') else 'no fix worked'}" for r in results if r not in good]
        bar.raw = "anchor 100 %" + (f"; failing: {'; '.join(failing)}" if failing else "")
        bar.met = len(good) == len(results)
        bar.details = {
            "definition": "card with non-empty what_happened, what_tried, what_you_can_do, and at least one of its one-line fixes, "
                          "run as written, makes the original cell answer (OOM: no longer degraded)",
            "faults": results,
        }
    return shared
