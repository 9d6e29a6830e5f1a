from hours.views import mine, planner

app_name = "hours"

urlpatterns = [*mine.urlpatterns, *planner.urlpatterns]
