"""File drops: whole files in, reruns change nothing, _v2 replaces, bad files quarantined.

Also: links refused unread, unknown names reported, quarantine copies private.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import stat
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from sunshine.contracts import get_system
from sunshine.dbt import run_dbt
from sunshine.errors import SunshineError
from sunshine.load import raw
from sunshine.load.extract import extract_object
from sunshine.sources.files import LOCAL

NIGHT = dt.date(2026, 10, 5)
ONECARD = get_system("onecard")
DISBURSEMENT = ONECARD.get_object("disbursement")
COLLECTIVE = get_system("collective")
ALLOWANCE = get_system("allowance")


def onecard_row(n: int, amount: str, name: str = "张三") -> list[str]:
    values = {
        "发放批次号": "YKT20261005-0001",
        "资金项目编码": "FL2026-0001",
        "支付凭证号": "PV202610050001",
        "身份证号码": "320113199001011234",
        "姓名": name,
        "银行账号": f"6222 0000 0000 {n:04d}",
        "开户银行": "农商银行",
        "发放金额": amount,
        "所属期间": "202610",
        "发放日期": "2026/10/05",
        "发放状态": "成功",
        "失败原因": "",
        "乡镇代码": "320113001",
        "村社区代码": "320113001002",
    }
    return [values[name] for name in DISBURSEMENT.field_names]


def deliver(path: Path, data: bytes, on: dt.date, hour: int = 22) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    moment = dt.datetime.combine(on, dt.time(hour), LOCAL).timestamp()
    os.utime(path, (moment, moment))
    return path


def onecard_file(
    folder: Path, name: str, rows: list[list[str]], on: dt.date, ok: str | None = "auto"
) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(DISBURSEMENT.field_names)
    writer.writerows(rows)
    path = deliver(folder / name, text.getvalue().encode("gbk"), on)
    if ok == "auto":
        total = sum(
            Decimal(r[DISBURSEMENT.field_names.index("发放金额")].replace(",", "")) for r in rows
        )
        ok = f"rows={len(rows)};amount={total:.2f}"
    if ok is not None:
        deliver(path.with_suffix(".ok"), ok.encode(), on)
    return path


@pytest.fixture
def drops(tmp_path: Path, warehouse_url: str, monkeypatch) -> Path:
    """A sources.yaml with the drop folders, on a schema-fresh warehouse."""
    with psycopg.connect(warehouse_url, autocommit=True) as conn:
        for table in (
            "onecard__disbursement",
            "collective__voucher_line",
            "allowance__allowance_payment",
        ):
            conn.execute(f"drop table if exists raw.{table} cascade")
        conn.execute("create schema if not exists ops")
        conn.execute("drop table if exists ops.load_ledger cascade")
    (tmp_path / "sources.yaml").write_text(
        "systems:\n"
        "  onecard: {folder: drops/onecard}\n"
        "  collective: {folder: drops/collective}\n"
        "  allowance: {folder: drops/allowance}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SUNSHINE_SOURCES_FILE", str(tmp_path / "sources.yaml"))
    monkeypatch.setenv("SUNSHINE_HOME", str(tmp_path / "home"))
    return tmp_path / "drops"


def ledger(url: str, obj: str = "disbursement") -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            """select night, source, status, rows_at_source, rows_landed, rows_superseded,
                      supersedes, error, quarantine_path
               from ops.load_ledger where object = %s order by load_id""",
            (obj,),
        ).fetchall()


def raw_rows(url: str, table: str = "onecard__disbursement") -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            f"select _source, _row_number, amount, name from raw.{table} "
            "order by _source, _row_number"
        ).fetchall()


def test_a_good_file_lands_whole_and_a_rerun_changes_nothing(
    drops: Path, warehouse_url: str
) -> None:
    rows = [
        onecard_row(1, "1,234.50", "李四,小"),
        onecard_row(2, "600.00"),
        onecard_row(2, "600.00"),
    ]
    onecard_file(drops / "onecard", "onecard_20261005.csv", rows, NIGHT)
    first = extract_object("onecard", "disbursement", NIGHT)
    assert (first.rows_at_source, first.rows_landed) == (3, 3)
    landed = raw_rows(warehouse_url)
    assert [r[1] for r in landed] == [2, 3, 4]  # line numbers, header on line 1
    assert landed[0][2:] == ("1,234.50", "李四,小")  # as delivered: commas in names, separators
    again = extract_object("onecard", "disbursement", NIGHT)
    assert again.rows_landed == 0
    assert raw_rows(warehouse_url) == landed
    assert [r[2] for r in ledger(warehouse_url)] == ["loaded", "unchanged"]
    later = extract_object("onecard", "disbursement", NIGHT + dt.timedelta(days=1))
    assert later.rows_at_source == 0
    # Nothing loaded again; the next banking night owed its own file (a freshness warning).
    assert [r[1:3] for r in ledger(warehouse_url)][2:] == [("onecard_20261006.csv", "late")]


def test_a_v2_replaces_its_v1_and_says_how_many_rows(drops: Path, warehouse_url: str) -> None:
    onecard_file(drops / "onecard", "onecard_20261005.csv", [onecard_row(1, "100.00")] * 4, NIGHT)
    extract_object("onecard", "disbursement", NIGHT)
    onecard_file(
        drops / "onecard",
        "onecard_20261005_v2.csv",
        [onecard_row(1, "100.00")] * 3,
        NIGHT + dt.timedelta(days=1),
    )
    extract_object("onecard", "disbursement", NIGHT + dt.timedelta(days=1))
    v2 = [r for r in ledger(warehouse_url) if r[1] == "onecard_20261005_v2.csv"][0]
    assert v2[2:7] == ("loaded", 3, 3, 4, "onecard_20261005.csv")
    with psycopg.connect(warehouse_url) as conn:
        versions = conn.execute(
            "select _file_base, _file_version, count(*) from raw.onecard__disbursement "
            "group by 1, 2 order by 2"
        ).fetchall()
    assert versions == [("onecard_20261005.csv", 1, 4), ("onecard_20261005.csv", 2, 3)]


def test_a_file_not_yet_delivered_waits_for_its_night(drops: Path, warehouse_url: str) -> None:
    path = onecard_file(drops / "onecard", "onecard_20261006.csv", [onecard_row(1, "5.00")], NIGHT)
    tomorrow = dt.datetime.combine(NIGHT + dt.timedelta(days=1), dt.time(0, 5), LOCAL).timestamp()
    os.utime(path, (tomorrow, tomorrow))
    assert extract_object("onecard", "disbursement", NIGHT).rows_at_source == 0
    assert extract_object("onecard", "disbursement", NIGHT + dt.timedelta(days=1)).rows_landed == 1


@pytest.mark.parametrize(
    ("ok", "data", "reason"),
    [
        (None, None, "its control file onecard_20261005.ok has not arrived"),
        (
            "rows=3;amount=200.00",
            None,
            "control file says rows=3;amount=200.00, the file has rows=2;amount=200.00",
        ),
        ("rows=2;amount=250.00", None, "the file has rows=2;amount=200.00"),
        ("2 rows", None, "should read rows=<n>;amount=<sum>"),
        ("auto", b"\x81\x20 not gbk", "not readable as gb18030"),
        ("auto", "发放批次号,姓名\r\nX,Y\r\n".encode("gbk"), "missing columns 资金项目编码"),
    ],
)
def test_a_bad_file_is_quarantined_and_the_others_still_load(
    drops: Path, warehouse_url: str, ok, data, reason: str
) -> None:
    bad = onecard_file(
        drops / "onecard", "onecard_20261005.csv", [onecard_row(1, "100.00")] * 2, NIGHT, ok=ok
    )
    if data is not None:
        deliver(bad, data, NIGHT)
    onecard_file(drops / "onecard", "onecard_20261004.csv", [onecard_row(3, "7.00")], NIGHT)
    with pytest.raises(SunshineError, match="quarantined") as raised:
        extract_object("onecard", "disbursement", NIGHT)
    assert "onecard_20261005.csv" in str(raised.value) and reason in str(raised.value)
    by_file = {r[1]: r for r in ledger(warehouse_url)}
    assert by_file["onecard_20261005.csv"][2] == "quarantined"
    assert reason in by_file["onecard_20261005.csv"][7]
    copy = Path(by_file["onecard_20261005.csv"][8]) / "onecard_20261005.csv"
    assert copy.exists() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert by_file["onecard_20261004.csv"][2:5] == ("loaded", 1, 1)
    assert [r[0] for r in raw_rows(warehouse_url)] == ["onecard_20261004.csv"]


def test_a_file_changed_in_place_is_quarantined(drops: Path, warehouse_url: str) -> None:
    onecard_file(drops / "onecard", "onecard_20261005.csv", [onecard_row(1, "100.00")], NIGHT)
    extract_object("onecard", "disbursement", NIGHT)
    onecard_file(drops / "onecard", "onecard_20261005.csv", [onecard_row(1, "999.00")], NIGHT)
    with pytest.raises(SunshineError, match="changed after it was loaded"):
        extract_object("onecard", "disbursement", NIGHT + dt.timedelta(days=1))


def test_an_xlsx_drop_skips_title_and_total_rows_and_keeps_codes_as_text(
    drops: Path, warehouse_url: str
) -> None:
    from openpyxl import Workbook

    obj = COLLECTIVE.get_object("voucher_line")
    book = Workbook()
    sheet = book.active
    sheet.title = "记账凭证"
    sheet.append(["XX镇2026年10月村级记账凭证"])
    sheet.append(list(obj.field_names))
    line = {name: None for name in obj.field_names}
    line.update(
        {
            "村代码": 320113001002,
            "凭证号": "记-001",
            "业务日期": dt.datetime(2026, 10, 3),
            "摘要": "修路",
            "收支类型": "支出",
            "科目": "工程支出",
            "金额": 8500.5,
            "收款方": "某建筑公司",
            "附件张数": 2,
            "审批状态": "已审批",
        }
    )
    sheet.append(list(line.values()))
    sheet.append(["合计"] + [None] * 5 + [8500.5])
    book.create_sheet("说明").append(["notes"])
    target = drops / "collective" / "collective_320113001_202610.xlsx"
    target.parent.mkdir(parents=True)
    book.save(target)
    moment = dt.datetime.combine(NIGHT, dt.time(21), LOCAL).timestamp()
    os.utime(target, (moment, moment))
    outcome = extract_object("collective", "voucher_line", NIGHT)
    assert (outcome.rows_at_source, outcome.rows_landed) == (1, 1)
    with psycopg.connect(warehouse_url) as conn:
        row = conn.execute(
            "select village_code, entry_date, amount, attachments, _row_number "
            "from raw.collective__voucher_line"
        ).fetchone()
    assert row == ("320113001002", "2026-10-03", "8500.5", "2", 3)


def test_a_bom_csv_reads_its_first_header(drops: Path, warehouse_url: str) -> None:
    obj = ALLOWANCE.get_object("allowance_payment")
    header = ",".join(obj.field_names)
    line = (
        "R1,320113193001011234,王五,elderly_90,,,320113001002,FL2026-0007,202610,300.00,2026-10-05"
    )
    deliver(
        drops / "allowance" / "allowance_202610.csv",
        f"\ufeff{header}\r\n{line}\r\n".encode(),
        NIGHT,
    )
    outcome = extract_object("allowance", "allowance_payment", NIGHT)
    assert outcome.rows_landed == 1


FILE_DROP_OBJECTS = [
    ("onecard", "disbursement"),
    ("collective", "voucher_line"),
    ("education", "aid_record"),
    ("allowance", "allowance_payment"),
]
FILE_DROP_STAGING = [
    "stg_onecard__disbursements",
    "stg_collective__voucher_lines",
    "stg_education__aid_records",
    "stg_allowance__allowance_payments",
]


def allowance_file(folder: Path, name: str, lines: list[str], on: dt.date) -> Path:
    header = ",".join(ALLOWANCE.get_object("allowance_payment").field_names)
    text = "".join(f"{line}\r\n" for line in [header, *lines])
    return deliver(folder / name, text.encode(), on)


def allowance_line(recipient: str, period: str) -> str:
    person = "320113193001011234,王五,elderly_90,,,320113001002,FL2026-0007"
    return f"{recipient},{person},{period},300.00,"


def test_an_empty_v2_replaces_its_v1_in_staging(
    drops: Path, warehouse_url: str, tmp_path: Path
) -> None:
    folder = drops / "allowance"
    nights = [NIGHT + dt.timedelta(days=n) for n in range(3)]
    allowance_file(folder, "allowance_202609.csv", [allowance_line("R0", "202609")], nights[0])
    allowance_file(
        folder,
        "allowance_202610.csv",
        [allowance_line("R1", "202610"), allowance_line("R2", "202610")],
        nights[0],
    )
    extract_object("allowance", "allowance_payment", nights[0])
    # A correction that withdraws the whole month: a header and no row.
    allowance_file(folder, "allowance_202610_v2.csv", [], nights[1])
    # Another month's empty v2 arrives before its v1: the late v1 must not count.
    allowance_file(folder, "allowance_202611_v2.csv", [], nights[1])
    extract_object("allowance", "allowance_payment", nights[1])
    allowance_file(folder, "allowance_202611.csv", [allowance_line("R3", "202611")], nights[2])
    extract_object("allowance", "allowance_payment", nights[2])
    by_file = {r[1]: r for r in ledger(warehouse_url, "allowance_payment")}
    assert by_file["allowance_202610_v2.csv"][2:7] == (
        "loaded",
        0,
        0,
        2,
        "allowance_202610.csv",
    )
    assert by_file.get("allowance_202611.csv", (None,) * 3)[2] in (None, "superseded")
    with psycopg.connect(warehouse_url) as conn:
        versions = conn.execute(
            "select source, file_base, file_version from ops.load_ledger "
            "where object = 'allowance_payment' order by source"
        ).fetchall()
    assert ("allowance_202610_v2.csv", "allowance_202610.csv", 2) in versions
    work = tmp_path / "dbt"
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    model = "stg_allowance__allowance_payments"
    run_dbt(["run", "--select", model, *paths], warehouse_url, quiet=True)
    # The unit tests of every model that reads the ledger for file versions, the empty
    # correction's among them; their inputs need only exist.
    with psycopg.connect(warehouse_url) as conn:
        for code, name in FILE_DROP_OBJECTS:
            raw.ensure_raw_table(conn, code, get_system(code).get_object(name))
        conn.commit()
    selected = [f"test_type:unit,{stg}" for stg in FILE_DROP_STAGING]
    run_dbt(["test", "--select", *selected, *paths], warehouse_url, quiet=True)
    with psycopg.connect(warehouse_url) as conn:
        staged = conn.execute(
            f"select recipient_id, period, source_file from staging.{model} order by 1"
        ).fetchall()
    assert staged == [("R0", "202609", "allowance_202609.csv")]


def xlsx_voucher_workbook(path: Path, on: dt.date, hour: int = 21) -> Path:
    from openpyxl import Workbook

    obj = COLLECTIVE.get_object("voucher_line")
    book = Workbook()
    sheet = book.active
    sheet.title = "记账凭证"
    sheet.append(["XX镇2026年10月村级记账凭证"])
    sheet.append(list(obj.field_names))
    line = dict.fromkeys(obj.field_names)
    line.update({"村代码": "320113001002", "凭证号": "记-001", "金额": 10.5})
    sheet.append(list(line.values()))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    moment = dt.datetime.combine(on, dt.time(hour), LOCAL).timestamp()
    os.utime(path, (moment, moment))
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_workbook_that_is_not_a_zip_is_quarantined_and_the_folder_still_loads(
    drops: Path, warehouse_url: str
) -> None:
    folder = drops / "collective"
    deliver(folder / "collective_320113001_202609.xlsx", b"<html>not a workbook</html>", NIGHT, 20)
    xlsx_voucher_workbook(folder / "collective_320113001_202610.xlsx", NIGHT, 21)
    before = os.umask(0o022)  # the usual umask: what was copied came out 0644
    try:
        with pytest.raises(SunshineError, match="not a readable XLSX workbook"):
            extract_object("collective", "voucher_line", NIGHT)
    finally:
        os.umask(before)
    by_file = {r[1]: r for r in ledger(warehouse_url, "voucher_line")}
    bad = by_file["collective_320113001_202609.xlsx"]
    assert bad[2] == "quarantined" and "not a readable XLSX workbook" in bad[7]
    assert by_file["collective_320113001_202610.xlsx"][2:5] == ("loaded", 1, 1)
    night_folder = Path(bad[8])
    copy = night_folder / "collective_320113001_202609.xlsx"
    assert copy.read_bytes() == b"<html>not a workbook</html>"
    # Personal data: the pipeline's user alone reads the quarantine.
    assert mode(copy) == 0o600
    assert [mode(p) for p in (night_folder, night_folder.parent, night_folder.parent.parent)] == [
        0o700
    ] * 3


def test_links_and_paths_outside_the_folder_are_refused_unread(
    drops: Path, warehouse_url: str, tmp_path: Path
) -> None:
    outside = onecard_file(
        tmp_path / "elsewhere", "onecard_20261005.csv", [onecard_row(9, "1.00")], NIGHT
    )
    secret = deliver(tmp_path / "elsewhere" / "secret.txt", b"not for the loader", NIGHT)
    folder = drops / "onecard"
    onecard_file(folder, "onecard_20261004.csv", [onecard_row(3, "7.00")], NIGHT)
    moment = dt.datetime.combine(NIGHT, dt.time(22), LOCAL).timestamp()
    for name, target in [
        ("onecard_20261005.csv", outside),
        ("onecard_20261005.ok", outside.with_suffix(".ok")),
        ("notes.txt", secret),
    ]:
        (folder / name).symlink_to(target)
        os.utime(folder / name, (moment, moment), follow_symlinks=False)
    with pytest.raises(SunshineError, match="symbolic link") as raised:
        extract_object("onecard", "disbursement", NIGHT)
    assert "onecard_20261005.csv" in str(raised.value)
    by_file = {r[1]: r for r in ledger(warehouse_url)}
    for name in ("onecard_20261005.csv", "notes.txt"):
        assert by_file[name][2] == "refused"
        assert "a symbolic link: drop folders take files only" in by_file[name][7]
        assert by_file[name][8] is None  # nothing copied
    assert "onecard_20261005.ok" not in by_file  # a control file is its data file's business
    assert by_file["onecard_20261004.csv"][2:5] == ("loaded", 1, 1)
    assert [r[0] for r in raw_rows(warehouse_url)] == ["onecard_20261004.csv"]
    with psycopg.connect(warehouse_url) as conn:
        hashed = conn.execute(
            "select count(*) from ops.load_ledger "
            "where status = 'refused' and file_sha256 is not null"
        ).fetchone()
    assert hashed == (0,)
    quarantine = Path(os.environ["SUNSHINE_HOME"]) / "quarantine"
    assert not quarantine.exists() or not any(p.is_file() for p in quarantine.rglob("*"))


def test_an_empty_file_and_a_file_of_no_contract_are_in_the_reconciliation(
    drops: Path, warehouse_url: str
) -> None:
    folder = drops / "onecard"
    deliver(folder / "onecard_20261005.csv", b"", NIGHT)
    deliver(folder / "onecard_20261005.ok", b"rows=0;amount=0.00", NIGHT)
    onecard_file(folder, "onecard_20261004.csv", [onecard_row(3, "7.00")], NIGHT)
    deliver(folder / "payments_october.csv", b"a,b\r\n1,2\r\n", NIGHT)
    for temporary in ("onecard_20261006.csv.tmp", "onecard_20261006.csv.part", ".DS_Store"):
        deliver(folder / temporary, b"half written", NIGHT)
    deliver(folder / "~$onecard_20261006.xlsx", b"lock", NIGHT)
    with pytest.raises(SunshineError, match="quarantined") as raised:
        extract_object("onecard", "disbursement", NIGHT)
    assert "the contract's file starts with a header row" in str(raised.value)
    by_file = {r[1]: r for r in ledger(warehouse_url)}
    assert set(by_file) == {"onecard_20261005.csv", "onecard_20261004.csv", "payments_october.csv"}
    assert by_file["onecard_20261005.csv"][2] == "quarantined"
    assert "empty (0 bytes)" in by_file["onecard_20261005.csv"][7]
    assert by_file["payments_october.csv"][2] == "unrecognised"
    with psycopg.connect(warehouse_url) as conn:
        night = conn.execute(
            """select loads, quarantined_loads, rows_landed, unrecognised_files, warnings, problems
               from ops.night_reconciliation where night = %s and system = 'onecard'""",
            (NIGHT,),
        ).fetchone()
    assert night is not None
    assert night[:4] == (3, 1, 1, 1)
    assert "payments_october.csv: matches no file name of the contract" in night[4]
    assert "onecard_20261005.csv: onecard_20261005.csv: empty (0 bytes)" in night[5]
    # Said once: the next night does not report the same stray file again.
    with pytest.raises(SunshineError, match="empty"):  # the empty file is still not loadable
        extract_object("onecard", "disbursement", NIGHT + dt.timedelta(days=1))
    assert [r[1] for r in ledger(warehouse_url)].count("payments_october.csv") == 1


def test_gx_result_files_are_private(drops: Path, warehouse_url: str, tmp_path: Path) -> None:
    """Validation results and Data Docs quote failing values: 0600 files, 0700 folders."""
    import shutil

    from sunshine.paths import EXPECTATIONS_DIR
    from sunshine.quality.run import check_feed

    project = tmp_path / "expectations"
    shutil.copytree(EXPECTATIONS_DIR, project, ignore=shutil.ignore_patterns("uncommitted"))
    # A bad identity number, so the results quote a value from the file.
    line = allowance_line("R1", "202610").replace("320113193001011234", "32011319300101123X")
    allowance_file(drops / "allowance", "allowance_202610.csv", [line], NIGHT)
    extract_object("allowance", "allowance_payment", NIGHT)
    before = os.umask(0o022)
    try:
        check_feed("allowance", NIGHT, warehouse_url, project_root=project)
    finally:
        os.umask(before)
    kept = project / "gx" / "uncommitted"
    written = list(kept.rglob("*"))
    files = [p for p in written if p.is_file()]
    assert any(p.suffix == ".json" for p in files), "GX kept no validation result"
    assert {mode(p) for p in files} == {0o600}
    assert {mode(p) for p in written if p.is_dir()} | {mode(kept)} == {0o700}


def test_a_copied_folder_backfills_each_file_on_the_night_its_name_gives(
    drops: Path, warehouse_url: str
) -> None:
    earlier = NIGHT - dt.timedelta(days=1)
    for day, n in ((earlier, 1), (NIGHT, 2)):
        onecard_file(drops / "onecard", f"onecard_{day:%Y%m%d}.csv", [onecard_row(n, "5.00")], day)
    copied = dt.datetime.now(LOCAL).timestamp()
    for path in (drops / "onecard").iterdir():
        os.utime(path, (copied, copied))  # what a copy from elsewhere leaves behind
    assert extract_object("onecard", "disbursement", earlier).rows_landed == 1
    assert extract_object("onecard", "disbursement", NIGHT).rows_landed == 1
    assert extract_object("onecard", "disbursement", NIGHT).rows_landed == 0
    assert len(raw_rows(warehouse_url)) == 2


def test_a_banking_night_without_its_file_is_a_freshness_warning(
    drops: Path, warehouse_url: str
) -> None:
    from sunshine.load.freshness import late_lines

    folder = drops / "onecard"
    onecard_file(folder, "onecard_20261005.csv", [onecard_row(1, "5.00")], NIGHT)
    friday_before = NIGHT - dt.timedelta(days=3)
    # Before the drop's first delivery the system is not live: it owes nothing.
    assert extract_object("onecard", "disbursement", friday_before).rows_at_source == 0
    assert extract_object("onecard", "disbursement", NIGHT).rows_landed == 1
    tuesday, saturday = NIGHT + dt.timedelta(days=1), NIGHT + dt.timedelta(days=5)
    extract_object("onecard", "disbursement", tuesday)  # a warning, not a failure
    extract_object("onecard", "disbursement", saturday)  # no banking day, no file owed
    assert [r[:3] for r in ledger(warehouse_url) if r[2] == "late"] == [
        (tuesday, "onecard_20261006.csv", "late")
    ]
    (line,) = late_lines(warehouse_url, tuesday)
    assert line.startswith("LATE night 2026-10-06: onecard: no onecard_20261006.csv by the end")
    assert "(Tuesday)" in line and "one file per banking day" in line

    def reconciliation(night: dt.date) -> tuple:
        with psycopg.connect(warehouse_url) as conn:
            return conn.execute(
                """select loads, late_files, freshness from ops.night_reconciliation
                   where night = %s and system = 'onecard'""",
                (night,),
            ).fetchone()

    loads, late, freshness = reconciliation(tuesday)
    assert (loads, late) == (0, 1) and "no onecard_20261006.csv" in freshness
    # The file turns up (copied in later; its name gives its day): the rerun of the night
    # loads it, and the night's last word on that name is no longer late.
    onecard_file(folder, "onecard_20261006.csv", [onecard_row(2, "6.00")], saturday)
    assert extract_object("onecard", "disbursement", tuesday).rows_landed == 1
    assert reconciliation(tuesday)[:2] == (1, 0)
    assert late_lines(warehouse_url, tuesday) == []


def _night_ledger(url: str, night: dt.date, after: int = 0, obj: str = "disbursement") -> dict:
    """{source: (status, error)} of the night's ledger rows after load `after`."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """select source, status, error from ops.load_ledger
               where object = %s and night = %s and load_id > %s order by load_id""",
            (obj, night, after),
        ).fetchall()
    return {source: (status, error) for source, status, error in rows}


def _last_load(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("select coalesce(max(load_id), 0) from ops.load_ledger").fetchone()[0]


def test_a_loaded_file_counts_for_its_first_night_whatever_a_copy_did_to_its_time(
    drops: Path, warehouse_url: str
) -> None:
    after = NIGHT + dt.timedelta(days=1)
    folder = drops / "onecard"
    onecard_file(folder, "onecard_20261005.csv", [onecard_row(1, "100.00")] * 2, NIGHT)
    onecard_file(folder, "onecard_20261005_v2.csv", [onecard_row(1, "100.00")], after)
    extract_object("onecard", "disbursement", NIGHT)
    extract_object("onecard", "disbursement", after)
    first_run = _night_ledger(warehouse_url, after)
    assert first_run["onecard_20261005_v2.csv"][0] == "loaded"
    copied = dt.datetime(2030, 1, 1, 9, tzinfo=LOCAL).timestamp()
    for path in folder.iterdir():
        os.utime(path, (copied, copied))  # the folder copied elsewhere and back

    mark = _last_load(warehouse_url)
    extract_object("onecard", "disbursement", after)  # its _v2 has no due day: only the ledger
    rerun = _night_ledger(warehouse_url, after, mark)
    assert rerun["onecard_20261005_v2.csv"][0] == "unchanged"
    assert set(rerun) == set(first_run)  # the same files: nothing said to wait

    mark = _last_load(warehouse_url)
    extract_object("onecard", "disbursement", NIGHT)  # an earlier night: not the _v2 early
    earlier = _night_ledger(warehouse_url, NIGHT, mark)
    assert earlier["onecard_20261005.csv"][0] == "unchanged"
    status, error = earlier["files delivered after this night"]
    assert status == "held_back" and "1 contract-named file(s)" in error
    assert "onecard_20261005_v2.csv" in error
    assert "onecard_20261005_v2.csv" not in earlier
    assert len(raw_rows(warehouse_url)) == 3  # nothing landed twice


def test_a_copied_month_file_waits_for_its_due_day_and_the_night_says_so(
    drops: Path, warehouse_url: str
) -> None:
    folder = drops / "allowance"
    header = ",".join(ALLOWANCE.get_object("allowance_payment").field_names) + "\r\n"
    copied = dt.date(2030, 1, 1)  # a copy made long after: every file stamped with it
    for period in ("202609", "202610"):
        deliver(folder / f"allowance_{period}.csv", header.encode("utf-8-sig"), copied, 9)
    backfilled = dt.date(2026, 10, 31)  # 202609 is due by 31 October, 202610 by 30 November

    extract_object("allowance", "allowance_payment", backfilled)
    night = _night_ledger(warehouse_url, backfilled, obj="allowance_payment")
    assert night["allowance_202609.csv"][0] == "loaded"
    assert "allowance_202610.csv" not in night
    status, error = night["files delivered after this night"]
    assert status == "held_back"
    assert "1 contract-named file(s)" in error and "allowance_202610.csv" in error
    assert "due day" in error  # the rule, in the warning
    with psycopg.connect(warehouse_url) as conn:
        warnings, problems = conn.execute(
            """select warnings, problems from ops.night_reconciliation
               where night = %s and system = 'allowance'""",
            (backfilled,),
        ).fetchone()
    assert "allowance_202610.csv" in warnings and problems is None  # a warning, not an error

    due = dt.date(2026, 11, 30)
    extract_object("allowance", "allowance_payment", due)
    on_due = _night_ledger(warehouse_url, due, obj="allowance_payment")
    assert on_due["allowance_202610.csv"][0] == "loaded"
    assert "files delivered after this night" not in on_due
