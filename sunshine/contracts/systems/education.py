"""education: 学生资助管理系统 (含雨露计划), student aid rosters, one workbook per school term.

`education_<YYYY>` names the first year of the school year; a term's roster is
re-delivered as `_v2`, `_v3` while it is corrected.
"""

from sunshine.contracts.model import Field, FileDropTransport, SourceObject, System

SYSTEM = System(
    code="education",
    name_zh="学生资助管理系统 含雨露计划",
    name_en="student aid, including the Rain-and-Dew plan",
    owner="Education Bureau 教育局",
    transport=FileDropTransport(
        file_pattern=r"education_(?P<year>\d{4})_(?P<term>[12])(?:_v(?P<version>\d+))?\.xlsx",
        format="xlsx",
        sheet="资助名单",
        header_row=1,
        data_start_row=2,
        # The project's due day (the contract names none): by the end of the term the
        # file covers, term 1 (autumn) by 31 January, term 2 (spring) by 31 July.
        term_ends=((1, 31), (7, 31)),
        due_months_after=0,
    ),
    objects=(
        SourceObject(
            name="aid_record",
            kind="file",
            key=("学年学期", "身份证号", "资助项目"),
            fields=(
                Field("学年学期", "text", "e.g. 2026-2027-1", alias="term"),
                Field("学籍号", "text", alias="student_no"),
                Field("姓名", "text", alias="name"),
                Field("身份证号", "text", "may be 15-digit legacy", alias="id_number"),
                Field("学校名称", "text", alias="school_name"),
                Field("学段", "text", "学前 | 小学 | 初中 | 高中 | 中职 | 高职", alias="stage"),
                Field("户籍村代码", "text", alias="village_code"),
                Field(
                    "资助项目",
                    "text",
                    "雨露计划 (yulu_plan) | 国家助学金 (student_grant)",
                    alias="aid_type",
                ),
                Field("资金项目编码", "text", alias="fund_line_code"),
                Field("资助金额", "number", alias="amount"),
                Field(
                    "发放日期",
                    "Excel date or empty when not yet paid",
                    alias="pay_date",
                    nullable=True,
                ),
            ),
        ),
    ),
)
