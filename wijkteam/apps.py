from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WijkteamConfig(AppConfig):
    name = "wijkteam"
    verbose_name = _("District teams")
