"""The file-drop systems: CSV and XLSX files in one folder per system.

Names, encodings, headers and sheets come from `sunshine.contracts`. Each file is
written under a temporary name and renamed, then given the modification time of its
delivery (an evening, Asia/Shanghai): the pipeline counts a file for night D when it
was delivered before D+1 00:00. XLSX files are made byte-reproducible (fixed document
properties and zip entry times), so a seed gives the same bytes every time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from sunshine.contracts import SYSTEMS, FileDropTransport
from sunshine.simulate.clock import DAY, evening_stamp, local_epoch
from sunshine.simulate.dirt import Dirt, yuan
from sunshine.simulate.state import Sim

DROP_SYSTEMS = ("onecard", "allowance", "collective", "education")


def _transport(system: str) -> FileDropTransport:
    transport = SYSTEMS[system].transport
    assert isinstance(transport, FileDropTransport)
    return transport


def _versioned(name: str, version: int) -> str:
    if version == 1:
        return name
    stem, ext = name.rsplit(".", 1)
    return f"{stem}_v{version}.{ext}"


def _place(folder: Path, name: str, data: bytes, delivered: dt.datetime) -> Path:
    """Write complete under a temporary name, rename, stamp with the delivery time."""
    path = folder / name
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(data)
    temporary.replace(path)
    when = local_epoch(delivered)
    os.utime(path, (when, when))
    return path


def _copied_at(sim: Sim) -> dt.datetime | None:
    """The morning after the last night: when a copied folder's files were written."""
    if not sim.variant.copied_files:
        return None
    return dt.datetime.combine(sim.timeline.last_night + DAY, dt.time(9, 0))


def _place_first(
    folder: Path, name: str, data: bytes, delivered: dt.datetime, copied: dt.datetime | None
) -> Path:
    """A first delivery: in a copied folder its time is the copy's, its name its period.

    A `_vN` keeps its delivery time, as a copy that kept some times would.
    """
    return _place(folder, name, data, copied or delivered)


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str | None]], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(book: Workbook, moment: dt.datetime) -> bytes:
    book.properties.creator = "sunshine simulate"
    book.properties.created = moment
    book.properties.modified = moment
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


# ------------------------------------------------------------------ onecard


def write_onecard(sim: Sim, folder: Path) -> dict[str, int]:
    bank = sim.systems["onecard"]
    transport = _transport("onecard")
    control = transport.control_file
    assert control is not None
    obj = SYSTEMS["onecard"].objects[0]
    t = sim.timeline
    rng = sim.rng("drops/onecard")
    dirt = Dirt(sim.dirt, sim.rng("dirt/onecard"), sim.systems.get("forced_dirt"))
    late = sim.dirt.late_control_file
    copied = _copied_at(sim)
    by_day: dict[dt.date, list] = {}
    for row in bank.rows:
        by_day.setdefault(row.day, []).append(row)
    files = rows_written = 0
    day = t.first_day
    while day <= t.last_night:
        if t.is_banking_day(day):
            final = sorted(by_day.get(day, []), key=lambda r: r.batch)
            rendered = [_onecard_row(r, dirt) for r in final for _ in range(r.copies)]
            amounts = [r.amount for r in final for _ in range(r.copies)]
            name = f"onecard_{day:%Y%m%d}.csv"
            delivered = evening_stamp(day, rng)
            redeliver_on = day + rng.randint(1, 2) * DAY
            if final and redeliver_on <= t.last_night and rng.random() < sim.dirt.redelivery:
                # The first delivery missed the last row; the _v2 replaces it whole.
                _onecard_file(
                    folder,
                    name,
                    rendered[:-1],
                    amounts[:-1],
                    delivered,
                    control,
                    obj,
                    rng,
                    t,
                    day,
                    late,
                    copied,
                )
                _onecard_file(
                    folder,
                    _versioned(name, 2),
                    rendered,
                    amounts,
                    evening_stamp(redeliver_on, rng),
                    control,
                    obj,
                    rng,
                    t,
                    redeliver_on,
                    late,
                    copied,
                )
                files += 2
            else:
                _onecard_file(
                    folder,
                    name,
                    rendered,
                    amounts,
                    delivered,
                    control,
                    obj,
                    rng,
                    t,
                    day,
                    late,
                    copied,
                )
                files += 1
            rows_written += len(rendered)
        day += DAY
    return {"files": files, "rows": rows_written}


def _onecard_row(r, dirt: Dirt) -> tuple[str | None, ...]:
    return (
        r.batch,
        r.fund_line.code,
        r.voucher_no or "",
        dirt.id_number(r.person),
        dirt.name(r.name, commas=True),
        dirt.account(r.account),
        r.bank,
        dirt.onecard_amount(r.amount),
        r.period,
        dirt.onecard_date(r.day),
        r.status,
        r.reason,
        r.village.town.code,
        r.village.code,
    )


def _onecard_file(
    folder, name, rows, amounts, delivered, control, obj, rng, t, day, late=0.02, copied=None
) -> None:
    data = _csv_bytes(obj.field_names, rows, "gbk")
    _place(folder, name, data, delivered)
    if copied is not None and name.endswith(f"{day:%Y%m%d}.csv"):
        # A copied folder: the first delivery's time is the copy's; its name keeps its day.
        stamp = local_epoch(copied)
        os.utime(folder / name, (stamp, stamp))
    ok_name = control.name_for(name)
    line = f"rows={len(rows)};amount={yuan(sum(amounts))}\n"
    ok_delivered = delivered + dt.timedelta(minutes=rng.randint(1, 20))
    if day < t.last_night and rng.random() < late:
        # The control file of a few deliveries arrives after midnight: the csv waits a night.
        ok_delivered = dt.datetime.combine(day + DAY, dt.time(0, rng.randint(5, 50)))
    _place(folder, ok_name, line.encode(control.encoding), ok_delivered)


# ------------------------------------------------------------------ allowance


def write_allowance(sim: Sim, folder: Path) -> dict[str, int]:
    data = sim.systems["allowance"]
    obj = SYSTEMS["allowance"].objects[0]
    transport = _transport("allowance")
    rng = sim.rng("drops/allowance")
    copied = _copied_at(sim)  # A copied folder: the monthly files carry the copy's time
    dirt = Dirt(sim.dirt, sim.rng("dirt/allowance"), sim.systems.get("forced_dirt"))
    by_period: dict[str, list] = {}
    for row in data.rows:
        by_period.setdefault(row.period, []).append(row)
    files = rows_written = 0
    for period, rows in sorted(by_period.items()):
        rows.sort(key=lambda r: (r.village.code, r.recipient_id, r.kind))
        first_day = (
            max(r.paid for r in rows if not r.first_unpaid)
            if any(not r.first_unpaid for r in rows)
            else min(r.paid for r in rows)
        )
        copies = [2 if rng.random() < sim.dirt.duplicate_row else 1 for _ in rows]
        versions = [(1, first_day, False)]
        if period in data.v2_days:
            versions.append((2, data.v2_days[period], True))
        for version, day, final in versions:
            rendered = []
            for r, n in zip(rows, copies, strict=True):
                unpaid = r.first_unpaid and not final
                line = (
                    r.recipient_id,
                    dirt.id_number(r.person),
                    dirt.name(sim.person(r.pid).name),
                    r.kind,
                    r.cert,
                    None if r.grade is None else str(r.grade),
                    r.village.code,
                    r.fund_line.code,
                    r.period,
                    yuan(r.amount),
                    None if unpaid else r.paid.isoformat(),
                )
                rendered.extend([line] * n)
            body = _csv_bytes(obj.field_names, rendered, transport.encoding or "utf-8-sig")
            _place_first(
                folder,
                _versioned(f"allowance_{period}.csv", version),
                body,
                evening_stamp(day, rng),
                copied if version == 1 else None,
            )
            files += 1
            rows_written += len(rendered)
    return {"files": files, "rows": rows_written}


# ------------------------------------------------------------------ collective


def write_collective(sim: Sim, folder: Path) -> dict[str, int]:
    data = sim.systems["collective"]
    obj = SYSTEMS["collective"].objects[0]
    transport = _transport("collective")
    rng = sim.rng("drops/collective")
    copied = _copied_at(sim)  # A copied folder: the monthly files carry the copy's time
    dirt = Dirt(sim.dirt, sim.rng("dirt/collective"), sim.systems.get("forced_dirt"))
    by_file: dict[tuple[str, str], list] = {}
    for e in data.entries:
        by_file.setdefault((e.village.town.code, e.period), []).append(e)
    files = rows_written = 0
    for (town_code, period), entries in sorted(by_file.items()):
        entries.sort(key=lambda e: (e.village.code, e.voucher_no))
        town = entries[0].village.town
        delivered = data.v1_days[(town_code, period)]
        fixed = data.v2.get((town_code, period))
        cells = [_collective_cells(sim, e, dirt, rng) for e in entries]
        total_row = rng.random() < 0.6
        versions = [(1, delivered, fixed[1] if fixed else None)]
        if fixed:
            versions.append((2, fixed[0], None))
        for version, day, wrong in versions:
            book = Workbook()
            sheet = book.active
            sheet.title = transport.sheet or "记账凭证"
            sheet.append([f"{town.name}{period[:4]}年{int(period[4:])}月村级记账凭证"])
            sheet.append(list(obj.field_names))
            total = 0
            for e, row in zip(entries, cells, strict=True):
                row = list(row)
                amount = e.amount * 10 if e is wrong else e.amount
                row[6] = amount / 100
                total += amount
                sheet.append(row)
            if total_row:
                sheet.append([transport.total_row_marker] + [None] * 5 + [total / 100] + [None] * 8)
            notes = book.create_sheet("说明")
            notes.append(["说明"])
            notes.append(["本表由村级财务会计代理服务中心导出，金额单位为元。"])
            notes.append([f"导出时间：{day:%Y-%m-%d}"])
            moment = evening_stamp(day, rng)
            name = _versioned(f"collective_{town_code}_{period}.xlsx", version)
            _place_first(
                folder, name, _xlsx_bytes(book, moment), moment, copied if version == 1 else None
            )
            files += 1
            rows_written += len(entries)
    return {"files": files, "rows": rows_written}


def _code_cell(code: str, dirt: Dirt) -> str | int:
    return int(code) if dirt.chance(dirt.rates.number_code) else code


def _collective_cells(sim: Sim, e, dirt: Dirt, rng: random.Random) -> list:
    handler = sim.person(e.handler)
    payee_id = None
    if e.payee_key:
        payee_id = (
            dirt.id_number(e.payee_key, legacy=True)
            if e.payee_key in sim.pop.by_id
            else e.payee_key
        )
    entry_date: object = dt.datetime.combine(e.day, dt.time())
    if dirt.chance(dirt.rates.text_date):
        entry_date = e.day.isoformat()
    return [
        _code_cell(e.village.code, dirt),
        e.voucher_no,
        entry_date,
        e.summary,
        e.direction,
        e.subject,
        e.amount / 100,
        e.payee_name,
        payee_id,
        e.fund_line.code if e.fund_line else None,
        handler.name,
        dirt.id_number(handler.id_number, legacy=True),
        e.approver or None,
        e.attachments,
        e.status,
    ]


# ------------------------------------------------------------------ education


def write_education(sim: Sim, folder: Path) -> dict[str, int]:
    data = sim.systems["education"]
    obj = SYSTEMS["education"].objects[0]
    transport = _transport("education")
    rng = sim.rng("drops/education")
    copied = _copied_at(sim)  # A copied folder: the termly files carry the copy's time
    dirt = Dirt(sim.dirt, sim.rng("dirt/education"), sim.systems.get("forced_dirt"))
    by_term: dict[object, list] = {}
    for row in data.rows:
        by_term.setdefault(row.term, []).append(row)
    files = rows_written = 0
    names = {"yulu_plan": "雨露计划", "student_grant": "国家助学金"}
    for term, rows in sorted(by_term.items(), key=lambda kv: (kv[0].year, kv[0].term)):
        rows.sort(key=lambda r: (r.village.code, r.person, r.kind))
        cells = [
            [
                term.label,
                f"G{sim.person(r.pid).id_number}",
                sim.person(r.pid).name,
                dirt.id_number(r.person, legacy=True),
                r.school,
                r.stage,
                _code_cell(r.village.code, dirt),
                names[r.kind],
                r.fund_line.code,
                r.amount / 100,
            ]
            for r in rows
        ]
        versions = [(1, data.v1_days[term], False)]
        if term in data.v2_days:
            versions.append((2, data.v2_days[term], True))
        for version, day, final in versions:
            book = Workbook()
            sheet = book.active
            sheet.title = transport.sheet or "资助名单"
            sheet.append(list(obj.field_names))
            for r, row in zip(rows, cells, strict=True):
                paid = (
                    None
                    if (r.first_unpaid and not final)
                    else dt.datetime.combine(r.paid, dt.time())
                )
                sheet.append([*row, paid])
            moment = evening_stamp(day, rng)
            name = _versioned(f"education_{term.year}_{term.term}.xlsx", version)
            _place_first(
                folder, name, _xlsx_bytes(book, moment), moment, copied if version == 1 else None
            )
            files += 1
            rows_written += len(rows)
    return {"files": files, "rows": rows_written}


WRITERS = {
    "onecard": write_onecard,
    "allowance": write_allowance,
    "collective": write_collective,
    "education": write_education,
}
