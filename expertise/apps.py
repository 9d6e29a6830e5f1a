from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    name = "expertise"
    verbose_name = _("Expertise")

    def ready(self):
        from expertise import profile, roles

        roles.register()
        profile.register()  # the availability section of the profile page
