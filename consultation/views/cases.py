"""Closing a case, from the case page (wijkteam's): served here because the rule that a case
waits for its questions is consultation's (consultation.services.cases)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import TEAM_ROLES, role_required
from consultation import services
from consultation.views.common import attempt
from submissions.web import submitted_once
from wijkteam.selectors import cases_visible_to


@role_required(*TEAM_ROLES)
@require_POST
@submitted_once
def case_close(request, pseudonym: str):
    case = cases_visible_to(user=request.user).filter(pseudonym=pseudonym).first()
    if case is None:
        raise Http404
    # A refusal (open questions, already closed) is a message on the case page; someone who
    # may not close gets a 403 from the service.
    close = partial(services.case_close, request=request)  # for the audit row: where from
    if attempt(request, close, actor=request.user, case=case).ok:
        messages.success(request, _("Case %(pseudonym)s is closed.") % {"pseudonym": case})
    return redirect("wijkteam:case", pseudonym=case.pseudonym)
