"""bench/district.py's evening model, from what bench/queue.py's setup reports of the demo's halls (the
benchmark itself is not run by the suite)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def district():
    spec = importlib.util.spec_from_file_location("bench_district", ROOT / "bench" / "district.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def hall(taken: int, windows: list[list[str]]) -> dict:
    return {
        "taken_last_half_hour": taken,
        "minutes": {"short": 10, "long": 30},
        "staff": [{"window": n, "items": items} for n, items in enumerate(windows)],
    }


def test_each_hall_gets_its_windows_arrivals_handling_and_a_share_of_the_phones(district):
    halls = {"big": hall(40, [["short"], ["long"], ["short", "long"]]), "small": hall(10, [["short"]])}
    model = district.evening_model({**halls, "shut": hall(0, [])}, phones=1501)
    by_code = {m.code: m for m in model}
    assert by_code["big"].windows == 3
    assert by_code["big"].arrivals_per_hour == 80  # the demo's last half hour, per hour
    # The demo draws a service as the item's minutes × U(0.5, 1.3): 0.9 × the windows' mean of 10, 30 and 20.
    assert by_code["big"].mean_handling_minutes == pytest.approx(18.0)
    assert by_code["small"].mean_handling_minutes == pytest.approx(9.0)
    assert by_code["shut"] == district.HallModel("shut", 0, 0.0, 0.0, 0)
    # Phones go by arrivals (4 : 1) and add up exactly.
    assert (by_code["big"].phones, by_code["small"].phones) == (1201, 300)


def test_the_district_is_the_demos_twelve_halls(district):
    assert len(district.HALLS) == 12 and district.HALLS[0] == "longgang-district"
