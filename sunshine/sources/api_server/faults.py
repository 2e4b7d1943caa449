"""Injected failures: the load shedding and maintenance a real API shows a client.

A plan answers each request with an error status or with nothing (serve it). Two
ways, combinable:

- `rates`: a share of requests per status, e.g. `{429: 0.05, 503: 0.02}`. The draw
  for a request is a hash of the seed, the request target (path and query) and how
  many times that target was asked for before, so a run is reproducible even when
  several endpoints are read at once, and a retry of a failed page is a fresh draw.
- `fail_next(count, status)`: the next `count` requests fail with `status`, whatever
  the rates; for tests that need a failure at a known moment.

A failed request touches nothing: the retry of the same page or cursor gets the data
the failed one would have got.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, deque
from collections.abc import Mapping

from sunshine.contracts.model import HttpApiTransport, System
from sunshine.errors import SunshineError


class FaultPlan:
    """Which requests fail, and with which status; safe to share between threads."""

    def __init__(
        self,
        rates: Mapping[int, float] | None = None,
        *,
        seed: int = 0,
        retry_after_seconds: int = 1,
    ) -> None:
        self.rates = dict(rates or {})
        for status, rate in self.rates.items():
            if not 400 <= status <= 599:
                raise SunshineError(f"fault status {status} is not an HTTP error status")
            if not 0.0 <= rate <= 1.0:
                raise SunshineError(f"fault rate {rate} for status {status} is not within 0-1")
        if sum(self.rates.values()) > 1.0:
            raise SunshineError(f"fault rates {self.rates} add up to more than 1")
        if retry_after_seconds < 0:
            raise SunshineError("Retry-After cannot be negative")
        self.seed = seed
        self.retry_after_seconds = retry_after_seconds
        self._lock = threading.Lock()
        self._forced: deque[int] = deque()
        self._asked: Counter[str] = Counter()

    @classmethod
    def from_contract(cls, system: System, rate: float, seed: int = 0) -> FaultPlan:
        """`rate` of all requests fail, spread evenly over the statuses the contract
        says the system answers under trouble (poverty: 429 and 503; employment: 500).
        """
        transport = system.transport
        if not isinstance(transport, HttpApiTransport):
            raise SunshineError(f"system '{system.code}' is not an HTTP API")
        statuses = transport.retryable_statuses
        return cls({s: rate / len(statuses) for s in statuses}, seed=seed)

    def fail_next(self, count: int, status: int) -> None:
        """The next `count` requests answer `status` (before any drawn fault)."""
        if not 400 <= status <= 599:
            raise SunshineError(f"fault status {status} is not an HTTP error status")
        with self._lock:
            self._forced.extend([status] * count)

    def clear(self) -> None:
        """Forget the pending `fail_next` failures."""
        with self._lock:
            self._forced.clear()

    def draw(self, target: str) -> int | None:
        """The error status this request gets, or None to serve it."""
        with self._lock:
            if self._forced:
                return self._forced.popleft()
            attempt = self._asked[target]
            self._asked[target] += 1
        if not self.rates:
            return None
        digest = hashlib.blake2b(
            f"{self.seed}\0{target}\0{attempt}".encode(), digest_size=8
        ).digest()
        point = int.from_bytes(digest, "big") / 2**64
        reached = 0.0
        for status, rate in sorted(self.rates.items()):
            reached += rate
            if point < reached:
                return status
        return None

    def __repr__(self) -> str:
        return (
            f"FaultPlan(rates={self.rates}, seed={self.seed}, "
            f"retry_after_seconds={self.retry_after_seconds}, pending={list(self._forced)})"
        )
