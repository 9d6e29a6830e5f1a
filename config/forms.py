"""Form helpers shared by every app: NL Design System classes and accessible error wiring."""

from django import forms
from django.core.exceptions import ValidationError

# The Utrecht checkbox drawn by its own CSS (--custom: a box with the theme's border and tick),
# not the browser's.
_CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom"
_WIDGET_CLASSES = {
    # Django puts a choice widget's class on each of its inputs. The first class that matches
    # wins: CheckboxSelectMultiple subclasses RadioSelect, so it comes first.
    forms.CheckboxSelectMultiple: _CHECKBOX,
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.CheckboxInput: _CHECKBOX,
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
}


class UtrechtFormMixin:
    """Adds Utrecht classes to widgets, and aria-invalid/aria-describedby to fields in error.
    A field that a form adds after __init__ (the close-out form's ratings) gets its classes when
    it is first rendered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style(field.widget)

    def __getitem__(self, name):
        if name in self.fields:
            _style(self.fields[name].widget)
        return super().__getitem__(name)

    def full_clean(self):
        # After validation (never during __init__: subclasses still set querysets there).
        super().full_clean()
        for name in self._errors or {}:
            _mark_invalid(self, name)


def _mark_invalid(form, name: str) -> None:
    """aria-invalid, the error's id in aria-describedby, the component's --invalid class."""
    if name not in form.fields:
        return
    field = form.fields[name]
    attrs = field.widget.attrs
    if attrs.get("aria-invalid") == "true":
        return
    attrs["aria-invalid"] = "true"
    described = [f"{form.add_prefix(name)}-error"]
    if field.help_text:
        described.append(f"{form[name].auto_id}_helptext")  # Django's own help-text id
    attrs["aria-describedby"] = " ".join(described)
    # The component's own invalid modifier: utrecht-select--invalid, -checkbox--, ...
    classes = attrs.get("class", "").split()
    block = next((c for c in classes if c.startswith("utrecht-") and "--" not in c), None)
    attrs["class"] = " ".join([*classes, f"{block or 'utrecht-textbox'}--invalid"])


def _style(widget) -> None:
    """The widget's Utrecht classes, once."""
    if getattr(widget, "_utrecht_styled", False):
        return
    widget._utrecht_styled = True
    css = next(
        (c for klass, c in _WIDGET_CLASSES.items() if isinstance(widget, klass)),
        "utrecht-textbox utrecht-textbox--html-input",
    )
    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError (often a dict keyed by field) as the form's own errors:
    a field the form does not have becomes a non-field error."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
            if field in form.fields and isinstance(form, UtrechtFormMixin):
                # Added after full_clean: wired to its message like a field's own error.
                _mark_invalid(form, field)
    else:
        form.add_error(None, error)
