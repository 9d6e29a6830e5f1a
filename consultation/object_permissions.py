"""Who may see which question, object by object (django-guardian): models of the consultation
app (consultation.models imports them), in a module of their own to keep that one short."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class QuestionUserObjectPermission(UserObjectPermissionBase):
    # guardian's fields again, with a name in the admin (guardian leaves them unnamed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    permission = models.ForeignKey(
        Permission, on_delete=models.CASCADE, verbose_name=_("permission")
    )
    content_object = models.ForeignKey(
        "consultation.Question", on_delete=models.CASCADE, verbose_name=_("question")
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("question user object permission")
        verbose_name_plural = _("question user object permissions")


class QuestionGroupObjectPermission(GroupObjectPermissionBase):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, verbose_name=_("group"))
    permission = models.ForeignKey(
        Permission, on_delete=models.CASCADE, verbose_name=_("permission")
    )
    content_object = models.ForeignKey(
        "consultation.Question", on_delete=models.CASCADE, verbose_name=_("question")
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("question group object permission")
        verbose_name_plural = _("question group object permissions")
