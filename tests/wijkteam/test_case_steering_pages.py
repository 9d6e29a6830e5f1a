"""The case page's new parts, as people use them: correcting the resident (an audited read and
an audited change), handing the case over. Who may is checked by role and team: another team's
generalist gets a 404, and so do an expert, triage worker or municipality admin (no team role:
the pages do not exist for them, DESIGN §4.2) — and none of them sees the identity."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from submissions.web import new_token
from tests.consultation.cast import CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE
from tests.helpers import verify_session
from wijkteam.models import AuditEvent, Case

pytestmark = pytest.mark.django_db

OUTSIDERS = {
    "other_generalist": 404,  # another team: the case is not in their scope
    # No team role: a team page does not exist for them (404, never 403).
    "expert": 404,
    "triage": 404,
    "municipality_admin": 404,
}


def _identity_reads(user, case):
    return AuditEvent.objects.filter(
        actor=user, action=AuditEvent.Action.VIEW_IDENTITY, case_pseudonym=case.pseudonym
    )


def _form(cast, **changes):
    return {
        "first_name": CANARY_FIRST,
        "last_name": CANARY_LAST,
        "date_of_birth": "2009-11-23",
        "postcode": CANARY_POSTCODE,
        "household": "single_parent",
        **changes,
    }


@pytest.mark.parametrize("who", ["generalist", "team_lead"])
def test_the_team_opens_the_resident_form_and_the_read_is_audited(client, cast, who):
    user = getattr(cast, who)
    verify_session(client, user)
    response = client.get(reverse("wijkteam:resident-edit", args=[cast.case.pseudonym]))
    assert response.status_code == 200
    assert CANARY_LAST in response.text
    # The birth date as an <input type="date"> shows it: YYYY-MM-DD, in any language.
    assert 'value="2009-11-23"' in response.text
    (event,) = _identity_reads(user, cast.case)
    assert (event.object_type, event.object_id) == ("wijkteam.Resident", cast.resident.pk)


@pytest.mark.parametrize("who,status", OUTSIDERS.items())
def test_outsiders_neither_see_nor_change_the_resident(client, cast, who, status):
    user = getattr(cast, who)
    verify_session(client, user)
    url = reverse("wijkteam:resident-edit", args=[cast.case.pseudonym])
    for response in (client.get(url), client.post(url, _form(cast, first_name="Gehackt"))):
        assert response.status_code == status
        for canary in (CANARY_FIRST, CANARY_LAST, CANARY_POSTCODE):
            assert canary not in response.text
    cast.resident.refresh_from_db()
    assert cast.resident.first_name == CANARY_FIRST
    # No read of the identity and no change: only the sign-in and the refusals (issue 13).
    A = AuditEvent.Action
    assert not AuditEvent.objects.filter(actor=user).exclude(
        action__in=[A.CREATE, A.SIGN_IN, A.ACCESS]
    )
    refused = AuditEvent.objects.filter(actor=user, action=A.ACCESS)
    assert set(refused.values_list("result", flat=True)) == {AuditEvent.Result.REFUSED}
    assert refused.count() == 2


def test_a_correction_is_saved_and_audited_by_field_name(client, cast):
    verify_session(client, cast.team_lead)
    url = reverse("wijkteam:resident-edit", args=[cast.case.pseudonym])
    response = client.post(url, _form(cast, postcode="3812 CD", submission_token=new_token()))
    assert response.status_code == 302
    assert response.url == reverse("wijkteam:case", args=[cast.case.pseudonym])
    cast.resident.refresh_from_db()
    assert cast.resident.postcode == "3812 CD"
    (event,) = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, actor=cast.team_lead)
    assert event.detail == "changed: postcode"
    assert event.case_pseudonym == cast.case.pseudonym


def test_bad_input_shows_the_form_again_and_changes_nothing(client, cast):
    verify_session(client, cast.generalist)
    url = reverse("wijkteam:resident-edit", args=[cast.case.pseudonym])
    response = client.post(url, _form(cast, postcode="12", date_of_birth="2999-01-01"))
    assert response.status_code == 200
    assert "postcode" in response.context["form"].errors
    assert "date_of_birth" in response.context["form"].errors
    cast.resident.refresh_from_db()
    assert cast.resident.postcode == CANARY_POSTCODE
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()
    # What was shown again is the identity: that read is audited like the form itself.
    assert _identity_reads(cast.generalist, cast.case).count() == 1


# --- Handing over ----------------------------------------------------------------------------
def _hand_over(client, cast, to, token=None):
    data = {"owner": to.pk, "submission_token": token or new_token()}
    return client.post(reverse("wijkteam:case-hand-over", args=[cast.case.pseudonym]), data)


def test_the_team_lead_hands_the_case_over_from_the_case_page(client, cast, make_user):
    colleague = make_user(Role.GENERALIST, first_name="Joris", last_name="Collega")
    verify_session(client, cast.team_lead)
    page = client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))
    choices = page.context["hand_over_form"].fields["owner"].queryset
    # The team's members, without the current owner; never someone of another team.
    assert set(choices) == {cast.team_lead, colleague}
    token = new_token()
    response = _hand_over(client, cast, colleague, token)
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.owner == colleague
    again = _hand_over(client, cast, colleague, token)  # a double click
    assert again.status_code == 302
    updates = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="wijkteam.Case"
    )
    assert updates.count() == 1
    # The new owner sees it as theirs.
    client.logout()
    verify_session(client, colleague)
    page = client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))
    assert page.context["is_mine"] and page.context["hand_over_form"] is not None


def test_a_colleague_who_does_not_own_the_case_gets_no_form_and_a_403(client, cast, make_user):
    colleague = make_user(Role.GENERALIST)
    verify_session(client, colleague)
    page = client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))
    assert page.context["hand_over_form"] is None
    assert "Casusregie" not in page.text
    assert _hand_over(client, cast, colleague).status_code == 403
    cast.case.refresh_from_db()
    assert cast.case.owner == cast.generalist


def test_a_member_of_another_team_is_refused_as_the_new_owner(client, cast):
    verify_session(client, cast.generalist)
    response = _hand_over(client, cast, cast.other_generalist)
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.owner == cast.generalist


@pytest.mark.parametrize("who,status", OUTSIDERS.items())
def test_outsiders_cannot_hand_the_case_over(client, cast, who, status):
    verify_session(client, getattr(cast, who))
    assert _hand_over(client, cast, cast.team_lead).status_code == status
    cast.case.refresh_from_db()
    assert cast.case.owner == cast.generalist


def test_a_closed_case_shows_as_closed_without_the_forms(client, cast):
    Case.objects.filter(pk=cast.case.pk).update(status=Case.Status.CLOSED)
    verify_session(client, cast.team_lead)
    page = client.get(reverse("wijkteam:case", args=[cast.case.pseudonym]))
    assert page.context["hand_over_form"] is None
    assert "Deze casus is afgesloten" in page.text
    assert reverse("wijkteam:question-new", args=[cast.case.pseudonym]) not in page.text
