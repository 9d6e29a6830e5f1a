from django.contrib import admin

from meetings.models import AgendaItem, Invitation, MeetingSeries, Session


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["pool", "rrule", "start_time", "duration_minutes", "weeks_ahead", "is_active"]
    list_select_related = ["pool"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fk_name = "session"
    extra = 0
    fields = ["question", "position", "minutes", "status"]
    raw_id_fields = ["question"]
    readonly_fields = ["status"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["user", "role", "response"]
    raw_id_fields = ["user"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pool", "starts_at", "status", "sequence"]
    list_filter = ["status", "pool"]
    list_select_related = ["pool"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "series", "occurrence", "held_at", "cancelled_at"]
    inlines = [AgendaItemInline, InvitationInline]
