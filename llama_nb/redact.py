"""Secrets never shown: credentials in URLs (``https://user:pass@host``) are masked wherever a URL is
displayed (status, panel, cards, CLI, REST answers)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^/?#\s@'\"<>]+)@")


def mask_urls(text: str | None) -> str | None:
    """``text`` with the ``user:pass@`` part of every URL in it replaced by ``***@``."""
    if not text or "@" not in text:
        return text
    return _USERINFO.sub(r"\1***@", text)


def strip_credentials(url: str) -> str:
    """``url`` without its ``user:pass@`` part (for handing a remote URL to someone who must not have them)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
