"""`sunshine`: the front door to the warehouse, the nightly run, Superset and the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from sunshine.alerts.cli import alerts_app, score_command
from sunshine.cli_common import friendly
from sunshine.errors import SunshineError
from sunshine.superset.cli import superset_app

app = typer.Typer(
    help="Sunshine: follow welfare money from budget to household.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
warehouse_app = typer.Typer(help="The embedded PostgreSQL warehouse.", no_args_is_help=True)
app.add_typer(warehouse_app, name="warehouse")
app.add_typer(superset_app, name="superset")
sources_app = typer.Typer(help="The source systems (simulated or real).", no_args_is_help=True)
app.add_typer(sources_app, name="sources")
app.add_typer(alerts_app, name="alerts")
settings_app = typer.Typer(
    help="The SUNSHINE_* variables (docs/settings.md).", no_args_is_help=True
)
app.add_typer(settings_app, name="settings")
app.command("score")(score_command)

PortOption = Annotated[
    int | None, typer.Option("--port", min=1, max=65535, help="TCP port (default: a free one).")
]


@warehouse_app.command("start")
@friendly
def warehouse_start(port: PortOption = None) -> None:
    """Start the embedded warehouse (created on first use) and print its URL."""
    from sunshine.warehouse import EmbeddedWarehouse

    typer.echo(EmbeddedWarehouse().start(port=port))


@warehouse_app.command("stop")
@friendly
def warehouse_stop() -> None:
    """Stop the embedded warehouse."""
    from sunshine.warehouse import EmbeddedWarehouse

    stopped = EmbeddedWarehouse().stop()
    typer.echo("warehouse stopped" if stopped else "warehouse was not running")


@warehouse_app.command("status")
@friendly
def warehouse_status() -> None:
    """Say whether the embedded warehouse runs, where, and on which port."""
    from sunshine.warehouse import EmbeddedWarehouse

    status = EmbeddedWarehouse().status()
    if status.running:
        typer.echo(
            f"running on 127.0.0.1:{status.port} (pid {status.pid}), data in {status.data_dir}"
        )
    else:
        typer.echo(f"not running (data in {status.data_dir})")
        raise typer.Exit(3)


@warehouse_app.command("url")
@friendly
def warehouse_url() -> None:
    """Print the URL every part uses (SUNSHINE_WAREHOUSE_URL wins when set)."""
    from sunshine.config import warehouse_url as url

    typer.echo(url())


@settings_app.command("table")
@friendly
def settings_table(
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Where to write it (default docs/settings.md; - prints)."),
    ] = None,
) -> None:
    """Write the table of every variable, generated from sunshine/settings.py."""
    from sunshine.settings import PROJECT_ROOT, settings_table

    text = settings_table()
    if output == Path("-"):
        typer.echo(text, nl=False)
        return
    target = output or PROJECT_ROOT / "docs" / "settings.md"
    target.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {target}")


@settings_app.command("show")
@friendly
def settings_show() -> None:
    """Print the settings as this environment has them (secrets masked)."""
    from sunshine.settings import current_settings, env_name

    for name, value in current_settings(warn_unknown=True).model_dump().items():
        shown = "(unset)" if value is None else value
        typer.echo(f"{env_name(name)}={shown}")


def parse_date(value: str, option: str) -> dt.date:
    from sunshine.orchestrate.nights import parse_night

    try:
        return parse_night(value)
    except ValueError:
        raise SunshineError(
            f"{option} {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-11-03"
        ) from None


def nights_between(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        raise SunshineError(f"--to {last} is before --from {first}: give the earlier night first")
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


DEMO_NIGHT = "2026-11-03"

SourcesOption = Annotated[
    Path | None,
    typer.Option("--sources", help="sources.yaml to read (default: the simulated sources)."),
]


@app.command()
@friendly
def nightly(
    date: Annotated[
        str | None, typer.Option("--date", help="The night to run, YYYY-MM-DD.")
    ] = None,
    first: Annotated[str | None, typer.Option("--from", help="First night of a range.")] = None,
    last: Annotated[str | None, typer.Option("--to", help="Last night of a range.")] = None,
    sources: SourcesOption = None,
    extract_only: Annotated[
        bool, typer.Option("--extract-only", help="Run the extraction DAG only.")
    ] = False,
) -> None:
    """Run the nightly DAGs through Airflow for one night, or for --from/--to in order."""
    from sunshine.orchestrate.runner import NIGHTLY_DAGS, run_night
    from sunshine.orchestrate.schedule import check_night

    if date and (first or last):
        raise SunshineError("give either --date or --from/--to, not both")
    if date:
        nights = [parse_date(date, "--date")]
        check_night(nights[0])
    elif first and last:
        # Both ends first: --to 9999-12-31 would otherwise list millions of nights.
        ends = parse_date(first, "--from"), parse_date(last, "--to")
        for end in ends:
            check_night(end)
        nights = nights_between(*ends)
    else:
        raise SunshineError("say which night: --date YYYY-MM-DD, or --from and --to")
    for night in nights:
        dags = NIGHTLY_DAGS[:1] if extract_only else NIGHTLY_DAGS
        log_file = run_night(night, sources_file=sources, say=typer.echo, dags=dags)
        typer.echo(f"night {night} done; Airflow's log: {log_file}")


@app.command()
@friendly
def setup(
    environments_only: Annotated[
        bool, typer.Option("--environments-only", help="Only install the environments.")
    ] = False,
) -> None:
    """Create what a fresh clone needs: Superset's env, Airflow's metadata, dbt's manifest."""
    from sunshine.setup import set_up

    set_up(say=typer.echo, environments_only=environments_only)


@app.command()
@friendly
def simulate(
    profile: Annotated[str, typer.Option("--profile", help="small | county | city")] = "small",
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same city.")] = 1,
    start: Annotated[str, typer.Option("--start", help="First night, YYYY-MM-DD.")] = "2026-10-01",
    nights: Annotated[int, typer.Option("--nights", min=1, help="Nights to play.")] = 30,
    variant: Annotated[
        str, typer.Option("--variant", help="Producer: default | messy | copied (variants.py).")
    ] = "default",
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for drops, stores, truth.")
    ] = None,
    warehouse_url: Annotated[
        str | None,
        typer.Option("--warehouse-url", help="Server for the source databases (default: ours)."),
    ] = None,
) -> None:
    """Stand up the ten systems of a synthetic city, with planted irregularities."""
    from sunshine.config import warehouse_url as configured_url
    from sunshine.paths import sources_dir
    from sunshine.simulate import simulate as run_simulation
    from sunshine.simulate.variants import get_variant

    get_variant(variant)  # a misspelt producer is refused before anything is written
    summary = run_simulation(
        profile,
        seed,
        parse_date(start, "--start"),
        nights,
        (out or sources_dir()).resolve(),
        warehouse_url or configured_url(),
        say=typer.echo,
        variant=variant,
    )
    typer.echo(
        f"{summary.source_rows:,} source rows for {summary.residents:,} residents, "
        f"{sum(summary.planted.values())} planted findings and "
        f"{sum(summary.decoys.values())} look-alikes in {summary.elapsed_seconds:.0f} s; "
        f"sources.yaml and truth.csv in {summary.out}"
    )


@sources_app.command("serve")
@friendly
def sources_serve(
    sources: SourcesOption = None,
    fault_rate: Annotated[
        float, typer.Option("--fault-rate", min=0.0, max=1.0, help="Share of failed requests.")
    ] = 0.0,
    fault_seed: Annotated[int, typer.Option("--fault-seed", help="Seed of the faults.")] = 0,
) -> None:
    """Serve the simulated JSON APIs of sources.yaml on 127.0.0.1 until Ctrl-C."""
    from sunshine.sources.api_server import serve_until_interrupted

    serve_until_interrupted(sources, fault_rate=fault_rate, fault_seed=fault_seed, say=typer.echo)


@app.command()
@friendly
def demo(
    date: Annotated[str, typer.Option("--date", help="The night to run.")] = DEMO_NIGHT,
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Superset's port.")] = 8088,
) -> None:
    """Set up, start the warehouse, run one night, and serve the dashboards until Ctrl-C."""
    from sunshine.demo import run_demo

    run_demo(parse_date(date, "--date"), port, say=typer.echo)


if __name__ == "__main__":
    app()
