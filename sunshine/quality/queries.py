"""SQL for the checks a single-column expectation cannot state, run on the night's batch.

Each function returns the query of a GX `UnexpectedRowsExpectation`: the rows it returns
are the failures. GX replaces `{batch}` with the night's rows of the object: a bare
subquery when the query has a JOIN (alias it yourself), an aliased one otherwise. Every
other brace is doubled, because GX fills the placeholder with `str.format`.
"""

from __future__ import annotations

from sunshine.quality.patterns import BLANK

_FULL_WIDTH = "０１２３４５６７８９，．－＋ｘＸ"
_BLANKS = r"E' \t\r\n\u00a0\u3000\u200b\ufeff'"  # patterns.BLANK, as a SQL literal
_HALF_WIDTH = "0123456789,.-+xX"


def _literal(text: str) -> str:
    """A SQL string literal that survives GX's `str.format`."""
    return "'" + text.replace("'", "''").replace("{", "{{").replace("}", "}}") + "'"


def compact(column: str) -> str:
    """The value half-width, without blanks: what staging reads before casting."""
    return (
        f"regexp_replace(translate({column}, {_literal(_FULL_WIDTH)}, {_literal(_HALF_WIDTH)}), "
        f"{_literal(BLANK + '+')}, '', 'g')"
    )


def yuan(column: str) -> str:
    """The value as numeric, null when staging could not read it either."""
    text = f"replace({compact(column)}, ',', '')"
    number = r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"
    return f"case when {text} ~ {_literal(number)} then {text}::numeric end"


def key_unique_per_delivery(keys: tuple[str, ...]) -> str:
    """Keys that name two different rows within one load (a table read, a file, a sweep).

    Rows repeated exactly (a file's duplicate lines, which its control file counts) are
    one row here; a key a later load of the same night delivers again is a new version.
    """
    columns = ", ".join(keys)
    return (
        f"select {columns}, _load_id, count(distinct _row_hash) as versions\n"
        f"from {{batch}}\ngroup by {columns}, _load_id\nhaving count(distinct _row_hash) > 1"
    )


def key_repeats_in_night(keys: tuple[str, ...]) -> str:
    """Keys the night's batch holds more than once, however the rows compare.

    (GX's compound-uniqueness expectation compares every row with every other one.)
    """
    columns = ", ".join(keys)
    return (
        f"select {columns}, count(*) as rows_with_key\n"
        f"from {{batch}}\ngroup by {columns}\nhaving count(*) > 1"
    )


def _ledger_of_night(system: str, obj: str) -> str:
    return (
        f"from ops.load_ledger as ledger\n"
        f"left join {{batch}} as landed on landed._load_id = ledger.load_id\n"
        f"where ledger.system = {_literal(system)} and ledger.object = {_literal(obj)}\n"
        f"  and ledger.status <> 'running'\n"
        f"  and ledger.night = (select max(_night) from {{batch}} as night_rows)\n"
    )


def ledger_agrees(system: str, obj: str) -> str:
    """Loads of the night whose ledger count differs from the rows they left in raw."""
    return (
        "select ledger.load_id, ledger.source, ledger.rows_landed,"
        " count(landed._load_id) as rows_in_raw\n"
        + _ledger_of_night(system, obj)
        + "group by ledger.load_id, ledger.source, ledger.rows_landed\n"
        "having count(landed._load_id) <> coalesce(ledger.rows_landed, 0)"
    )


def control_totals(system: str, obj: str, amount: str) -> str:
    """Files of the night whose landed rows disagree with their control file's count or sum."""
    total = f"coalesce(sum({yuan('landed.' + amount)}), 0)"
    return (
        "select ledger.load_id, ledger.source, ledger.control_rows, ledger.control_amount,"
        f" count(landed._load_id) as rows_in_raw, {total} as amount_in_raw\n"
        + _ledger_of_night(system, obj)
        + "  and ledger.status = 'loaded' and ledger.control_rows is not null\n"
        "group by ledger.load_id, ledger.source, ledger.control_rows, ledger.control_amount\n"
        f"having count(landed._load_id) <> ledger.control_rows"
        f" or {total} <> ledger.control_amount"
    )


def not_negative(column: str) -> str:
    """Amounts below zero where the contract knows no reversal."""
    return f"select {column} from {{batch}}\nwhere ({yuan(column)}) < 0"


def dates_in_range(column: str, horizon_days: int) -> str:
    """Dates written with a year first (or as an Excel serial) that are no calendar day,
    fall before 1900, or after the night + horizon.

    Other text is left to the column's shape check. PostgreSQL's own date input reads
    every year-first form the sources write (an ISO instant counts by its written date);
    `pg_input_is_valid` tells a 30 February from a real day without failing the query.
    """
    half_width = f"translate({column}, {_literal(_FULL_WIDTH)}, {_literal(_HALF_WIDTH)})"
    day_text = f"translate(btrim({half_width}, {_BLANKS}), '年月日', '--')"
    serial = r"^[0-9]{5}(\.[0-9]+)?$"  # an Excel serial; a fraction is the time of day
    return (
        f"select _night, {column}, day from (\n"
        f"    select _night, {column}, case\n"
        f"        when day_text ~ {_literal(serial)}\n"
        f"            then date '1899-12-30' + split_part(day_text, '.', 1)::integer\n"
        f"        when day_text ~ '^[0-9]{{{{4}}}}' and pg_input_is_valid(day_text, 'date')\n"
        f"            then day_text::date\n"
        f"    end as day,\n"
        f"    day_text ~ {_literal('^[0-9]{4}|' + serial)} as year_first\n"
        f"    from (\n"
        f"        select _night, {column}, {day_text} as day_text\n"
        f"        from {{batch}}\n"
        f"        where {column} is not null\n"
        f"    ) as parts\n"
        f") as days\n"
        f"where year_first\n"
        f"  and (day is null or day < date '1900-01-01' or day > _night + {horizon_days})"
    )


def json_arrays(column: str) -> str:
    """Values that are not a JSON array (how the API loader writes list attributes)."""
    return (
        f"select {column} from {{batch}}\n"
        f"where {column} is not null and (not pg_input_is_valid({column}, 'jsonb')"
        f" or jsonb_typeof(case when pg_input_is_valid({column}, 'jsonb')"
        f" then {column}::jsonb end) <> 'array')"
    )
