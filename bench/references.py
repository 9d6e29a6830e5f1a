"""The two references every figure is compared with, served by the same gunicorn:

- `bare`: a signed-in Django view that answers "ok" — all of the middleware (session, user,
  second factor, CSP, ...), no view work: what Django itself costs per request here.
- `minimal`: a hand-written page over the same rows as the real pages: session auth, one
  indexed query (the 25 newest questions, by primary key), a 25-row template without the site's
  layout. What a page of this kind costs when nothing is in the way.

Mounted only by bench/urls.py, which only bench/settings.py with BENCH_REFERENCES=1 uses.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import engines

from consultation.models import Question

ROWS = 25

MINIMAL = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Vragen</title></head>
<body><main><h1>Vragen</h1>
<table><thead><tr><th>Nr</th><th>Titel</th><th>Status</th><th>Urgentie</th><th>Ingediend</th></tr>
</thead><tbody>
{% for question in questions %}<tr>
<td><a href="/vragen/{{ question.pk }}/">{{ question.pk }}</a></td><td>{{ question.title }}</td>
<td>{{ question.status }}</td><td>{{ question.urgency }}</td>
<td>{{ question.submitted_at|date:"j M Y H:i" }}</td></tr>
{% endfor %}</tbody></table></main></body></html>
"""
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def minimal(request):
    questions = Question.objects.order_by("-pk").values(
        "pk", "title", "status", "urgency", "submitted_at"
    )[:ROWS]
    # No request: no context processors (the site's navigation and bell are not part of it).
    return HttpResponse(MINIMAL.render({"questions": questions}))
