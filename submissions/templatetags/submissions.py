"""`{% submission_token form %}` inside a <form method="post"> that makes something: a hidden
one-time token (submissions.web). A form shown again with errors keeps the token it was sent
with, so fixing it and sending again is still one submission; otherwise a fresh one."""

from django import template
from django.utils.html import format_html

from submissions.web import FIELD, new_token, valid_token

register = template.Library()


@register.simple_tag
def submission_token(form=None) -> str:
    token = None
    if form is not None and getattr(form, "is_bound", False):
        token = valid_token(form.data.get(FIELD))
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token or new_token())
