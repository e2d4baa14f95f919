"""One kernel's llama-nb: configuration, backend, pre-flight, history; runs the subcommands.

Every failure ends in a card on the output, never a traceback: :class:`LlamaNBError` carries its
card, :class:`ConfigError` becomes ``bad_config``, a broken stream becomes ``crashed`` (the partial
answer stays), an interrupt stops the answer and says so.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from traitlets import TraitError

from ..config import ConfigError, LlamaNB
from ..supervisor import Action, Card, Fix, LlamaNBError, State, Status, Step
from ..supervisor.advice import Context, build_card
from ..supervisor.diagnosis import Diagnosis, Kind, classify_http_error
from .args import USAGE, Command, UsageError, parse
from .magic_cards import internal_error_card, usage_card
from .backends import AutoBackend, config_card
from .client import Answer, AnswerStalled, ChatHTTPError, ChatStream, ConnectFailed, Message, StreamBroken
from ..answer import pipeline
from ..answer.followup import FollowUpStream
from ..answer.pipeline import Request
from .display import StreamView, rich_output, show_card, show_note, show_text
from . import fixcheck
from ..answer.verify import Verification
from .history import CellHistory
from .provenance import Builds, ModelHashes, provenance
from .warmup import ExplainWarmup
from .watchdog import StallWatchdog, first_token_allowance
from .preflight import Preflight, Ready
from .server_commands import ServerCommands
from .status_view import Panels

LAST_ANSWER_VAR = "_llama"


@dataclass
class PromptRecord:
    """What the last prompt sent and got (tests and benchmarks read it)."""

    command: str
    messages: list[Message]
    profile: str | None
    ready: Ready | None = None
    answer: Answer | None = None
    card: Card | None = None
    started: float = 0.0
    first_token: float | None = None
    finished: float | None = None
    stalled: str | None = None  # the watchdog's reason, when it cancelled the answer
    provenance: dict[str, Any] | None = None
    verification: Verification | None = None  # what running the fix showed (fixcheck.py)
    verified_s: float | None = None  # from the request to the shown, checked fix


class LlamaSession(ServerCommands):
    """The state of llama-nb in one shell. Created by ``%load_ext llama_nb``, closed on unload/exit."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        try:
            self.config = LlamaNB(parent=shell)
        except TraitError as exc:
            # An invalid c.LlamaNB.… in the IPython profile: say so, and run on the defaults meanwhile.
            show_card(config_card(ConfigError(f"{exc} (from the IPython configuration; llama-nb uses the defaults)")))
            self.config = LlamaNB()
        if self.config not in shell.configurables:
            shell.configurables.append(self.config)
        self.backend = AutoBackend(self._current_config)
        self.preflight = Preflight()
        self.history = CellHistory(shell, lambda: getattr(self.config, "explain_values", True))
        self.history.register()
        self.warmup = ExplainWarmup()
        shell.events.register("post_run_cell", self._warm_explain)  # after the history's: it reads last_error
        self.panels = Panels()  # the live %llama status panels, closed with the session
        self.last: PromptRecord | None = None
        self.streaming = threading.Event()  # set from the first token until the answer ends (tests wait on it)
        self._closed = False
        self._cell_magic = False
        self._owns_output = False  # this prompt is all the output area shows (see StreamView)
        self._raw_cell: str | None = None
        self.hashes = ModelHashes()
        self.builds = Builds()
        shell.events.register("pre_run_cell", self._pre_run_cell)
        shell.observe(self._on_exit_now, names="exit_now")
        from .errorbar import ErrorButtons  # the button bar under tracebacks (needs this session)

        self.error_buttons = ErrorButtons(self)
        self.error_buttons.register()

    def _current_config(self) -> LlamaNB:
        """The configuration as it is now (``%config LlamaNB.x = …`` updates this object in place)."""
        return self.config

    def _on_exit_now(self, change: Any) -> None:
        if change.get("new"):
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.history.unregister()
        self.error_buttons.unregister()
        self.warmup.close()
        try:
            self.shell.events.unregister("post_run_cell", self._warm_explain)
        except ValueError:
            pass
        try:
            self.shell.events.unregister("pre_run_cell", self._pre_run_cell)
        except ValueError:
            pass
        try:
            self.shell.unobserve(self._on_exit_now, names="exit_now")
        except ValueError:
            pass
        if self.config in self.shell.configurables:
            self.shell.configurables.remove(self.config)
        self.panels.close_all()
        self.preflight.close()
        self.backend.close()

    def _pre_run_cell(self, info: Any) -> None:
        self._raw_cell = getattr(info, "raw_cell", None)

    def _warm_explain(self, result: Any) -> None:
        """A cell raised: have llama-server evaluate its explain prompt while the user reads (warmup.py)."""
        try:
            exc = getattr(result, "error_in_exec", None)
            error = self.history.last_error
            if not isinstance(exc, Exception) or error is None or error.exception is not exc:
                return
            if not getattr(self.config, "warm_explain", True) or not self.warmup.armed:
                return  # nothing to send to: no traceback formatted for it
            self.warmup.offer(pipeline.explain(error).messages)
        except Exception:  # a speed-up must never add a traceback to the user's cell
            return

    def _cell_is_only_this_magic(self) -> bool:
        """Whether the running cell shows nothing but this ``%llama``: a cell magic, or a one-line cell."""
        if self._cell_magic:
            return True
        raw = (self._raw_cell or "").strip()
        return bool(raw) and "\n" not in raw and raw.startswith("%llama")

    # -- entry point --------------------------------------------------------------------------------

    def run(self, line: str, cell: str | None) -> None:
        """Run one ``%llama`` / ``%%llama`` invocation; shows cards instead of raising."""
        self._cell_magic = cell is not None
        self._owns_output = self._cell_is_only_this_magic()
        try:
            cmd = parse(line)
        except UsageError as exc:
            show_card(usage_card(str(exc)))
            return
        if cmd.help or cmd.name == "help":
            show_text(USAGE)
            return
        self._guard(cmd, lambda: getattr(self, f"_do_{cmd.name}")(cmd, cell))

    def prompt_in_place(self, cmd: Command, request: Request) -> None:
        """Run a prompt whose output area is its own (a button's ``Output`` widget); cards, never raises.
        A request with its error (the bar's captured error) has its fix run before it is shown."""
        self._cell_magic = False
        self._owns_output = True
        self._guard(cmd, lambda: self._prompt(cmd, request))

    def _guard(self, cmd: Command, action: Callable[[], None]) -> None:
        try:
            action()
        except (ConfigError, TraitError) as exc:  # before LlamaNBError: ConfigError is one, and gets the profile's card
            show_card(config_card(ConfigError(str(exc)), cmd.model))
        except LlamaNBError as exc:
            show_card(exc.card)
        except KeyboardInterrupt:
            show_note(f"⏹ %llama {cmd.name} interrupted.", "interrupted")
        except Exception as exc:  # a bug of ours still ends in a card, not a traceback
            show_card(internal_error_card(cmd.name, exc))

    # -- prompts ------------------------------------------------------------------------------------

    def _do_explain(self, cmd: Command, cell: str | None) -> None:
        body = _body(cmd, cell)
        if body:
            self._prompt(cmd, pipeline.explain_code(body))
            return
        error = self.history.most_recent_error()
        if error is not None:
            self._prompt(cmd, pipeline.explain(error))
            return
        previous = self.history.previous_cell()
        if previous is None:
            show_card(usage_card("there is nothing to explain yet: no exception and no previous cell", Fix("Put the code in the cell to explain it", Action.PROMPT, {"name": "explain", "cell": True})))
            return
        self._prompt(cmd, pipeline.explain_code(previous[1]))

    def _do_ask(self, cmd: Command, cell: str | None) -> None:
        body = _body(cmd, cell)
        if not body:
            show_card(usage_card("%llama ask needs a question", Fix("Ask on the same line", Action.PROMPT, {"name": "ask", "text": "What does enumerate() do?"})))
            return
        self._prompt(cmd, pipeline.ask(body))

    def _do_fix(self, cmd: Command, cell: str | None) -> None:
        body = _body(cmd, cell)
        error = self.history.most_recent_error()
        if body:
            # The error counts only if this very code raised it.
            same = error is not None and bool(error.cell) and (error.cell or "").strip() == body.strip()
            self._prompt(cmd, pipeline.fix(body, error if same else None))
            return
        if error is not None:
            self._prompt(cmd, pipeline.fix(error.cell, error))
            return
        previous = self.history.previous_cell()
        if previous is None:
            show_card(usage_card("there is nothing to fix yet: no exception and no previous cell", Fix("Put the code in the cell", Action.PROMPT, {"name": "fix", "cell": True})))
            return
        self._prompt(cmd, pipeline.fix(previous[1]))

    def _prompt(self, cmd: Command, request: Request) -> None:
        magic = f"{'%%' if self._cell_magic else '%'}llama {cmd.name}"
        messages, checked = request.messages, request.checked
        record = PromptRecord(cmd.name, messages, cmd.model, started=time.perf_counter())
        self.last = record
        try:
            ready = self.preflight.run(self.backend, cmd.model, messages, cmd.max_tokens, command=magic)
        except LlamaNBError as exc:
            record.card = exc.card
            raise
        record.ready = ready
        if cmd.model is None:  # the default profile's server: where the next error's warm-up goes
            self.warmup.use(ready.connection.url, ready.connection.api_key, ready.status.remote)
        self.warmup.before_prompt(messages, ready.connection.url, first_token_allowance(self._stall_timeout))
        shown = [show_note(note, kind) for kind, note in ready.notes]
        model_path = ready.status.model if not ready.status.remote else None
        self.hashes.lookup(model_path)  # starts hashing the model file in the background, once
        view = StreamView(
            rich=rich_output(self.shell),
            stream=cmd.stream,
            meta={"profile": ready.status.profile, "command": cmd.name},
            owns_output=self._owns_output,
            replay=shown,
            footer=bool(self.config.provenance_footer),
            hold_code=checked,
        )
        answer = self._stream(cmd, ready, request, view, record, finish=not checked)
        if answer is None:
            return
        record.answer = answer
        text = answer.text
        if checked:
            text = self._checked(ready, cmd, request, answer, view, record)
        self.shell.user_ns[LAST_ANSWER_VAR] = text
        if cmd.out:
            self.shell.user_ns[cmd.out] = text
        if cmd.insert:
            fixcheck.insert(self.shell, answer.text, record.verification)

    @property
    def _stall_timeout(self) -> float:
        """Seconds without a token before an answer is cut (0: never): the streamed answer's and the side requests'."""
        return float(self.config.stall_timeout or 0)

    def _checked(self, ready: Ready, cmd: Command, request: Request, answer: Answer, view: StreamView, record: PromptRecord) -> str:
        """Run the answer's fix on a copy of the kernel's state, then show the answer with what that showed.

        A side request (a retry, the cause after a fix) that stalls is cut, and the checked answer is shown all
        the same; then the stall is what it is for a streamed answer: the server is treated as hung and
        replaced (a remote endpoint: a card), so the next prompt does not meet it."""
        model = ready.status.model if ready.status.remote else None
        stalls: list[str] = []

        def complete(messages: list[Message], **options: Any) -> Answer:  # a retry or the cause: bounded as the answer is
            try:
                return ready.client.complete(messages, model=model, stall_timeout=self._stall_timeout, **options)
            except AnswerStalled as exc:
                stalls.append(exc.reason)
                raise

        try:
            record.verification = fixcheck.show_checked(self.shell, self.config, request, answer, view, complete, self.history.last_finished, not ready.status.remote)
        finally:
            if stalls and self._requested_stop(ready, cmd) is None:
                self._stalled(ready, cmd, stalls[0], Answer(), kept="the answer and its checked fix are kept above", what="the answer to a request made while checking the fix")
        # From the request to the checked fix on screen (the cause asked again in view of it may follow).
        record.verified_s = (view.checked_at or time.perf_counter()) - record.started
        return view.text

    def _provenance(self, ready: Ready, temperature: float, seed: int) -> dict[str, Any]:
        status = ready.status
        build = None if status.remote else self.builds.get(ready.connection.url, ready.connection.api_key)
        recovery = [note for kind, note in ready.notes if kind in ("repaired", "degraded")]
        return provenance(model_path=status.model, hashes=self.hashes, ctx_size=status.ctx_actual, temperature=temperature, seed=seed, build=build, profile=status.profile, recovery=recovery)

    def _stream(self, cmd: Command, ready: Ready, request: Request, view: StreamView, record: PromptRecord, finish: bool = True) -> Answer | None:
        model = ready.status.model if ready.status.remote else None
        gen = pipeline.generation(request, ready.max_tokens, cmd.max_tokens, cmd.temperature, ready.status.remote)
        temperature, seed, messages = gen.temperature, gen.seed, request.messages
        options: dict[str, Any] = {"temperature": temperature, "model": model, "extra": {"seed": seed}}
        if self._stall_timeout > 0:  # the response must begin within the first token's allowance, too
            options["first_token_s"] = first_token_allowance(self._stall_timeout)
        stream: ChatStream | FollowUpStream
        if gen.follow_up:  # an answer that stops after its Cause gets its Fix (answer/followup.py)
            stream = FollowUpStream(ready.client, messages, gen.max_tokens, **options)
        else:
            stream = ready.client.chat(messages, max_tokens=gen.max_tokens, **options)
        watchdog = StallWatchdog(stream, self._stall_timeout)
        try:
            with stream:
                view.start()
                with watchdog:
                    for delta in stream:
                        watchdog.tick()
                        if not delta:  # the model reasoning: working, nothing to show yet
                            continue
                        if record.first_token is None:
                            record.first_token = time.perf_counter()
                            self.streaming.set()
                        view.add(delta)
        except KeyboardInterrupt:
            record.finished = time.perf_counter()
            stream.answer.interrupted = True
            view.finish(done=True, interrupted=True)
            record.answer = stream.answer
            tokens = (stream.answer.chunks or 1) - 1
            show_note(f"⏹ Stopped by the interrupt after about {max(0, tokens)} tokens; the server is fine.", "interrupted")
            self._keep(cmd, stream.answer)
            return None
        except _when(watchdog.fired, StreamBroken, ChatHTTPError, ConnectFailed) + (AnswerStalled,) as exc:  # a stall
            # The watchdog cut it, or the response never began (AnswerStalled: before the watchdog could start).
            record.stalled = watchdog.fired or (exc.reason if isinstance(exc, AnswerStalled) else "stalled")
            record.answer = stream.answer
            view.meta["provenance"] = record.provenance = self._provenance(ready, temperature, seed)
            view.finish(done=True, stalled=record.stalled)
            self._keep(cmd, stream.answer)
            requested = self._requested_stop(ready, cmd)
            if requested is not None:  # no tokens because someone is stopping it: not a hang to report
                self._said_stopped(requested, stream.answer.text)
                return None
            self._stalled(ready, cmd, record.stalled or "stalled", stream.answer)
            return None
        except StreamBroken as exc:
            view.finish(done=True, broken=True)
            record.answer = stream.answer
            self._keep(cmd, stream.answer)
            requested = self._requested_stop(ready, cmd)
            if requested is not None:
                # Someone stopped or restarted the server (a panel, another kernel, the CLI): not a crash.
                self._said_stopped(requested, exc.partial)
                return None
            card = self._broken_card(ready, exc)
            record.card = card
            show_card(card)
            return None
        except ConnectFailed as exc:
            _forget(self.backend, cmd.model)
            if ready.status.remote:
                diagnosis = Diagnosis(Kind.CONNECTION_FAILED, "The endpoint did not accept the prompt.", (str(exc),))
            else:
                diagnosis = Diagnosis(Kind.CRASHED, "llama-server went away just before the answer started.", (str(exc),))
            card = build_card(diagnosis, _context(ready.status))
            record.card = card
            show_card(card)
            return None
        except ChatHTTPError as exc:
            view.finish(done=True)
            diagnosis = classify_http_error(exc.status_code, exc.body) or Diagnosis(Kind.UNKNOWN, f"The server refused the prompt: {exc}", (str(exc),))
            card = build_card(diagnosis, _context(ready.status))
            record.card = card
            show_card(card)
            return None
        finally:
            self.streaming.clear()
            record.finished = record.finished or time.perf_counter()
        view.meta["provenance"] = record.provenance = self._provenance(ready, temperature, seed)
        if finish:
            view.finish(done=True, finish_reason=stream.answer.finish_reason)
        return stream.answer

    def _stalled(self, ready: Ready, cmd: Command, reason: str, answer: Answer, kept: str | None = None, what: str = "the answer") -> None:
        """The watchdog cancelled ``what`` (the answer, or a request made while its fix was checked): one line in
        the cell; the server is replaced (or, remote, a card)."""
        if kept is None:
            kept = f"the partial answer ({len(answer.text)} characters) is kept above" if answer.text else "nothing had arrived"
        if ready.status.remote:
            diagnosis = Diagnosis(Kind.CONNECTION_FAILED, f"The endpoint stopped sending {what} ({reason}); {kept}.", (f"stall_timeout: {self.config.stall_timeout:g} s",))
            show_card(build_card(diagnosis, _context(ready.status)))
            return
        try:
            replaced = self.backend.report_stall(cmd.model, reason)
        except LlamaNBError as exc:
            show_card(exc.card)
            return
        _forget(self.backend, cmd.model)
        done = "llama-server was treated as hung and is being replaced" if replaced else "llama-server had already gone; it is restarted on the next prompt"
        show_note(f"⏸ {what[:1].upper()}{what[1:]} stalled ({reason}): stopped it, {done}; {kept}. The next prompt needs nothing from you.", "stalled")

    def _keep(self, cmd: Command, answer: Answer) -> None:
        """A partial answer is still an answer: keep it where a full one would go."""
        if answer.text:
            self.shell.user_ns[LAST_ANSWER_VAR] = answer.text
            if cmd.out:
                self.shell.user_ns[cmd.out] = answer.text

    @staticmethod
    def _said_stopped(requested: str, partial: str) -> None:
        kept = f"the partial answer ({len(partial)} characters) is kept above" if partial else "nothing had arrived"
        again = "%llama start, then run the cell again" if requested == "stopped" else "run the cell again: it waits until the server is back"
        show_note(f"⏹ llama-server was {requested} on request (from a panel, another kernel or the command line) while this answer streamed; {kept}. To answer: {again}.", "interrupted")

    def _requested_stop(self, ready: Ready, cmd: Command) -> str | None:
        """``"stopped"`` or ``"restarted"`` when the server went away because someone asked (no new error
        card, and the supervisor says it is stopping or restarting on request), else ``None`` (a crash)."""
        if ready.status.remote:
            return None
        try:
            now = self.backend.status(cmd.model)
        except Exception:
            return None
        if now.last_error is not None and now.last_error != ready.status.last_error:
            return None  # the supervisor saw an unexpected exit: that is a crash, with its card
        if now.state in (State.STOPPING, State.STOPPED):
            return "stopped"
        if now.state in (State.RESTARTING, State.STARTING) or (now.state.is_up and now.pid is not None and now.pid != ready.status.pid):
            return "restarted"
        return None

    def _broken_card(self, ready: Ready, exc: StreamBroken) -> Card:
        kept = len(exc.partial)
        tried = []
        if kept:
            tried.append(("Kept the partial answer above", True))
        if not ready.status.remote:
            tried.append(("llama-server is restarted automatically: the next prompt needs nothing from you", True))
        diagnosis = Diagnosis(Kind.CRASHED, f"llama-server stopped in the middle of the answer ({kept} characters had arrived).", (str(exc),))
        return build_card(diagnosis, _context(ready.status), tuple(Step(t, ok) for t, ok in tried))


def _when(condition: object, *errors: type[BaseException]) -> tuple[type[BaseException], ...]:
    """For an ``except`` clause: these errors when ``condition`` holds, else none."""
    return errors if condition else ()


def _body(cmd: Command, cell: str | None) -> str:
    """The literal text to send: the cell body, else the rest of the line (never interpolated)."""
    if cell is not None and cell.strip():
        return cell if not cmd.text else f"{cmd.text}\n\n{cell}"
    return cmd.text


def _context(status: Status) -> Context:
    return Context(profile=status.profile, model=status.model, ctx_requested=status.ctx_requested, ctx_actual=status.ctx_actual, url=status.url)


def _forget(backend: Any, profile: str | None) -> None:
    forget = getattr(backend, "forget", None)
    if forget is not None:
        try:
            forget(profile)
        except Exception:
            pass
