"""The API systems' stores: the records as their JSON APIs serve them, one SQLite file
per system (`api/<system>.sqlite`), written with the server's own `write_store` so the
simulated servers read exactly what they expect.

Each record is kept in its latest version only, with the contract's camelCase field
names in contract order, `updatedAt` with its +08:00 offset, and (poverty) `deleted`.
"""

from __future__ import annotations

from pathlib import Path

from sunshine.contracts import SYSTEMS
from sunshine.simulate.clock import iso_local
from sunshine.simulate.dirt import Dirt, yuan
from sunshine.simulate.state import Sim
from sunshine.sources.api_server.store import write_store

API_SYSTEMS = ("poverty", "employment")


def poverty_records(sim: Sim) -> dict[str, list[dict]]:
    data = sim.systems["poverty"]
    dirt = Dirt(sim.dirt, sim.rng("dirt/poverty"), sim.systems.get("forced_dirt"))
    households = []
    for m in data.households:
        head = (
            sim.person(m.members[0][0])
            if m.members
            else sim.person(sim.pop.households[m.hid].members[0])
        )
        households.append(
            {
                "householdId": m.household_id,
                "headIdNumber": dirt.id_number(head.id_number),
                "villageCode": m.village.code,
                "monitorStatus": m.status,
                "riskTypes": list(m.risks),
                "identifiedAt": m.identified.isoformat(),
                "eliminatedAt": m.eliminated.isoformat() if m.eliminated else None,
                "members": [
                    {
                        "idNumber": dirt.id_number(sim.person(pid).id_number),
                        "name": sim.person(pid).name,
                        "relation": relation,
                    }
                    for pid, relation in m.members
                ],
                "updatedAt": iso_local(m.changed),
                "deleted": m.deleted,
            }
        )
    assistance = [
        {
            "recordId": r.record_id,
            "householdId": r.household.household_id,
            "fundLineCode": r.fund_line.code,
            "measure": r.measure,
            "amount": yuan(r.amount),
            "grantedAt": r.granted.isoformat(),
            "voucherNo": r.funding.cited if r.funding is not None else None,
            "updatedAt": iso_local(r.changed),
            "deleted": r.deleted,
        }
        for r in data.assistance
    ]
    return {"households": households, "assistance": assistance}


def employment_records(sim: Sim) -> dict[str, list[dict]]:
    data = sim.systems["employment"]
    dirt = Dirt(sim.dirt, sim.rng("dirt/employment"), sim.systems.get("forced_dirt"))
    return {
        "subsidies": [
            {
                "applicationId": s.application_id,
                "subsidyType": s.kind,
                "fundLineCode": s.fund_line.code,
                "applicantIdNumber": dirt.id_number(sim.person(s.pid).id_number),
                "applicantName": sim.person(s.pid).name,
                "enterpriseCreditCode": s.enterprise.code if s.enterprise else None,
                "enterpriseName": s.enterprise.name if s.enterprise else None,
                "amountFen": s.amount,
                "period": s.period,
                "approvedAt": iso_local(s.approved),
                "paidAt": iso_local(s.paid) if s.paid else None,
                "status": s.status,
                "updatedAt": iso_local(s.changed),
            }
            for s in data.subsidies
        ]
    }


def write_api_store(sim: Sim, folder: Path, system: str) -> dict[str, int]:
    records = poverty_records(sim) if system == "poverty" else employment_records(sim)
    write_store(folder / f"{system}.sqlite", SYSTEMS[system], records)
    return {name: len(rows) for name, rows in records.items()}
