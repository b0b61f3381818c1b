"""Issue 9, item 8: no input makes the API answer 5xx. schemathesis reads /api/openapi.json from a live
server on the suite's database (SQLite in `make test-sqlite`, PostgreSQL in `make test-postgres`) and runs
every operation with generated input — inputs that fit the schema and inputs that break it — once
anonymously and once with a staff bearer token, failing on any 5xx (`not_a_server_error`).

Bounded and deterministic: WEIMIN_FUZZ_EXAMPLES examples per operation and mode (default 8, so 16 per
operation and caller), a fixed seed (derandomize), no deadline. Most of the time a parameter or a body
field that guards the rest (a hall or item code, a ticket, window or case, an ID number, a free slot)
takes a value that exists in the demo district, so that generated free text (names, notes, comments:
long, with NUL or lone surrogates) reaches the actions and the database rather than stopping at 404."""

import os
import threading

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]

EXAMPLES = int(os.environ.get("WEIMIN_FUZZ_EXAMPLES", "8"))  # 12 until the suite neared CI's 20 minutes
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


@pytest.fixture
def demo_hall(live_server, freeze):
    """The demo district on the article's Friday evening, with a clerk at window 8, waiting tickets, a
    called ticket with a case and its correction notice; the values that exist, by parameter name."""
    from django.contrib.auth.models import User

    from weimin.accounts.actions import issue_token
    from weimin.cases.tests.conftest import ADULT
    from weimin.core import clock
    from weimin.demo.seed import seed_demo
    from weimin.halls.models import Hall, Material, ServiceItem, Window
    from weimin.shifts.actions import sign_in
    from weimin.tickets import actions

    seed_demo()
    freeze("2017-12-08 18:30")
    hall = Hall.objects.get(code="longgang-district")
    window = Window.objects.get(hall=hall, number=8)
    item = window.items.first()
    clerk = User.objects.get(username="clerk")
    sign_in(clerk, window, clock.now())
    tickets = [actions.issue_ticket(hall, item, clock.now()).ticket for _ in range(3)]
    called = actions.call_next(clerk, window, clock.now())
    token = issue_token(clerk, label="fuzz")
    base = live_server.url
    staff = {"Authorization": f"Bearer {token}"}
    case = requests.post(
        f"{base}/api/tickets/{called.pk}/case",
        json={"name": "张先生", "id_number": ADULT, "materials": []},
        headers=staff,
        timeout=30,
    )
    assert case.status_code == 201, case.text
    number = case.json()["number"]
    items = list(ServiceItem.objects.values_list("code", flat=True)[:4])
    bookable = ServiceItem.objects.filter(appointment_allowed=True, windows__hall=hall).first()
    slots = requests.get(
        f"{base}/api/halls/{hall.code}/appointment-slots",
        params={"item": bookable.code, "date": "2017-12-11"},
        timeout=30,
    ).json()
    known = {
        # path and query parameters
        "code": [hall.code, "pinghu"],
        "ticket_id": [t.pk for t in tickets] + [called.pk],
        "window_id": [window.pk, *hall.windows.values_list("pk", flat=True)[:3]],
        "number": [number],
        "date": ["2017-12-08", "2017-12-11"],
        # body fields that guard the rest: with these right, free text (names, notes, comments: long,
        # NUL, surrogates) reaches the actions and the database
        "item": [item.code, bookable.code, *items],
        "id_number": [ADULT],
        "collector_id_number": [ADULT],
        "phone": ["13800138000"],
        "slot_start": [slot["start"] for slot in slots[:3]] or ["2017-12-11T09:00:00+08:00"],
        "successor": ["clerk", "manager"],
        "material": list(Material.objects.filter(item=item).values_list("name", flat=True)),
        "window": [window.pk],
    }
    return base, staff, known


def with_existing_values(strategy, known: dict):
    """Cases where most of the time each parameter or body field (materials' too) that has existing
    values takes one of them; a path's ``code`` is an item's under /items/, a hall's elsewhere."""

    def substitute(draw, container, path: str = ""):
        if not isinstance(container, dict):
            return
        for name, value in container.items():
            values = known["item"] if name == "code" and path.startswith("/api/items/") else known.get(name)
            if values and draw(st.integers(0, 5)) > 0:
                container[name] = draw(st.sampled_from(values))
            elif isinstance(value, list):
                for element in value:
                    substitute(draw, element)

    @st.composite
    def cases(draw):
        case = draw(strategy)
        substitute(draw, case.path_parameters, case.operation.path)
        substitute(draw, case.query)
        substitute(draw, case.body)
        return case

    return cases()


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
def test_no_input_makes_the_api_answer_a_server_error(demo_hall, caller):
    base, staff, known = demo_hall
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    headers = staff if caller == "staff" else {}
    session, lock = requests.Session(), threading.Lock()
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @FUZZ_SETTINGS
            @given(case=with_existing_values(operation.as_strategy(generation_mode=mode), known))
            def call(case):
                with lock:
                    case.call_and_validate(session=session, headers=headers, checks=[not_a_server_error], timeout=30)

            try:
                call()
            except Unsatisfiable:
                pass  # nothing to break: an operation without parameters has no negative input
            except Exception as error:  # every operation runs; all failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert operations > 30  # the whole API, not a schema that failed to load
    assert failures == [], "\n\n".join(failures)
