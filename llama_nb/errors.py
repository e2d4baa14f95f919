"""The one exception tree of llama-nb.

Every exception llama-nb raises derives from :class:`LlamaNBError`, and every one carries the card to
show (:attr:`LlamaNBError.card`): given when it is raised (``LlamaNBError(card)``), or built by the
subclass from what it knows (:meth:`LlamaNBError.make_card`). Subclasses that callers used to catch as
``ValueError`` still are ``ValueError`` too (``class ConfigError(LlamaNBError, ValueError)``).

A base module: it imports nothing of llama-nb but :mod:`llama_nb.cards`.
"""

from __future__ import annotations

from .cards import Action, Card, Fix

__all__ = ["LlamaNBError"]


class LlamaNBError(RuntimeError):
    """Raised where a failure must stop a caller; it carries the card to show.

    ``LlamaNBError(card)`` carries ``card``; ``SomeSubclass("message")`` builds its card on first use.
    """

    #: The card kind of a subclass that builds its own card.
    kind = "internal_error"
    #: The card title of a subclass that builds its own card.
    title = "llama-nb failed"

    def __init__(self, card: Card | str = "", *args: object) -> None:
        if isinstance(card, Card):
            super().__init__(card.title, *args)
            self._card: Card | None = card
        else:
            super().__init__(card, *args)
            self._card = None

    @property
    def card(self) -> Card:
        if self._card is None:
            self._card = self.make_card()
        return self._card

    @card.setter
    def card(self, card: Card) -> None:
        self._card = card

    def make_card(self) -> Card:
        """The card of an error raised with a message: override where there is more to say."""
        message = str(self) or type(self).__name__
        return Card(
            kind=self.kind,
            title=self.title,
            what_happened=message[:1].upper() + message[1:],
            what_you_can_do=(Fix("Check the binary, model, memory, ports and GPU in one go", Action.DOCTOR),),
        )
