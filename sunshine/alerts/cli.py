"""`sunshine alerts ...` and `sunshine score`: the supervision loop from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sunshine.cli_common import friendly

alerts_app = typer.Typer(
    help="Alerts of the supervision loop: list them, record dispositions.",
    no_args_is_help=True,
)


def _night(value: str | None, option: str):
    from sunshine.cli import parse_date

    return None if value is None else parse_date(value, option)


@alerts_app.command("list")
@friendly
def list_command(
    status: Annotated[
        str | None, typer.Option("--status", help="open | escalated | disposed | resolved")
    ] = None,
    rule: Annotated[str | None, typer.Option("--rule", help="A rule code, e.g. K01.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many.")] = None,
) -> None:
    """List the alerts of marts.alerts, soonest due first."""
    import psycopg

    from sunshine.alerts.listing import format_alerts, list_alerts
    from sunshine.config import warehouse_url

    with psycopg.connect(warehouse_url()) as conn:
        alerts = list_alerts(conn, status=status, rule=rule, limit=limit)
    for line in format_alerts(alerts):
        typer.echo(line)
    typer.echo(f"{len(alerts)} alert(s)")


@alerts_app.command("dispose")
@friendly
def dispose_command(
    alert_id: Annotated[str, typer.Argument(help="The alert's id (or a unique prefix).")],
    disposition: Annotated[
        str, typer.Option("--as", help="confirmed | rectified | explained | false_positive")
    ],
    by: Annotated[str, typer.Option("--by", help="Who disposes it (name or office).")],
    note: Annotated[str | None, typer.Option("--note", help="What was found or done.")] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Day of the disposition, YYYY-MM-DD (today).")
    ] = None,
) -> None:
    """Record a department's disposition of an alert (kept with its history)."""
    import psycopg

    from sunshine.alerts.dispositions import record
    from sunshine.alerts.listing import resolve_alert_id
    from sunshine.config import warehouse_url

    day = _night(at, "--at")
    with psycopg.connect(warehouse_url()) as conn:
        full_id = resolve_alert_id(conn, alert_id)
        done = record(
            conn, alert_id=full_id, disposition=disposition, disposed_by=by, note=note, day=day
        )
    on = done.disposed_at.date().isoformat()
    typer.echo(
        f"alert {full_id} disposed as {done.disposition} by {done.disposed_by} on {on} "
        f"(department {done.department_code or 'unknown'}); marts.alerts shows it from the "
        f"next build of night {on} or later"
    )


@friendly
def score_command(
    truth: Annotated[Path, typer.Option("--truth", help="truth.csv written by the simulator.")],
    night: Annotated[
        str | None, typer.Option("--night", help="Score the alerts as of this night.")
    ] = None,
    min_recall: Annotated[
        float | None, typer.Option("--min-recall", min=0, max=1, help="Exit 1 below this.")
    ] = None,
    min_precision: Annotated[
        float | None, typer.Option("--min-precision", min=0, max=1, help="Exit 1 below this.")
    ] = None,
) -> None:
    """Compare marts.alerts with a simulated truth: precision and recall per rule."""
    from sunshine.alerts.score import report, score_warehouse
    from sunshine.config import warehouse_url

    result = score_warehouse(warehouse_url(), truth, _night(night, "--night"))
    for line in report(result):
        typer.echo(line)
    overall = result.overall
    short = [
        f"{name} {value:.3f} is below --min-{name} {floor}"
        for name, value, floor in (
            ("recall", overall.recall, min_recall),
            ("precision", overall.precision, min_precision),
        )
        if floor is not None and (value or 0.0) < floor
    ]
    if short:
        typer.secho(f"score too low: {'; '.join(short)}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
