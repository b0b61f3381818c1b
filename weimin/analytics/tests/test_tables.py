"""Downloads carry the page's figures: Excel and CSV from the same Table."""

import csv
import io

from openpyxl import load_workbook

from weimin.analytics.tables import Column, Kind, Table, as_csv, as_xlsx

TABLE = Table(
    name="halls",
    title="各大厅",
    columns=[Column("hall", "大厅", Kind.TEXT), Column("visits", "服务人次"), Column("share", "晚间占比", Kind.SHARE)],
    rows=[
        {"hall": "龙岗区行政服务大厅", "visits": 1234, "share": 0.2125},
        {"hall": "平湖", "visits": 0, "share": None},
    ],
)


def test_excel_has_chinese_headers_and_the_values():
    sheet = load_workbook(io.BytesIO(as_xlsx(TABLE))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [("大厅", "服务人次", "晚间占比"), ("龙岗区行政服务大厅", 1234, 0.2125), ("平湖", 0, None)]
    assert sheet["C2"].number_format == "0.0%"


def test_csv_shows_what_the_page_shows():
    body = as_csv(TABLE).decode()
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows == [["大厅", "服务人次", "晚间占比"], ["龙岗区行政服务大厅", "1234", "21.2%"], ["平湖", "0", "–"]]
    assert [value for _, value in TABLE.cells()[0]] == ["龙岗区行政服务大厅", "1,234", "21.2%"]
