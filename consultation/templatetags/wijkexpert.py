"""Template helpers for the question pages."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Reasons the system writes into the history and the triage decisions are stored in English
# (language-neutral data); they are shown in the reader's language. Free text typed by people
# after a known prefix is kept as typed.
SYSTEM_REASONS = {
    "advice given": _("advice given"),
    "answered directly by triage": _("answered directly by triage"),
    "assigned": _("assigned"),
    "clarification asked by triage": _("clarification asked by triage"),
    "clarification asked": _("clarification asked"),
    "clarification given": _("clarification given"),
    "closed": _("closed"),
    "draft saved": _("draft saved"),
    "multidisciplinary session wanted": _("multidisciplinary session wanted"),
    "reopened": _("reopened"),
    "withdrawn": _("withdrawn"),
    "sharpened by triage": _("sharpened by triage"),
    "regular care / voorliggend veld": _("regular care / voorliggend veld"),
    "another expert pool": _("another expert pool"),
    "back to the GP": _("back to the GP"),
    "routed by the pool's collaboration model (network)": _("sent to the expert network"),
    "routed by the pool's collaboration model (team)": _("put on the expert team's agenda"),
    "routed by the pool's collaboration model (triage)": _("put in the triage queue"),
}
PREFIXES = {
    "privacy check confirmed by the generalist: ": _("privacy check confirmed by the generalist: "),
    "sharpened by triage: ": _("sharpened by triage: "),
    "redirected: ": _("redirected: "),
    "declined by ": _("declined by "),
}


@register.filter
def reason_label(reason: str) -> str:
    if not reason:
        return ""
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    for prefix, label in PREFIXES.items():
        if reason.startswith(prefix):
            rest = reason[len(prefix) :]
            return str(label) + str(SYSTEM_REASONS.get(rest, rest))
    return reason
