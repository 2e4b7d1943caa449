"""Time of a full `dbt build` and of one more night, and the share dbt spends outside SQL.

    .venv/bin/python bench/dbt_build.py --sources DIR/sources.yaml \\
        --first-night 2026-11-04 --next-night 2026-11-05

Run it against simulated sources (`sunshine simulate --profile city ...`) and a warehouse
(`SUNSHINE_WAREHOUSE_URL`, or the embedded one). It extracts `--first-night` (everything
delivered up to it) into a database of its own, builds every model from scratch
(`--full-refresh`), extracts `--next-night` (one night's slice) and builds again, as the
nightly pipeline does. For each build it reports the wall time, the time dbt's run
phase took (run_results.json `elapsed_time`) and the sum of the node times in it;
wall minus run phase is start-up and parsing, spent outside the database. `dbt parse`
alone is timed too. The figures that matter are ratios, measured in the same run on the
same machine: next night / full build, and outside / wall.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from sunshine.config import warehouse_url, with_database
from sunshine.dbt import dbt_environment, dbt_executable
from sunshine.paths import DBT_PROJECT_DIR


def sunshine(*args: str, url: str) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "sunshine"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "SUNSHINE_WAREHOUSE_URL": url},
    )
    if result.returncode != 0:
        raise SystemExit(f"sunshine {' '.join(args)} failed:\n{result.stdout[-2000:]}")


def dbt(args: list[str], url: str, project: Path, target: Path) -> float:
    """Run dbt; the wall seconds it took."""
    env = {
        **os.environ,
        **dbt_environment(url),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs"),
    }
    started = time.perf_counter()
    result = subprocess.run(
        [str(dbt_executable()), *args, "--project-dir", str(project)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        tail = "\n".join(result.stdout.splitlines()[-20:])
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{tail}")
    return seconds


def build_figures(wall: float, target: Path) -> dict:
    results = json.loads((target / "run_results.json").read_text())
    nodes = sorted(results["results"], key=lambda r: -r["execution_time"])
    run_phase = results["elapsed_time"]
    return {
        "wall_seconds": round(wall, 1),
        "run_phase_seconds": round(run_phase, 1),
        "node_seconds_sum": round(sum(r["execution_time"] for r in nodes), 1),
        "outside_seconds": round(wall - run_phase, 1),
        "outside_share": round((wall - run_phase) / wall, 3),
        "nodes": len(nodes),
        "slowest": [
            {"node": r["unique_id"], "seconds": round(r["execution_time"], 1)} for r in nodes[:12]
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, required=True)
    parser.add_argument("--first-night", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--next-night", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--database", default="sunshine_bench_dbt")
    parser.add_argument("--project-dir", type=Path, default=DBT_PROJECT_DIR)
    parser.add_argument("--exclude", default="", help="dbt selector left out of both builds")
    parser.add_argument("--out", type=Path, default=Path("bench/results/dbt_build.json"))
    args = parser.parse_args()
    server = warehouse_url()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{args.database}" with (force)')
        conn.execute(f'create database "{args.database}"')
    url = with_database(server, args.database)
    sources = str(args.sources.resolve())
    figures: dict = {
        "first_night": str(args.first_night),
        "next_night": str(args.next_night),
        "excluded": args.exclude,
    }
    with tempfile.TemporaryDirectory(prefix="dbt_build_bench_") as tmp:
        target = Path(tmp)
        started = time.perf_counter()
        sunshine(
            "nightly",
            "--extract-only",
            "--date",
            str(args.first_night),
            "--sources",
            sources,
            url=url,
        )
        figures["first_extract_seconds"] = round(time.perf_counter() - started, 1)
        print(
            f"extracted {args.first_night} in {figures['first_extract_seconds']} s", file=sys.stderr
        )
        parse = dbt(["parse", "--no-partial-parse"], url, args.project_dir, target)
        figures["parse_seconds"] = round(parse, 1)
        for name, night, extra in (
            ("full_build", args.first_night, ["--full-refresh"]),
            ("next_night_build", args.next_night, []),
        ):
            if name == "next_night_build":
                started = time.perf_counter()
                sunshine(
                    "nightly", "--extract-only", "--date", str(night), "--sources", sources, url=url
                )
                figures["next_extract_seconds"] = round(time.perf_counter() - started, 1)
            vars_ = json.dumps({"night": str(night)})
            leave_out = ["--exclude", *args.exclude.split()] if args.exclude else []
            wall = dbt(
                ["build", "--vars", vars_, *extra, *leave_out], url, args.project_dir, target
            )
            figures[name] = build_figures(wall, target)
            print(f"{name}: {wall:.1f} s", file=sys.stderr)
    full, nxt = figures["full_build"], figures["next_night_build"]
    figures["ratios"] = {
        "next_night_over_full": round(nxt["wall_seconds"] / full["wall_seconds"], 3),
        "full_outside_share": full["outside_share"],
        "next_night_outside_share": nxt["outside_share"],
        "parse_over_next_night": round(figures["parse_seconds"] / nxt["wall_seconds"], 3),
    }
    print(json.dumps(figures["ratios"], indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
