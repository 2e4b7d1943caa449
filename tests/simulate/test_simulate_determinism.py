"""The same seed gives the same sources, byte for byte and row for row; another differs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import psycopg

from sunshine.config import with_database
from sunshine.simulate import build
from sunshine.simulate.databases import DATABASE_SYSTEMS
from support import NIGHTS, SEED, START, run_small

NOT_COMPARED = {"credentials.env"}  # random secrets, kept across runs on purpose


def content(p: Path) -> bytes:
    if p.name == "sources.yaml":  # each simulation serves its APIs on free ports of its own
        return re.sub(rb"127\.0\.0\.1:\d+", b"127.0.0.1:PORT", p.read_bytes())
    return p.read_bytes()


def file_hashes(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(content(p)).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name not in NOT_COMPARED
    }


def database_hashes(url: str) -> dict[str, str]:
    out = {}
    for system in DATABASE_SYSTEMS:
        with psycopg.connect(with_database(url, f"src_{system}")) as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    "select table_name from information_schema.tables where table_schema = %s "
                    "order by 1",
                    (system,),
                )
            ]
            for table in tables:
                digest = conn.execute(
                    "select md5(string_agg(t::text, E'\\n' order by t::text)) from "
                    f'"{system}"."{table}" t'
                ).fetchone()[0]
                out[f"{system}.{table}"] = digest
    return out


def test_same_seed_same_sources(small_city, tmp_path: Path) -> None:
    first_files = file_hashes(small_city.out)
    first_rows = database_hashes(small_city.warehouse_url)
    again = tmp_path / "again"
    run_small(again, small_city.warehouse_url)
    assert file_hashes(again) == first_files
    assert database_hashes(small_city.warehouse_url) == first_rows


def test_another_seed_another_city() -> None:
    quiet = lambda _line: None  # noqa: E731
    one, truth_one = build("small", SEED, START, NIGHTS, say=quiet)
    two, truth_two = build("small", SEED + 1, START, NIGHTS, say=quiet)
    assert [p.id_number for p in one.pop.persons[:100]] != [
        p.id_number for p in two.pop.persons[:100]
    ]
    assert [(f.rule, f.subject_key) for f in truth_one.findings] != [
        (f.rule, f.subject_key) for f in truth_two.findings
    ]
