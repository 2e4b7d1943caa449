"""Extract one source object for one night into raw, recorded in the ledger.

This is what an Airflow extraction task calls. It dispatches on the contract's
transport; the ledger row is written whatever happens, and a failure is raised
again so that the task (and the night) shows it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import psycopg
import requests

from sunshine.config import warehouse_url
from sunshine.contracts import get_system
from sunshine.contracts.model import FileDropTransport, HttpApiTransport, SourceObject
from sunshine.errors import SunshineError, TransientSourceError
from sunshine.load import drops, ledger, raw
from sunshine.sources import api, database
from sunshine.sources.registry import SourceConfig, load_sources

log = logging.getLogger(__name__)

DEFAULT_LOOKBACK_DAYS = 3


def ensure_landing(system_code: str, object_name: str, url: str | None = None) -> None:
    """Create the object's (empty) raw table: staging reads it even for a system that
    this deployment does not extract."""
    obj = get_system(system_code).get_object(object_name)
    with psycopg.connect(url or warehouse_url()) as conn:
        raw.ensure_raw_table(conn, system_code, obj)


def extract_object(
    system_code: str,
    object_name: str,
    night: dt.date,
    *,
    sources_file: Path | None = None,
    url: str | None = None,
) -> ledger.LoadOutcome:
    system = get_system(system_code)
    obj = system.get_object(object_name)
    sources = load_sources(sources_file)
    if system_code not in sources:
        raise SunshineError(f"sources.yaml does not say where system '{system_code}' is")
    config = sources[system_code]
    with psycopg.connect(url or warehouse_url()) as conn:
        # The lock first: a second load's set-up statements would otherwise queue an
        # exclusive lock between the first load's statements and deadlock it.
        with ledger.object_lock(conn, system_code, object_name):
            ledger.ensure_ledger(conn)
            raw.ensure_raw_table(conn, system_code, obj)
            conn.commit()
            interrupted = ledger.mark_interrupted(conn, system_code, object_name)
            if interrupted:
                log.warning(
                    "%s.%s: %d load(s) left 'running' by a process that died, marked 'interrupted'",
                    system_code,
                    object_name,
                    interrupted,
                )
            if system.transport.kind == "database":
                return _extract_table(conn, config, system_code, obj, night)
            if system.transport.kind == "file_drop":
                return _extract_files(conn, config, system_code, obj, system.transport, night)
            if system.transport.kind == "http_json_api":
                return _extract_api(conn, config, system_code, obj, system.transport, night)
    raise SunshineError(
        f"system '{system_code}': transport '{system.transport.kind}' has no connector yet"
    )


def _extract_files(
    conn: psycopg.Connection,
    config: SourceConfig,
    system_code: str,
    obj: SourceObject,
    transport: FileDropTransport,
    night: dt.date,
) -> ledger.LoadOutcome:
    summary = drops.extract_drop(
        conn, Path(config.require("folder")), system_code, obj, transport, night
    )
    total = summary.total()
    log.info(
        "%s.%s night %s: %d files, %d rows landed, %d quarantined",
        system_code,
        obj.name,
        night,
        len(summary.outcomes),
        total.rows_landed,
        len(summary.quarantined),
    )
    if summary.quarantined:
        # The good files are in; the night must still show that some were not.
        raise SunshineError(
            f"{system_code}.{obj.name} night {night}: quarantined "
            + "; ".join(summary.quarantined.values())
        )
    return total


def _window(
    conn: psycopg.Connection,
    config: SourceConfig,
    system_code: str,
    obj: SourceObject,
    night: dt.date,
) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime]:
    """(watermark before, window start, window end) of an incremental object's night.

    The start looks back a few days before the last watermark for rows committed late
    with an older stamp; rows landed before are recognised and not landed twice.
    """
    before = ledger.watermark_before(conn, system_code, obj.name, night)
    lookback = dt.timedelta(days=int(config.get("lookback_days", DEFAULT_LOOKBACK_DAYS)))
    end = dt.datetime.combine(night + dt.timedelta(days=1), dt.time.min)
    return before, (before - lookback if before else None), end


# A source or network that did not answer may answer on the next attempt; a refused
# credential or a violated contract will not, whatever the wait.
TRANSIENT = (
    TransientSourceError,
    requests.ConnectionError,
    requests.Timeout,
    psycopg.OperationalError,
)


def _failed(conn: psycopg.Connection, load_id: int, where: str, exc: Exception) -> SunshineError:
    conn.rollback()
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    ledger.close_load(conn, load_id, ledger.LoadOutcome(status="failed", error=message))
    conn.commit()
    kind = TransientSourceError if isinstance(exc, TRANSIENT) else SunshineError
    return kind(f"{where}: {message}")


def _missing(
    conn: psycopg.Connection, load_id: int, where: str, exc: Exception
) -> ledger.LoadOutcome:
    """An optional object this source does not deliver: a warning of the night, no failure."""
    outcome = ledger.LoadOutcome(
        status="missing", rows_at_source=0, rows_landed=0, rows_already_landed=0, error=str(exc)
    )
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    log.warning("%s: %s; the contract allows it for now, the night goes on without it", where, exc)
    return outcome


def _extract_api(
    conn: psycopg.Connection,
    config: SourceConfig,
    system_code: str,
    obj: SourceObject,
    transport: HttpApiTransport,
    night: dt.date,
) -> ledger.LoadOutcome:
    before, start, end = _window(conn, config, system_code, obj, night)
    since = f"{transport.incremental_param}={start.isoformat()}" if start else "full sweep"
    source = f"GET {obj.path} ({since})"
    load_id = ledger.open_load(
        conn,
        system=system_code,
        obj=obj.name,
        night=night,
        transport="http_json_api",
        source=source,
        watermark_before=before,
    )
    conn.commit()
    sweep = api.Sweep()
    try:
        client = api.ApiClient(config, transport)
        rows = api.records_in_window(client, obj, start, end, sweep)
        read, landed = raw.land_rows(
            conn, system_code, obj, rows, load_id=load_id, night=night.isoformat(), source=source
        )
    except Exception as exc:
        raise _failed(conn, load_id, f"{system_code}.{obj.name}", exc) from exc
    outcome = ledger.LoadOutcome(
        status="loaded" if landed else "unchanged",
        rows_at_source=read,
        rows_landed=landed,
        rows_already_landed=read - landed,
        watermark_after=max(filter(None, [sweep.latest, before]), default=None),
    )
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    log.info(
        "%s.%s night %s: %d requests (%d retries), %d records in the window, %d new, "
        "%d left for a later night",
        system_code,
        obj.name,
        night,
        sweep.requests,
        sweep.retries,
        read,
        landed,
        sweep.beyond_window,
    )
    return outcome


def _extract_table(
    conn: psycopg.Connection,
    config: SourceConfig,
    system_code: str,
    obj: SourceObject,
    night: dt.date,
) -> ledger.LoadOutcome:
    schema = config.get("schema")
    source = f"{schema}.{obj.name}" if schema else obj.name
    before, start, end = _window(conn, config, system_code, obj, night)
    window = database.TableWindow(lower=start, upper=end)
    load_id = ledger.open_load(
        conn,
        system=system_code,
        obj=obj.name,
        night=night,
        transport="database",
        source=source,
        watermark_before=before,
    )
    conn.commit()
    try:
        engine = database.engine_for(config)
        try:
            try:
                database.check_columns(engine, schema, obj)
            except database.MissingTableError as exc:
                if not obj.optional:
                    raise
                return _missing(conn, load_id, f"{system_code}.{obj.name}", exc)
            latest = database.max_stamp(engine, schema, obj, window)
            after = max(filter(None, [latest, before]), default=None)
            # A table's key is unique at the source: a batch cannot repeat a row.
            where = {
                "load_id": load_id,
                "night": night.isoformat(),
                "source": source,
                "unique_in_batch": True,
            }
            if database.is_postgres(engine):
                chunks = database.copy_out_chunks(engine, schema, obj, window)
                read, landed = raw.land_copy_stream(conn, system_code, obj, chunks, **where)
            else:
                rows = database.read_table(engine, schema, obj, window)
                read, landed = raw.land_rows(conn, system_code, obj, rows, **where)
        finally:
            engine.dispose()
    except Exception as exc:
        raise _failed(conn, load_id, f"{system_code}.{obj.name} ({source})", exc) from exc
    outcome = ledger.LoadOutcome(
        status="loaded" if landed else "unchanged",
        rows_at_source=read,
        rows_landed=landed,
        rows_already_landed=read - landed,
        watermark_after=after,
    )
    ledger.close_load(conn, load_id, outcome)
    conn.commit()
    log.info(
        "%s.%s night %s: %d rows in the window, %d new, %d landed before",
        system_code,
        obj.name,
        night,
        read,
        landed,
        read - landed,
    )
    return outcome
