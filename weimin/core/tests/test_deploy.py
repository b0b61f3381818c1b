"""Deployment (issue 9, item 10): `check --deploy` is clean behind HTTPS, commands run without a key until
they serve."""

import json
import os
import secrets
import subprocess
import sys

from weimin.testing.servers import free_port


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
