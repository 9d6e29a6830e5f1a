from django.urls import path

from wijkteam import views

app_name = "wijkteam"

urlpatterns = [path("", views.home, name="home")]
