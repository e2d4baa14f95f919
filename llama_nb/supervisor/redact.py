"""Moved to :mod:`llama_nb.redact` (a base module: cards mask URLs too); kept so that old imports work."""

from ..redact import mask_urls, strip_credentials

__all__ = ["mask_urls", "strip_credentials"]
