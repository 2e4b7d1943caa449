"""A wrong-shaped API answer names the endpoint, the page and the shape expected.

Before, a body without the contract's records key failed the night with "'data'".
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sunshine.contracts import get_system
from sunshine.sources import api
from sunshine.sources.registry import SourceConfig

POVERTY = get_system("poverty")
EMPLOYMENT = get_system("employment")
CHANGED = "2026-10-04T09:00:00+08:00"


class Answers:
    """The bodies the server gives, one per request, in order."""

    bodies: list[bytes] = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        body = Answers.bodies.pop(0)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def sweep(base_url: str, system, object_name: str, *bodies: object) -> list:
    Answers.bodies = [json.dumps(b).encode() for b in bodies]
    config = SourceConfig(system.code, {"base_url": base_url, "token": "t", "api_key": "k"})
    client = api.ApiClient(config, system.transport, sleep=lambda _: None)
    obj = system.get_object(object_name)
    return list(api.records_in_window(client, obj, None, dt.datetime(2027, 1, 1), api.Sweep()))


HOUSEHOLDS = POVERTY.get_object("households").path
SUBSIDIES = EMPLOYMENT.get_object("subsidies").path


@pytest.mark.parametrize(
    ("system", "obj", "bodies", "message"),
    [
        (
            POVERTY,
            "households",
            [[{"householdId": "H1"}]],
            f"{HOUSEHOLDS} page 1: expected a JSON object with a 'data' list of records, "
            "got a JSON list",
        ),
        (
            POVERTY,
            "households",
            [{"items": [], "total_pages": 1}],
            f"{HOUSEHOLDS} page 1: expected a JSON object with a 'data' list of records, "
            "got an object with 'items', 'total_pages'",
        ),
        (
            POVERTY,
            "households",
            [{"data": {"householdId": "H1"}, "total_pages": 1}],
            "page 1: expected .* got 'data' as a JSON object",
        ),
        (
            POVERTY,
            "households",
            [{"data": [], "total_pages": 2}, {"data": ["H1"], "total_pages": 2}],
            f"{HOUSEHOLDS} page 2: expected .* got record 1 as a JSON string",
        ),
        (
            POVERTY,
            "households",
            [{"data": [{"householdId": "H1"}], "total_pages": 1}],
            f"{HOUSEHOLDS} page 1: expected record 1 to carry 'updatedAt' .* got none",
        ),
        (
            POVERTY,
            "households",
            [{"data": [], "total_pages": "many"}],
            "page 1: expected 'total_pages' as a whole number, got a JSON string",
        ),
        (
            EMPLOYMENT,
            "subsidies",
            [{"items": [{"updatedAt": CHANGED}], "next_cursor": "c2"}, "busy"],
            f"{SUBSIDIES} page 2 \\(cursor c2\\): expected a JSON object with a 'items' list "
            "of records, got a JSON string",
        ),
    ],
)
def test_a_wrong_shaped_answer_names_endpoint_page_and_shape(
    base_url: str, system, obj: str, bodies: list, message: str
) -> None:
    with pytest.raises(api.ApiFailed, match=message) as failed:
        sweep(base_url, system, obj, *bodies)
    # A contract violated does not mend itself: it is not retried by Airflow.
    assert not isinstance(failed.value, api.ApiUnavailable)


def test_a_right_shaped_answer_still_flows(base_url: str) -> None:
    rows = sweep(
        base_url,
        POVERTY,
        "households",
        {"data": [{"householdId": "H1", "updatedAt": CHANGED}], "total_pages": 1},
    )
    assert len(rows) == 1 and rows[0][0] == "H1"
