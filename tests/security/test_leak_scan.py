"""The leak scan (issue 13, DESIGN §7): two teams' residents carry unique canary identities, the
main journeys of every issue run through the real services with a real Celery worker
(tests/security/world.py), and then everything the people outside a resident's team can get is
scanned for the canary:

- every HTML page reachable by links from their home, and every file those pages link to
  (CSV, XLSX, PDF, .ics, JSON), as an expert (of the network pool, the triage pool and the team
  pool), a triage worker, a coordinator, a municipality admin, a region admin and another
  team's generalist, each signed in with a verified second factor (tests/security/crawler.py);
- every GET operation of the OpenAPI document with that person's API token, each path parameter
  filled with the id of every object of the world (so objects outside their scope are tried);
- each person's personal calendar feed (.ics);
- every e-mail sent (headers, plain body, HTML alternative, attachments such as the .ics), to
  anyone: no e-mail carries identity (DESIGN §4.5);
- the application log, all loggers at DEBUG, and any log file the settings configure.

Positive controls prove the scan is not blind: the same crawl as the team's generalist finds the
canary on the case page, as the team lead in the resident's access export (JSON and PDF), as the
other team's generalist on their own resident's case page; the API scan finds it as the
team's generalist; and canaries planted into a real e-mail (body, HTML alternative, subject,
.ics), an XLSX and a log line are found by the same readers.
"""

from __future__ import annotations

import copy
import io
import logging
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Model
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from openpyxl import Workbook
from rest_framework.test import APIClient

from accounts.tokens import api_token_create
from consultation.models import Notification, Question
from expertise.models import Absence
from hours.models import InvoiceExport, TimeEntry
from meetings.mail_models import SessionMail
from meetings.models import Session
from municipality.models import TeamInvitation
from tests.accounts.factories import UserFactory
from tests.helpers import verify_session, worker_caught_up
from tests.security.crawler import api_requests, crawl
from tests.security.scanner import Scan, log_texts
from tests.security.world import OTHER_CANARY, TEAM_CANARY, build_world
from wijkteam.models import AuditEvent, Case, Resident

pytestmark = pytest.mark.django_db(transaction=True)

# The model behind each API resource whose objects a path parameter names.
RESOURCES: dict[str, type[Model]] = {
    "questions": Question,
    "sessions": Session,
    "time-entries": TimeEntry,
    "invoice-exports": InvoiceExport,
    "residents": Resident,
    "absences": Absence,
}


def _ids_for(template: str, name: str):
    if name == "pseudonym":
        return sorted(Case.objects.values_list("pseudonym", flat=True))
    assert name == "id", f"a new path parameter {name!r} in {template}: give it values here"
    resource = template.split("/{id}/")[0].rsplit("/", 1)[-1]
    assert resource in RESOURCES, f"a new API resource {resource!r}: add its model to RESOURCES"
    return sorted(RESOURCES[resource]._default_manager.values_list("pk", flat=True))


def _scan_crawl(scan: Scan, client, who: str) -> list:
    fetched = crawl(client)
    for item in fetched:
        where = f"{item.url} as {who}"
        assert item.status < 500, where
        scan.data(item.body, where, kind="pages" if item.is_html else "files")
        scan.text(item.headers, f"{where} [headers]")  # a download's file name, a Location
    return fetched


def _scan_api(scan: Scan, requests, user, who: str) -> None:
    _token, secret = api_token_create(user=user, name="leak scan")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    for operation, path, query in requests:
        response = client.get(path, query)
        where = f"{operation} {response.request['PATH_INFO']}?{query} as {who}"
        assert response.status_code < 500, where
        scan.data(response.content, where, kind="api")
        scan.text("\n".join(f"{k}: {v}" for k, v in response.items()), f"{where} [headers]")


@pytest.fixture
def every_log(caplog):
    """caplog hears the root logger; a logger that does not propagate is heard directly."""
    known = logging.root.manager.loggerDict.values()
    alone = [lg for lg in known if isinstance(lg, logging.Logger) and not lg.propagate]
    levels = [lg.level for lg in alone]
    for logger in alone:
        logger.addHandler(caplog.handler)
        logger.setLevel(logging.DEBUG)
    yield caplog
    for logger, level in zip(alone, levels, strict=True):
        logger.removeHandler(caplog.handler)
        logger.setLevel(level)


def _log_files() -> list[Path]:
    handlers = getattr(settings, "LOGGING", {}).get("handlers", {})
    return [Path(h["filename"]) for h in handlers.values() if "filename" in h]


def test_no_canary_reaches_anyone_outside_the_residents_team(
    cast, make_user, celery_worker, mailoutbox, every_log, settings, tmp_path
):
    caplog = every_log
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.DEBUG)  # every logger, after the worker set the root's level
    begun = time.monotonic()
    world = build_world(cast, make_user)
    worker_caught_up()
    team = world.team
    privacy_officer = UserFactory()
    cast.org["region"].privacy_officers.add(privacy_officer)
    outsiders = {
        "the network pool's expert": cast.expert,
        "the triage pool's expert": world.triage_expert,
        "a team pool's expert": team.experts[0],
        "the triage worker": cast.triage,
        "the team pool's coordinator": team.coordinator,
        "the municipality admin": cast.municipality_admin,
        "the region admin": world.region_admin,
        "another team's generalist": cast.other_generalist,
        # Reads the audit log and its CSV (ids and pseudonyms, never who the resident is).
        "the privacy officer": privacy_officer,
        "the functional administrator": UserFactory(is_staff=True, is_superuser=True),
    }
    document = SchemaGenerator().get_schema(request=None, public=True)
    requests = api_requests(document, _ids_for)
    scan = Scan([TEAM_CANARY, OTHER_CANARY])
    own_team_scan = Scan([TEAM_CANARY])  # the other team's generalist may see their resident
    for who, person in outsiders.items():
        this = own_team_scan if person is cast.other_generalist else scan
        client = Client()
        verify_session(client, person)
        _scan_crawl(this, client, who)
        _scan_api(this, requests, person, who)
    # A calendar feed never carries identity, whoever's it is (it syncs to phones and clouds).
    for pk, secret in world.feeds.items():
        feed = Client().get(f"/overleg/agenda/{secret}.ics")
        assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")
        scan.data(feed.content, f"the calendar feed of user {pk}", kind="files")

    # Everything sent, to anyone: an e-mail never carries identity. All of it is out (what a
    # later change superseded is told by the newer mail; digest rows wait for tomorrow's).
    worker_caught_up()
    unsent = ["pending", "sending", "failed"]
    assert not SessionMail.objects.filter(state__in=unsent).exists()
    assert not TeamInvitation.objects.filter(state__in=unsent).exists()
    emails = Notification.objects.filter(channel="email", digest=False)
    assert not emails.filter(state__in=unsent).exists()
    assert len(mailoutbox) >= 10
    for number, message in enumerate(mailoutbox):
        scan.mail(message, f"mail {number} to {message.to} ({message.subject})")
    kinds = {a.mimetype.split(";")[0] for m in mailoutbox for a in m.attachments}
    assert "text/calendar" in kinds  # the session invitations' .ics were scanned too
    # Everything logged, at DEBUG, by every logger; and any log file.
    assert caplog.records
    for where, text in _log_texts(caplog):
        scan.text(text, where, kind="log records")
    # The audit trail is a log too, read by others than the team (NEN 7513): it says what was
    # read or changed, by pseudonym and id, never whose identity it was.
    for row in AuditEvent.objects.values():
        scan.text(repr(row), f"audit event {row['id']}", kind="audit events")
    for path in _log_files():
        if path.exists():
            scan.data(path.read_bytes(), f"log file {path}", kind="log files")
    elapsed = time.monotonic() - begun

    leaks = scan.findings + own_team_scan.findings
    assert leaks == [], f"the canary leaked:\n{scan.report()}\n{own_team_scan.report()}"
    counts = {k: scan.counts.get(k, 0) + own_team_scan.counts.get(k, 0) for k in scan.counts}
    assert counts["pages"] >= 8 * 5 and counts["api"] >= 8 * len(document["paths"])
    assert counts["files"] >= 8  # exports, downloads and feeds
    print(f"leak scan: {counts} over {len(outsiders)} people in {elapsed:.0f} s")  # noqa: T201

    _positive_controls(world, requests, mailoutbox, caplog)


def _log_texts(caplog):
    return log_texts(caplog.records)


def _positive_controls(world, requests, mailoutbox, caplog):
    """The same scanners, where the canary belongs: found."""
    cast = world.cast
    control = Scan([TEAM_CANARY])
    client = Client()
    verify_session(client, cast.generalist)
    _scan_crawl(control, client, "the generalist")
    case_page = f"/wijkteam/casussen/{cast.case.pseudonym}/"
    assert any(f.where.startswith(case_page + " ") for f in control.findings), control.report()
    _scan_api(control, requests, cast.generalist, "the generalist")
    assert any(f"/residents/{cast.resident.pk}/" in f.where for f in control.findings)

    lead = Scan([TEAM_CANARY])
    client = Client()
    verify_session(client, cast.team_lead)
    _scan_crawl(lead, client, "the team lead")
    for export in ("inzage.json as the team lead", "inzage.pdf as the team lead [pdf text]"):
        assert any(f.where == case_page + export for f in lead.findings), (export, lead.report())

    other = Scan([OTHER_CANARY])
    client = Client()
    verify_session(client, cast.other_generalist)
    _scan_crawl(other, client, "the other team's generalist")
    assert any(
        f.where.startswith(f"/wijkteam/casussen/{world.other_case.pseudonym}/ ")
        for f in other.findings
    ), other.report()

    # A canary planted into a real invitation e-mail, part by part, is found in each.
    real = next(m for m in mailoutbox if any("calendar" in a.mimetype for a in m.attachments))
    for plant in ("body", "subject", "html", "ics"):
        message = copy.deepcopy(real)
        name = TEAM_CANARY.needles[0]
        if plant == "body":
            message.body += f"\nOver {name}."
        elif plant == "subject":
            message.subject = f"Nieuws — {name}"
        elif plant == "html":
            message = EmailMultiAlternatives(
                message.subject,
                message.body,
                message.from_email,
                message.to,
                attachments=message.attachments,
                headers=message.extra_headers,
            )
            message.attach_alternative(f"<p>Over <b>{name}</b>&nbsp;</p>", "text/html")
        else:
            (attachment,) = [a for a in message.attachments if "calendar" in a.mimetype]
            message.attachments = [
                attachment._replace(
                    # folded inside the name, as a long line is (RFC 5545 §3.1)
                    content=attachment.content.replace(
                        "SUMMARY:", f"SUMMARY:{name[:4]}\r\n {name[4:]} "
                    )
                )
            ]
        # Found in the part it was planted in, decoded: not only in the raw message.
        found = Scan([TEAM_CANARY]).mail(message, plant)
        assert [f for f in found if not f.where.endswith("[raw]")], (plant, found)

    # An XLSX cell and a log line.
    book = Workbook()
    book.active["B7"] = TEAM_CANARY.needles[1]
    data = io.BytesIO()
    book.save(data)
    (cell,) = Scan([TEAM_CANARY]).data(data.getvalue(), "a workbook")
    assert cell.where.startswith("a workbook [xl/"), cell  # read inside the archive
    caplog.clear()
    logging.getLogger("consultation").debug("resident %s", TEAM_CANARY.needles[0])
    assert Scan([TEAM_CANARY]).many(_log_texts(caplog))
