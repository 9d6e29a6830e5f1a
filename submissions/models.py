"""One row per submit that made something: a form's one-time token, or an API request's
Idempotency-Key. The row is written in the same transaction as what it guards, before it, so a
second submit of the same token waits on the unique index and then finds the first's result.

No personal data: where the first answer went (a URL of ids and pseudonyms) or what it made
(model and id), never a response body; a replay answers from the current object, through the
visibility selectors. Rows older than a day are deleted (submissions.tasks).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    class Channel(models.TextChoices):
        FORM = "form", _("form")
        API = "api", _("API")

    # No index of its own: the unique constraint below starts with the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("user"),
    )
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices)
    # A form: a digest of its token with what was submitted (a different submit carrying a
    # restored token is another submission). The API: the Idempotency-Key as sent.
    key = models.CharField(_("key"), max_length=255)
    # The path (and, for the API, the method): what the token or key was used for.
    scope = models.CharField(_("path"), max_length=300)
    # The API's digest of the request body: the same key with another request is refused.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    # The first answer: where a form's redirect went; what an API request made, and its status.
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    result_model = models.CharField(_("object type"), max_length=100, blank=True)
    result_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    # Indexed: the clean-up deletes by age.
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "key"], name="submission_once_per_user_and_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.channel} {self.scope}"
