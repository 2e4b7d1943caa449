"""The database systems: one PostgreSQL database per system on the warehouse server.

`src_<system>` is dropped and created again, with one schema named after the system
and exactly the contract's tables, columns and SQL types (read from
`sunshine.contracts`, "null" meaning nullable). Rows are bulk-loaded with COPY, in
the order they were generated, then the keys and an index on `updated_at` are built.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import psycopg
from psycopg import sql

from sunshine.config import with_database
from sunshine.contracts import SYSTEMS, SourceObject
from sunshine.simulate import names
from sunshine.simulate.clock import DAY, office_stamp
from sunshine.simulate.dirt import Dirt, yuan
from sunshine.simulate.state import Sim

DATABASE_SYSTEMS = ("budget", "treasury", "dibao", "pension", "reference")
Row = tuple[str | None, ...]
Stamps = dict[str, "_Stamps"]


def database_name(system: str) -> str:
    return f"src_{system}"


def column_type(type_text: str) -> tuple[str, bool]:
    """(SQL type, nullable) from a contract type such as "numeric(12,2) null"."""
    text = type_text.strip()
    if text.endswith(" null"):
        return text[: -len(" null")], True
    return text, False


def ddl(system: str, obj: SourceObject) -> sql.Composed:
    columns = []
    for f in obj.fields:
        sql_type, nullable = column_type(f.type)
        columns.append(
            sql.SQL("{} {}{}").format(
                sql.Identifier(f.name), sql.SQL(sql_type), sql.SQL("" if nullable else " not null")
            )
        )
    return sql.SQL("create table {}.{} ({})").format(
        sql.Identifier(system), sql.Identifier(obj.name), sql.SQL(", ").join(columns)
    )


@dataclass
class _Stamps:
    """updated_at values: naive local time, moved weeks later for a few corrected rows."""

    sim: Sim
    rng: random.Random
    late: bool

    def __call__(self, moment: dt.datetime | dt.date) -> str:
        last = dt.datetime.combine(self.sim.timeline.last_night, dt.time(23, 0))
        if not isinstance(moment, dt.datetime):
            moment = office_stamp(moment, self.rng)
        if self.late and self.rng.random() < self.sim.dirt.late_update:
            later = moment + self.rng.randint(20, 120) * DAY
            if later <= last:
                moment = later
        return min(moment, last).strftime("%Y-%m-%d %H:%M:%S")


def _d(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _money(fen: int | None) -> str | None:
    return None if fen is None else yuan(fen)


# ------------------------------------------------------------------ rows per table


def _budget(sim: Sim, stamp: Stamps) -> dict[str, Iterable[Row]]:
    treasury = sim.systems["treasury"]
    return {
        "department": [
            (code, name, stamp["department"](changed))
            for code, name, changed in sim.funds.departments
        ],
        "fund_line": [
            (
                fl.code,
                fl.name,
                fl.department,
                fl.kind,
                _money(fl.standard_override),
                None if fl.days_override is None else str(fl.days_override),
                stamp["fund_line"](fl.changed),
            )
            for fl in sim.funds.lines
        ],
        "budget_indicator": [
            (
                i.indicator_id,
                i.parent.indicator_id if i.parent else None,
                i.fund_line.code,
                str(i.year),
                i.level,
                i.document_no,
                _d(i.issued),
                i.fund_line.district.code,
                _money(i.amount),
                i.status,
                stamp["budget_indicator"](i.changed),
            )
            for i in treasury.indicators
        ],
    }


def _treasury(sim: Sim, stamp: Stamps) -> dict[str, Iterable[Row]]:
    treasury = sim.systems["treasury"]
    return {
        "payment_voucher": [
            (
                v.voucher_no,
                v.unknown_indicator or (v.indicator.indicator_id if v.indicator else ""),
                v.fund_line.department,
                v.payee_type,
                v.payee_name,
                v.payee_account,
                v.payee_code,
                _money(v.amount),
                _d(v.voucher_date),
                _d(v.paid_date),
                v.status,
                stamp["payment_voucher"](v.changed),
            )
            for v in treasury.vouchers
        ]
    }


def _dibao(sim: Sim, stamp: Stamps, dirt: Dirt) -> dict[str, Iterable[Row]]:
    data = sim.systems["dibao"]
    last = sim.timeline.last_night

    def case_rows() -> Iterator[Row]:
        for c in data.cases:
            current = [m for m in c.members if m.left is None or m.left > last]
            head = sim.person(c.members[0].pid)
            paid = sorted(c.paid.items())
            amount = c.gap * len(current) if current else (paid[-1][1][0] if paid else c.gap)
            yield (
                c.case_id,
                c.category,
                dirt.id_number(head.id_number, spaces=False),
                c.village.code,
                str(len(current)),
                _money(amount),
                _d(c.approved),
                _d(c.terminated),
                c.status,
                stamp["assistance_case"](max(c.changed, c.approved)),
            )

    def member_rows() -> Iterator[Row]:
        for c in data.cases:
            for m in c.members:
                p = sim.person(m.pid)
                left = m.left if m.left is not None and m.left <= last else None
                yield (
                    c.case_id,
                    dirt.id_number(p.id_number, spaces=False),
                    p.name,
                    m.relation,
                    _d(m.joined),
                    _d(left),
                    stamp["case_member"](min(max(m.changed, m.joined), last)),
                )

    return {
        "assistance_case": case_rows(),
        "case_member": member_rows(),
        "monthly_payment": (
            (
                r.case_id,
                r.period,
                _money(r.amount),
                r.fund_line.code,
                dirt.id_number(r.payee, spaces=False),
                stamp["monthly_payment"](r.changed),
            )
            for r in data.roster
        ),
    }


def _pension(sim: Sim, stamp: Stamps, dirt: Dirt) -> dict[str, Iterable[Row]]:
    data = sim.systems["pension"]
    return {
        "insured_person": (
            (
                i.person_no,
                dirt.id_number(i.id_number, spaces=False),
                sim.person(i.pid).name,
                i.village.code,
                i.status,
                i.start,
                _d(i.suspended),
                i.reason,
                stamp["insured_person"](i.changed),
            )
            for i in data.insured
        ),
        "benefit_payment": (
            (
                str(b.payment_id),
                b.person_no,
                b.period,
                _money(b.amount),
                b.fund_line.code,
                _d(b.paid),
                b.account,
                stamp["benefit_payment"](b.changed),
            )
            for b in data.payments
        ),
    }


def _reference(sim: Sim, stamp: Stamps, dirt: Dirt) -> dict[str, Iterable[Row]]:
    villages = sim.city.villages
    households = sim.pop.households
    regs = sim.regs

    def residents() -> Iterator[Row]:
        for p in sim.pop.persons:
            yield (
                p.id_number,
                p.name,
                "M" if p.male else "F",
                _d(p.register_birth or p.birth),
                households[p.household].number,
                villages[p.village].code,
                _d(p.death),
                stamp["resident"](p.changed),
            )

    def cadre_rows() -> Iterator[Row]:
        for term in regs.cadres:
            cadre = sim.person(term.pid)
            for pid, relation in term.relatives:
                relative = sim.person(pid)
                yield (
                    dirt.id_number(cadre.id_number, spaces=False),
                    cadre.name,
                    villages[term.village].code,
                    term.post,
                    _d(term.start),
                    _d(term.end),
                    dirt.id_number(relative.id_number, spaces=False),
                    relative.name,
                    relation,
                    stamp["cadre_relation"](term.changed),
                )

    def division_rows() -> Iterator[Row]:
        # Names behind the codes, every level; a few villages merged away years ago keep
        # their old row with valid_to set (codes 4xx, which no live village uses), as the
        # contract says a retired division does. Own random stream: the other tables of a
        # seed stay byte-identical.
        rng = sim.rng("reference/division")
        founded = dt.date(2001, 1, 1)
        for d in sim.city.districts:
            yield d.code, d.name, "district", None, _d(founded), None, stamp["division"](founded)
        for t in sim.city.towns:
            yield (
                t.code,
                t.name,
                "town",
                t.district.code,
                _d(founded),
                None,
                stamp["division"](founded),
            )
        taken = {v.name for v in villages} | {t.name for t in sim.city.towns}
        for v in villages:
            yield (
                v.code,
                v.name,
                "village",
                v.town.code,
                _d(founded),
                None,
                stamp["division"](founded),
            )
        for number, town in enumerate(rng.sample(sim.city.towns, min(3, len(sim.city.towns)))):
            merged = dt.date(2015 + number, 6, 30)
            yield (
                f"{town.code}{401 + number:03d}",
                names.place_name(rng, taken) + ("社区" if town.street else "村"),
                "village",
                town.code,
                _d(founded),
                _d(merged),
                stamp["division"](merged),
            )

    return {
        "division": division_rows(),
        "resident": residents(),
        "public_employee": (
            (
                dirt.id_number(sim.person(r.pid).id_number, spaces=False),
                sim.person(r.pid).name,
                r.agency.code,
                r.agency.name,
                r.agency.kind,
                r.position,
                _money(r.salary),
                _d(r.start),
                _d(r.end),
                stamp["public_employee"](r.changed),
            )
            for r in regs.payroll
        ),
        "cadre_relation": cadre_rows(),
        "enterprise": (
            (
                e.code,
                e.name,
                dirt.id_number(sim.person(e.rep).id_number, spaces=False),
                _d(e.registered),
                _d(e.deregistered),
                _money(e.capital),
                stamp["enterprise"](e.changed),
            )
            for e in regs.enterprises
        ),
        "vehicle": (
            (
                v.plate,
                dirt.id_number(sim.person(v.owner).id_number, spaces=False),
                v.kind,
                _d(v.registered),
                _d(v.deregistered),
                _money(v.price),
                stamp["vehicle"](v.changed),
            )
            for v in regs.vehicles
        ),
    }


def table_rows(sim: Sim, system: str) -> dict[str, Iterable[Row]]:
    """Each table's rows in contract column order, as text (None for NULL)."""
    stamps: Stamps = {
        o.name: _Stamps(
            sim, sim.rng(f"stamps/{system}/{o.name}"), o.incremental_column == "updated_at"
        )
        for o in SYSTEMS[system].objects
    }
    dirt = Dirt(sim.dirt, sim.rng(f"dirt/{system}"), sim.systems.get("forced_dirt"))
    if system == "budget":
        return _budget(sim, stamps)
    if system == "treasury":
        return _treasury(sim, stamps)
    if system == "dibao":
        return _dibao(sim, stamps, dirt)
    if system == "pension":
        return _pension(sim, stamps, dirt)
    return _reference(sim, stamps, dirt)


# ------------------------------------------------------------------ writing


def write_database(sim: Sim, warehouse_url: str, system: str) -> dict[str, int]:
    """(Re)create src_<system> and load its tables; rows per table."""
    name = database_name(system)
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )
        conn.execute(
            sql.SQL("create database {} encoding 'UTF8' template template0").format(
                sql.Identifier(name)
            )
        )
    counts: dict[str, int] = {}
    contract = SYSTEMS[system]
    tables = table_rows(sim, system)
    with psycopg.connect(with_database(warehouse_url, name)) as conn:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("create schema {}").format(sql.Identifier(system)))
            for obj in contract.objects:
                cur.execute(ddl(system, obj))
        conn.commit()
        for obj in contract.objects:
            counts[obj.name] = _copy(conn, system, obj, tables[obj.name])
            conn.commit()
        with conn.cursor() as cur:
            for obj in contract.objects:
                cur.execute(
                    sql.SQL("alter table {}.{} add primary key ({})").format(
                        sql.Identifier(system),
                        sql.Identifier(obj.name),
                        sql.SQL(", ").join(sql.Identifier(k) for k in obj.key),
                    )
                )
                if obj.incremental_column:
                    cur.execute(
                        sql.SQL("create index on {}.{} ({})").format(
                            sql.Identifier(system),
                            sql.Identifier(obj.name),
                            sql.Identifier(obj.incremental_column),
                        )
                    )
            cur.execute(sql.SQL("analyze"))
        conn.commit()
    return counts


def _copy(conn: psycopg.Connection, system: str, obj: SourceObject, rows: Iterable[Row]) -> int:
    statement = sql.SQL("copy {}.{} ({}) from stdin").format(
        sql.Identifier(system),
        sql.Identifier(obj.name),
        sql.SQL(", ").join(sql.Identifier(f.name) for f in obj.fields),
    )
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
