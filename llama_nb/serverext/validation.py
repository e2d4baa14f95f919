"""Validation of every REST input, before anything is started, and the kernels' scoped credential.

A refused request changes nothing: each check here runs before the handler calls the service, and
raises :class:`BadRequest` (HTTP 400 with a message) or :class:`tornado.web.HTTPError` (413).
"""

from __future__ import annotations

import hmac
import json
import secrets
from typing import Any, Mapping

from tornado import web

from ..config.profiles import Profile, SupervisorSettings
from ..supervisor.limits import ctx_limits
from ..supervisor.process import MAX_LOG_LINES
from .service import BadRequest

MAX_BODY_BYTES = 64 * 1024
MAX_PROFILE_NAME = 200


# -- bodies -----------------------------------------------------------------------------------------


def check_body_size(raw: bytes | bytearray | int | None) -> None:
    """413 for a body (or a declared ``Content-Length``) over :data:`MAX_BODY_BYTES`."""
    size = raw if isinstance(raw, int) else (len(raw) if raw is not None else 0)
    if size > MAX_BODY_BYTES:
        raise web.HTTPError(413, f"the request body has {size} bytes; at most {MAX_BODY_BYTES} are accepted", reason="Payload Too Large")


def declared_length(header: str | None) -> int | None:
    """The ``Content-Length`` header as a number of bytes (None when absent); 400 when it is not one."""
    if header is None:
        return None
    if not header.strip().isdigit() or len(header.strip()) > 20:
        raise web.HTTPError(400, f"Content-Length must be a number of bytes, got {_short(header)}", reason="Bad Request")
    return int(header.strip())


def parse_body(raw: bytes | bytearray | None, allowed: tuple[str, ...]) -> dict[str, Any]:
    """The JSON object in a request body (empty body: ``{}``); unknown keys and bad types are refused."""
    check_body_size(raw)
    if not raw or not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:  # UnicodeDecodeError is a ValueError too
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None
    except RecursionError:  # "[[[[…" nested thousands deep fits in 64 KiB; the parser gives up
        raise BadRequest('the request body is JSON nested too deeply; send an object such as {"profile": "default"}') from None
    if not isinstance(data, dict):
        raise BadRequest('the request body must be a JSON object such as {"profile": "default"}')
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise BadRequest(f"unknown field(s) {[str(u)[:50] for u in unknown][:10]}; this route accepts {list(allowed)}")
    check_profile_name(data.get("profile"))
    return data


def check_profile_name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_PROFILE_NAME:
        raise BadRequest(f'"profile" must be a profile name (a non-empty string) or null, got {_short(value)}')
    return value


def check_bool(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise BadRequest(f'"{key}" must be true, false or null, got {_short(value)}')
    return value


# -- context size -------------------------------------------------------------------------------------


def check_ctx_size(value: Any, profile: Profile, settings: SupervisorSettings | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f'"ctx_size" must be a whole number of tokens (or null), got {_short(value)}')
    low, high, why = ctx_limits(profile, settings or SupervisorSettings())
    if not low <= value <= high:
        raise BadRequest(f'"ctx_size" must be a whole number of tokens between {low} and {high} ({why}) for profile {profile.name!r}, got {value}')
    return value


def start_options(data: Mapping[str, Any], profile: Profile, settings: SupervisorSettings | None) -> dict[str, Any]:
    """``ctx_size`` and ``cpu`` of a start/restart body, checked against ``profile``."""
    return {"ctx_size": check_ctx_size(data.get("ctx_size"), profile, settings), "cpu": check_bool(data, "cpu")}


def log_lines(raw: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        raise BadRequest(f'"n" must be a whole number of lines, got {_short(raw)}') from None
    if not 0 < n <= MAX_LOG_LINES:
        raise BadRequest(f'"n" must be between 1 and {MAX_LOG_LINES}, got {n}')
    return n


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# -- the kernels' credential --------------------------------------------------------------------------


def mint_kernel_token() -> str:
    """A fresh random credential for this Jupyter server's kernels: it opens ``llama-nb/api/*`` only."""
    return secrets.token_urlsafe(32)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: token X`` (or ``Bearer X``) header."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() not in ("token", "bearer") or not token.strip():
        return None
    return token.strip()


def is_kernel_token(authorization: str | None, expected: str | None) -> bool:
    token = bearer_token(authorization)
    if not token or not expected:
        return False
    return hmac.compare_digest(token.encode(), expected.encode())
