"""Fixtures of the fault tests: a Redis server, a mail server and the production shape
(gunicorn, Celery worker and beat) of the test's own (stack.py, smtp.py)."""

import pytest

from tests.faults.smtp import MailServer
from tests.faults.stack import RedisServer, Stack


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.stop()


@pytest.fixture
def mail_server():
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def stack(transactional_db, tmp_path, own_redis, mail_server):
    """The stack, not yet started: each test starts the processes it needs. Stopped (and its
    output shown when the test failed) at the end."""
    running = Stack(tmp_path, own_redis, mail_server.port)
    yield running
    running.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing fault test prints what every process of its stack said."""
    report = yield
    running = item.funcargs.get("stack") if hasattr(item, "funcargs") else None
    if report.failed and running is not None:
        report.sections.append(("stack output", running.logs()))
    return report
