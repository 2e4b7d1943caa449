"""reference: 大数据局共享库, residents, public employees, cadres and kin, enterprises, vehicles,
and the names of the divisions (行政区划).

The most sensitive source: it holds personal data of every resident. Only
`resident.id_number` is promised clean; the other tables carry the usual dirt.
"""

from sunshine.contracts.model import DatabaseTransport, Field, SourceObject, System

SYSTEM = System(
    code="reference",
    name_zh="大数据局共享库",
    name_en="shared reference base",
    owner=(
        "Big Data Bureau 大数据局, fed by Public Security, Organisation Department, "
        "Market Regulation and Traffic Police"
    ),
    transport=DatabaseTransport(),
    objects=(
        SourceObject(
            name="resident",
            kind="table",
            key=("id_number",),
            change="incremental on updated_at; deaths and moves are updates",
            incremental_column="updated_at",
            fields=(
                Field("id_number", "varchar(18)", "clean 18-digit numbers"),
                Field("name", "varchar(32)"),
                Field("gender", "char(1)", "M | F"),
                Field("birth_date", "date"),
                Field("household_no", "varchar(16)", "户号, the registered household"),
                Field("village_code", "char(12)", "place of household registration"),
                Field("death_date", "date null", "from death registration", nullable=True),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="public_employee",
            kind="table",
            key=("id_number", "employer_code", "payroll_start"),
            change="incremental on updated_at",
            incremental_column="updated_at",
            note="财政供养人员, everyone whose salary is paid from the budget",
            fields=(
                Field("id_number", "varchar(18)"),
                Field("name", "varchar(32)"),
                Field("employer_code", "varchar(18)", "credit code of the agency"),
                Field("employer_name", "varchar(128)"),
                Field("employer_type", "varchar(16)", "agency | institution | state_enterprise"),
                Field("position", "varchar(64)"),
                Field("monthly_salary", "numeric(10,2)"),
                Field("payroll_start", "date"),
                Field("payroll_end", "date null", nullable=True),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="cadre_relation",
            kind="table",
            key=("cadre_id_number", "relative_id_number"),
            change="incremental on updated_at",
            incremental_column="updated_at",
            note=(
                "village (community) cadres and their close relatives, filed by the "
                "Organisation Department; a cadre also appears with relation 'self'"
            ),
            fields=(
                Field("cadre_id_number", "varchar(18)"),
                Field("cadre_name", "varchar(32)"),
                Field("village_code", "char(12)"),
                Field(
                    "post",
                    "varchar(24)",
                    "secretary | director | committee_member | accountant | supervisor",
                ),
                Field("term_start", "date"),
                Field("term_end", "date null", nullable=True),
                Field("relative_id_number", "varchar(18)"),
                Field("relative_name", "varchar(32)"),
                Field(
                    "relation",
                    "varchar(16)",
                    "self | spouse | child | parent | sibling | child_in_law | parent_in_law",
                ),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="enterprise",
            kind="table",
            key=("credit_code",),
            change="incremental on updated_at",
            incremental_column="updated_at",
            fields=(
                Field("credit_code", "char(18)"),
                Field("name", "varchar(128)"),
                Field("legal_rep_id_number", "varchar(18)"),
                Field("registered_date", "date"),
                Field("deregistered_date", "date null", nullable=True),
                Field("registered_capital", "numeric(14,2)"),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="vehicle",
            kind="table",
            key=("plate_no",),
            change="incremental on updated_at",
            incremental_column="updated_at",
            fields=(
                Field("plate_no", "varchar(10)"),
                Field("owner_id_number", "varchar(18)"),
                Field("vehicle_type", "varchar(16)", "car | truck | motorcycle | tractor"),
                Field("registered_date", "date"),
                Field("deregistered_date", "date null", nullable=True),
                Field("purchase_price", "numeric(12,2)"),
                Field("updated_at", "timestamp"),
            ),
        ),
        SourceObject(
            name="division",
            kind="table",
            key=("code",),
            change="small, read whole every night",
            incremental_column=None,
            optional=True,
            note=(
                "行政区划, the names behind the codes of the districts, towns and villages "
                "(statistics bureau's division codes); a division merged or renamed keeps its "
                "old row with valid_to set"
            ),
            fields=(
                Field(
                    "code",
                    "varchar(12)",
                    "6-digit district/county, 9-digit town, 12-digit village or community",
                ),
                Field("name", "varchar(64)", "e.g. 江宁区, 秣陵街道, 元山社区"),
                Field("level", "varchar(8)", "district | town | village"),
                Field(
                    "parent_code",
                    "varchar(12) null",
                    "the town of a village, the district of a town; empty for a district",
                    nullable=True,
                ),
                Field("valid_from", "date"),
                Field("valid_to", "date null", nullable=True),
                Field("updated_at", "timestamp"),
            ),
        ),
    ),
)
