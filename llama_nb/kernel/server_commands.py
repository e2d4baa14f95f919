"""The ``%llama`` subcommands about the server rather than a prompt: status, models, pull, start,
restart, stop, logs and doctor. A part of :class:`~llama_nb.kernel.session.LlamaSession` (it has the
backend, the shell, the panels and the configuration these use)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any, Callable

from ..config import ConfigError, LlamaNB
from ..recommend import pull_cost, recommended
from ..supervisor import Action, Fix, State, Status
from . import models_view
from .args import Command
from .backends import config_card
from .display import rich_output, show_card, show_note, show_text
from .magic_cards import usage_card
from .status_view import Panels, show_models, show_status


class ServerCommands:
    backend: Any
    shell: Any
    panels: Panels
    config: LlamaNB

    def _do_status(self, cmd: Command, cell: str | None) -> None:
        show_status(self.backend, cmd.model, live=rich_output(self.shell), panels=self.panels)

    def _do_models(self, cmd: Command, cell: str | None) -> None:
        models_view.show_catalogue()
        show_models(self.backend)

    def _do_pull(self, cmd: Command, cell: str | None) -> None:
        name = cmd.text.strip()
        if not name or len(name.split()) != 1:
            show_card(usage_card("%llama pull needs one catalogue name", Fix("Pull the model recommended here", Action.PULL, {"name": recommended().name}), Fix("See the catalogue", Action.MODELS)))
            return
        said = pull_cost(name)
        if said:
            show_note(f"ⓘ {said}", "info")
        result = models_view.pull_with_progress(name, rich_output(self.shell))
        how = "already pulled and verified" if not result.fetched else f"pulled from {result.source}, sha256 verified"
        show_note(f'✓ {result.entry.name}: {how}. Use it: %config LlamaNB.model = "{result.entry.name}"', "ok")

    def _do_start(self, cmd: Command, cell: str | None) -> None:
        self._after(self.backend.start(cmd.model, cmd.ctx, cmd.cpu), "started")

    def _do_restart(self, cmd: Command, cell: str | None) -> None:
        self._after(self.backend.restart(cmd.model, cmd.ctx, cmd.cpu), "restarted")

    def _do_stop(self, cmd: Command, cell: str | None) -> None:
        status = self.backend.stop(cmd.model)
        show_note(f"■ {status.profile}: {status.state.value}.", "stopped")

    def _after(self, status: Status, verb: str) -> None:
        if status.state.is_up:
            where = f"pid {status.pid}, " if status.pid else ""
            extra = f" — degraded: {status.degraded_reason}" if status.state == State.DEGRADED else ""
            show_note(f"● {status.profile} {verb}: {where}{status.ctx_actual or '?'} tokens of context, {status.mode or 'remote'}{extra}.", "ready")
        else:
            show_note(f"{status.profile}: {status.state.value}.", status.state.value)
            if status.last_error is not None:
                show_card(status.last_error)

    def _do_logs(self, cmd: Command, cell: str | None) -> None:
        lines = self.backend.logs(cmd.model, cmd.n)
        show_text("\n".join(lines) if lines else "(the server has written no log yet)")

    def _do_doctor(self, cmd: Command, cell: str | None) -> None:
        try:
            doctor = importlib.import_module("llama_nb.doctor")
        except ImportError:
            show_note("%llama doctor is not available in this version of llama-nb.", "info")
            return
        profile = None
        try:
            profiles = self.config.all_profiles()
            profile = profiles.get(cmd.model or self.config.default_profile)
        except ConfigError as exc:
            show_card(config_card(exc, cmd.model))
        report = getattr(doctor, "run_checks", None)
        if report is not None:
            result = report(profile) if _accepts_profile(report) else report()
            checks = getattr(result, "checks", ())
            if checks:
                show_text("\n".join(f"{'✓' if c.ok else '✗'} {c.name}: {c.detail}" for c in checks))
            cards = list(getattr(result, "cards", ()))
        else:
            run = doctor.run_doctor
            cards = list(run(profile) if _accepts_profile(run) else run())
        for card in cards:
            show_card(card)
        if not cards:
            show_note("✓ All checks passed.", "ok")


def _accepts_profile(func: Callable[..., Any]) -> bool:
    try:
        return len(inspect.signature(func).parameters) >= 1
    except (TypeError, ValueError):
        return False
