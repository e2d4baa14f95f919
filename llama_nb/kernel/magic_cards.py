"""Cards of the kernel's own surfaces: a magic line that could not be understood, an error inside llama-nb
(in a magic, or while a status panel's button ran)."""

from __future__ import annotations

import traceback
from dataclasses import replace

from ..supervisor import Action, Card, Fix
from .args import UsageError


def usage_card(problem: str, *fixes: Fix) -> Card:
    """A card for a ``%llama`` line that could not be understood."""
    card = UsageError(problem).card
    return replace(card, what_you_can_do=(*fixes, *card.what_you_can_do))


def internal_error_card(subcommand: str, exc: BaseException) -> Card:
    """A card for an unexpected error inside llama-nb itself, with the lines that locate it."""
    lines = traceback.format_exception(exc)
    evidence = tuple(line.rstrip() for chunk in lines[-4:] for line in chunk.strip("\n").splitlines())[-8:]
    return Card(
        kind="internal_error",
        title="llama-nb hit an internal error",
        what_happened=f"%llama {subcommand} failed inside llama-nb: {type(exc).__name__}: {exc}",
        evidence=evidence,
        what_you_can_do=(
            Fix("Reload llama-nb in this kernel (servers it started are stopped and started again on demand)", Action.RELOAD),
            Fix("See the state of the server", Action.STATUS),
            Fix("Check the binary, model, memory, ports and GPU", Action.DOCTOR),
        ),
    )


def action_error_card(action: str, profile: str, exc: BaseException) -> Card:
    """A card for an unexpected error while a panel button ran."""
    lines = [ln.rstrip() for chunk in traceback.format_exception(exc)[-3:] for ln in chunk.strip("\n").splitlines()]
    return Card(
        kind="internal_error",
        title=f"The {action} button failed",
        what_happened=f"{action} on profile {profile} failed inside llama-nb: {type(exc).__name__}: {exc}",
        evidence=tuple(lines[-6:]),
        what_you_can_do=(
            Fix("Run the same action as a magic", Action(action), {"use_profile": profile}),
            Fix("Reload llama-nb in this kernel", Action.RELOAD),
            Fix("Check the binary, model, memory, ports and GPU", Action.DOCTOR),
        ),
    )
