from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Multidisciplinary sessions (MDO) and the expertise team's meetings (DESIGN §3 model 2,
    issue 11): planning, agenda, invitations, outcomes."""

    name = "meetings"
    verbose_name = _("Sessions")

    def ready(self):
        from consultation.panels import question_panel
        from meetings.panels import discussion_panel
        from meetings.receivers import connect

        connect()
        question_panel(discussion_panel)
