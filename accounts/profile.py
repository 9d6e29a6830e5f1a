"""The profile page (/profiel/): e-mail notification preference and personal API tokens, and
the sections other apps add (`profile_section`: an expert's availability, from expertise).

Any role reaches it; the sign-in and second-factor middleware guard it like every page, so a
token can only be made by someone who just passed the second factor.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ApiToken, User
from accounts.tokens import active_tokens_of, api_token_create, api_token_revoke
from config.forms import UtrechtFormMixin


class NotificationPreferenceForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["notification_email_mode"]
        # UtrechtFormMixin leaves radio inputs unstyled; these are NL Design System radios.
        widgets = {
            "notification_email_mode": forms.RadioSelect(
                attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}
            )
        }
        labels = {"notification_email_mode": gettext_lazy("Send me e-mail about news")}
        help_texts = {
            "notification_email_mode": gettext_lazy(
                "E-mails never contain case content: only the case pseudonym and a link."
            )
        }


class ApiTokenForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the new token"),
        max_length=80,
        help_text=gettext_lazy("So you can tell your tokens apart, e.g. the system that uses it."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


# --- Sections other apps add ---------------------------------------------------------------------
@dataclass(frozen=True)
class ProfileSection:
    key: str
    template: str
    # context(request, **bound) -> the section's template context, or None: not for this person.
    # `bound` is what the app's own view passes back when it shows the page again (its form
    # with errors).
    context: Callable[..., dict | None]
    order: int


_SECTIONS: dict[str, ProfileSection] = {}


def profile_section(
    key: str, *, template: str, context: Callable[..., dict | None], order: int = 100
) -> None:
    """Add a section to the profile page, from the owning app's AppConfig.ready(): `accounts`
    stays at the bottom of the layers and imports nothing of the apps above it. The section's
    forms post to that app's own views, which answer with `render_profile` on errors. Its
    template gets its context as `section`."""
    _SECTIONS[key] = ProfileSection(key=key, template=template, context=context, order=order)


def _sections(request, bound: dict[str, dict]) -> list[dict]:
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, **bound.get(section.key, {}))
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown


def render_profile(request, *, sections: dict[str, dict] | None = None, status: int = 200):
    """The profile page, with what a section's view passes back ({key: {name: form}})."""
    return _render(request, sections=sections, status=status)


def _render(
    request,
    *,
    preference_form=None,
    token_form=None,
    new_secret=None,
    new_token=None,
    sections=None,
    status=200,
):
    return render(
        request,
        "accounts/profile.html",
        {
            "preference_form": preference_form or NotificationPreferenceForm(instance=request.user),
            "token_form": token_form or ApiTokenForm(),
            "tokens": active_tokens_of(user=request.user),
            "new_secret": new_secret,
            "new_token": new_token,
            "sections": _sections(request, sections or {}),
            "token_days": settings.API_TOKEN_DAYS,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save(commit=False)
            user.save(update_fields=["notification_email_mode"])
            messages.success(request, _("Your e-mail preference has been saved."))
            return redirect("accounts:profile")
        return _render(request, preference_form=form)
    return _render(request)


@never_cache
@require_POST
def api_token_new(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render(request, token_form=form)
    token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
    # The secret is rendered in this one response (never_cache) and stored nowhere: not in the
    # session, not in a message, not in the database.
    return _render(request, new_secret=secret, new_token=token)


@require_POST
def api_token_revoke_view(request, pk: int):
    # Someone else's token is a 404, like anything outside one's scope.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:profile")
