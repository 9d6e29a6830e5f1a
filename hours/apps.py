from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    """Experts' time per written advice and per session, the monthly cap per pool, approvals
    beyond it, and the monthly invoice export per care provider (issue 11)."""

    name = "hours"
    verbose_name = _("Hours")

    def ready(self):
        from hours.receivers import connect

        connect()
