"""Cards and the root exception, as the supervisor uses them.

They live in the base layer (:mod:`llama_nb.cards`, :mod:`llama_nb.errors`) so that every module, the
configuration included, can carry a card; this module names them for the supervisor's callers.
"""

from ..cards import Action, Card, Fix, Renderer, Step, describe
from ..errors import LlamaNBError

__all__ = ["Action", "Card", "Fix", "LlamaNBError", "Renderer", "Step", "describe"]
