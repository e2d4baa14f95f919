"""An OpenAI-compatible streaming chat client for llama-server (and other OpenAI-style endpoints).

Plain synchronous httpx, used from the thread that runs the magic (the kernel's main thread), so a
kernel interrupt (``KeyboardInterrupt``) lands in the blocking read and the response is closed at
once; llama-server notices the closed connection and stops generating for that slot.

    >>> client = LlamaClient("http://127.0.0.1:8080", api_key="...")
    >>> with client.chat([{"role": "user", "content": "Hi"}], max_tokens=32) as stream:
    ...     for delta in stream:
    ...         print(delta, end="")
    >>> stream.answer.timings["predicted_per_second"]
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urlsplit

import httpx

from ..cards import Card
from ..errors import LlamaNBError
from ..answer.reply import Answer as Answer, Message as Message  # the answer path's types, used by every caller of the client
from ..sse import iter_chat, parse_body
from .watchdog import StallWatchdog, first_token_allowance


#: Tokens a chat template adds around each message (ChatML: ``<|im_start|>role\n`` … ``<|im_end|>\n``)
#: and after the last one (``<|im_start|>assistant\n``). An estimate: templates differ a little.
TEMPLATE_TOKENS_PER_MESSAGE = 5
TEMPLATE_TOKENS_REPLY = 3


class ChatError(LlamaNBError):
    """Base class of everything :class:`LlamaClient` raises."""

    kind = "connection_failed"

    def make_card(self) -> Card:
        from ..supervisor.advice import Context, build_card
        from ..supervisor.diagnosis import Diagnosis, Kind

        return build_card(Diagnosis(Kind.CONNECTION_FAILED, f"{self}.", (str(self),)), Context())


class ConnectFailed(ChatError):
    """The server could not be reached; nothing was generated."""


class ChatHTTPError(ChatError):
    """The server answered with an error status (the body is kept, parsed when it is JSON).

    Not named ``HTTPError``: that is :class:`httpx.HTTPError`, which this module uses too.
    """

    def make_card(self) -> Card:
        from ..supervisor.advice import Context, build_card
        from ..supervisor.diagnosis import Diagnosis, Kind, classify_http_error

        diagnosis = classify_http_error(self.status_code, self.body) or Diagnosis(Kind.UNKNOWN, f"The server refused the prompt: {self}", (str(self),))
        return build_card(diagnosis, Context())

    def __init__(self, status_code: int, body: dict[str, Any] | str) -> None:
        message = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(message, dict):
            message = message.get("message", message)
        super().__init__(f"HTTP {status_code}: {message}")
        self.status_code = status_code
        self.body = body


class StreamBroken(ChatError):
    """The connection broke in the middle of an answer; ``partial`` holds what arrived."""

    def __init__(self, message: str, partial: str) -> None:
        super().__init__(message)
        self.partial = partial


class AnswerStalled(StreamBroken):
    """No token arrived for the stall timeout in a whole-answer request; ``reason`` says how long (the
    watchdog's words), ``partial`` holds what arrived."""

    def __init__(self, reason: str, partial: str) -> None:
        super().__init__(f"the answer stalled: {reason}", partial)
        self.reason = reason


def split_url(url: str) -> tuple[str, str]:
    """``(root, api_base)`` of an endpoint given as ``http://host:port`` or ``http://host:port/v1``."""
    root = url.rstrip("/")
    if root.endswith("/v1"):
        return root[: -len("/v1")], root
    return root, root + "/v1"


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


class ChatStream:
    """One streamed chat completion. Iterate for text deltas; :attr:`answer` fills as it goes.

    A model that reasons before it answers (llama-server's ``reasoning_content``, some endpoints' ``reasoning``)
    yields an empty delta per reasoning piece: nothing to show, but the model is working, so a reader's stall
    watchdog is ticked by it (a long reasoning is not a hung server). The reasoning is counted, not kept.

    Used as a context manager: leaving the block (normally, on an error or on ``KeyboardInterrupt``)
    closes the HTTP response, which makes llama-server stop generating.
    """

    def __init__(self, http: httpx.Client, url: str, payload: dict[str, Any], first_token_s: float | None = None) -> None:
        self._http = http
        self._url = url
        self._payload = payload
        #: How long the response may take to begin (``None``: the client's read timeout). The stall watchdog
        #: starts after it has: a server stopped before it answers would otherwise be waited on that long.
        self._first_token_s = first_token_s
        self._response: httpx.Response | None = None
        self.answer = Answer()
        self.done = False

    def __enter__(self) -> "ChatStream":
        first = self._first_token_s
        timeout = httpx.USE_CLIENT_DEFAULT if first is None else httpx.Timeout(first, connect=self._http.timeout.connect)
        request = self._http.build_request("POST", self._url, json=self._payload, timeout=timeout)
        try:
            response = self._http.send(request, stream=True)
        except httpx.ReadTimeout as exc:
            if self._first_token_s is None:
                raise ConnectFailed(f"no answer from {self._url}: {exc}") from exc
            raise AnswerStalled(f"no first token within {self._first_token_s:.0f} s", "") from exc
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ConnectFailed(f"could not connect to {self._url}: {exc}") from exc
        except httpx.TransportError as exc:  # e.g. the server died between accept and answer
            raise ConnectFailed(f"no answer from {self._url}: {exc}") from exc
        if response.status_code >= 400:
            try:
                raw = response.read()
            except httpx.HTTPError:
                raw = b""
            finally:
                response.close()
            raise ChatHTTPError(response.status_code, parse_body(raw))
        self._response = response
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None and issubclass(exc_type, KeyboardInterrupt):
            self.answer.interrupted = True
        self.close()

    def close(self) -> None:
        """Close the response now (safe to call twice)."""
        if self._response is not None:
            self._response.close()
            self._response = None

    def __iter__(self) -> Iterator[str]:
        assert self._response is not None, "use ChatStream as a context manager"
        answer = self.answer
        try:
            for item in iter_chat(self._response):
                if item.kind == "done":
                    self.done = True
                    break
                if item.kind == "error":
                    raise ChatHTTPError(500, item.body)
                event = item.body
                answer.chunks += 1
                if event.get("timings"):
                    answer.timings = event["timings"]
                if event.get("usage"):
                    answer.usage = event["usage"]
                for choice in event.get("choices") or ():
                    if choice.get("finish_reason"):
                        answer.finish_reason = choice["finish_reason"]
                    part = choice.get("delta") or {}
                    delta = part.get("content")
                    if delta:
                        answer.text += delta
                        yield delta
                    elif isinstance(thought := part.get("reasoning_content") or part.get("reasoning"), str) and thought:
                        answer.extra["reasoning_chars"] = answer.extra.get("reasoning_chars", 0) + len(thought)
                        yield ""
        except httpx.TransportError as exc:
            raise StreamBroken(f"the connection broke after {len(answer.text)} characters: {exc}", answer.text) from exc
        if not self.done and answer.finish_reason is None:
            raise StreamBroken(f"the answer ended early, after {len(answer.text)} characters", answer.text)
        self.done = True


class LlamaClient:
    """Talks to one server: ``url`` is ``http://host:port`` (llama-server) or an OpenAI base ending in ``/v1``."""

    def __init__(
        self,
        url: str,
        api_key: str = "",
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 300.0,
    ) -> None:
        self.url = url
        self.root, self.api_base = split_url(url)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers,
            trust_env=not is_loopback(url),
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        )
        self._tokenize_supported: bool | None = None

    def close(self) -> None:
        self._http.close()

    # -- tokens -------------------------------------------------------------------------------------

    def tokenize(self, text: str, *, timeout: float = 10.0) -> list[int] | None:
        """Token ids of ``text`` (llama-server's ``/tokenize``), or ``None`` where the endpoint has none."""
        if self._tokenize_supported is False:
            return None
        try:
            response = self._http.post(f"{self.root}/tokenize", json={"content": text}, timeout=timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise ConnectFailed(f"could not connect to {self.root}: {exc}") from exc
        except httpx.TransportError as exc:
            raise ConnectFailed(f"no answer from {self.root}: {exc}") from exc
        if response.status_code in (404, 405, 501):
            self._tokenize_supported = False
            return None
        if response.status_code >= 400:
            raise ChatHTTPError(response.status_code, parse_body(response.content))
        self._tokenize_supported = True
        return list(response.json().get("tokens", []))

    def count_prompt_tokens(self, messages: Sequence[Message]) -> int | None:
        """Tokens the prompt takes in the context: the messages plus the chat template's markers.

        One ``/tokenize`` call for all messages; ``None`` when the endpoint cannot tokenize.
        """
        tokens = self.tokenize("\n".join(m["content"] for m in messages))
        if tokens is None:
            return None
        return len(tokens) + TEMPLATE_TOKENS_PER_MESSAGE * len(messages) + TEMPLATE_TOKENS_REPLY

    # -- chat ---------------------------------------------------------------------------------------

    def chat(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        model: str | None = None,
        extra: dict[str, Any] | None = None,
        first_token_s: float | None = None,
    ) -> ChatStream:
        """A streamed ``/v1/chat/completions`` request; use the result as a context manager. ``first_token_s``
        bounds the wait for the response to begin (then :class:`AnswerStalled`)."""
        payload: dict[str, Any] = {"messages": list(messages), "stream": True}
        if model:
            payload["model"] = model
        if max_tokens is not None:
            payload["max_tokens"] = max_tokens
        if temperature is not None:
            payload["temperature"] = temperature
        payload.update(extra or {})
        return ChatStream(self._http, f"{self.api_base}/chat/completions", payload, first_token_s)

    def complete(
        self,
        messages: Sequence[Message],
        *,
        stall_timeout: float = 0.0,
        until: Callable[[str], bool] | None = None,
        **options: Any,
    ) -> Answer:
        """The whole answer at once (still streamed underneath, so an interrupt stops it).

        With ``stall_timeout`` > 0 an answer whose tokens stop arriving is cut as the magic's own stream is
        (:class:`~.watchdog.StallWatchdog`) and :class:`AnswerStalled` is raised: a side request (a retry, the
        cause after a fix) is never waited on longer than that.

        ``until(text)``: true once the text so far holds all the caller will use of it (a closed code block,
        a first paragraph), asked each time a piece with a line break arrives. The stream is closed there,
        which stops llama-server generating the rest, and the answer says so (``extra["enough"]``, no
        ``finish_reason``): the tokens up to there are the ones the whole answer would have begun with, so
        only the unused tail is not waited for.
        """
        wait = first_token_allowance(stall_timeout) if stall_timeout > 0 else None
        with self.chat(messages, first_token_s=wait, **options) as stream:
            watchdog = StallWatchdog(stream, stall_timeout)
            try:
                with watchdog:
                    for delta in stream:
                        watchdog.tick()
                        # Asked where a line ends only (what it judges ends with one): a reply that streams
                        # a long text in tiny pieces costs one look per line, not one per piece.
                        if until is not None and "\n" in delta and until(stream.answer.text):
                            stream.answer.extra["enough"] = True
                            return stream.answer
            except ChatError as exc:
                if watchdog.fired:
                    raise AnswerStalled(watchdog.fired, stream.answer.text) from exc
                raise
        if watchdog.fired and not stream.done:  # cut between two reads: what arrived is not the whole answer
            raise AnswerStalled(watchdog.fired, stream.answer.text)
        return stream.answer
