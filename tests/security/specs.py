"""The URL permission matrix: for every URL pattern of the project, how to build its URL from
the shared world (tests/security/matrix_world.py) and what a GET answers for each role.

The rule (DESIGN §4.2, issue 13): outside one's scope a URL does not exist, a 404, the same
whether the object is there or not; never a 403 for someone who may not know the object
exists, never a 500. A 403 only where the person sees the object but may not do this with it
(an expert on a question's close form). Signed out: a page redirects to sign-in, the API
answers 403 "not authenticated" (see Spec.expected). Signed in without the second factor: a
page redirects to the second factor, the API answers as signed out.

`ok` are the roles that get `status`; `known` those that get 403; everyone else signed in gets
404. A POST-only URL answers a GET with 405 for those it is meant for; for the others a 404
(the role gate comes first) or a 405 (the method check comes first) tell nothing either way.
`expect` overrides one role's answer; `xfail` marks a role's case as a known wrong answer
("role" for the GET, "post:role" for the writes of test_url_matrix_posts.py), with a reason;
strict: it fails the day the answer is right, so the mark comes off.

A new URL gets an entry here (test_url_matrix.py fails naming it until it has one); a new role
goes into world.ROLES with a user in build_world, and into the `ok`/`known` sets it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.security.matrix_world import ROLES, World

SIGNED_IN = frozenset(ROLES) - {"anonymous", "unverified"}
TEAM = frozenset({"generalist", "team_lead"})  # the team that owns the case
TEAM_ROLES = TEAM | {"other_generalist"}  # anyone working in a district team
EXPERTS = frozenset({"expert", "other_expert"})
PLANNERS = frozenset({"triage", "coordinator"})  # hours: a pool's triage workers, coordinators
MUNICIPALITY_ADMINS = frozenset({"municipality_admin", "other_municipality_admin"})
ADMINS = MUNICIPALITY_ADMINS | {"region_admin"}  # the dashboard: each their own figures
ANY_ROLE = SIGNED_IN - {"staff"}

NOT_FOUND_OR_NOT_ALLOWED = frozenset({404, 405})


@dataclass(frozen=True)
class Spec:
    kwargs: Callable[[World], dict] | None = None
    ok: frozenset = frozenset()
    status: int = 200
    known: frozenset = frozenset()
    post_only: bool = False
    api: bool = False
    # What outsiders' POSTs may answer (nothing may change): 404, or 405 when the URL takes
    # no POST.
    post_refused: frozenset = NOT_FOUND_OR_NOT_ALLOWED
    # A collection the selector scopes: every signed-in role gets 200, and for the roles
    # outside `ok` the collection is empty.
    listing: bool = False
    expect: dict = field(default_factory=dict)  # role -> status (or a set of statuses)
    xfail: dict = field(default_factory=dict)  # role -> reason

    def expected(self, role: str):
        if role in self.expect:
            return self.expect[role]
        if role == "anonymous" or role == "unverified":
            # The API answers "not authenticated" with 403: its first authenticator is the
            # session's, which sends no WWW-Authenticate challenge (a wrong Token header is a
            # 401: tests/api/test_tokens.py).
            return 403 if self.api else 302
        if role in self.ok or self.listing:
            return 405 if self.post_only else self.status
        if role in self.known:
            # A URL that takes only POST answers a GET by its method first: 405.
            return 405 if self.post_only else 403
        return NOT_FOUND_OR_NOT_ALLOWED if self.post_only else 404

    def outsiders(self) -> list[str]:
        """The signed-in roles for whom the URL's object does not exist."""
        return [r for r in ROLES if r in SIGNED_IN and r not in self.ok | self.known]


def page(kwargs=None, ok=frozenset(), **options) -> Spec:
    return Spec(kwargs=kwargs, ok=frozenset(ok), **options)


def post(kwargs=None, ok=frozenset(), **options) -> Spec:
    return Spec(kwargs=kwargs, ok=frozenset(ok), post_only=True, **options)


def api(kwargs=None, ok=frozenset(), **options) -> Spec:
    return Spec(kwargs=kwargs, ok=frozenset(ok), api=True, **options)


# A collection's create refused for a role (403) or for its data (400) tells nothing about any
# object; nothing may change either way.
COLLECTION_POST_REFUSED = frozenset({400, 403, 405})


def api_list(ok=frozenset(), **options) -> Spec:
    return Spec(
        ok=frozenset(ok),
        api=True,
        listing=True,
        post_refused=COLLECTION_POST_REFUSED,
        **options,
    )


def api_post(kwargs=None, ok=frozenset(), **options) -> Spec:
    return Spec(kwargs=kwargs, ok=frozenset(ok), api=True, post_only=True, **options)


# --- URL arguments from the world ---------------------------------------------------------------
def case(w):
    return {"pseudonym": w.cast.case.pseudonym}


def answered(w):
    return {"pk": w.answered.pk}


def draft(w):
    return {"pk": w.draft.pk}


def closed(w):
    return {"pk": w.closed.pk}


def in_triage(w):
    return {"pk": w.in_triage.pk}


def assigned(w):
    return {"pk": w.assigned.pk}


def session(w):
    return {"pk": w.session.pk}


def item(w):
    return {"pk": w.session.pk, "item_pk": w.item.pk}


def api_item(w):
    return {"pk": w.item.pk}


def team_pool(w):
    return {"pool_pk": w.team.pool.pk}


def team(w):
    return {"team_id": w.cast.org["team"].pk}


def membership(w):
    return {"team_id": w.membership.team_id, "membership_id": w.membership.pk}


def export(fmt):
    return lambda w: {"pk": w.export.pk, "fmt": fmt}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


# The people who see the answered question: its team and the expert who advised.
SEES_ANSWERED = TEAM | {"expert"}
# The planned session: its planner, the invited expert, the asking generalist (invited for
# their question).
IN_SESSION = frozenset({"coordinator", "expert", "generalist"})

SPECS: dict[str, Spec] = {
    "home": page(ok=SIGNED_IN, status=302),
    # --- accounts -------------------------------------------------------------------------------
    "accounts:profile": page(ok=SIGNED_IN),
    "accounts:token-create": post(ok=SIGNED_IN),
    "accounts:token-revoke": post(pk("token"), ok={"generalist"}),
    # --- an expert's availability (the profile's section) ---------------------------------------
    "availability:week": post(ok=EXPERTS),
    "availability:absence-add": post(ok=EXPERTS),
    "availability:absence-remove": post(pk("absence"), ok={"expert"}),
    # --- the district team ---------------------------------------------------------------------
    "wijkteam:home": page(ok=TEAM_ROLES),
    "wijkteam:question-new": page(case, ok=TEAM),
    "wijkteam:case-close": post(case, ok=TEAM),
    "wijkteam:team-overview": page(ok={"team_lead"}),
    # The resident's rights are the team lead's: for a generalist of the team a role page (404).
    "wijkteam:resident-access-pdf": page(case, ok={"team_lead"}),
    "wijkteam:resident-access-json": page(case, ok={"team_lead"}),
    "wijkteam:resident-erase": page(case, ok={"team_lead"}),
    "wijkteam:resident-new": page(ok=TEAM_ROLES),
    "wijkteam:case": page(case, ok=TEAM),
    "wijkteam:resident-edit": page(case, ok=TEAM),
    "wijkteam:case-hand-over": post(case, ok={"team_lead"}, known={"generalist"}),
    # --- the expert's inbox ---------------------------------------------------------------------
    "expertise:home": page(ok=EXPERTS),
    "expertise:answered": page(ok=EXPERTS),
    # --- questions ------------------------------------------------------------------------------
    "consultation:notifications": page(ok=SIGNED_IN),
    "consultation:notifications-read": post(ok=SIGNED_IN),
    "consultation:notification": post(
        lambda w: {"notification_pk": w.notification.pk}, ok={"generalist"}
    ),
    "consultation:question": page(answered, ok=SEES_ANSWERED),
    "consultation:question-edit": page(draft, ok=TEAM),
    "consultation:pick-up": post(answered, ok={"expert"}, known=TEAM),
    "consultation:advise": post(answered, ok={"expert"}, known=TEAM),
    "consultation:clarify": post(answered, ok={"expert"}, known=TEAM),
    "consultation:reply": post(answered, ok=TEAM, known={"expert"}),
    "consultation:close": page(answered, ok=TEAM, known={"expert"}),
    "consultation:reopen": post(closed, ok=TEAM, known={"expert"}),
    "consultation:withdraw": post(answered, ok=TEAM, known={"expert"}),
    "consultation:question-delete": post(draft, ok=TEAM),
    "consultation:attachment-add": post(answered, ok=SEES_ANSWERED),
    "consultation:attachment": page(
        lambda w: {"pk": w.answered.pk, "attachment_pk": w.attachment.pk}, ok=SEES_ANSWERED
    ),
    # --- triage ---------------------------------------------------------------------------------
    "triage:home": page(ok={"triage"}),
    "triage:claim-next": post(ok={"triage"}),
    "triage:assigned": page(ok={"triage"}),
    "triage:question": page(in_triage, ok={"triage"}),
    "triage:claim": post(in_triage, ok={"triage"}),
    "triage:release": post(in_triage, ok={"triage"}),
    # The team and the triage worker see the assigned question (accepting is not theirs).
    "triage:accept": post(assigned, ok={"expert"}, known=TEAM | {"triage"}),
    "triage:decline": post(assigned, ok={"expert"}, known=TEAM | {"triage"}),
    # --- sessions -------------------------------------------------------------------------------
    # Sessions one is in: a personal list, empty for most (the selector scopes it).
    "meetings:home": page(ok=SIGNED_IN),
    # The pools one plans (a triage pool's worker plans its MDO sessions): one, so straight to it.
    "meetings:plan-start": page(ok=PLANNERS, status=302),
    "meetings:plan": page(team_pool, ok={"coordinator"}),
    "meetings:series": page(team_pool, ok={"coordinator"}),
    "meetings:session": page(session, ok=IN_SESSION),
    "meetings:move": page(session, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:cancel": page(session, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:hold": post(session, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:agenda-add": post(session, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:agenda-remove": post(item, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:outcome": post(item, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:carry-over": post(item, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:invite": post(session, ok={"coordinator"}, known=IN_SESSION - {"coordinator"}),
    "meetings:respond": post(pk("invitation"), ok={"expert"}),
    "meetings_calendar:feed-new": post(ok=ANY_ROLE),
    # Anyone may revoke their own feed, also after their last role ended.
    "meetings_calendar:feed-revoke": post(ok=SIGNED_IN),
    # --- hours ----------------------------------------------------------------------------------
    "hours:mine": page(ok=EXPERTS),
    "hours:proposal": post(pk("proposal"), ok={"expert"}),
    "hours:correct": page(pk("entry"), ok={"expert"}),
    "hours:advice-time": page(pk("advice"), ok={"expert"}),
    "hours:approvals": page(ok=PLANNERS),
    "hours:decide": post(pk("entry"), ok={"coordinator"}),
    "hours:exports": page(ok=PLANNERS),
    "hours:export-download": page(export("csv"), ok={"coordinator"}),
    # --- the municipality: teams and pools, the dashboard --------------------------------------
    # The lists are each admin's own; the objects are the world's municipality's.
    "municipality:teams": page(ok=MUNICIPALITY_ADMINS),
    "municipality:team": page(team, ok={"municipality_admin"}),
    "municipality:invite": page(team, ok={"municipality_admin"}),
    "municipality:role": post(membership, ok={"municipality_admin"}),
    "municipality:deactivate": page(membership, ok={"municipality_admin"}),
    "municipality:pools": page(ok=MUNICIPALITY_ADMINS),
    "municipality:pool": page(lambda w: {"pool_id": w.cast.pool.pk}, ok={"municipality_admin"}),
    # The audit log (issue 13): the functional admin (a superuser) and the privacy officer.
    "audit:log": page(ok={"privacy_officer", "staff"}),
    "audit:export": page(ok={"privacy_officer", "staff"}),
    "reports:home": page(ok=ADMINS),
    "reports:export": page(lambda w: {"fmt": "csv"}, ok=ADMINS),
    "reports:pdf": page(ok=ADMINS),
    # --- the API --------------------------------------------------------------------------------
    "api-availability": api(ok=EXPERTS),
    "api-time-usage": api_list(ok=EXPERTS),
    "api-resident-list": api_list(ok=TEAM_ROLES),
    "api-resident-detail": api(lambda w: {"pk": w.cast.resident.pk}, ok=TEAM),
    "api-case-list": api_list(ok=TEAM_ROLES),
    "api-case-detail": api(case, ok=TEAM),
    "api-question-list": api_list(ok=TEAM | {"expert", "triage", "coordinator"}),
    "api-question-detail": api(answered, ok=SEES_ANSWERED),
    "api-question-advise": api_post(answered, ok={"expert"}, known=TEAM),
    "api-question-close": api_post(answered, ok=TEAM, known={"expert"}),
    "api-question-messages": api(answered, ok=SEES_ANSWERED),
    "api-question-pick-up": api_post(answered, ok={"expert"}, known=TEAM),
    "api-question-reopen": api_post(closed, ok=TEAM, known={"expert"}),
    "api-question-reply": api_post(answered, ok=TEAM, known={"expert"}),
    "api-question-request-clarification": api_post(answered, ok={"expert"}, known=TEAM),
    "api-question-submit": api_post(draft, ok=TEAM),
    "api-question-withdraw": api_post(answered, ok=TEAM, known={"expert"}),
    # Their own: the advice for the generalist, the assignment for the expert, the queue's news.
    "api-notification-list": api_list(ok={"generalist", "expert", "triage"}),
    "api-notification-mark-read": api_post(ok=SIGNED_IN),
    "api-session-list": api_list(ok=IN_SESSION),
    "api-session-detail": api(session, ok=IN_SESSION),
    "api-session-agenda": api(session, ok=IN_SESSION),
    "api-session-cancel": api_post(session, ok={"coordinator"}, known=IN_SESSION),
    "api-session-hold": api_post(session, ok={"coordinator"}, known=IN_SESSION),
    "api-session-invitations": api(session, ok=IN_SESSION),
    "api-session-invite": api_post(session, ok={"coordinator"}, known=IN_SESSION),
    "api-session-move": api_post(session, ok={"coordinator"}, known=IN_SESSION),
    "api-agenda-item-carry-over": api_post(api_item, ok={"coordinator"}, known=IN_SESSION),
    "api-agenda-item-outcome": api_post(api_item, ok={"coordinator"}, known=IN_SESSION),
    "api-agenda-item-remove": api_post(api_item, ok={"coordinator"}, known=IN_SESSION),
    "api-invitation-list": api_list(ok={"expert", "generalist"}),
    "api-invitation-respond": api_post(pk("invitation"), ok={"expert"}),
    "api-triage-question-list": api_list(ok={"triage"}),
    "api-triage-question-claim-next": api_post(ok={"triage"}),
    "api-triage-question-detail": api(in_triage, ok={"triage"}),
    "api-triage-question-answer": api_post(in_triage, ok={"triage"}),
    "api-triage-question-ask-clarification": api_post(in_triage, ok={"triage"}),
    "api-triage-question-assign": api_post(in_triage, ok={"triage"}),
    "api-triage-question-claim": api_post(in_triage, ok={"triage"}),
    "api-triage-question-plan-session": api_post(in_triage, ok={"triage"}),
    "api-triage-question-pools-to-redirect-to": api(in_triage, ok={"triage"}),
    "api-triage-question-redirect": api_post(in_triage, ok={"triage"}),
    "api-triage-question-release": api_post(in_triage, ok={"triage"}),
    "api-triage-question-sharpen": api_post(in_triage, ok={"triage"}),
    "api-triage-question-suggestions": api(in_triage, ok={"triage"}),
    "api-absence-list": api(ok=EXPERTS),
    "api-absence-detail": api(pk("absence"), ok={"expert"}),
    "api-time-entry-list": api_list(ok={"expert", "coordinator"}),
    "api-time-entry-detail": api(pk("entry"), ok={"expert", "coordinator"}),
    "api-time-entry-approve": api_post(pk("entry"), ok={"coordinator"}, known={"expert"}),
    "api-time-entry-confirm": api_post(pk("entry"), ok={"expert"}, known={"coordinator"}),
    "api-time-entry-correct": api_post(pk("entry"), ok={"expert"}, known={"coordinator"}),
    "api-time-entry-decline": api_post(pk("entry"), ok={"expert"}, known={"coordinator"}),
    "api-time-entry-reject": api_post(pk("entry"), ok={"coordinator"}, known={"expert"}),
    "api-invoice-export-list": api_list(ok={"coordinator"}),
    "api-invoice-export-detail": api(pk("export"), ok={"coordinator"}),
    "api-invoice-export-csv": api(pk("export"), ok={"coordinator"}),
    "api-invoice-export-xlsx": api(pk("export"), ok={"coordinator"}),
    "api-schema": api(ok=SIGNED_IN),
    "api-docs": api(ok=SIGNED_IN),
}


# Left out of the matrix: open without a sign-in (or before the second factor) by design. Each
# has its own check in test_url_matrix_posts.py; the coverage test counts them as covered.
PUBLIC_REASONS: dict[str, str] = {
    "health": "the load balancer's probe: no session, no data",
    "set_language": "choosing a language works on the sign-in and enrolment pages too",
    "accounts:login": "the sign-in page",
    "accounts:logout": "signing out (a POST; signed out it just lands on sign-in)",
    "accounts:otp-verify": "the second factor step (signed in, before the factor)",
    "accounts:otp-enrol": "enrolling the second factor (signed in, before the factor)",
    "accounts:password_reset": "asking for a reset link, signed out",
    "accounts:password_reset_done": "the 'mail sent' page of the reset",
    "accounts:password_reset_confirm": "the reset link from the mail, by its token",
    "accounts:password_reset_complete": "the 'password changed' page of the reset",
    "meetings_calendar:feed": "the calendar feed, read by calendar apps by its secret token",
    "invitation:open": "the team invitation's link from the mail, by its token",
    "invitation:welcome": "setting the password of an invitation, held in the session",
}
