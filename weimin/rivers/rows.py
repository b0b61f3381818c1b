"""Sample tables read row by row (no Django): the CSV of ``weimin rivers classify`` and the Excel/CSV files
the office imports. The columns are those of the command
(``body,point,chainage_m,date,depth_cm,transparency_cm,do_mg_l,orp_mv,nh3n_mg_l``), plus an optional
``sampler``. Every problem names its row (the header is row 1, as a spreadsheet numbers it) and column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from weimin.rivers.rules import MEASUREMENTS, FieldProblem, Problem, Reading, parse_day, parse_reading

COLUMNS = ("body", "point", "chainage_m", "date", *MEASUREMENTS)
OPTIONAL = ("sampler",)
CODE_LENGTH = 40  # a body's or point's code, and a sampler's name: their columns' length
MAX_CHAINAGE_M = 1_000_000
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # a CSV may carry them; no database stores them


@dataclass(frozen=True)
class Row:
    number: int
    body: str
    point: str
    chainage_m: int | None
    day: date
    reading: Reading
    sampler: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    problem: FieldProblem


def row_error(number: int, column: str, problem: Problem, limit=None, text: str = "") -> RowError:
    return RowError(number, column, FieldProblem(column, problem, limit, text))


class UnreadableFile(ValueError):
    """Not a CSV or Excel table weimin can read."""


def read_csv(data: bytes | str) -> list[list[str]]:
    """Cells of every line; UTF-8 with or without a BOM (what Excel writes), else GB18030."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                data = data.decode("gb18030")
            except UnicodeDecodeError as error:
                raise UnreadableFile(str(error)) from None
    try:
        return [row for row in csv.reader(io.StringIO(data.lstrip("\ufeff")))]
    except csv.Error as error:
        raise UnreadableFile(str(error)) from None


def read_xlsx(data: bytes) -> list[list]:
    """The first sheet's cells (values, dates as dates)."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile(str(error)) from None


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def header_errors(header: list, *, need_chainage: bool = True) -> tuple[dict[str, int], list[RowError]]:
    """Column name → index, and a row-1 error for each required column missing."""
    names = [_text(cell).lower() for cell in header]
    index = {name: names.index(name) for name in (*COLUMNS, *OPTIONAL) if name in names}
    required = COLUMNS if need_chainage else tuple(c for c in COLUMNS if c != "chainage_m")
    return index, [
        RowError(1, column, FieldProblem(column, Problem.MISSING)) for column in required if column not in index
    ]


def parse_row(
    number: int, cells: list, index: dict[str, int], today: date | None = None
) -> tuple[Row | None, list[RowError]]:
    """One data row, or every problem in it."""

    def cell(name):
        position = index.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    errors = []
    texts = {}
    for name in ("body", "point", "sampler"):
        texts[name] = _text(cell(name))
        if UNSTORABLE.search(texts[name]):
            errors.append(row_error(number, name, Problem.UNSTORABLE))
        elif len(texts[name]) > CODE_LENGTH:
            errors.append(RowError(number, name, FieldProblem(name, Problem.TOO_LONG, CODE_LENGTH, texts[name][:20])))
        elif not texts[name] and name != "sampler":
            errors.append(RowError(number, name, FieldProblem(name, Problem.MISSING)))
    chainage = None
    if "chainage_m" in index:
        raw = _text(cell("chainage_m"))
        try:
            chainage = int(raw)
        except ValueError:
            errors.append(
                RowError(number, "chainage_m", FieldProblem("chainage_m", Problem.NOT_A_NUMBER, text=raw[:20]))
            )
        else:
            if not 0 <= chainage <= MAX_CHAINAGE_M:
                low = chainage < 0
                problem = Problem.BELOW if low else Problem.ABOVE
                errors.append(row_error(number, "chainage_m", problem, 0 if low else MAX_CHAINAGE_M, raw[:20]))
    raw_day = cell("date")
    day, problem = parse_day("date", raw_day.date() if isinstance(raw_day, datetime) else raw_day, today)
    if problem:
        errors.append(RowError(number, "date", problem))
    reading, problems = parse_reading({name: cell(name) for name in MEASUREMENTS})
    errors += [RowError(number, p.field, p) for p in problems]
    if errors:
        return None, errors
    return Row(number, texts["body"], texts["point"], chainage, day, reading, texts["sampler"]), []


def parse_table(
    rows: list[list], today: date | None = None, *, need_chainage: bool = True
) -> tuple[list[Row], list[RowError]]:
    """Every data row of a table (header first; blank lines skipped), and every problem found: a point
    whose chainage differs from its earlier rows, or that appears twice on one date, is one too."""
    if not rows:
        return [], [RowError(1, COLUMNS[0], FieldProblem(COLUMNS[0], Problem.MISSING))]
    index, errors = header_errors(rows[0], need_chainage=need_chainage)
    if errors:
        return [], errors
    parsed, chainages, seen = [], {}, set()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        row, row_errors = parse_row(number, cells, index, today)
        errors += row_errors
        if row is None:
            continue
        key = (row.body, row.point)
        if row.chainage_m is not None and chainages.setdefault(key, row.chainage_m) != row.chainage_m:
            errors.append(
                RowError(number, "chainage_m", FieldProblem("chainage_m", Problem.CONFLICT, text=str(row.chainage_m)))
            )
        elif (key, row.day) in seen:
            errors.append(RowError(number, "date", FieldProblem("date", Problem.DUPLICATE, text=row.day.isoformat())))
        else:
            seen.add((key, row.day))
            parsed.append(row)
    return parsed, errors
