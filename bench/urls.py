"""The application's URLs with the two reference views in front (only with BENCH_REFERENCES=1:
bench/settings.py picks this module then)."""

from django.urls import path

from bench import references
from config.urls import urlpatterns as application

urlpatterns = [
    path("bench/bare/", references.bare, name="bench-bare"),
    path("bench/minimal/", references.minimal, name="bench-minimal"),
    *application,
]
