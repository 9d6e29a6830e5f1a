"""Dutch for what the third-party apps show in the admin (issue 10: "the admin is in Dutch,
including the third-party apps").

`makemessages` scans only our own source, so a msgid that lives in a package reaches
locale/nl/LC_MESSAGES/django.po only when it is written here too. Our catalogue (LOCALE_PATHS)
takes precedence over every app's own, so what we translate here also wins where a package
ships weak Dutch (guardian's "Object permissies"). The Dutch texts are in
locale/nl/interface.d/admin.json. Three cases:

- A package marks its texts for translation but ships no Dutch (django-axes), or Django itself
  has msgids without Dutch yet: the msgids are listed below with `gettext_noop`, nothing else.
- A package does not mark them at all (django-otp: plain strings for the model, its fields and
  the admin's fieldsets): `OtpTotpConfig.ready()` swaps each for a lazy translation of the same
  English msgid, and `TOTPDeviceAdmin` below translates the fieldset titles. A help text is
  swapped only while it still is the text written here, so a package upgrade that rewords one
  leaves English, never a stale Dutch text (tests/test_admin_nl.py notices). Migrations see no
  change: a field's `_verbose_name` and a model's `original_attrs` stay as the package wrote
  them, and a lazy help text equals its msgid while `makemigrations` runs untranslated.
- An app's name in the admin index: Django's documented way is an AppConfig subclass with a
  `verbose_name`, named in INSTALLED_APPS instead of the package (AxesConfig, OtpTotpConfig,
  GuardianConfig). App labels, tables and migrations stay the package's.
"""

from axes.apps import AppConfig as _AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.apps import DefaultConfig as _OtpTotpAppConfig
from guardian.apps import GuardianConfig as _GuardianAppConfig

# django-axes (its own texts, marked for translation, no Dutch in the package).
AXES_MSGIDS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
]

# django-guardian ships Dutch for these, but weak; ours wins.
GUARDIAN_MSGIDS = [
    gettext_noop("Object permissions"),
    gettext_noop("User permissions"),
    gettext_noop("Group permissions"),
    gettext_noop("object ID"),
]

# Django 6.1's own admin and forms: msgids that its Dutch catalogue leaves empty.
DJANGO_MSGIDS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    gettext_noop("Forgotten your login credentials?"),
]

# django-otp's TOTP device: field name -> (verbose name, the package's help text).
TOTP_FIELDS = {
    "user": (gettext_noop("user"), gettext_noop("The user that this device belongs to.")),
    "name": (gettext_noop("name"), gettext_noop("The human-readable name of this device.")),
    "confirmed": (gettext_noop("confirmed"), gettext_noop("Is this device ready for use?")),
    "throttling_failure_timestamp": (
        gettext_noop("last failed attempt"),
        gettext_noop(
            "A timestamp of the last failed verification attempt. Null if last attempt succeeded."
        ),
    ),
    "throttling_failure_count": (
        gettext_noop("failed attempts in a row"),
        gettext_noop("Number of successive failed attempts."),
    ),
    "created_at": (
        gettext_noop("created at"),
        gettext_noop("The date and time when this device was initially created in the system."),
    ),
    "last_used_at": (
        gettext_noop("last used at"),
        gettext_noop("The most recent date and time this device was used."),
    ),
    "key": (
        gettext_noop("secret key"),
        gettext_noop("A hex-encoded secret key of up to 40 bytes."),
    ),
    "step": (gettext_noop("time step"), gettext_noop("The time step in seconds.")),
    "t0": (
        gettext_noop("start time (t0)"),
        gettext_noop("The Unix time at which to begin counting steps."),
    ),
    "digits": (gettext_noop("digits"), gettext_noop("The number of digits to expect in a token.")),
    "tolerance": (
        gettext_noop("tolerance"),
        gettext_noop("The number of time steps in the past or future to allow."),
    ),
    "drift": (
        gettext_noop("clock drift"),
        gettext_noop("The number of time steps the prover is known to deviate from our clock."),
    ),
    "last_t": (
        gettext_noop("last time step used"),
        gettext_noop(
            "The t value of the latest verified token. The next token must be at a higher time"
            " step."
        ),
    ),
}
TOTP_FIELDSETS = {
    "Identity": gettext_noop("Identity"),
    "Timestamps": gettext_noop("Timestamps"),
    "Configuration": gettext_noop("Configuration"),
    "State": gettext_noop("State"),
    "Throttling": gettext_noop("Throttling"),
}


class AxesConfig(_AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class GuardianConfig(_GuardianAppConfig):
    verbose_name = _("Object permissions")


class OtpTotpConfig(_OtpTotpAppConfig):
    verbose_name = _("Two-step verification")

    def ready(self):
        super().ready()
        model = self.get_model("TOTPDevice")
        model._meta.verbose_name = _("TOTP device")
        model._meta.verbose_name_plural = _("TOTP devices")
        for name, (verbose_name, help_text) in TOTP_FIELDS.items():
            field = model._meta.get_field(name)
            field.verbose_name = _(verbose_name)
            if field.help_text == help_text:
                field.help_text = _(help_text)
        _register_totp_admin(model)


def _register_totp_admin(model):
    """The package's TOTPDevice admin, with translated fieldset titles, column and search help.
    Runs after the admin's autodiscovery (django.contrib.admin comes first in INSTALLED_APPS)."""
    from django.contrib import admin
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as PackageAdmin

    class TOTPDeviceAdmin(PackageAdmin):
        search_help_text = _("Search by e-mail address")

        def get_fieldsets(self, request, obj=None):
            return [
                (_(TOTP_FIELDSETS[title]) if title in TOTP_FIELDSETS else title, options)
                for title, options in super().get_fieldsets(request, obj)
            ]

        @admin.display(description=_("QR code"))
        def qrcode_link(self, device):
            return super().qrcode_link(device)

    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, TOTPDeviceAdmin)
