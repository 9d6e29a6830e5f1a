from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from config.forms import UtrechtFormMixin
from consultation import workflow
from consultation.models import CloseOut, Question, Status
from consultation.uploads import ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from expertise.models import ExpertPool, LifeDomain, TargetGroup

PRIVACY_CONFIRM_LABEL = _(
    "I have checked the text: what was found does not identify the resident, send it anyway."
)


class PrivacyConfirmMixin(forms.Form):
    """The explicit confirmation the privacy guard asks for (DESIGN §4.4)."""

    privacy_confirmed = forms.BooleanField(label=PRIVACY_CONFIRM_LABEL, required=False)


class QuestionForm(UtrechtFormMixin, PrivacyConfirmMixin, forms.ModelForm):
    """The short question form: few fields, lowering the threshold to ask (seed 001)."""

    pool = forms.ModelChoiceField(
        label=_("Expert pool"), queryset=ExpertPool.objects.none(), empty_label=None
    )
    life_domains = forms.ModelMultipleChoiceField(
        label=_("Life domains"),
        queryset=LifeDomain.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Question
        fields = [
            "title",
            "situation",
            "tried",
            "question",
            "life_domains",
            "target_groups",
            "urgency",
            "help_form",
            "pool",
        ]
        labels = {
            "title": _("Title"),
            "situation": _("Situation"),
            "tried": _("What has been tried"),
            "question": _("Your question"),
            "urgency": _("Urgency"),
            "help_form": _("What kind of help do you want?"),
        }
        help_texts = {
            "title": _("A short title, without the resident's name."),
            "situation": _(
                "Describe the situation. Do not use names, dates of birth, addresses "
                "or contact details: experts never see who the resident is."
            ),
            "tried": _("Optional."),
        }
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 6}),
            "tried": forms.Textarea(attrs={"rows": 3}),
            "question": forms.Textarea(attrs={"rows": 3}),
            "urgency": forms.RadioSelect,
            "help_form": forms.RadioSelect,
        }

    # What a draft may leave empty: "Save draft" needs only a title (and the pool, which has
    # one value when one pool serves the team); urgency and help form keep their defaults.
    NOT_NEEDED_FOR_A_DRAFT = ("situation", "question", "urgency", "help_form")

    def __init__(self, *args, pools, drafting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.drafting = drafting
        if drafting:
            for name in self.NOT_NEEDED_FOR_A_DRAFT:
                self.fields[name].required = False
        self.fields["pool"].queryset = pools  # type: ignore[attr-defined]
        only = list(pools[:2])
        if len(only) == 1:
            self.fields["pool"].widget = forms.HiddenInput()
            self.fields["pool"].initial = only[0]

    def clean(self):
        cleaned = super().clean()
        if self.drafting:
            return cleaned
        if not cleaned.get("life_domains") and not cleaned.get("target_groups"):
            raise forms.ValidationError(
                _(
                    "Choose at least one life domain or target group, so the right experts see "
                    "the question."
                )
            )
        return cleaned


class MessageForm(UtrechtFormMixin, PrivacyConfirmMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ExpertMessageForm(UtrechtFormMixin, forms.Form):
    body = forms.CharField(
        # One box for both buttons: advice, or a clarification request to the team.
        label=_("Your advice, or what you still need to know"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class AttachmentForm(UtrechtFormMixin, PrivacyConfirmMixin, forms.Form):
    file = forms.FileField(label=_("Document"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # static/js/upload-size.js stops a file over the limit before it is sent.
        self.fields["file"].widget.attrs.update(
            {
                "accept": ",".join(ALLOWED_ATTACHMENT_TYPES),
                "data-max-bytes": str(MAX_ATTACHMENT_BYTES),
                "data-too-large": _("A file can be at most 10 MB."),
            }
        )

    def focus_first_error(self) -> None:
        """A refused upload comes back with the panel open and the cursor on what to fix."""
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["autofocus"] = True
                return


class ReasonForm(UtrechtFormMixin, PrivacyConfirmMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


RATING_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class CloseOutForm(UtrechtFormMixin, PrivacyConfirmMixin, forms.Form):
    """The close-out form after Champlain BASE eConsult."""

    direction = forms.ChoiceField(
        label=_("What did the advice do?"),
        choices=CloseOut.Direction.choices,
        widget=forms.RadioSelect,
    )
    escalation = forms.ChoiceField(
        label=_("Escalation to specialised care or a maatwerkvoorziening"),
        choices=CloseOut.Escalation.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        # Who reads it (consultation.feedback): the team should know before it writes.
        help_text=_("The experts whose advice you rate read this next to their advice."),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, advice_messages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.advice_fields = []
        for message in advice_messages:
            name = f"rating_{message.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_(
                    "Usefulness of the advice of the %(discipline)s (1 = not useful, "
                    "5 = very useful)"
                )
                % {"discipline": message.author_discipline or _("expert")},
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
            )
            self.advice_fields.append((message, name))

    def ratings(self) -> dict[int, int]:
        return {message.pk: int(self.cleaned_data[name]) for message, name in self.advice_fields}


class InboxFilterForm(UtrechtFormMixin, forms.Form):
    life_domain = forms.ModelChoiceField(
        label=_("Life domain"),
        queryset=LifeDomain.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("All")), *Question.Urgency.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            *(
                (status.value, status.label)
                for status in (
                    Status.OPEN,
                    Status.ANSWERED,
                    Status.NEEDS_CLARIFICATION,
                    Status.ASSIGNED,
                    Status.CLOSED,
                )
            ),
        ],
    )


class TeamOverviewFilterForm(UtrechtFormMixin, forms.Form):
    """The team lead's overview: one generalist's cases, and whom the questions wait for."""

    WAITING_CHOICES = [
        ("", _("Anyone")),
        (workflow.By.TEAM.value, _("The district team")),
        (workflow.By.TRIAGE.value, _("Triage")),
        (workflow.By.EXPERT.value, _("Experts")),
    ]

    owner = forms.ModelChoiceField(
        label=_("Case owner"),  # the generalist whose case it is (casusregie)
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Everyone"),
    )
    waiting = forms.ChoiceField(label=_("Waiting for"), required=False, choices=WAITING_CHOICES)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.email


class ResidentEraseForm(UtrechtFormMixin, forms.Form):
    """The team lead erases a resident's details on their request: why, and that they mean it."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: the resident asked for it by letter of 3 March. At most 500 characters."
        ),
        error_messages={"required": _("Say why the resident's details are erased.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, postcode and birth date cannot be restored."),
        error_messages={"required": _("Confirm that the details are to be erased.")},
    )
