"""The simulated poverty and employment APIs, against the contracts, over real HTTP.

Fast: small SQLite stores written here with the simulator's schema, servers on
127.0.0.1 port 0, `requests` as the client. No warehouse.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from sunshine.contracts import get_system
from sunshine.contracts.model import HttpApiTransport
from sunshine.errors import SunshineError
from sunshine.sources.api_server import (
    FaultPlan,
    RunningServer,
    StoreError,
    serve_sources,
    serve_system,
)

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
BASE = dt.datetime(2026, 11, 3, 21, 0, 0, tzinfo=SHANGHAI)
STEP = dt.timedelta(seconds=37)  # instants on a coarse grid, so many records share one
TOKEN = "poverty-test-token"
KEY = "employment-test-key"
POVERTY = get_system("poverty")
EMPLOYMENT = get_system("employment")
HOUSEHOLDS = POVERTY.get_object("households")
ASSISTANCE = POVERTY.get_object("assistance")
SUBSIDIES = EMPLOYMENT.get_object("subsidies")
EMPLOYMENT_GONE = {"EA2026-0003", "EA2026-0011"}  # marked deleted in the store


def transport(system) -> HttpApiTransport:
    assert isinstance(system.transport, HttpApiTransport)
    return system.transport


PT = transport(POVERTY)
ET = transport(EMPLOYMENT)


# --- the stores --------------------------------------------------------------------


def instant(record: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(record["updatedAt"])


def households() -> list[dict]:
    rng = random.Random(7)
    records = []
    for i in range(23):
        at = BASE + STEP * rng.randrange(8)
        # Some written in UTC: the order is the instant's, not the text's.
        shown = at.astimezone(dt.UTC) if i % 5 == 0 else at
        records.append(
            {
                "householdId": f"H320113001{i % 3:03d}-{(i * 7919) % 10000:04d}",
                "headIdNumber": f"32011319{50 + i}0101{i:03d}X",
                "villageCode": f"320113001{i % 3:03d}",
                "monitorStatus": "monitoring",
                "riskTypes": ["illness"],
                "identifiedAt": "2025-03-01",
                "eliminatedAt": None,
                "members": [{"idNumber": "x", "name": "张三", "relation": "head"}],
                "updatedAt": shown.isoformat(),
                "deleted": i % 6 == 0,
            }
        )
    rng.shuffle(records)  # stored in neither key nor time order
    return records


def assistance() -> list[dict]:
    return [
        {
            "recordId": f"A{i:04d}",
            "householdId": "H320113001000-0000",
            "fundLineCode": "FL-POV",
            "measure": "cash",
            "amount": "2500.00",
            "grantedAt": "2026-10-01",
            "voucherNo": None,
            "updatedAt": (BASE + STEP * i).isoformat(),
            "deleted": False,
        }
        for i in (3, 1, 2, 0)
    ]


def subsidies() -> list[dict]:
    rng = random.Random(11)
    records = []
    for i in range(17):
        at = BASE + STEP * rng.randrange(6)
        records.append(
            {
                "applicationId": f"EA2026-{(i * 13) % 17:04d}",
                "subsidyType": "welfare_job",
                "fundLineCode": "FL-EMP",
                "applicantIdNumber": f"3201131980010{i:04d}",
                "applicantName": "李四",
                "enterpriseCreditCode": None,
                "enterpriseName": None,
                "amountFen": 150000 + i,
                "period": "202610",
                "approvedAt": "2026-10-05T10:00:00+08:00",
                "paidAt": None,
                "status": "approved",
                "updatedAt": (at.astimezone(dt.UTC) if i % 4 == 0 else at).isoformat(),
            }
        )
    rng.shuffle(records)
    return records


def utc_text(value: str, style: str) -> str:
    """`updated_at_utc` as a store writes it: `Z` seconds, or isoformat with micros."""
    utc = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
    if style == "Z":
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    return utc.isoformat(sep=" ", timespec="microseconds")


def write_table(conn: sqlite3.Connection, obj, records: list[dict], style: str) -> None:
    (key,) = obj.key
    conn.execute(
        f'CREATE TABLE "{obj.name}" (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, '
        "updated_at_utc TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL)"
    )
    conn.execute(f'CREATE INDEX "{obj.name}_changes" ON "{obj.name}" (updated_at_utc, id)')
    for r in records:
        deleted = r.get("deleted", r[key] in EMPLOYMENT_GONE)
        conn.execute(
            f'INSERT INTO "{obj.name}" VALUES (?, ?, ?, ?, ?)',
            (
                r[key],
                r["updatedAt"],
                utc_text(r["updatedAt"], style),
                int(deleted),
                json.dumps(r, ensure_ascii=False),
            ),
        )


def write_store(path: Path, tables: dict, style: str = "Z") -> Path:
    conn = sqlite3.connect(path)
    with conn:
        for obj, records in tables.items():
            write_table(conn, obj, records, style)
    conn.close()
    return path


def poverty_store(folder: Path, style: str = "Z") -> Path:
    tables = {HOUSEHOLDS: households(), ASSISTANCE: assistance()}
    return write_store(folder / "poverty.sqlite", tables, style)


def employment_store(folder: Path, style: str = "Z") -> Path:
    return write_store(folder / "employment.sqlite", {SUBSIDIES: subsidies()}, style)


def in_feed_order(records: list[dict], key: str) -> list[dict]:
    return sorted(records, key=lambda r: (instant(r).astimezone(dt.UTC), r[key]))


# --- servers and a client ----------------------------------------------------------


@pytest.fixture(scope="module", params=["Z", "iso"])
def style(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def poverty(tmp_path_factory: pytest.TempPathFactory, style: str) -> Iterator[RunningServer]:
    store = poverty_store(tmp_path_factory.mktemp(f"poverty-{style}"), style)
    with serve_system("poverty", store, credential=TOKEN, faults=FaultPlan()) as server:
        yield server


@pytest.fixture(scope="module")
def employment(tmp_path_factory: pytest.TempPathFactory, style: str) -> Iterator[RunningServer]:
    store = employment_store(tmp_path_factory.mktemp(f"employment-{style}"), style)
    with serve_system("employment", store, credential=KEY, faults=FaultPlan()) as server:
        yield server


@pytest.fixture(autouse=True)
def no_pending_faults(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    for name in ("poverty", "employment"):
        if name in request.fixturenames:
            server = request.getfixturevalue(name)
            if server.faults is not None:
                server.faults.clear()


def get(server: RunningServer, path: str, auth: bool = True, **params) -> requests.Response:
    t = transport(server.system)
    credential = TOKEN if server.system.code == "poverty" else KEY
    headers = {t.auth_header: t.auth_prefix + credential} if auth else {}
    return requests.get(server.url + path, params=params, headers=headers, timeout=10)


def all_pages(server: RunningServer, path: str, size: int, **params) -> list[list[dict]]:
    """Every numbered page, following total_pages as a client would."""
    pages, page = [], 1
    while True:
        response = get(server, path, **{PT.page_param: page, PT.size_param: size}, **params)
        assert response.status_code == 200, response.text
        document = response.json()
        assert document[PT.page_param] == page and document[PT.size_param] == size
        pages.append(document[PT.items_key])
        if page >= document["total_pages"]:
            return pages
        page += 1


def all_cursor_pages(server: RunningServer, limit: int, **params) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        extra = {ET.page_param: cursor} if cursor else {}
        response = get(server, SUBSIDIES.path, **{ET.size_param: limit}, **extra, **params)
        assert response.status_code == 200, response.text
        document = response.json()
        pages.append(document[ET.items_key])
        cursor = document[ET.next_cursor_key]
        if cursor is None:
            return pages
        assert len(pages) < 1000, "the cursor never ends"


def ids(records: list[dict], key: str) -> list[str]:
    return [r[key] for r in records]


# --- authentication ----------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": f"Token {TOKEN}"},
        {"Authorization": TOKEN},
        {"X-Api-Key": TOKEN},
    ],
    ids=["none", "wrong-token", "wrong-scheme", "no-scheme", "other-header"],
)
def test_poverty_refuses_a_request_without_its_bearer_token(
    poverty: RunningServer, headers: dict
) -> None:
    response = requests.get(poverty.url + HOUSEHOLDS.path, headers=headers, timeout=10)
    assert response.status_code == PT.unauthorized_status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["message"]
    assert PT.items_key not in response.json()


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Api-Key": "not-the-key"}, {"Authorization": f"Bearer {KEY}"}],
    ids=["none", "wrong-key", "other-header"],
)
def test_employment_refuses_a_request_without_its_api_key(
    employment: RunningServer, headers: dict
) -> None:
    response = requests.get(employment.url + SUBSIDIES.path, headers=headers, timeout=10)
    assert response.status_code == ET.unauthorized_status == 403
    assert "X-Api-Key" in response.json()["message"]


def test_the_right_credential_is_served_with_the_contract_response_keys(
    poverty: RunningServer, employment: RunningServer
) -> None:
    scheme_in_lower_case = requests.get(
        poverty.url + HOUSEHOLDS.path, headers={"Authorization": f"bearer {TOKEN}"}, timeout=10
    )
    assert scheme_in_lower_case.status_code == 200
    for server, t in ((poverty, PT), (employment, ET)):
        for obj in server.system.objects:
            response = get(server, obj.path)
            assert response.status_code == 200, response.text
            assert response.headers["Content-Type"].startswith("application/json")
            assert list(response.json()) == list(t.response_keys)


# --- paging ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 5, 22, 23, 24, PT.max_page_size])
def test_numbered_pages_cover_every_record_exactly_once_in_feed_order(
    poverty: RunningServer, size: int
) -> None:
    expected = ids(in_feed_order(households(), "householdId"), "householdId")
    pages = all_pages(poverty, HOUSEHOLDS.path, size)
    assert len(pages) == math.ceil(len(expected) / size)
    assert all(len(page) == size for page in pages[:-1]) and 0 < len(pages[-1]) <= size
    assert [r["householdId"] for page in pages for r in page] == expected

    first = get(poverty, HOUSEHOLDS.path, **{PT.size_param: size}).json()
    assert first["total"] == len(expected)
    assert first["total_pages"] == len(pages)
    past_the_end = get(poverty, HOUSEHOLDS.path, **{PT.page_param: len(pages) + 1}).json()
    assert past_the_end[PT.items_key] == [] and past_the_end["total"] == len(expected)


def test_the_default_page_is_the_first_of_the_contract_page_size(poverty: RunningServer) -> None:
    document = get(poverty, ASSISTANCE.path).json()
    assert document[PT.page_param] == 1 and document[PT.size_param] == PT.page_size == 500
    assert ids(document[PT.items_key], "recordId") == ["A0000", "A0001", "A0002", "A0003"]


@pytest.mark.parametrize("limit", [1, 2, 5, 14, 15, 16, ET.page_size])
def test_cursor_pages_cover_every_record_exactly_once_in_feed_order(
    employment: RunningServer, limit: int
) -> None:
    live = [r for r in subsidies() if r["applicationId"] not in EMPLOYMENT_GONE]
    expected = ids(in_feed_order(live, "applicationId"), "applicationId")
    pages = all_cursor_pages(employment, limit)
    # A full page is followed by a cursor only when more records remain.
    assert len(pages) == math.ceil(len(expected) / limit)
    assert all(len(page) == limit for page in pages[:-1])
    assert [r["applicationId"] for page in pages for r in page] == expected


def test_records_are_ordered_by_their_instant_then_id(poverty: RunningServer) -> None:
    records = households()
    expected = ids(in_feed_order(records, "householdId"), "householdId")
    by_text = ids(sorted(records, key=lambda r: (r["updatedAt"], r["householdId"])), "householdId")
    by_id = sorted(expected)
    assert expected != by_text and expected != by_id  # the data can tell them apart
    served = get(poverty, HOUSEHOLDS.path).json()[PT.items_key]
    assert ids(served, "householdId") == expected
    instants = [instant(r) for r in served]
    assert instants == sorted(instants)
    ties = [r["householdId"] for r in served if instant(r) == instants[0]]
    assert len(ties) > 1 and ties == sorted(ties)


def test_records_are_served_exactly_as_stored(poverty: RunningServer) -> None:
    stored = {r["householdId"]: r for r in households()}
    served = get(poverty, HOUSEHOLDS.path).json()[PT.items_key]
    assert served == [stored[r["householdId"]] for r in served]
    assert any(m["name"] == "张三" for r in served for m in r["members"])


# --- incremental filters -------------------------------------------------------------


def boundary(records: list[dict]) -> dt.datetime:
    """An instant that several records share, neither the first nor the last."""
    counts: dict[dt.datetime, int] = {}
    for r in records:
        counts[instant(r)] = counts.get(instant(r), 0) + 1
    instants = sorted(counts)
    shared = [i for i in instants[1:-1] if counts[i] > 1]
    assert shared, "the test data needs a shared instant inside the feed"
    return shared[0]


def utc_z(instant_: dt.datetime) -> str:
    return instant_.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_updated_since_includes_records_at_the_instant(poverty: RunningServer) -> None:
    records = in_feed_order(households(), "householdId")
    t = boundary(records)
    at_or_after = ids([r for r in records if instant(r) >= t], "householdId")
    after = ids([r for r in records if instant(r) > t], "householdId")
    assert 0 < len(after) < len(at_or_after) - 1 < len(records)

    param = PT.incremental_param
    for written in (t.isoformat(), utc_z(t), t.astimezone(dt.timezone(-dt.timedelta(hours=5)))):
        document = get(poverty, HOUSEHOLDS.path, **{param: str(written)}).json()
        assert ids(document[PT.items_key], "householdId") == at_or_after, written
        assert document["total"] == len(at_or_after)
    # A bound half a second past the instant is after every record at it.
    halfway = (t + dt.timedelta(milliseconds=500)).isoformat()
    assert ids(get(poverty, HOUSEHOLDS.path, **{param: halfway}).json()["data"], "householdId") == (
        after
    )
    one_second_on = (t + dt.timedelta(seconds=1)).isoformat()
    served = get(poverty, HOUSEHOLDS.path, **{param: one_second_on}).json()[PT.items_key]
    assert ids(served, "householdId") == after


def test_updated_since_pages_like_the_whole_feed(poverty: RunningServer) -> None:
    records = in_feed_order(households(), "householdId")
    t = boundary(records)
    expected = ids([r for r in records if instant(r) >= t], "householdId")
    pages = all_pages(poverty, HOUSEHOLDS.path, 3, **{PT.incremental_param: utc_z(t)})
    assert [r["householdId"] for page in pages for r in page] == expected


def test_modified_after_excludes_records_at_the_instant(employment: RunningServer) -> None:
    live = [r for r in subsidies() if r["applicationId"] not in EMPLOYMENT_GONE]
    records = in_feed_order(live, "applicationId")
    t = boundary(records)
    after = ids([r for r in records if instant(r) > t], "applicationId")
    at_or_after = ids([r for r in records if instant(r) >= t], "applicationId")
    assert 0 < len(after) < len(at_or_after)

    for written in (t.isoformat(), utc_z(t)):
        pages = all_cursor_pages(employment, 2, **{ET.incremental_param: written})
        assert [r["applicationId"] for page in pages for r in page] == after, written
    just_before = (t - dt.timedelta(seconds=1)).isoformat()
    pages = all_cursor_pages(employment, 500, **{ET.incremental_param: just_before})
    assert [r["applicationId"] for page in pages for r in page] == at_or_after
    # Without an offset a time is Shanghai time, the contracts' convention.
    naive = t.astimezone(SHANGHAI).replace(tzinfo=None).isoformat()
    pages = all_cursor_pages(employment, 500, **{ET.incremental_param: naive})
    assert [r["applicationId"] for page in pages for r in page] == after


# --- deleted records -----------------------------------------------------------------


def test_deleted_poverty_records_stay_in_the_feed_marked_deleted(poverty: RunningServer) -> None:
    deleted = {r["householdId"] for r in households() if r["deleted"]}
    assert len(deleted) >= 2
    served = get(poverty, HOUSEHOLDS.path).json()[PT.items_key]
    assert {r["householdId"] for r in served if r[PT.soft_delete_field] is True} == deleted
    assert len(served) == len(households())


def test_employment_does_not_serve_records_its_store_marks_deleted(
    employment: RunningServer,
) -> None:
    assert ET.soft_delete_field is None
    served = [r for page in all_cursor_pages(employment, 500) for r in page]
    assert {r["applicationId"] for r in served}.isdisjoint(EMPLOYMENT_GONE)
    assert len(served) == len(subsidies()) - len(EMPLOYMENT_GONE)
    assert all("deleted" not in r for r in served)


# --- cursors -------------------------------------------------------------------------


def test_the_same_cursor_gives_the_same_page(employment: RunningServer) -> None:
    first = get(employment, SUBSIDIES.path, **{ET.size_param: 4}).json()
    cursor = first[ET.next_cursor_key]
    params = {ET.page_param: cursor, ET.size_param: 4}
    again = [get(employment, SUBSIDIES.path, **params) for _ in range(3)]
    assert all(r.status_code == 200 for r in again)
    assert again[0].content == again[1].content == again[2].content
    page = again[0].json()
    assert page[ET.items_key] and set(ids(page[ET.items_key], "applicationId")).isdisjoint(
        ids(first[ET.items_key], "applicationId")
    )
    assert page[ET.next_cursor_key] not in (None, cursor)


def test_a_cursor_sweep_misses_nothing_when_records_change_during_it(tmp_path: Path) -> None:
    store = employment_store(tmp_path)
    live = in_feed_order(
        [r for r in subsidies() if r["applicationId"] not in EMPLOYMENT_GONE], "applicationId"
    )
    with serve_system("employment", store, credential=KEY) as server:
        first = get(server, SUBSIDIES.path, **{ET.size_param: 5}).json()
        seen = ids(first[ET.items_key], "applicationId")
        assert seen == ids(live[:5], "applicationId")
        # While the client reads, one record it has seen and one it has not change.
        later = BASE + dt.timedelta(days=1)
        changed = {live[1]["applicationId"]: "paid", live[9]["applicationId"]: "revoked"}
        conn = sqlite3.connect(store)
        with conn:
            for key, status in changed.items():
                body = json.loads(
                    conn.execute("SELECT body FROM subsidies WHERE id = ?", (key,)).fetchone()[0]
                )
                body.update(status=status, updatedAt=later.isoformat())
                conn.execute(
                    "UPDATE subsidies SET updated_at = ?, updated_at_utc = ?, body = ? "
                    "WHERE id = ?",
                    (later.isoformat(), utc_z(later), json.dumps(body), key),
                )
        conn.close()
        cursor, rest = first[ET.next_cursor_key], []
        while cursor:
            page = get(server, SUBSIDIES.path, **{ET.size_param: 5, ET.page_param: cursor}).json()
            rest += page[ET.items_key]
            cursor = page[ET.next_cursor_key]
    rest_ids = ids(rest, "applicationId")
    assert set(seen) | set(rest_ids) == {r["applicationId"] for r in live}
    assert len(rest_ids) == len(set(rest_ids))
    # Both changed records come last, in their new state; unchanged ones come once.
    assert {r["applicationId"]: r["status"] for r in rest[-2:]} == changed
    assert len(seen) + len(rest_ids) == len(live) + 1  # the seen one, again


# --- faults --------------------------------------------------------------------------


def test_429_carries_retry_after_and_the_retry_gets_the_same_page(poverty: RunningServer) -> None:
    params = {PT.page_param: 2, PT.size_param: 5}
    before = get(poverty, HOUSEHOLDS.path, **params)
    assert poverty.faults is not None
    poverty.faults.fail_next(1, 429)
    refused = get(poverty, HOUSEHOLDS.path, **params)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == poverty.faults.retry_after_seconds >= 1
    assert PT.items_key not in refused.json() and "retry" in refused.json()["message"]
    retried = get(poverty, HOUSEHOLDS.path, **params)
    assert retried.status_code == 200 and retried.content == before.content


def test_503_maintenance_then_the_same_page(poverty: RunningServer) -> None:
    params = {PT.page_param: 3, PT.size_param: 4}
    before = get(poverty, HOUSEHOLDS.path, **params)
    assert poverty.faults is not None
    poverty.faults.fail_next(2, 503)
    statuses = [get(poverty, HOUSEHOLDS.path, **params).status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert get(poverty, HOUSEHOLDS.path, **params).content == before.content


def test_500_then_the_same_cursor_gets_the_same_page(employment: RunningServer) -> None:
    cursor = get(employment, SUBSIDIES.path, **{ET.size_param: 3}).json()[ET.next_cursor_key]
    params = {ET.page_param: cursor, ET.size_param: 3}
    before = get(employment, SUBSIDIES.path, **params)
    assert employment.faults is not None
    employment.faults.fail_next(1, 500)
    failed = get(employment, SUBSIDIES.path, **params)
    assert failed.status_code == 500 and ET.items_key not in failed.json()
    retried = get(employment, SUBSIDIES.path, **params)
    assert retried.status_code == 200 and retried.content == before.content


def test_forced_faults_reach_only_authenticated_requests(poverty: RunningServer) -> None:
    assert poverty.faults is not None
    poverty.faults.fail_next(1, 503)
    assert get(poverty, HOUSEHOLDS.path, auth=False).status_code == 401
    assert get(poverty, "/api/v1/nothing").status_code == 404
    assert get(poverty, HOUSEHOLDS.path).status_code == 503


def statuses_under(plan: FaultPlan, store: Path, system: str, credential: str) -> list[int]:
    obj = get_system(system).objects[0]
    with serve_system(system, store, credential=credential, faults=plan) as server:
        return [
            get(server, obj.path, **{transport(server.system).size_param: n % 4 + 1}).status_code
            for n in range(40)
        ]


def test_fault_rates_fail_the_contract_statuses_reproducibly(tmp_path: Path) -> None:
    store = poverty_store(tmp_path)
    runs = [
        statuses_under(FaultPlan.from_contract(POVERTY, 0.5, seed=seed), store, "poverty", TOKEN)
        for seed in (3, 3, 4)
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert set(runs[0]) == {200, 429, 503}
    assert 8 <= runs[0].count(200) <= 32  # about half

    employment_runs = statuses_under(
        FaultPlan.from_contract(EMPLOYMENT, 0.3, seed=3),
        employment_store(tmp_path),
        "employment",
        KEY,
    )
    assert set(employment_runs) == {200, 500}


def test_a_retry_is_a_fresh_draw() -> None:
    plan = FaultPlan({503: 0.5}, seed=1)
    draws = [plan.draw("/api/v1/households?page=1") for _ in range(30)]
    assert set(draws) == {None, 503}


@pytest.mark.parametrize(
    "rates", [{429: 1.5}, {200: 0.1}, {429: 0.6, 503: 0.6}], ids=["above-1", "not-error", "sum"]
)
def test_a_fault_plan_refuses_impossible_rates(rates: dict) -> None:
    with pytest.raises(SunshineError):
        FaultPlan(rates)


# --- parameter errors ----------------------------------------------------------------

PARAMETER_ERRORS = [
    ("poverty", {PT.page_param: "0"}, PT.page_param, "from 1"),
    ("poverty", {PT.page_param: "two"}, PT.page_param, "whole number"),
    ("poverty", {PT.page_param: "-1"}, PT.page_param, "whole number"),
    ("poverty", {PT.size_param: "0"}, PT.size_param, "from 1"),
    ("poverty", {PT.size_param: str(PT.max_page_size + 1)}, PT.size_param, "to 1000"),
    ("poverty", {PT.size_param: "2.5"}, PT.size_param, "whole number"),
    ("poverty", {PT.incremental_param: "yesterday"}, PT.incremental_param, "ISO-8601"),
    ("poverty", {PT.incremental_param: "2026-13-01T00:00:00+08:00"}, PT.incremental_param, "ISO"),
    ("poverty", {"modified_after": "2026-11-03"}, "modified_after", "unknown parameter"),
    ("poverty", {PT.page_param: ["1", "2"]}, PT.page_param, "more than once"),
    ("employment", {ET.size_param: "many"}, ET.size_param, "whole number"),
    ("employment", {ET.size_param: "0"}, ET.size_param, "from 1"),
    ("employment", {ET.page_param: "not-a-cursor"}, ET.page_param, "not a cursor"),
    ("employment", {ET.page_param: "WzEsICJ4IiwgIngiLCAieCJd"}, ET.page_param, "not a cursor"),
    ("employment", {ET.incremental_param: "03/11/2026"}, ET.incremental_param, "ISO-8601"),
    ("employment", {"updated_since": "2026-11-03"}, "updated_since", "unknown parameter"),
]


@pytest.mark.parametrize(
    ("system", "params", "parameter", "reason"),
    PARAMETER_ERRORS,
    ids=[f"{s}-{p}-{i}" for i, (s, _, p, _) in enumerate(PARAMETER_ERRORS)],
)
def test_a_bad_parameter_is_a_400_that_names_it(
    poverty: RunningServer,
    employment: RunningServer,
    system: str,
    params: dict,
    parameter: str,
    reason: str,
) -> None:
    server = poverty if system == "poverty" else employment
    response = get(server, server.system.objects[0].path, **params)
    assert response.status_code == 400, response.text
    document = response.json()
    assert document["parameter"] == parameter
    assert reason in document["message"]


def test_an_unencoded_plus_in_an_offset_is_explained(poverty: RunningServer) -> None:
    url = f"{poverty.url}{HOUSEHOLDS.path}?{PT.incremental_param}=2026-11-03T21:00:00+08:00"
    response = requests.get(url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert response.status_code == 400
    assert "%2B" in response.json()["message"]


def test_an_unknown_path_is_404_and_another_method_405(poverty: RunningServer) -> None:
    response = get(poverty, "/api/v1/household")
    assert response.status_code == 404
    assert HOUSEHOLDS.path in response.json()["message"]  # says what exists
    posted = requests.post(
        poverty.url + HOUSEHOLDS.path, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert posted.status_code == 405 and posted.headers["Allow"] == "GET"


# --- logging, start and stop ---------------------------------------------------------


def test_each_request_is_logged_once_with_its_status_and_rows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A server of its own: the module's shared one may still be logging an earlier test's
    # request (each request is served on a thread that logs after answering).
    caplog.set_level(logging.INFO, logger="sunshine.sources.api_server")

    def requests_logged() -> list[str]:  # not the server's own start and stop lines
        return [
            r.getMessage() for r in caplog.records if not r.getMessage().startswith("poverty: ")
        ]

    with serve_system("poverty", poverty_store(tmp_path), credential=TOKEN) as server:
        get(server, HOUSEHOLDS.path, **{PT.size_param: 7})
        get(server, ASSISTANCE.path, auth=False)
        deadline = time.monotonic() + 30
        while len(requests_logged()) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    # The second request's thread may log before the first's on a busy machine.
    lines = sorted(requests_logged())
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"poverty GET {ASSISTANCE.path} 401 0 rows"), lines
    assert lines[1].startswith(f"poverty GET {HOUSEHOLDS.path}?{PT.size_param}=7 200 7 rows"), lines
    assert TOKEN not in " ".join(lines)


def test_stop_closes_the_port(tmp_path: Path) -> None:
    with serve_system("poverty", poverty_store(tmp_path), credential=TOKEN) as server:
        url = server.url + HOUSEHOLDS.path
        assert server.port > 0
        assert requests.get(url, timeout=5).status_code == 401
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_a_store_without_an_endpoint_table_fails_at_start(tmp_path: Path) -> None:
    store = write_store(tmp_path / "poverty.sqlite", {HOUSEHOLDS: households()})
    with pytest.raises(StoreError, match="no table 'assistance'"):
        serve_system("poverty", store, credential=TOKEN)
    with pytest.raises(StoreError, match="no store"):
        serve_system("poverty", tmp_path / "missing.sqlite", credential=TOKEN)
    with pytest.raises(SunshineError, match="not an HTTP API"):
        serve_system("budget", store, credential=TOKEN)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sources_yaml(folder: Path, poverty_port: int, employment_port: int) -> Path:
    (folder / "api").mkdir()
    poverty_store(folder / "api")
    employment_store(folder / "api")
    path = folder / "sources.yaml"
    path.write_text(
        "systems:\n"
        "  budget:\n"
        "    url: sqlite:///nowhere.sqlite\n"
        "  poverty:\n"
        f"    base_url: http://127.0.0.1:{poverty_port}\n"
        "    token: ${TEST_POVERTY_TOKEN}\n"
        "    store: api/poverty.sqlite\n"
        "  employment:\n"
        f"    base_url: http://127.0.0.1:{employment_port}/hrss\n"
        f"    api_key: {KEY}\n"
        f"    store: {folder / 'api' / 'employment.sqlite'}\n",
        encoding="utf-8",
    )
    return path


def test_serve_sources_serves_each_api_system_where_sources_yaml_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_POVERTY_TOKEN", TOKEN)
    ports = free_port(), free_port()
    servers = serve_sources(sources_yaml(tmp_path, *ports), fault_rate=0.2, fault_seed=5)
    try:
        by_code = {s.system.code: s for s in servers}
        assert set(by_code) == {"poverty", "employment"}
        assert by_code["poverty"].url == f"http://127.0.0.1:{ports[0]}"
        assert by_code["employment"].url == f"http://127.0.0.1:{ports[1]}/hrss"
        assert set(by_code["poverty"].faults.rates) == set(PT.retryable_statuses)
        assert set(by_code["employment"].faults.rates) == set(ET.retryable_statuses)
        for server in servers:
            server.faults.rates.clear()
        assert get(by_code["poverty"], HOUSEHOLDS.path).json()["total"] == len(households())
        served = get(by_code["employment"], SUBSIDIES.path).json()[ET.items_key]
        assert len(served) == len(subsidies()) - len(EMPLOYMENT_GONE)
    finally:
        for server in servers:
            server.stop()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("    token: ${TEST_POVERTY_TOKEN}\n", ""), "needs 'token'"),
        (("api/poverty.sqlite", "api/elsewhere.sqlite"), "no store"),
        (("base_url: http://127.0.0.1:", "base_url: ftp://127.0.0.1:"), "must be http://"),
    ],
    ids=["no-token", "no-store", "not-http"],
)
def test_serve_sources_says_what_is_wrong_and_leaves_nothing_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: tuple[str, str], message: str
) -> None:
    monkeypatch.setenv("TEST_POVERTY_TOKEN", TOKEN)
    employment_port = free_port()
    path = sources_yaml(tmp_path, free_port(), employment_port)
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(SunshineError, match=message):
        serve_sources(path)
    with socket.socket() as s:  # employment may have started first: it was stopped
        s.bind(("127.0.0.1", employment_port))


def test_serving_until_ctrl_c(tmp_path: Path) -> None:
    path = sources_yaml(tmp_path, free_port(), free_port())
    script = (
        "import sys; from pathlib import Path; "
        "from sunshine.sources.api_server import serve_until_interrupted; "
        "serve_until_interrupted(Path(sys.argv[1]))"
    )
    env = {"TEST_POVERTY_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"}
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", script, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Ctrl-C"):
                break
        assert any(line.startswith("poverty: http://127.0.0.1:") for line in lines), lines
        process.send_signal(2)  # SIGINT, as Ctrl-C sends
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "API servers stopped" in out
