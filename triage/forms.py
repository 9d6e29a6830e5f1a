from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from expertise.models import ExpertPool
from triage.models import RedirectTarget


class AnswerForm(UtrechtFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ClarifyForm(UtrechtFormMixin, forms.Form):
    body = forms.CharField(
        label=_("What do you need to know?"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SharpenForm(UtrechtFormMixin, forms.Form):
    title = forms.CharField(label=_("Title for the experts"), max_length=160)
    summary = forms.CharField(
        label=_("Summary for the experts"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class AssignForm(UtrechtFormMixin, forms.Form):
    experts = forms.MultipleChoiceField(label=_("Experts"), widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = [
            (
                str(s.profile.user_id),
                f"{s.profile.user.get_full_name()}, {s.profile.job_title} – "
                + "; ".join(s.reasons),
            )
            for s in suggestions
        ]


class SessionForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(label=_("Which kinds of expertise are needed?"), max_length=500)


class RedirectForm(UtrechtFormMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("Redirect to"), widget=forms.RadioSelect, choices=RedirectTarget.choices
    )
    pool = forms.ModelChoiceField(
        label=_("Which expert pool?"),
        help_text=_("Only when you redirect to another expert pool."),
        queryset=ExpertPool.objects.none(),
        required=False,
        empty_label=_("Choose a pool"),
    )
    note = forms.CharField(
        label=_("Note for the generalist"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, pools=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pools is not None:
            self.fields["pool"].queryset = pools

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == RedirectTarget.OTHER_POOL and not cleaned.get("pool"):
            self.add_error("pool", _("Choose the expert pool the question goes to."))
        if cleaned.get("target") != RedirectTarget.OTHER_POOL:
            cleaned["pool"] = None
        return cleaned


class DeclineForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why do you decline?"), max_length=500)
