"""Form helpers shared by every app: NL Design System classes and accessible error wiring."""

from django import forms
from django.core.exceptions import ValidationError

_WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
}


class UtrechtFormMixin:
    """Adds Utrecht classes to widgets, and aria-invalid/aria-describedby to fields in error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for klass, c in _WIDGET_CLASSES.items() if isinstance(widget, klass)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        # After validation (never during __init__: subclasses still set querysets there).
        super().full_clean()
        for name in self._errors or {}:
            if name not in self.fields:
                continue
            field = self.fields[name]
            attrs = field.widget.attrs
            attrs["aria-invalid"] = "true"
            described = [f"{self.add_prefix(name)}-error"]
            if field.help_text:
                described.append(f"{self[name].auto_id}_helptext")  # Django's own help-text id
            attrs["aria-describedby"] = " ".join(described)
            attrs["class"] = f"{attrs.get('class', '')} utrecht-textbox--invalid".strip()


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError (often a dict keyed by field) as the form's own errors:
    a field the form does not have becomes a non-field error."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
