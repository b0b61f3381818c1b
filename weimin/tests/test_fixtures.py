"""The test suite's own fixtures (weimin/conftest.py), where their order matters."""

import subprocess
import sys
import threading
import warnings

import pytest


def test_the_live_server_is_stopped_before_the_test_database_is_dropped(request, live_server):
    """Session fixtures are torn down in the reverse order of their setup: the live server must be set up
    after the test database (it asks for it), or a request thread of it can still hold a connection when
    the database is dropped at the session's end."""
    (ours, *_) = reversed(request._fixturemanager.getfixturedefs("live_server", request.node))
    assert "django_db_setup" in ours.argnames


@pytest.mark.django_db
def test_sessions_left_on_the_test_database_are_named_and_ended_before_the_drop():
    from django.db import connections

    from weimin.conftest import _let_other_sessions_end

    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL: a database another session uses cannot be dropped")
    import psycopg

    leaving = psycopg.connect(**connection.get_connection_params(), application_name="leaving")
    threading.Timer(0.2, leaving.close).start()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _let_other_sessions_end(connection, seconds=3, applications=("leaving",))  # waited for: no warning
    staying = psycopg.connect(**connection.get_connection_params(), application_name="staying")
    with pytest.warns(UserWarning, match="'staying'.*this test process, threads"):
        _let_other_sessions_end(connection, seconds=0.2, applications=("staying",))
    with pytest.raises(psycopg.OperationalError):
        staying.execute("SELECT 1")
    # Another process's session is named by that process's command line.
    params = {k: v for k, v in connection.get_connection_params().items() if k in ("dbname", "user", "host", "port")}
    script = (
        f"import psycopg, time; c = psycopg.connect(**{params!r}, application_name='elsewhere'); "
        "print('ready', flush=True); time.sleep(30)"
    )
    elsewhere = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert elsewhere.stdout.readline() == "ready\n"
        with pytest.warns(UserWarning, match=rf"'elsewhere'.*process {elsewhere.pid}: .*psycopg.connect"):
            _let_other_sessions_end(connection, seconds=0.2, applications=("elsewhere",))
    finally:
        elsewhere.kill()
        elsewhere.wait()
