"""`weimin demo` as `make demo` runs it: a fresh database, the demo clock, a server answering."""

import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from weimin.testing.servers import free_port, wait_for


def test_demo_serves_the_halls_at_the_articles_moment(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "WEIMIN_CLOCK", "WEIMIN_CLOCK_ANCHOR")}
    env.pop("DEBUG", None)  # as the Makefile runs it: DEBUG off, the clock and a throwaway key allowed
    env.update({"WEIMIN_ALLOW_CLOCK": "1", "WEIMIN_INSECURE_DEV_KEY": "1", "WEIMIN_VAR_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "weimin.settings", "WEIMIN_DEMO_HISTORY_FROM": "2017-12-07"})  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "weimin.manage", "demo", "--addr", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = wait_for(f"http://127.0.0.1:{port}/", server).decode()
        assert page.count('class="card hall-card"') == 12
        assert "2017-12-08 星期五 18:3" in page  # the demo clock starts at the article's Friday evening
        assert page.count('data-open="yes"') == 12
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/weimin/site.css", timeout=5) as css:
            assert css.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=5) as icon:
            assert icon.status == 200 and icon.read(4) == b"\x00\x00\x01\x00"
        # Issue 10: the demo showed Django's debug page to citizens.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/t/no-such-ticket/", timeout=5)
        page = missing.value.read().decode()
        assert missing.value.code == 404 and "页面不存在" in page and "Django" not in page and 'href="/"' in page
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=10)
    assert "http://127.0.0.1:" in output and "Demo accounts (password" in output
    assert (
        "History built: 12 hall-days" in output
    )  # one day of history (WEIMIN_DEMO_HISTORY_FROM): the test stays quick
    assert output.count("/devices/enroll/") == 2  # the kiosk's and the pad's one-time links
    assert (tmp_path / "weimin.sqlite3").exists()
