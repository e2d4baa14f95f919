"""REST handlers under ``{base_url}llama-nb/api/``. Thin: parse, call :class:`LlamaService`, answer JSON.

Every route needs Jupyter auth (an API request without it gets 403) and is authorized against the
``llama_nb`` resource (``read`` for GET, ``write`` for POST).
"""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any, Awaitable, Callable, TypeVar

from jupyter_server.auth import Authorizer, User
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from tornado import web
from tornado.iostream import StreamClosedError

from ..render import card_json
from . import validation
from .events import Listener, send_each_event_at_once
from .service import BadRequest, LlamaService, Outcome

API_ROOT = "/llama-nb/api"
KEEPALIVE_SECONDS = 15.0
MAX_LOG_LINES = validation.MAX_LOG_LINES
KERNEL_TOKEN_SETTING = "llama_nb_kernel_token"

Method = Callable[..., Awaitable[None]]
T = TypeVar("T")


def bad_requests(method: Method) -> Method:
    """Answer :class:`BadRequest` with ``400 {"message": ..., "reason": "Bad Request"}``."""

    @functools.wraps(method)
    async def wrapper(self: "LlamaNBHandler", *args: Any, **kwargs: Any) -> None:
        try:
            await method(self, *args, **kwargs)
        except BadRequest as exc:
            self.set_status(400)
            self.finish(json.dumps({"message": str(exc), "reason": "Bad Request"}))

    return wrapper


def _refusal_first(method: Method) -> Method:
    """``method``, unless :meth:`LlamaNBHandler.prepare` refused the request: then that refusal, now that the body
    has been read."""

    @functools.wraps(method)
    async def wrapper(self: "LlamaNBHandler", *args: Any, **kwargs: Any) -> None:
        if self._refusal is not None:
            raise self._refusal
        await method(self, *args, **kwargs)

    return wrapper


@web.stream_request_body
class LlamaNBHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every llama-nb route.

    Bodies are streamed (:meth:`data_received`) so that the 64 KiB limit holds before anything is read: Jupyter's
    own limit lets tornado buffer hundreds of megabytes of a request before a handler sees it."""

    auth_resource = "llama_nb"

    _kernel_scoped = False
    _received: bytearray | None = None
    _refusal: web.HTTPError | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in ("get", "post"):
            method = cls.__dict__.get(name)
            if method is not None:
                setattr(cls, name, _refusal_first(method))

    async def prepare(self) -> None:  # type: ignore[override]
        # Before auth, so that no client, signed in or not, makes the server hold more than the limit.
        length = validation.declared_length(self.request.headers.get("Content-Length"))
        validation.check_body_size(length)
        connection = self.request.connection
        if connection is not None and hasattr(connection, "set_max_body_size"):
            connection.set_max_body_size(validation.MAX_BODY_BYTES)  # a chunked body: tornado stops it there
        try:
            await self._admit()
        except web.HTTPError as exc:
            if not (length or "chunked" in self.request.headers.get("Transfer-Encoding", "").lower()):
                raise
            # A refusal (403, 404) of a request whose body is still coming is answered once the body is read
            # (_refusal_first): closing a socket with unread data resets it, and the client may lose the answer.
            self._refusal = exc

    async def _admit(self) -> None:
        if validation.is_kernel_token(self.request.headers.get("Authorization"), self.settings.get(KERNEL_TOKEN_SETTING)):
            # A kernel's credential: good for llama-nb's routes only (Jupyter itself does not know it).
            if not self.check_host():
                raise web.HTTPError(403)
            self._kernel_scoped = True
            self.current_user = self._jupyter_current_user = User(username="llama-nb-kernel", name="llama-nb kernel")
            self.set_cors_headers()
            if not self.check_origin():
                raise web.HTTPError(404)
            return
        await super().prepare()
        if self.request.method == "GET" and self.current_user and not self.token_authenticated:
            # Sets the ``_xsrf`` cookie. A client of a server without token auth (a kernel) echoes it
            # as the ``X-XSRFToken`` header on its POSTs, as Jupyter requires.
            _ = self.xsrf_token

    def data_received(self, chunk: bytes) -> None:
        received = self._received if self._received is not None else bytearray()
        validation.check_body_size(len(received) + len(chunk))
        received += chunk
        self._received = received

    _gone_future: "asyncio.Future[None] | None" = None

    def on_connection_close(self) -> None:
        if self._gone_future is not None and not self._gone_future.done():
            self._gone_future.set_result(None)
        super().on_connection_close()

    async def unless_gone(self, work: Awaitable[T]) -> T | None:
        """Await ``work`` unless the client disconnects first; then stop waiting (``None``), so a
        vanished client holds nothing (a shared start goes on for the others)."""
        task = asyncio.ensure_future(work)
        stream = getattr(self.request.connection, "stream", None)  # an HTTP/1 connection's IOStream
        if stream is None:
            return await task
        gone: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._gone_future = gone
        if stream.closed():
            gone.set_result(None)
        waiting: set[asyncio.Future[Any]] = {task, gone}
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        task.cancel()
        return None

    def check_xsrf_cookie(self) -> None:
        if self._kernel_scoped:  # a header credential: a browser never sends it on its own
            return None
        return super().check_xsrf_cookie()

    @property
    def authorizer(self) -> Authorizer:  # type: ignore[override]
        return _KERNEL_AUTHORIZER if self._kernel_scoped else super().authorizer

    @property
    def service(self) -> LlamaService:
        return self.extensionapp.service  # type: ignore[attr-defined,no-any-return]

    def answer(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.finish(json.dumps(data))

    def answer_outcome(self, outcome: Outcome) -> None:
        """200 ``{"status", "connection"}`` when up; 503 ``{"error": card, "status"}`` otherwise."""
        status = self.service.render(outcome.status)
        if outcome.error is not None or outcome.connection is None:
            error = outcome.error or outcome.status.last_error
            self.answer({"error": card_json(error), "status": status}, 503)
            return
        conn = outcome.connection
        self.answer({"status": status, "connection": {"url": conn.url, "api_key": conn.api_key}})

    def query_profile(self) -> str | None:
        """``?profile=P``, checked as a body's ``"profile"`` is (empty: the default profile)."""
        return validation.check_profile_name(self.get_argument("profile", None) or None)

    def body(self, allowed: tuple[str, ...]) -> dict[str, Any]:
        """The JSON object in the request body (empty body: ``{}``); unknown keys are refused."""
        return validation.parse_body(self._received, allowed)

    async def options_from(self, data: dict[str, Any]) -> dict[str, Any]:
        """``ctx_size`` (within the profile's limits, or null) and ``cpu`` (bool or null) from a start/restart body.

        The limit comes from the model file's header: read off the event loop, so a model on a slow or hung
        file system delays this request only, never Jupyter (a stop or a status answers meanwhile)."""
        pool = self.service.pool
        if pool is None:  # invalid settings: the route answers with the settings card
            return {"ctx_size": None, "cpu": None}
        profile = self.service.local_profile(data.get("profile"), "start")
        if data.get("ctx_size") is None:
            return validation.start_options(data, profile, pool.settings)
        return await asyncio.to_thread(validation.start_options, data, profile, pool.settings)


class _KernelAuthorizer(Authorizer):
    """What a kernel's scoped credential may do: use llama-nb's routes, nothing else."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return resource == "llama_nb"


_KERNEL_AUTHORIZER = _KernelAuthorizer()


class StatusHandler(LlamaNBHandler):
    """``GET status[?profile=P]``."""

    @web.authenticated
    @authorized
    @bad_requests
    async def get(self) -> None:
        profile = self.query_profile()
        self.answer(self.service.overview() if profile is None else self.service.status_of(profile))


class EnsureHandler(LlamaNBHandler):
    """``POST ensure`` ``{"profile"?}``: make the profile ready, recovering if needed."""

    @web.authenticated
    @authorized
    @bad_requests
    async def post(self) -> None:
        data = self.body(("profile",))
        outcome = await self.unless_gone(self.service.ensure(data.get("profile")))
        if outcome is not None:
            self.answer_outcome(outcome)


class _LaunchHandler(LlamaNBHandler):
    """``POST start`` / ``POST restart`` ``{"profile"?, "ctx_size"?, "cpu"?}``: the service's method of that name."""

    verb = "start"

    @web.authenticated
    @authorized
    @bad_requests
    async def post(self) -> None:
        data = self.body(("profile", "ctx_size", "cpu"))
        options = await self.unless_gone(self.options_from(data))
        if options is None:  # the client went away while the model's header was read
            return
        launch = self.service.restart if self.verb == "restart" else self.service.start
        outcome = await self.unless_gone(launch(data.get("profile"), **options))
        if outcome is not None:
            self.answer_outcome(outcome)


class StartHandler(_LaunchHandler):
    """``POST start`` ``{"profile"?, "ctx_size"?, "cpu"?}``."""


class RestartHandler(_LaunchHandler):
    """``POST restart`` ``{"profile"?, "ctx_size"?, "cpu"?}``."""

    verb = "restart"


class StopHandler(LlamaNBHandler):
    """``POST stop`` ``{"profile"?}`` → ``{"status"}`` once the server is gone."""

    @web.authenticated
    @authorized
    @bad_requests
    async def post(self) -> None:
        data = self.body(("profile",))
        status = await self.service.stop(data.get("profile"))
        self.answer({"status": self.service.render(status)})


class LogsHandler(LlamaNBHandler):
    """``GET logs?profile=P&n=N`` → ``{"lines": [...]}`` (the key is already redacted)."""

    @web.authenticated
    @authorized
    @bad_requests
    async def get(self) -> None:
        n = validation.log_lines(self.get_argument("n", "100"))
        self.answer({"lines": await self.service.logs(self.query_profile(), n)})


class StallHandler(LlamaNBHandler):
    """``POST stall`` ``{"profile"?, "reason"}``: a kernel saw the server stop generating; replace it as hung.

    Answers ``{"replaced": bool, "status"}`` at once (the restart runs on the supervisor's thread).
    """

    @web.authenticated
    @authorized
    @bad_requests
    async def post(self) -> None:
        data = self.body(("profile", "reason"))
        reason = data.get("reason")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 200:
            raise BadRequest('"reason" must be a short text (1-200 characters) saying what stalled')
        service = self.service
        if service.pool is None:
            raise BadRequest("llama-nb has no valid configuration here: there is no server to replace")
        profile = service.local_profile(data.get("profile"), "replace")
        sup = service.pool.get(profile.name)
        replaced = await service.control(sup.report_stall, reason.strip())  # never behind waiting starts
        self.answer({"replaced": replaced, "status": service.render(sup.status())})


class EventsHandler(LlamaNBHandler):
    """``GET events[?profile=P]``: Server-Sent Events, one ``data: <status json>`` per change.

    The first events are the current status of every (matching) profile; a comment line keeps the
    connection alive every 15 s.
    """

    _listener: Listener | None = None
    _gone = False

    @web.authenticated
    @authorized
    @bad_requests
    async def get(self) -> None:
        self._listener = listener = self.service.listen(self.query_profile())
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        send_each_event_at_once(self.request.connection)
        self.log.debug("llama-nb: events stream opened (%d open)", len(self.service.hub))
        try:
            await self._pump(listener)
        except StreamClosedError:
            return  # the client went away
        finally:
            self.service.hub.forget(listener)
            self.log.debug("llama-nb: events stream closed (%d open)", len(self.service.hub))
        if not self._gone:  # the server is shutting down: end the response cleanly
            self.finish(set_content_type="text/event-stream; charset=utf-8")

    async def _pump(self, listener: Listener) -> None:
        """Write events as they come until the listener is closed."""
        self.write(": llama-nb status events\n\n")
        while True:
            while not listener.queue.empty():  # whatever is already queued goes out in one write
                event = listener.queue.get_nowait()
                if event is None:
                    return
                self.write(f"data: {json.dumps(event)}\n\n")
            await self.flush()
            waited = await listener.next(KEEPALIVE_SECONDS)  # an event, None once closed, False: nothing new
            if waited is None:
                return
            self.write(": keep-alive\n\n" if waited is False else f"data: {json.dumps(waited)}\n\n")

    def on_connection_close(self) -> None:
        self._gone = True
        if self._listener is not None:
            self.service.hub.forget(self._listener)
        super().on_connection_close()


def routes() -> list[tuple[str, type[LlamaNBHandler]]]:
    """URL patterns relative to ``base_url`` (the ExtensionApp prepends it)."""
    return [
        (f"{API_ROOT}/status/?", StatusHandler),
        (f"{API_ROOT}/ensure/?", EnsureHandler),
        (f"{API_ROOT}/start/?", StartHandler),
        (f"{API_ROOT}/stop/?", StopHandler),
        (f"{API_ROOT}/restart/?", RestartHandler),
        (f"{API_ROOT}/logs/?", LogsHandler),
        (f"{API_ROOT}/events/?", EventsHandler),
        (f"{API_ROOT}/stall/?", StallHandler),
    ]
