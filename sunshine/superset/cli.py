"""`sunshine superset ...`: set up, fill and serve the local Superset."""

from __future__ import annotations

from typing import Annotated

import typer

from sunshine.cli_common import friendly

superset_app = typer.Typer(
    help="Superset: dashboards over the warehouse (own environment in envs/superset).",
    no_args_is_help=True,
)

HostOption = Annotated[str, typer.Option("--host", help="Interface to listen on.")]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")]


@superset_app.command("setup")
@friendly
def setup_command(
    force: Annotated[bool, typer.Option("--force", help="Run every step again.")] = False,
) -> None:
    """Install Superset's environment, create its metadata DB, roles and admin user."""
    from sunshine.paths import superset_home
    from sunshine.superset import admin_credentials, setup

    did_work = setup(force=force)
    state = "set up" if did_work else "already set up"
    typer.echo(f"Superset {state} in {superset_home()} (admin user: {admin_credentials().user})")


@superset_app.command("import")
@friendly
def import_command() -> None:
    """Import superset_assets/ (dashboards as code), pointed at the current warehouse."""
    from sunshine.config import warehouse_url
    from sunshine.superset import import_assets

    typer.echo(import_assets(warehouse_url()))


@superset_app.command("logins")
@friendly
def logins_command() -> None:
    """Create or repair Superset's warehouse logins (reader, auditor, commission) with
    their passwords from the environment: compose's one-shot warehouse-logins job."""
    from sunshine.config import warehouse_url
    from sunshine.superset.logins import ensure_logins

    changed = ensure_logins(warehouse_url())
    typer.echo(f"warehouse logins: {', '.join(changed) if changed else 'all in place'}")


@superset_app.command("assets")
@friendly
def assets_command(
    check: Annotated[
        bool, typer.Option("--check", help="Only report files that differ; exit 1 if any.")
    ] = False,
) -> None:
    """Write superset_assets/ from the dashboards' descriptions (sunshine/superset/assets)."""
    from sunshine.paths import SUPERSET_ASSETS_DIR
    from sunshine.superset.assets import stale_files, write_bundle

    if check:
        stale = stale_files()
        for name in stale:
            typer.echo(f"differs from its description: {name}")
        if stale:
            typer.echo("run `sunshine superset assets` to regenerate them")
            raise typer.Exit(1)
        typer.echo(f"{SUPERSET_ASSETS_DIR.name}/ matches its description")
        return
    written = write_bundle()
    typer.echo(f"wrote {len(written)} files into {SUPERSET_ASSETS_DIR}")


@superset_app.command("serve")
@friendly
def serve_command(host: HostOption = "127.0.0.1", port: PortOption = 8088) -> None:
    """Serve Superset in the foreground until Ctrl-C."""
    from sunshine.superset import admin_credentials, serve
    from sunshine.superset.server import run_in_foreground

    server = serve(host=host, port=port)
    typer.echo(
        f"Superset is up at {server.url}/ as user {admin_credentials().user} "
        "(`sunshine superset credentials` shows the password); Ctrl-C stops it"
    )
    run_in_foreground(server)
    typer.echo("Superset stopped")


@superset_app.command("credentials")
@friendly
def credentials_command(host: HostOption = "127.0.0.1", port: PortOption = 8088) -> None:
    """Print the URL and the logins of the local Superset (admin, auditor, commission)."""
    from sunshine.superset.credentials import (
        admin_credentials,
        auditor_credentials,
        auditor_districts,
        commission_credentials,
    )

    typer.echo(f"url:      http://{host}:{port}/")
    districts = ", ".join(auditor_districts()) or "all districts"
    for who, credentials in (
        ("admin", admin_credentials()),
        (f"auditor, {districts}", auditor_credentials()),
        ("commission", commission_credentials()),
    ):
        typer.echo(f"{who}: user {credentials.user}, password {credentials.password}")
