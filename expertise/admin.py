from django.contrib import admin

from expertise.models import (
    Absence,
    ExpertPool,
    ExpertProfile,
    LifeDomain,
    Organisation,
    TargetGroup,
    WeeklyAvailability,
)


@admin.register(LifeDomain)
class LifeDomainAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "hourly_rate"]
    search_fields = ["name"]


@admin.register(ExpertPool)
class ExpertPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "collaboration_model", "is_active"]
    list_filter = ["collaboration_model", "region", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["teams"]
    autocomplete_fields = ["triage_workers"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title", "organisation", "is_active"]
    list_filter = ["organisation", "pools", "is_active"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__last_name", "job_title"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["pools", "life_domains", "target_groups"]


@admin.register(WeeklyAvailability)
class WeeklyAvailabilityAdmin(admin.ModelAdmin):
    list_display = ["expert", "weekday", "dagdeel"]
    list_filter = ["weekday", "dagdeel"]
    list_select_related = ["expert__user"]
    search_fields = ["expert__user__email", "expert__user__last_name"]
    autocomplete_fields = ["expert"]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    # The note is the expert's own: not shown here either (an edit keeps it).
    exclude = ["note"]
    list_display = ["expert", "starts_on", "ends_on", "kind"]
    list_filter = ["kind"]
    list_select_related = ["expert__user"]
    search_fields = ["expert__user__email", "expert__user__last_name"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["expert"]
