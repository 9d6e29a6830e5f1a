from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    """Experts' time per written advice and per session, the monthly cap per pool, approvals
    beyond it, and the monthly invoice export per care provider (issue 11)."""

    name = "hours"
    verbose_name = _("Hours")

    def ready(self):
        # Every write to a time entry is audited, for whom it is when someone else wrote it.
        from hours.models import InvoiceExport, TimeEntry
        from wijkteam.audit import audit_writes_of

        audit_writes_of(TimeEntry, on_behalf_of=lambda entry: entry.expert_id)
        audit_writes_of(InvoiceExport)
        from consultation.panels import question_panel
        from hours.panels import advice_time_panel
        from hours.receivers import connect

        connect()
        question_panel(advice_time_panel)
