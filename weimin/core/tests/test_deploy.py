"""Deployment (issue 9, item 10): `check --deploy` is clean behind HTTPS, commands run without a key until
they serve, and two `weimin serve` on one host keep their own gunicorn control sockets."""

import json
import os
import secrets
import stat
import subprocess
import sys
import time
import urllib.request

from weimin.testing.servers import free_port, wait_for


def weimin(*args: str, var_dir, **env: str) -> subprocess.CompletedProcess:
    """``weimin ARGS`` in a fresh process with production settings and exactly ``env`` on top."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "WEIMIN_HTTPS", "WEIMIN_CLOCK", "WEIMIN_INSECURE_DEV_KEY")
    }
    base.update({"WEIMIN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "weimin.settings", **env})
    return subprocess.run(
        [sys.executable, "-m", "weimin.manage", *args], env=base, capture_output=True, text=True, timeout=120
    )


def strong_key() -> str:
    return secrets.token_urlsafe(50)


def test_check_deploy_is_clean_with_https(tmp_path):
    done = weimin("check", "--deploy", var_dir=tmp_path, DEBUG="0", SECRET_KEY=strong_key(), WEIMIN_HTTPS="1")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr, done.stdout + done.stderr


def test_plain_http_is_the_default_and_check_deploy_says_so(tmp_path):
    """A hall network without TLS keeps working (no redirect to an HTTPS nobody serves, cookies sent);
    the deploy check names what WEIMIN_HTTPS=1 would turn on."""
    done = weimin("check", "--deploy", var_dir=tmp_path, DEBUG="0", SECRET_KEY=strong_key())
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr + done.stdout


def test_https_is_off_by_default():
    from django.conf import settings

    assert not settings.WEIMIN_HTTPS
    assert not settings.SECURE_SSL_REDIRECT and not settings.SESSION_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS == 0


def test_https_answers_redirect_hsts_and_secure_cookies(tmp_path):
    """With WEIMIN_HTTPS=1 a plain request is redirected and an HTTPS one carries HSTS (even a 404: the error
    pages need no database, so none is migrated)."""
    code = (
        "import json, django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "plain, secure = Client().get('/no-such-page/'), Client().get('/no-such-page/', secure=True)\n"
        "print(json.dumps({'status': plain.status_code, 'location': plain.get('Location'),"
        " 'hsts': secure.get('Strict-Transport-Security'), 'session': settings.SESSION_COOKIE_SECURE,"
        " 'csrf': settings.CSRF_COOKIE_SECURE}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "WEIMIN_CLOCK")}
    env.update({"WEIMIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "weimin.settings", "WEIMIN_HTTPS": "1"})
    env.update({"SECRET_KEY": strong_key(), "ALLOWED_HOSTS": "testserver"})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["status"] == 301 and answer["location"].startswith("https://")
    assert answer["hsts"].startswith("max-age=31536000") and "includeSubDomains" in answer["hsts"]
    assert answer["session"] and answer["csrf"]


def test_serve_help_works_without_a_secret_key(tmp_path):
    done = weimin("serve", "--help", var_dir=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "--workers" in done.stdout


def test_serve_refuses_to_start_without_a_secret_key(tmp_path):
    done = weimin("serve", "--addr", f"127.0.0.1:{free_port()}", var_dir=tmp_path)
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stderr


def test_the_wsgi_application_refuses_an_empty_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "WEIMIN_INSECURE_DEV_KEY")}
    env.update({"WEIMIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "weimin.settings"})
    done = subprocess.run([sys.executable, "-c", "import weimin.wsgi"], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr


def test_two_servers_on_one_host_keep_their_own_control_sockets(tmp_path):
    """gunicorn ≥ 25 opens a control socket at one path per user by default: a second server took it
    over and the first one's exit deleted it. Each `weimin serve` now has its own under the var dir."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "WEIMIN_CLOCK")}
    env.update(
        {"SECRET_KEY": strong_key(), "WEIMIN_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "weimin.settings"}
    )
    subprocess.run([sys.executable, "-m", "weimin.manage", "migrate", "-v", "0"], env=env, check=True)
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "weimin.manage",
                "serve",
                "--addr",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "1",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            assert json.loads(wait_for(f"http://127.0.0.1:{port}/api/halls", server)) == []
        sockets = [tmp_path / "run" / f"gunicorn-127.0.0.1-{port}.ctl" for port in ports]
        # gunicorn opens it once the workers are spawned: a warm worker may answer first.
        deadline = time.monotonic() + 10
        while not all(path.exists() for path in sockets) and time.monotonic() < deadline:
            time.sleep(0.1)
        for path in sockets:
            assert stat.S_ISSOCK(path.stat().st_mode)
        gunicornc = os.path.join(os.path.dirname(sys.executable), "gunicornc")
        for path, server in zip(sockets, servers, strict=True):
            answer = subprocess.run(
                [gunicornc, "-s", str(path), "-c", "show workers", "-j"], capture_output=True, text=True, timeout=30
            )
            assert answer.returncode == 0, answer.stdout + answer.stderr
            workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
            assert {str(w["pid"]) for w in json.loads(answer.stdout)["workers"]} <= set(workers)
        servers[0].terminate()
        servers[0].communicate(timeout=20)
        # The first server's exit leaves the second one's socket (and server) alone.
        assert stat.S_ISSOCK(sockets[1].stat().st_mode)
        with urllib.request.urlopen(f"http://127.0.0.1:{ports[1]}/api/halls", timeout=5) as response:
            assert response.status == 200
    finally:
        for server in servers:
            if server.poll() is None:
                server.terminate()
                server.communicate(timeout=20)
