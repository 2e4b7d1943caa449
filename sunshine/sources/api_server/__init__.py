"""Simulated JSON HTTP APIs of the `poverty` and `employment` systems.

They serve, from the SQLite store the simulator writes (one table per endpoint),
exactly what the contracts promise: the auth header and its refusal status, page
or cursor paging, the incremental filter (inclusive for poverty, exclusive for
employment), deleted records, and the failures a client must survive (429 with
Retry-After and 503 for poverty, 500 for employment), injected by a `FaultPlan`.
Everything a client sees is read from the contract encoding in `sunshine.contracts`.

Where the contracts are silent, this server decides (the tests pin each):

- `page_size` above the maximum (1000) is refused with 400, not clamped: a client
  asking for more rows than it gets would count pages wrongly without noticing.
  A page past the last answers 200 with no records; `total_pages` is 0 when empty.
- `limit` (employment) has no maximum, as the contract states none.
- An unknown or repeated query parameter is refused with 400, so a misspelt filter
  cannot quietly return the whole feed. An empty `cursor=` means the first page.
- A date-time without an offset is Shanghai time, the contracts' convention.
- Records are ordered by their instant in UTC, then id; the filters compare instants
  (`+08:00` and `Z` for the same moment are the same bound).
- A system without a soft-delete field (employment) does not serve records its store
  marks deleted: there, deleted means gone from the feed.
- 429 carries `Retry-After` in whole seconds (`FaultPlan.retry_after_seconds`, 1 by
  default); 503 and 500 carry none, so a client backs off on its own.
- Checks run in this order: 404 unknown path, 405 not GET, 401/403 credential,
  injected fault, 400 parameters.
"""

from sunshine.sources.api_server.faults import FaultPlan
from sunshine.sources.api_server.protocol import Api, ApiError, Response
from sunshine.sources.api_server.server import (
    RunningServer,
    serve_sources,
    serve_system,
    serve_until_interrupted,
)
from sunshine.sources.api_server.store import Store, StoreError

__all__ = [
    "Api",
    "ApiError",
    "FaultPlan",
    "Response",
    "RunningServer",
    "Store",
    "StoreError",
    "serve_sources",
    "serve_system",
    "serve_until_interrupted",
]
