"""The test suite's own fixtures (weimin/conftest.py), where their order matters."""


def test_the_live_server_is_stopped_before_the_test_database_is_dropped(request, live_server):
    """Session fixtures are torn down in the reverse order of their setup: the live server must be set up
    after the test database (it asks for it), or a request thread of it can still hold a connection when
    the database is dropped at the session's end."""
    (ours, *_) = reversed(request._fixturemanager.getfixturedefs("live_server", request.node))
    assert "django_db_setup" in ours.argnames
