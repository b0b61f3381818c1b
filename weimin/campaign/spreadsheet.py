"""Reading the files teams bring: an Excel sheet of households and owners (one row per owner; rows with the
same household number are one household's owners) and a phone system's CSV of missed calls."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from weimin.core.errors import InvalidInput

# The sheet's header (Chinese, as teams type it) → the field.
COLUMNS = {
    "编号": "number",
    "地址": "address",
    "楼栋": "building",
    "面积": "area",
    "用途": "use",
    "小组": "team",
    "责任干部": "cadre",
    "权利人": "owner",
    "类型": "kind",
    "证件号码": "id_number",
    "电话": "phone",
    "其他电话": "other_phone",
}
# A field → the column a report names (the missed calls' CSV has 号码 and 时间; ``file`` is the whole file).
COLUMN_OF = {field: name for name, field in COLUMNS.items()} | {
    "phone": "电话/号码",
    "time": "时间",
    "credit_code": "证件号码",
    "file": "文件",
}
MAX_ROWS = 5000


def read_households(content: bytes) -> list[tuple[int, dict]]:
    """The sheet's rows as (row number, {field: text}); a file that is not an .xlsx, or a missing column,
    is an InvalidInput naming ``file``."""
    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:  # noqa: BLE001 — openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(_("The file is not an Excel workbook (.xlsx)."), field="file") from None
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    missing = [name for name in ("编号", "地址", "面积", "权利人", "证件号码") if name not in header]
    if missing:
        raise InvalidInput(_("The sheet lacks the columns %(names)s.") % {"names": "、".join(missing)}, field="file")
    found = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput(_("A sheet may hold at most %(n)s rows.") % {"n": MAX_ROWS}, field="file")
        if not any(value not in (None, "") for value in values):
            continue
        row = {COLUMNS[name]: _text(value) for name, value in zip(header, values, strict=False) if name in COLUMNS}
        found.append((number, row))
    return found


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()[:200]


def households_template() -> bytes:
    """An empty sheet with the header and one example row, for teams to fill in."""
    book = Workbook()
    sheet = book.active
    sheet.title = "房屋与权利人"
    sheet.append(list(COLUMNS))
    sheet.append(["MG-0001", "平湖街道木古河边1号", "1栋", 180.5, "住宅", "第二组", "", "张三", "个人",
                  "34052419800101001X", "13800138000", ""])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_missed_calls(content: bytes) -> list[tuple[int, str, str]]:
    """A phone system's CSV of missed calls: a header with 号码/phone and 时间/time columns, then
    (row number, number, time) for each row."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("gb18030")
        except UnicodeDecodeError:
            raise InvalidInput(_("The file is not a CSV text file."), field="file") from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    phone_at = next((header.index(n) for n in ("号码", "主叫号码", "phone", "caller") if n in header), None)
    time_at = next((header.index(n) for n in ("时间", "呼叫时间", "time") if n in header), None)
    if phone_at is None or time_at is None:
        raise InvalidInput(_("The CSV needs a 号码 (phone) and a 时间 (time) column."), field="file")
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if number > MAX_ROWS + 1:
            raise InvalidInput(_("A file may hold at most %(n)s rows.") % {"n": MAX_ROWS}, field="file")
        cells = [value.strip()[:40] for value in values]
        rows.append((number, *(cells[i] if i < len(cells) else "" for i in (phone_at, time_at))))
    return rows
