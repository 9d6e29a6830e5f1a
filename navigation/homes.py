"""Where each role works: its home page and the label of its entry in the navigation."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

# The URL name of each role's home page; the first role a person holds decides where they land.
ROLE_HOMES = {
    Role.GENERALIST: "wijkteam:home",
    Role.TEAM_LEAD: "wijkteam:home",
    Role.EXPERT: "expertise:home",
    Role.TRIAGE: "triage:home",
    Role.COORDINATOR: "meetings:home",
    Role.MUNICIPALITY_ADMIN: "reports:home",
    Role.REGION_ADMIN: "reports:home",
    Role.PRIVACY_OFFICER: "audit:log",
}

NAV_LABELS = {
    Role.GENERALIST: _("My district team"),
    Role.TEAM_LEAD: _("My district team"),
    Role.EXPERT: _("Inbox"),
    Role.TRIAGE: _("Triage queue"),
    Role.COORDINATOR: _("Sessions"),
    Role.MUNICIPALITY_ADMIN: _("Usage and reports"),
    Role.REGION_ADMIN: _("Usage and reports"),
    Role.PRIVACY_OFFICER: _("Audit log"),
}

# Further pages of a role's workspace, listed in the navigation after its home.
ROLE_PAGES = {
    Role.EXPERT: [
        ("expertise:answered", _("My answered questions")),
        ("meetings:home", _("Sessions")),
        ("hours:mine", _("My hours")),
    ],
    Role.TRIAGE: [("meetings:home", _("Sessions")), ("hours:approvals", _("Hours"))],
    Role.COORDINATOR: [("hours:approvals", _("Hours"))],
    Role.TEAM_LEAD: [("wijkteam:team-overview", _("Team overview"))],
    Role.MUNICIPALITY_ADMIN: [("municipality:teams", _("Manage teams"))],
}
