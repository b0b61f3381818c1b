"""``weimin rivers classify FILE.csv --format json``: the classes of a CSV's points and bodies with their
reasons; malformed rows exit with code 2 naming the row and column."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "body,point,chainage_m,date,depth_cm,transparency_cm,do_mg_l,orp_mv,nh3n_mg_l\n"
SEVERE = "8,0.1,-250,18"
CLEAN = "40,5,120,2"


def run(tmp_path, text: str) -> dict:
    path = tmp_path / "samples.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("rivers", "classify", str(path), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def lines(body, point, chainage, values, days=("2017-11-01", "2017-11-08", "2017-11-15")):
    return "".join(f"{body},{point},{chainage},{day},60,{values}\n" for day in days)


def test_points_and_bodies_with_their_classes_and_reasons(tmp_path):
    text = HEADER + lines("mugu", "P3", 800, SEVERE) + lines("mugu", "P1", 0, SEVERE) + lines("mugu", "P2", 400, SEVERE)
    text += lines("mugu", "P4", 1200, CLEAN) + lines("shanxia", "S1", 0, CLEAN, days=("2017-11-01",))
    result = run(tmp_path, text)
    assert [(p["body"], p["point"], p["class"]) for p in result["points"]] == [
        ("mugu", "P1", "severe"), ("mugu", "P2", "severe"), ("mugu", "P3", "severe"), ("mugu", "P4", "none"),
        ("shanxia", "S1", "insufficient_data"),
    ]  # fmt: skip
    assert set(result["points"][0]) == {"body", "point", "class", "reasons"}
    assert result["points"][0]["reasons"][0] == {
        "rule": "one_indicator", "level": "severe", "indicator": "transparency_cm", "threshold": 0.6, "count": 3,
        "total": 3, "share": 1.0,
    }  # fmt: skip
    mugu, shanxia = result["bodies"]
    assert set(mugu) == {"body", "class", "severe_stretches", "reasons"}
    assert mugu["class"] == "severe"  # 3 of 4 points
    assert mugu["severe_stretches"] == [{"from_m": 0, "to_m": 800, "points": ["P1", "P2", "P3"]}]
    assert mugu["reasons"] == [
        {"rule": "severe_points", "level": "severe", "threshold": 0.6, "count": 3, "total": 4, "share": 0.75}
    ]
    assert shanxia["class"] == "insufficient_data"


@pytest.mark.parametrize(
    ("bad", "row", "column"),
    [
        ("mugu,P1,0,2017-11-01,60,40,abc,120,2", 3, "do_mg_l"),
        ("mugu,P1,0,2017-11-31,60,40,5,120,2", 3, "date"),
        ("mugu,P1,zero,2017-11-02,60,40,5,120,2", 3, "chainage_m"),
        ("mugu,P1,0,2017-11-02,60,40,5,120,-3", 3, "nh3n_mg_l"),
        ("mugu,P1,0,2017-11-02,60,80,5,120,2", 3, "transparency_cm"),  # deeper than the water
        ("mugu,P1,0,2017-11-02,60,40,5", 3, "orp_mv"),  # a short line
        ("mugu,P1,50,2017-11-02,60,40,5,120,2", 3, "chainage_m"),  # P1 was at 0
    ],
)
def test_a_malformed_row_exits_with_2_naming_row_and_column(tmp_path, bad, row, column):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "mugu,P1,0,2017-10-31,60,40,5,120,2\n" + bad + "\n")
    with pytest.raises(CommandError) as raised:
        call_command("rivers", "classify", str(path), "--format", "json")
    assert raised.value.returncode == 2
    assert f"row {row}, column {column}:" in str(raised.value)


def test_a_missing_column_or_file_exits_with_2(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("body,point,date\nmugu,P1,2017-11-01\n")
    with pytest.raises(CommandError) as raised:
        call_command("rivers", "classify", str(path))
    assert raised.value.returncode == 2 and "row 1, column chainage_m:" in str(raised.value)
    with pytest.raises(CommandError) as raised:
        call_command("rivers", "classify", str(tmp_path / "none.csv"))
    assert raised.value.returncode == 2
