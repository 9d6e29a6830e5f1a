from django.urls import path

from expertise import views

app_name = "expertise"

urlpatterns = [path("", views.home, name="home")]
