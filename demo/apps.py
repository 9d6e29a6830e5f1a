from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Regio Eemland demo data and `manage.py load_demo`; no models of its own."""

    name = "demo"
