from django.contrib import admin

from triage.models import TriageClaim, TriageDecision


@admin.register(TriageClaim)
class TriageClaimAdmin(admin.ModelAdmin):
    list_display = ["question", "worker", "claimed_at", "touched_at"]
    list_select_related = ["question__case", "worker"]
    raw_id_fields = ["question", "worker"]


@admin.register(TriageDecision)
class TriageDecisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "question", "worker", "kind", "reason"]
    list_filter = ["kind"]
    list_select_related = ["question__case", "worker"]
    raw_id_fields = ["question", "worker"]
