"""ConfigError: a setting that cannot work, with a message that says which and what to use instead,
and the fixes its card offers."""

from __future__ import annotations

from ..cards import Action, Card, Fix
from ..errors import LlamaNBError
from .defaults import DEFAULT_CTX_SIZE


class ConfigError(LlamaNBError, ValueError):
    """A configuration value that cannot work; the message says which value and what to use instead."""

    kind = "bad_config"
    title = "A llama-nb setting is invalid"

    def make_card(self) -> Card:
        return Card(kind=self.kind, title=self.title, what_happened=str(self), what_you_can_do=bad_config_fixes(str(self)))


def bad_config_fixes(message: str, profile: str = "default") -> tuple[Fix, ...]:
    """What to do about an invalid setting (the card of :class:`ConfigError`, and the supervisor's)."""
    doctor = Fix("Check the binary, model, memory, ports and GPU in one go", Action.DOCTOR, {"profile": profile})
    if "extra_args" in message:
        return (Fix("Drop the profile overrides (and their extra arguments), then fix the profile", Action.SET_CONFIG, {"key": "profiles", "value": {}}), doctor)
    return (Fix("Go back to the default context size", Action.SET_CONFIG, {"key": "ctx_size", "value": DEFAULT_CTX_SIZE}), doctor)
