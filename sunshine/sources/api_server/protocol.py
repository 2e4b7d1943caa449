"""What one system's API answers to a request, apart from any HTTP server.

Routes, authentication, parameters and paging all come from the system's contract
encoding (`sunshine.contracts`): the endpoint paths, the auth header and its
status, the paging style and parameter names, the response keys, whether the
incremental filter is inclusive and whether deleted records stay in the feed.

Order of checks: unknown path 404, method other than GET 405, credentials
(401 or 403 as the contract says), injected fault, then parameters (400). So an
injected fault is only ever seen by an authenticated request for a real endpoint,
and a faulted request reads nothing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Protocol
from urllib.parse import parse_qs, urlsplit

from sunshine.contracts.model import HttpApiTransport, SourceObject, System
from sunshine.errors import SunshineError
from sunshine.sources.api_server.faults import FaultPlan
from sunshine.sources.api_server.store import Since, Store

# The contracts' convention: a time without an offset is Shanghai time (no DST).
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
# Page-numbered responses carry these besides the items, the page and the page size.
PAGE_TOTAL_KEYS = ("total_pages", "total")
MAX_DIGITS = 9  # a number parameter longer than this is refused, not overflowed
CURSOR_VERSION = 1


class HeaderSource(Protocol):
    """What the API reads from request headers (an `email.message.Message` or a dict)."""

    def get(self, name: str, default: str | None = None) -> str | None: ...


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    rows: int = 0
    note: str = ""


class ApiError(Exception):
    """A request the API refuses; becomes a JSON error body."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        parameter: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
        note: str = "",
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter
        self.headers = headers
        self.note = note

    def response(self) -> Response:
        document: dict[str, object] = {"error": HTTPStatus(self.status).phrase}
        if self.parameter is not None:
            document["parameter"] = self.parameter
        document["message"] = self.message
        return Response(self.status, _json(document), self.headers, 0, self.note)


def _json(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def encode_cursor(object_name: str, updated_at_utc: str, key: str) -> str:
    """An opaque cursor: the last (updated_at_utc, id) served, for keyset paging."""
    payload = json.dumps([CURSOR_VERSION, object_name, updated_at_utc, key], ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, object_name: str, parameter: str) -> tuple[str, str]:
    refused = ApiError(400, f"{cursor!r} is not a cursor this endpoint issued", parameter=parameter)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        version, name, updated_at_utc, key = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise refused from None
    if version != CURSOR_VERSION or name != object_name:
        raise refused
    if not isinstance(updated_at_utc, str) or not isinstance(key, str):
        raise refused
    return updated_at_utc, key


def parse_instant(value: str, parameter: str) -> dt.datetime:
    """An ISO-8601 date-time; without an offset it is Shanghai time."""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        hint = ""
        if re.search(r" \d\d:?\d\d$", value):
            hint = " (a '+' in a query string must be sent as %2B, or it reads as a space)"
        raise ApiError(
            400,
            f"{value!r} is not an ISO-8601 date-time such as 2026-11-03T21:14:05+08:00{hint}",
            parameter=parameter,
        ) from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=SHANGHAI)
    return instant


def parse_whole(value: str, parameter: str, *, minimum: int = 1, maximum: int | None = None) -> int:
    limit = maximum if maximum is not None else 10**MAX_DIGITS - 1
    if not re.fullmatch(r"\d+", value) or len(value) > MAX_DIGITS:
        raise ApiError(
            400,
            f"must be a whole number from {minimum} to {limit}, got {value!r}",
            parameter=parameter,
        )
    number = int(value)
    if number < minimum or number > limit:
        raise ApiError(400, f"must be from {minimum} to {limit}, got {number}", parameter=parameter)
    return number


class Api:
    """One system's endpoints over its store, with its credential and fault plan."""

    def __init__(
        self,
        system: System,
        store: Store,
        credential: str,
        faults: FaultPlan | None = None,
        base_path: str = "",
    ) -> None:
        transport = system.transport
        if not isinstance(transport, HttpApiTransport):
            raise SunshineError(
                f"system '{system.code}' is reached by {transport.kind}, not an HTTP API"
            )
        if not credential:
            raise SunshineError(f"system '{system.code}': the API needs a credential to accept")
        served = {transport.items_key}
        if transport.paging == "page":
            served |= {transport.page_param, transport.size_param, *PAGE_TOTAL_KEYS}
        else:
            served |= {transport.next_cursor_key}
        if served != set(transport.response_keys):
            raise SunshineError(
                f"system '{system.code}': the contract's response keys "
                f"{list(transport.response_keys)} differ from what this server writes "
                f"{sorted(k for k in served if k)}"
            )
        self.system = system
        self.transport = transport
        self.store = store
        self.credential = credential
        self.faults = faults
        self.base_path = base_path.rstrip("/")
        self.routes: dict[str, SourceObject] = {
            self.base_path + obj.path: obj for obj in system.objects if obj.path
        }

    def handle(self, method: str, target: str, headers: HeaderSource) -> Response:
        try:
            return self._handle(method, target, headers)
        except ApiError as refusal:
            return refusal.response()

    def _handle(self, method: str, target: str, headers: HeaderSource) -> Response:
        split = urlsplit(target)
        obj = self.routes.get(split.path)
        if obj is None:
            raise ApiError(
                404,
                f"no endpoint {split.path}; this server has {', '.join(self.routes)}",
            )
        if method != "GET":
            raise ApiError(405, f"{split.path} answers GET only", headers=(("Allow", "GET"),))
        self._authorize(headers)
        if self.faults is not None:
            status = self.faults.draw(target)
            if status is not None:
                raise self._fault(status)
        params = self._params(split.query)
        if self.transport.paging == "page":
            return self._numbered_page(obj, params)
        return self._cursor_page(obj, params)

    def _authorize(self, headers: HeaderSource) -> None:
        t = self.transport
        sent = headers.get(t.auth_header) or ""
        prefix = t.auth_prefix
        # An auth scheme such as "Bearer" is case-insensitive (RFC 9110); the secret is not.
        granted = sent[: len(prefix)].lower() == prefix.lower() and hmac.compare_digest(
            sent[len(prefix) :].encode(), self.credential.encode()
        )
        if granted:
            return
        expected = f"{t.auth_header}: {prefix}<{'token' if prefix else 'key'}>"
        headers_out: tuple[tuple[str, str], ...] = ()
        if t.unauthorized_status == 401 and prefix.strip():
            headers_out = (("WWW-Authenticate", prefix.strip()),)
        raise ApiError(
            t.unauthorized_status,
            f"{'wrong credential' if sent else 'no credential'}: send {expected}",
            headers=headers_out,
        )

    def _fault(self, status: int) -> ApiError:
        assert self.faults is not None
        headers: tuple[tuple[str, str], ...] = ()
        message = "injected failure"
        if status == 429:
            headers = (("Retry-After", str(self.faults.retry_after_seconds)),)
            message = f"too many requests: retry after {self.faults.retry_after_seconds} s"
        elif status == 503:
            message = "nightly maintenance: retry later"
        elif status == 500:
            message = "internal error: retry the same request"
        return ApiError(status, message, headers=headers, note="injected fault")

    def _params(self, query: str) -> dict[str, str]:
        t = self.transport
        known = (t.page_param, t.size_param, t.incremental_param)
        params: dict[str, str] = {}
        for name, values in parse_qs(query, keep_blank_values=True).items():
            if name not in known:
                raise ApiError(
                    400,
                    f"unknown parameter; this endpoint takes {', '.join(known)}",
                    parameter=name,
                )
            if len(values) > 1:
                raise ApiError(400, "given more than once", parameter=name)
            params[name] = values[0]
        return params

    def _since(self, params: Mapping[str, str]) -> Since | None:
        t = self.transport
        value = params.get(t.incremental_param)
        if value is None:
            return None
        return Since(parse_instant(value, t.incremental_param), t.incremental_inclusive)

    def _size(self, params: Mapping[str, str]) -> int:
        t = self.transport
        value = params.get(t.size_param)
        if value is None:
            return t.page_size
        return parse_whole(value, t.size_param, maximum=t.max_page_size)

    def _numbered_page(self, obj: SourceObject, params: Mapping[str, str]) -> Response:
        t = self.transport
        page = parse_whole(params.get(t.page_param, "1"), t.page_param)
        size = self._size(params)
        bodies, total = self.store.page(
            obj.name,
            since=self._since(params),
            live_only=t.soft_delete_field is None,
            offset=(page - 1) * size,
            size=size,
        )
        meta = {
            t.page_param: page,
            t.size_param: size,
            "total_pages": math.ceil(total / size),
            "total": total,
        }
        return Response(200, _envelope(t.items_key, bodies, meta), rows=len(bodies))

    def _cursor_page(self, obj: SourceObject, params: Mapping[str, str]) -> Response:
        t = self.transport
        assert t.next_cursor_key is not None
        limit = self._size(params)
        cursor = params.get(t.page_param) or None  # an empty cursor is the first page
        position = decode_cursor(cursor, obj.name, t.page_param) if cursor else None
        rows = self.store.after(
            obj.name,
            since=self._since(params),
            live_only=t.soft_delete_field is None,
            position=position,
            limit=limit + 1,  # one more tells whether there is a next page
        )
        page = rows[:limit]
        next_cursor = (
            encode_cursor(obj.name, page[-1].updated_at_utc, page[-1].id)
            if len(rows) > limit
            else None
        )
        body = _envelope(t.items_key, [r.body for r in page], {t.next_cursor_key: next_cursor})
        return Response(200, body, rows=len(page))


def _envelope(items_key: str, bodies: list[str], meta: Mapping[str, object]) -> bytes:
    """The response document, records spliced in exactly as the store holds them."""
    parts = [f"{json.dumps(items_key)}: [{', '.join(bodies)}]"]
    parts += [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in meta.items()]
    return ("{" + ", ".join(parts) + "}").encode("utf-8")
