from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WijkteamConfig(AppConfig):
    name = "wijkteam"
    verbose_name = _("District teams")

    def ready(self):
        from wijkteam import signals  # noqa: F401 - connects the team-group sync
        from wijkteam.audit import connect_sign_in_receivers
        from wijkteam.roles import register

        register()
        connect_sign_in_receivers()
