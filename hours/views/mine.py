"""An expert's own hours: "Mijn uren" (this month against the cap, proposals to confirm,
corrections) and the advice time offered on the question page."""

urlpatterns: list = []
