from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Multidisciplinary sessions (MDO) and the expertise team's meetings (DESIGN §3 model 2,
    issue 11): planning, agenda, invitations, outcomes."""

    name = "meetings"
    verbose_name = _("Sessions")

    def ready(self):
        # Every write to a session, its agenda and invitations is audited (wijkteam.audit).
        from meetings.models import AgendaItem, Invitation, MeetingSeries, Session
        from wijkteam.audit import audit_writes_of

        for model in (MeetingSeries, Session, AgendaItem, Invitation):
            audit_writes_of(model)
        from consultation.panels import question_panel
        from meetings.panels import discussion_panel
        from meetings.receivers import connect

        connect()
        question_panel(discussion_panel)
