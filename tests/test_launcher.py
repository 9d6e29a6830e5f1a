"""`make run` as a demo (issue 10): its environment (DEBUG off, e-mail links to its own port), what
its settings serve (our Dutch 404 page, the static files), and how it waits for /health/."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from config import launcher
from config.launcher import demo_environment

BASE_DIR = Path(__file__).resolve().parent.parent


# --- demo_environment ---------------------------------------------------------------------------
def test_the_demo_runs_on_dev_settings_in_demo_mode_with_debug_off():
    env = demo_environment({"PATH": "/usr/bin"})
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.dev"
    assert env["DEMO_MODE"] == "1"
    assert env["DEBUG"] == "0"
    assert env["PORT"] == "8000"
    assert env["SITE_URL"] == "http://127.0.0.1:8000"
    assert env["PATH"] == "/usr/bin"


def test_email_links_follow_the_port():
    assert demo_environment({"PORT": "8080"})["SITE_URL"] == "http://127.0.0.1:8080"
    # An empty value is no value, as for every variable (config.env).
    assert demo_environment({"PORT": "8080", "SITE_URL": ""})["SITE_URL"] == (
        "http://127.0.0.1:8080"
    )


def test_what_is_set_wins():
    given = {
        "PORT": "8080",
        "SITE_URL": "https://demo.wijkexpert.example",
        "DEBUG": "1",
        "DEMO_MODE": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
    }
    env = demo_environment(given)
    assert {key: env[key] for key in given} == given
    assert given["SITE_URL"] == "https://demo.wijkexpert.example"  # the input is not changed


# --- the settings make run serves with --------------------------------------------------------
_PROBE = """
import json
from django.conf import settings
from django.test import Client

client = Client()
answers = {"DEBUG": settings.DEBUG, "SITE_URL": settings.SITE_URL}
for host in ("127.0.0.1", "localhost"):
    css = client.get("/static/css/wijkexpert.css", HTTP_HOST=host)
    admin_css = client.get("/static/admin/css/base.css", HTTP_HOST=host)
    missing = client.get("/bestaat-niet/", HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="nl")
    answers[host] = {
        "css": [css.status_code, css.get("Content-Type", "")],
        "admin_css": admin_css.status_code,
        "missing": [missing.status_code, missing.content.decode()],
    }
print("PROBE " + json.dumps(answers))
"""


def _probe(**overrides: str) -> dict:
    """What the dev settings answer under make run's environment, in a process of their own
    (this one runs on the test settings). No database: none of these requests needs one."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SITE_URL", "PORT", "ALLOWED_HOSTS")
    }
    env = demo_environment({**env, **overrides})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("PROBE ")]
    return json.loads(line.removeprefix("PROBE "))


@pytest.fixture(scope="module")
def make_run_answers():
    return _probe(PORT="8080")


def test_make_run_shows_our_dutch_404_page_not_the_debug_page(make_run_answers):
    assert make_run_answers["DEBUG"] is False
    for host in ("127.0.0.1", "localhost"):
        status, page = make_run_answers[host]["missing"]
        assert status == 404
        assert "Pagina niet gevonden" in page and 'lang="nl"' in page
        assert "urlpatterns" not in page.lower() and "DEBUG = True" not in page


def test_make_run_serves_the_static_files_with_debug_off(make_run_answers):
    for host in ("127.0.0.1", "localhost"):
        status, content_type = make_run_answers[host]["css"]
        assert status == 200 and content_type.startswith("text/css")
        assert make_run_answers[host]["admin_css"] == 200  # an app's static files too


def test_make_run_links_emails_to_its_own_port(make_run_answers):
    assert make_run_answers["SITE_URL"] == "http://127.0.0.1:8080"


def test_debug_can_still_be_turned_on():
    answers = _probe(DEBUG="1")
    assert answers["DEBUG"] is True
    assert answers["127.0.0.1"]["css"][0] == 200


# --- waiting for /health/ ------------------------------------------------------------------------
class _Health(BaseHTTPRequestHandler):
    answers: list[int] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        status = self.answers.pop(0) if self.answers else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _child(seconds: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"])


def test_the_launcher_waits_for_a_green_health(health_server, monkeypatch):
    monkeypatch.setattr(launcher.time, "sleep", lambda seconds: None)
    _Health.answers = [503, 503, 503]
    url = f"http://127.0.0.1:{health_server.server_port}/health/"
    child = _child(30)
    try:
        assert launcher._wait_until_healthy(url, [child], lambda: False) is True
    finally:
        child.kill()
        child.wait()
    assert _Health.answers == []  # it asked until the answer was 200


def test_the_launcher_stops_waiting_when_a_process_stopped_or_on_ctrl_c(monkeypatch):
    url = "http://127.0.0.1:9/health/"  # nothing answers
    stopped = _child(0)
    stopped.wait()
    assert launcher._wait_until_healthy(url, [stopped], lambda: False) is False
    running = _child(30)
    try:
        assert launcher._wait_until_healthy(url, [running], lambda: True) is False
        monkeypatch.setattr(launcher, "HEALTH_WAIT_SECONDS", 0.5)
        assert launcher._wait_until_healthy(url, [running], lambda: False) is False
    finally:
        running.kill()
        running.wait()


# --- The application's database role (issue 13) ---------------------------------------------------
def test_web_worker_and_beat_connect_as_the_application_role():
    from config.launcher import app_database_url

    assert app_database_url({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/wx"}) == (
        "postgres://wijkexpert_app@127.0.0.1:5432/wx"
    )
    # The embedded PostgreSQL's unix socket; the owner's password is not passed on.
    assert (
        app_database_url(
            {
                "DATABASE_URL": "postgres://owner:secret@/wijkexpert?host=/tmp/pg",
                "DATABASE_APP_ROLE": "app",
            }
        )
        == "postgres://app@/wijkexpert?host=/tmp/pg"
    )
    given = {"DATABASE_URL": "postgres://o@h/db", "DATABASE_APP_URL": "postgres://a:pw@h/db"}
    assert app_database_url(given) == "postgres://a:pw@h/db"
