"""The tables the analytics pages show, and the same tables as Excel (.xlsx) and CSV downloads.

A page builds each of its tables once (``Table``) and renders it with ``analytics/_table.html``; the
download (``?download=<table name>&format=xlsx|csv``) writes the very same rows, so a file always
matches the page. Headers are the columns' labels (Chinese first); shares are written as fractions
formatted as percentages in Excel and as percentages with one decimal in CSV and on the page.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font


class Kind:
    TEXT = "text"
    COUNT = "count"
    SHARE = "share"  # a fraction 0–1, shown as a percentage
    MINUTES = "minutes"  # one decimal
    NUMBER = "number"  # two decimals (a mean rating, a rate per hour)
    BY_ROW = "by_row"  # the row's "kind" cell says (a table of measures in different units)


def kind_of(row: dict, column: Column) -> str:
    return row.get("kind", Kind.TEXT) if column.kind == Kind.BY_ROW else column.kind


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = Kind.COUNT


@dataclass
class Table:
    name: str  # the download's name: letters, digits and dashes
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    note: str = ""  # what the table's figures mean (shown under it)

    def shown(self, row: dict, column: Column) -> str:
        """A cell as the page and the CSV show it."""
        return display(row.get(column.key), kind_of(row, column))

    def cells(self):
        """Rows of (column, shown value) for the template."""
        return [[(column, self.shown(row, column)) for column in self.columns] for row in self.rows]


def display(value, kind: str) -> str:
    if value is None:
        return "–"
    match kind:
        case Kind.SHARE:
            return f"{value * 100:.1f}%"
        case Kind.MINUTES:
            return f"{value:.1f}"
        case Kind.NUMBER:
            return f"{value:.2f}"
        case Kind.COUNT:
            return f"{value:,}" if isinstance(value, int) else str(value)
    return value.isoformat() if isinstance(value, date) else str(value)


def as_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese headers right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in table.columns])
    for row in table.rows:
        writer.writerow([table.shown(row, column).replace(",", "") for column in table.columns])
    return ("\ufeff" + out.getvalue()).encode()


_EXCEL_FORMAT = {Kind.SHARE: "0.0%", Kind.MINUTES: "0.0", Kind.NUMBER: "0.00", Kind.COUNT: "#,##0"}


def as_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]  # Excel's limit on a sheet's name
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        values = []
        for column in table.columns:
            value = row.get(column.key)
            values.append(display(value, column.kind) if column.kind == Kind.TEXT and value is not None else value)
        sheet.append(values)
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if kind_of(row, column) in _EXCEL_FORMAT:
                cell.number_format = _EXCEL_FORMAT[kind_of(row, column)]
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(10, min(40, 2 * len(column.label) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def download(tables: list[Table], name: str, fmt: str, filename: str) -> HttpResponse:
    """The page's table ``name`` as a file (404 for an unknown table or format)."""
    table = next((t for t in tables if t.name == name), None)
    if table is None or fmt not in CONTENT_TYPES:
        raise Http404(name)
    body = as_xlsx(table) if fmt == "xlsx" else as_csv(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}-{table.name}.{fmt}"'
    return response


def wanted_download(request) -> tuple[str, str] | None:
    """(table name, format) when the request asks for a download."""
    name = request.GET.get("download")
    return (name[:40], request.GET.get("format", "xlsx")[:4]) if name else None
