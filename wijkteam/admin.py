from django.contrib import admin

from config.validators import validate_name
from wijkteam.models import (
    AuditEvent,
    AuditSummary,
    Case,
    DistrictTeam,
    Municipality,
    Region,
    Resident,
    ResidentErasure,
    ResidentGroupObjectPermission,
    ResidentUserObjectPermission,
    TeamMembership,
)
from wijkteam.services import audit_identity_read


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    autocomplete_fields = ["admins", "privacy_officers"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["admins"]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(DistrictTeam)
class DistrictTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "is_active"]
    list_filter = ["municipality__region", "municipality", "is_active"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
    inlines = [TeamMembershipInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "name":
            field.validators.append(validate_name)  # one plain line (config.validators)
        return field


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["role", "team__municipality"]
    list_select_related = ["user", "team"]
    search_fields = ["user__email", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Lists show no identity; opening one is an audited identity read (DESIGN §4.6)."""

    list_display = ["__str__", "team", "household", "created_at", "anonymised_at"]
    list_filter = ["team__municipality", "household"]
    list_select_related = ["team"]
    raw_id_fields = ["created_by"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        resident = self.get_object(request, object_id)
        if resident is not None:
            audit_identity_read(
                actor=request.user, resident=resident, request=request, channel="admin"
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["pseudonym", "team", "owner", "status", "created_at"]
    list_filter = ["status", "team__municipality"]
    list_select_related = ["team", "owner"]
    search_fields = ["pseudonym"]
    raw_id_fields = ["resident", "owner"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (a database trigger refuses changes)."""

    list_display = [
        "created_at",
        "actor",
        "action",
        "result",
        "object_type",
        "object_id",
        "case_pseudonym",
        "channel",
        "ip_address",
    ]
    list_filter = ["action", "result", "object_type", "channel"]
    list_select_related = ["actor"]
    search_fields = ["case_pseudonym", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditSummary)
class AuditSummaryAdmin(admin.ModelAdmin):
    """Read-only: which weekly summaries went to which privacy officer."""

    list_display = ["week", "officer", "sent_at"]
    list_select_related = ["officer"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResidentErasure)
class ResidentErasureAdmin(admin.ModelAdmin):
    """Read-only: the record that a resident was anonymised (field names and counts only)."""

    list_display = ["created_at", "resident", "ground", "erased_by"]
    list_filter = ["ground"]
    list_select_related = ["resident", "erased_by"]
    raw_id_fields = ["resident", "erased_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Named by their resident, user or group and permission: read with one join, not a query per row.
admin.site.register(ResidentUserObjectPermission, admin.ModelAdmin, list_select_related=True)
admin.site.register(ResidentGroupObjectPermission, admin.ModelAdmin, list_select_related=True)
