from django.contrib import admin

from wijkteam.models import DistrictTeam, Municipality, Region, TeamMembership


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    search_fields = ["name"]


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


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["role", "team__municipality"]
    list_select_related = ["user", "team"]
    search_fields = ["user__email", "user__last_name", "team__name"]
    autocomplete_fields = ["user", "team"]
