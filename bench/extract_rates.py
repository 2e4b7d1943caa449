"""Extraction rate per transport, next to the ceiling of a plain COPY of the same rows.

    .venv/bin/python bench/extract_rates.py --sources DIR/sources.yaml --night 2026-12-31

Run it against simulated sources (`sunshine simulate --profile city ...`) and a warehouse
(`SUNSHINE_WAREHOUSE_URL`, or the embedded one). It drops the raw tables it measures,
extracts everything delivered up to `--night` in one load per object (the first load of
a new deployment, the largest a connector ever does), then copies the very rows it
landed into a plain table of the same server with COPY. The figure that matters is the
ratio of the two rates, measured in the same run on the same machine: it says how much
the connector costs over moving bytes, whatever the machine's speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

from sunshine.config import warehouse_url
from sunshine.contracts import SYSTEMS
from sunshine.load.extract import extract_object
from sunshine.sources.registry import SOURCES_FILE_ENV, load_sources

TRANSPORT_NAMES = {"database": "database", "file_drop": "file drop", "http_json_api": "JSON API"}


def reset(url: str, system: str, obj: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop table if exists {}").format(sql.Identifier("raw", f"{system}__{obj}"))
        )
        if conn.execute("select to_regclass('ops.load_ledger')").fetchone()[0]:
            conn.execute(
                "delete from ops.load_ledger where system = %s and object = %s", (system, obj)
            )


def ceiling_seconds(url: str, system: str, obj) -> float:
    """Seconds to COPY the landed rows, as text, into a plain table of the same server."""
    columns = sql.SQL(", ").join(map(sql.Identifier, obj.aliases))
    buffer = io.BytesIO()
    with psycopg.connect(url) as conn:
        with conn.cursor().copy(
            sql.SQL("copy (select {} from {}) to stdout").format(
                columns, sql.Identifier("raw", f"{system}__{obj.name}")
            )
        ) as copy:
            for chunk in copy:
                buffer.write(chunk)
        conn.execute(
            sql.SQL("create temporary table ceiling ({})").format(
                sql.SQL(", ").join(
                    sql.SQL("{} text").format(sql.Identifier(a)) for a in obj.aliases
                )
            )
        )
        data = buffer.getvalue()
        started = time.perf_counter()
        with conn.cursor().copy(sql.SQL("copy ceiling ({}) from stdin").format(columns)) as copy:
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
        conn.commit()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--night", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, default=Path("bench/results/extract_rates.json"))
    parser.add_argument("--only", nargs="*", default=[], help="system.object names to measure")
    args = parser.parse_args()
    os.environ[SOURCES_FILE_ENV] = str(args.sources.resolve())
    url = warehouse_url()
    os.environ.setdefault("SUNSHINE_WAREHOUSE_URL", url)
    sources = load_sources(args.sources)

    servers = []
    if any(SYSTEMS[s].transport.kind == "http_json_api" for s in sources):
        from sunshine.sources.api_server import serve_sources

        servers = serve_sources(args.sources)
    results = []
    try:
        for code in sources:
            system = SYSTEMS[code]
            for obj in system.objects:
                if args.only and f"{code}.{obj.name}" not in args.only:
                    continue
                reset(url, code, obj.name)
                started = time.perf_counter()
                outcome = extract_object(code, obj.name, args.night)
                seconds = time.perf_counter() - started
                if not outcome.rows_landed:
                    continue
                ceiling = ceiling_seconds(url, code, obj)
                results.append(
                    {
                        "transport": system.transport.kind,
                        "system": code,
                        "object": obj.name,
                        "rows": outcome.rows_landed,
                        "seconds": round(seconds, 3),
                        "ceiling_seconds": round(ceiling, 3),
                    }
                )
                print(
                    f"{code}.{obj.name}: {outcome.rows_landed:,} rows in {seconds:.1f} s",
                    file=sys.stderr,
                )
    finally:
        for server in servers:
            server.stop()

    print(f"{'transport':<10} {'rows':>12} {'rows/s':>12} {'COPY rows/s':>12} {'ratio':>7}")
    summary = {}
    for kind, label in TRANSPORT_NAMES.items():
        mine = [r for r in results if r["transport"] == kind]
        if not mine:
            continue
        rows = sum(r["rows"] for r in mine)
        rate = rows / sum(r["seconds"] for r in mine)
        ceiling = rows / sum(r["ceiling_seconds"] for r in mine)
        summary[kind] = {
            "rows": rows,
            "rows_per_second": round(rate),
            "copy_rows_per_second": round(ceiling),
            "ratio": round(rate / ceiling, 3),
        }
        print(f"{label:<10} {rows:>12,} {rate:>12,.0f} {ceiling:>12,.0f} {rate / ceiling:>7.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"night": str(args.night), "summary": summary, "objects": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
