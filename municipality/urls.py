"""The municipality admin's team management, mounted at /gemeente/teams/ (before reports'
/gemeente/), and the invitee's pages at /uitnodiging/ (config/urls.py)."""

from django.urls import path

from municipality import views

app_name = "municipality"

urlpatterns = [
    path("", views.teams, name="teams"),
    path("<int:team_id>/", views.team_detail, name="team"),
    path("<int:team_id>/uitnodigen/", views.member_invite_view, name="invite"),
    path("<int:team_id>/leden/<int:membership_id>/rol/", views.member_role_view, name="role"),
    path(
        "<int:team_id>/leden/<int:membership_id>/deactiveren/",
        views.member_deactivate_view,
        name="deactivate",
    ),
    path("pools/", views.pools, name="pools"),
    path("pools/<int:pool_id>/", views.pool_edit, name="pool"),
]

invitation_urlpatterns = [
    path("welkom/", views.invitation_welcome, name="welcome"),
    path("<str:key>/<str:token>/", views.invitation_open, name="open"),
]
