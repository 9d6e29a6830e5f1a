"""The audit log's page and CSV export: for the privacy officer and the functional admin
(superuser) only, filtered, paginated with a pinned query count."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.roles import Role
from wijkteam.audit import audit_write
from wijkteam.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.PRIVACY_OFFICER)


@pytest.mark.parametrize(
    "role", [Role.GENERALIST, Role.TEAM_LEAD, Role.EXPERT, Role.TRIAGE, Role.MUNICIPALITY_ADMIN]
)
def test_the_log_does_not_exist_for_other_roles(verified_client, make_user, role):
    client = verified_client(make_user(role))
    assert client.get(reverse("audit:log")).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 404


def test_the_functional_admin_reads_the_log(verified_client, make_user):
    admin = make_user(Role.EXPERT, is_superuser=True, is_staff=True)
    assert verified_client(admin).get(reverse("audit:log")).status_code == 200


def test_the_privacy_officer_lands_on_the_log(verified_client, officer):
    response = verified_client(officer).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("audit:log")


def test_filters_and_pages_with_a_fixed_number_of_queries(
    verified_client, officer, make_user, django_assert_num_queries
):
    expert = make_user(Role.EXPERT)
    for n in range(30):
        audit_write(
            actor=expert,
            action=AuditEvent.Action.VIEW_IDENTITY,
            object_type="wijkteam.Resident",
            object_id=n,
            case_pseudonym="C-AAAAAA" if n % 2 else "C-BBBBBB",
        )
    client = verified_client(officer)
    url = reverse("audit:log") + f"?person={expert.email}&case=c-aaaaaa&action=view_identity"
    client.get(url)  # warm the role cache
    # session, user (with the OTP device check: roles come from the cache), the page of events
    # with their people
    with django_assert_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    events = response.context["events"]
    assert len(events.items) == 15
    assert {e.case_pseudonym for e in events.items} == {"C-AAAAAA"}
    with django_assert_num_queries(3):
        assert client.get(reverse("audit:log") + "?pagina=2").status_code == 200


def test_bad_filter_input_is_a_form_error(verified_client, officer):
    client = verified_client(officer)
    response = client.get(reverse("audit:log") + "?case=nonsense&start=2026-05-02&end=2026-05-01")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"case", "end"}


def test_the_export_is_the_filtered_log_as_csv_and_is_audited(verified_client, officer, make_user):
    expert = make_user(Role.EXPERT)
    audit_write(actor=expert, action=AuditEvent.Action.UPDATE, object_type="x.Y", object_id=1)
    audit_write(actor=officer, action=AuditEvent.Action.UPDATE, object_type="x.Y", detail="=1+1")
    client = verified_client(officer)
    response = client.get(reverse("audit:export") + f"?person={expert.email}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode()), delimiter=";")
    )
    assert rows[0][0] == "\ufeffseq"
    assert [row[2] for row in rows[1:]] == [expert.email]
    assert AuditEvent.objects.filter(actor=officer, action=AuditEvent.Action.EXPORT).exists()
    everything = client.get(reverse("audit:export"))
    text = b"".join(everything.streaming_content).decode()
    assert "'=1+1" in text  # no formula for a spreadsheet to run
