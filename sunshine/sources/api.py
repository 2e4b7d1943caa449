"""Sweeping a paginated JSON API for the records changed in a night's window.

The contract says how to authenticate, page and filter; this module follows it for
any system whose transport is `HttpApiTransport`. A page that fails is retried with
back-off (honouring `Retry-After`) and never taken for an empty one: after the last
attempt the sweep fails, and the caller lands nothing of it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

from sunshine.contracts.model import HttpApiTransport, SourceObject
from sunshine.errors import SunshineError, TransientSourceError
from sunshine.sources.registry import SourceConfig

LOCAL = ZoneInfo("Asia/Shanghai")
log = logging.getLogger(__name__)


class ApiFailed(SunshineError):
    """A request refused for good (credential, status) or answered in the wrong shape."""


class ApiUnavailable(ApiFailed, TransientSourceError):
    """A request that kept failing on a transient answer; a later attempt may succeed."""


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a JSON list"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool):
        return "a JSON boolean"
    if isinstance(value, (int, float)):
        return "a JSON number"
    return "JSON null"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_seconds: float = 1.0
    max_wait_seconds: float = 60.0
    timeout_seconds: float = 30.0

    @classmethod
    def from_config(cls, config: SourceConfig) -> RetryPolicy:
        return cls(
            attempts=int(config.get("retry_attempts", cls.attempts)),
            base_seconds=float(config.get("retry_base_seconds", cls.base_seconds)),
            max_wait_seconds=float(config.get("retry_max_wait_seconds", cls.max_wait_seconds)),
        )


@dataclass
class Sweep:
    """What a sweep saw: records inside the window, and those left for a later night."""

    requests: int = 0
    retries: int = 0
    beyond_window: int = 0
    latest: dt.datetime | None = None  # local time, the next night's watermark


def parse_instant(text: str) -> dt.datetime:
    """An ISO-8601 instant with its offset, as local (Asia/Shanghai) wall time."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment.astimezone(LOCAL).replace(tzinfo=None)


def as_text(value: object) -> str | None:
    """A JSON value as the text raw keeps: lists and objects stay JSON."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class ApiClient:
    def __init__(
        self,
        config: SourceConfig,
        transport: HttpApiTransport,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = str(config.require("base_url")).rstrip("/")
        secret = config.get("token") or config.get("api_key")
        if not secret:
            raise SunshineError(
                f"sources.yaml: system '{config.system}' needs 'token' or 'api_key'"
            )
        self.transport = transport
        self.policy = RetryPolicy.from_config(config)
        self.sleep = sleep
        self.session = requests.Session()
        self.session.headers[transport.auth_header] = f"{transport.auth_prefix}{secret}"

    def _get(self, path: str, params: dict, sweep: Sweep) -> dict:
        url = f"{self.base_url}{path}"
        described = f"GET {path}?{urlencode(params)}"
        last = "no answer"
        for attempt in range(1, self.policy.attempts + 1):
            sweep.requests += 1
            try:
                response = self.session.get(url, params=params, timeout=self.policy.timeout_seconds)
            except requests.RequestException as exc:
                last, wait = f"{type(exc).__name__}: {exc}", None
            else:
                if response.status_code == 200:
                    try:
                        return response.json()
                    except ValueError:
                        # Most often a body cut short by a dropped connection: retry.
                        last, wait = "200 with a body that is not JSON", None
                        if attempt == self.policy.attempts:
                            break
                        sweep.retries += 1
                        self.sleep(self._delay(attempt, None))
                        continue
                if response.status_code == self.transport.unauthorized_status:
                    raise ApiFailed(
                        f"{described}: {response.status_code}, the credential was refused"
                    )
                if response.status_code not in (
                    *self.transport.retryable_statuses,
                    429,
                    500,
                    502,
                    503,
                    504,
                ):
                    raise ApiFailed(f"{described}: {response.status_code} {response.text[:200]}")
                last = f"{response.status_code} {response.reason}"
                wait = _retry_after(response)
            if attempt == self.policy.attempts:
                break
            delay = self._delay(attempt, wait)
            sweep.retries += 1
            log.warning("%s: %s, retry %d in %.1f s", described, last, attempt, delay)
            self.sleep(delay)
        raise ApiUnavailable(
            f"{described}: still failing after {self.policy.attempts} attempts ({last})"
        )

    def _delay(self, attempt: int, wait: float | None) -> float:
        delay = wait if wait is not None else self.policy.base_seconds * 2 ** (attempt - 1)
        return min(delay, self.policy.max_wait_seconds)

    def _page(self, path: str, page: str, body: object) -> tuple[list[dict], dict]:
        """The page's records, checked against the contract's shape: a wrong answer
        names the endpoint, the page and what was expected, not a bare KeyError."""
        key = self.transport.items_key
        where = f"{path} {page}"
        expected = f"expected a JSON object with a '{key}' list of records"
        if not isinstance(body, dict):
            raise ApiFailed(f"{where}: {expected}, got {_json_kind(body)}")
        if key not in body:
            found = ", ".join(repr(k) for k in list(body)[:8]) or "no keys"
            raise ApiFailed(f"{where}: {expected}, got an object with {found}")
        records = body[key]
        if not isinstance(records, list):
            raise ApiFailed(f"{where}: {expected}, got '{key}' as {_json_kind(records)}")
        for number, record in enumerate(records, start=1):
            if not isinstance(record, dict):
                raise ApiFailed(f"{where}: {expected}, got record {number} as {_json_kind(record)}")
        if self.transport.paging == "page":
            total = body.get("total_pages")
            if total is not None and (isinstance(total, bool) or not isinstance(total, int)):
                raise ApiFailed(
                    f"{where}: expected 'total_pages' as a whole number, got {_json_kind(total)}"
                )
        else:
            cursor = body.get(self.transport.next_cursor_key or "")
            if cursor is not None and not isinstance(cursor, (str, int)):
                raise ApiFailed(
                    f"{where}: expected '{self.transport.next_cursor_key}' as a cursor string "
                    f"or null, got {_json_kind(cursor)}"
                )
        return records, body

    def pages(
        self, obj: SourceObject, since: dt.datetime | None, sweep: Sweep
    ) -> Iterator[list[dict]]:
        """Every page of records changed since `since` (local time), in the server's order."""
        t = self.transport
        base: dict[str, object] = {t.size_param: t.page_size}
        if since is not None:
            base[t.incremental_param] = since.replace(tzinfo=LOCAL).isoformat()
        if t.paging == "page":
            page = 1
            while True:
                answer = self._get(obj.path or "", {**base, t.page_param: page}, sweep)
                records, body = self._page(obj.path or "", f"page {page}", answer)
                yield records
                if page >= int(body.get("total_pages") or 0):
                    return
                page += 1
        else:
            cursor, page = None, 1
            while True:
                params = dict(base) if cursor is None else {**base, t.page_param: cursor}
                answer = self._get(obj.path or "", params, sweep)
                label = f"page {page}" + (f" (cursor {cursor})" if cursor else "")
                records, body = self._page(obj.path or "", label, answer)
                yield records
                page += 1
                cursor = body.get(t.next_cursor_key or "")
                if not cursor:
                    return


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own back-off


def records_in_window(
    client: ApiClient,
    obj: SourceObject,
    since: dt.datetime | None,
    until: dt.datetime,
    sweep: Sweep,
) -> Iterator[tuple[str | None, ...]]:
    """Rows (contract field order, as text) of records changed before `until`.

    A record changed after the night's end belongs to a later night: it is left for
    that night, so a rerun of this night lands the same records as the first run.
    """
    stamp_field = obj.incremental_column or "updatedAt"
    for number, page in enumerate(client.pages(obj, since, sweep), start=1):
        for index, record in enumerate(page, start=1):
            if not isinstance(record.get(stamp_field), str):
                raise ApiFailed(
                    f"{obj.path} page {number}: expected record {index} to carry "
                    f"'{stamp_field}' as an ISO-8601 instant, got "
                    + ("none" if stamp_field not in record else _json_kind(record[stamp_field]))
                )
            changed = parse_instant(record[stamp_field])
            if changed >= until:
                sweep.beyond_window += 1
                continue
            sweep.latest = changed if sweep.latest is None else max(sweep.latest, changed)
            yield tuple(as_text(record.get(name)) for name in obj.field_names)
