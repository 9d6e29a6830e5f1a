from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import session_mark_signed_in

        def _mark(sender, request, user, **kwargs):
            session = getattr(request, "session", None)
            if session is not None:
                session_mark_signed_in(session)

        user_logged_in.connect(_mark, dispatch_uid="accounts.session_signed_in_at", weak=False)
