"""Alerts against the simulator's truth over many real nights, with the time each took.

    .venv/bin/python bench/score_nights.py --profile county --nights 30

A state folder of its own (bench/results/score-<profile>/, its own embedded warehouse):
simulate the profile with `--nights` nights of deliveries, run every night through the
real DAGs in order (`sunshine nightly --from --to`: extraction, GX checks, dbt), then
`sunshine score --truth` on the last night. Prints and saves the per-rule table and the
per-night times; the times are reported next to the first night (a full load), as
ratios, since seconds depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
SUNSHINE = Path(sys.executable).parent / "sunshine"


def run(args: list[str], env: dict[str, str], log) -> str:
    started = time.monotonic()
    result = subprocess.run([str(SUNSHINE), *args], env=env, capture_output=True, text=True)
    log.write(f"$ sunshine {' '.join(args)}  ({time.monotonic() - started:.0f} s)\n")
    log.write(result.stdout + result.stderr)
    log.flush()
    if result.returncode != 0:
        raise SystemExit(
            f"sunshine {' '.join(args)} failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="county")
    parser.add_argument("--nights", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261103)
    parser.add_argument("--start", default="2026-10-06", help="first night, YYYY-MM-DD")
    args = parser.parse_args()

    home = RESULTS / f"score-{args.profile}"
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SUNSHINE_HOME": str(home)}
    env.pop("SUNSHINE_WAREHOUSE_URL", None)
    start = dt.date.fromisoformat(args.start)
    last = start + dt.timedelta(days=args.nights - 1)
    city = home / "city"
    with open(home / "run.log", "w", encoding="utf-8") as log:
        run(["warehouse", "start"], env, log)
        run(
            ["simulate", "--profile", args.profile, "--seed", str(args.seed),
             "--start", str(start), "--nights", str(args.nights), "--out", str(city)],
            env, log,
        )  # fmt: skip
        nights: dict[str, float] = {}
        night = start
        while night <= last:
            began = time.monotonic()
            run(
                ["nightly", "--date", str(night), "--sources", str(city / "sources.yaml")], env, log
            )
            nights[str(night)] = time.monotonic() - began
            print(f"night {night}: {nights[str(night)]:.0f} s", flush=True)
            night += dt.timedelta(days=1)
        table = run(["score", "--truth", str(city / "truth.csv")], env, log)
    first = next(iter(nights.values()))
    later = list(nights.values())[1:]
    summary = {
        "profile": args.profile,
        "nights": args.nights,
        "first_night_seconds": round(first, 1),
        "later_night_mean_over_first": round(sum(later) / len(later) / first, 3) if later else None,
        "night_seconds": {k: round(v, 1) for k, v in nights.items()},
        "score": table,
    }
    (RESULTS / f"score_{args.profile}.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False)
    )
    print(table)
    ratio = summary["later_night_mean_over_first"]
    print(f"first night {first:.0f} s; a later night takes {ratio} of it on average")


if __name__ == "__main__":
    main()
