"""One city: its county-level districts, their towns and villages, with real codes.

Codes follow the statistical divisions: county 6 digits, town 9 (001-099 streets,
100-199 towns), village 12 (001-199 urban communities, 200-399 rural villages). The
districts are Nanjing's, so the identity numbers of their residents pass
`stdnum.cn.ric`, which checks the division code against the year of birth.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sunshine.simulate import names
from sunshine.simulate.profiles import Profile

CITY_CODE = "3201"
CITY_NAME = "南京市"


@dataclass(frozen=True)
class DistrictInfo:
    code: str
    name: str
    urban: bool
    # (first birth year, division code on identity numbers), latest first: people keep
    # the code of the county as it was when they were born.
    id_codes: tuple[tuple[int, str], ...]


NANJING: dict[str, DistrictInfo] = {
    d.code: d
    for d in (
        DistrictInfo("320102", "玄武区", True, ((1983, "320102"), (0, "320120"))),
        DistrictInfo("320104", "秦淮区", True, ((1983, "320104"), (0, "320120"))),
        DistrictInfo("320105", "建邺区", True, ((1983, "320105"), (0, "320120"))),
        DistrictInfo("320106", "鼓楼区", True, ((1983, "320106"), (0, "320120"))),
        DistrictInfo("320114", "雨花台区", True, ((1983, "320114"), (0, "320120"))),
        DistrictInfo("320113", "栖霞区", False, ((1983, "320113"), (0, "320120"))),
        DistrictInfo("320111", "浦口区", False, ((1983, "320111"), (0, "320122"))),
        DistrictInfo("320115", "江宁区", False, ((2000, "320115"), (0, "320121"))),
        DistrictInfo("320116", "六合区", False, ((2002, "320116"), (0, "320123"))),
        DistrictInfo(
            "320117", "溧水区", False, ((2013, "320117"), (1983, "320124"), (0, "322626"))
        ),
        DistrictInfo(
            "320118", "高淳区", False, ((2013, "320118"), (1983, "320125"), (0, "322627"))
        ),
    )
}

# Identity-number division codes of people registered here but born elsewhere.
ELSEWHERE = ("340100", "410100", "360100", "420100", "370100", "510100")


@dataclass(frozen=True)
class District:
    idx: int
    code: str
    name: str
    urban: bool
    info: DistrictInfo = field(repr=False)

    def id_code(self, birth_year: int) -> str:
        for first_year, code in self.info.id_codes:
            if birth_year >= first_year:
                return code
        raise AssertionError("unreachable")


@dataclass(frozen=True)
class Town:
    idx: int
    code: str
    name: str
    district: District
    street: bool  # 街道 (urban communities) rather than 镇 (rural villages)


@dataclass(frozen=True)
class Village:
    idx: int
    code: str
    name: str
    town: Town
    urban: bool  # a community (社区) rather than a village (村)

    @property
    def district(self) -> District:
        return self.town.district


@dataclass
class City:
    code: str
    name: str
    districts: list[District]
    towns: list[Town]
    villages: list[Village]

    def villages_of(self, district: District) -> list[Village]:
        return [v for v in self.villages if v.town.district is district]

    def towns_of(self, district: District) -> list[Town]:
        return [t for t in self.towns if t.district is district]


def build_city(profile: Profile, rng: random.Random) -> City:
    """Districts from the profile; urban districts have streets, rural ones mostly towns."""
    districts = [
        District(i, NANJING[code].code, NANJING[code].name, NANJING[code].urban, NANJING[code])
        for i, code in enumerate(profile.districts)
    ]
    towns: list[Town] = []
    villages: list[Village] = []
    for district in districts:
        taken: set[str] = set()
        # A rural district of more than two towns keeps one street for its seat.
        streets = (
            profile.towns_per_district
            if district.urban
            else (1 if profile.towns_per_district > 2 else 0)
        )
        street_no = town_no = 0
        for t in range(profile.towns_per_district):
            street = t < streets
            if street:
                street_no += 1
                code = f"{district.code}{street_no:03d}"
                name = names.place_name(rng, taken) + "街道"
            else:
                town_no += 1
                code = f"{district.code}{100 + town_no:03d}"
                name = names.place_name(rng, taken) + "镇"
            town = Town(len(towns), code, name, district, street)
            towns.append(town)
            for v in range(profile.villages_per_town):
                number = (1 + v) if street else (200 + v + 1)
                suffix = "社区" if street else "村"
                villages.append(
                    Village(
                        len(villages),
                        f"{code}{number:03d}",
                        names.place_name(rng, taken) + suffix,
                        town,
                        urban=street,
                    )
                )
    return City(CITY_CODE, CITY_NAME, districts, towns, villages)
