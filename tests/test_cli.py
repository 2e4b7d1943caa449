"""Bad input to the CLI gets one line that says what to do, and a non-zero exit."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import run_cli


@pytest.fixture
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUNSHINE_HOME", str(tmp_path))
    monkeypatch.delenv("SUNSHINE_WAREHOUSE_URL", raising=False)
    return tmp_path


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def one_error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("value", ["2026/11/03", "20261103", "2026-13-01", "yesterday"])
def test_a_date_in_another_format_is_refused_with_the_format_to_use(private_home, value) -> None:
    line = one_error_line(run_cli("nightly", "--date", value))
    assert value in line and "YYYY-MM-DD" in line


def test_a_range_given_backwards_is_refused(private_home) -> None:
    line = one_error_line(run_cli("nightly", "--from", "2026-11-05", "--to", "2026-11-03"))
    assert "before" in line


def test_nightly_without_a_warehouse_says_how_to_get_one(private_home) -> None:
    line = one_error_line(run_cli("nightly", "--date", "2026-11-03"))
    assert "sunshine warehouse start" in line and "SUNSHINE_WAREHOUSE_URL" in line


def test_a_port_in_use_is_refused(private_home, busy_port: int) -> None:
    line = one_error_line(run_cli("warehouse", "start", "--port", str(busy_port)))
    assert f"port {busy_port} is in use" in line and "--port" in line


def test_a_warehouse_that_will_not_start_says_why(private_home) -> None:
    assert run_cli("warehouse", "start").returncode == 0
    assert run_cli("warehouse", "stop").returncode == 0
    # A data folder from a server version we do not have: postgres refuses it.
    (private_home / "warehouse" / "pgdata" / "PG_VERSION").write_text("9\n")
    line = one_error_line(run_cli("warehouse", "start"))
    assert "did not start" in line and "incompatible" in line and "server.log" in line


def test_the_warehouse_starts_stops_and_reports(private_home) -> None:
    started = run_cli("warehouse", "start")
    assert started.returncode == 0, started.stderr
    url = started.stdout.strip()
    assert url.startswith("postgresql://sunshine:") and "@127.0.0.1:" in url
    status = run_cli("warehouse", "status")
    assert status.returncode == 0 and "running on 127.0.0.1" in status.stdout
    assert run_cli("warehouse", "url").stdout.strip() == url
    assert run_cli("warehouse", "stop").returncode == 0
    stopped = run_cli("warehouse", "status")
    assert stopped.returncode == 3 and "not running" in stopped.stdout
    assert os.stat(private_home / "warehouse" / "state.json").st_mode & 0o077 == 0
