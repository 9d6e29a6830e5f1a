"""The project's URLs and one more without a matrix entry: test_url_matrix.py shows that the
coverage test names such a newcomer."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project

urlpatterns = [
    *project,
    path("nieuw/", include(([path("<int:pk>/", HttpResponse, name="detail")], "nieuw"))),
]
