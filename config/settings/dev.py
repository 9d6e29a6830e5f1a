"""Local development and `make run`: a fixed development secret, mail in the terminal.

DEBUG is on for `manage.py` (runserver with Django's debug pages) and off under `make run`,
which sets DEBUG=0 unless DEBUG is set (config.launcher.demo_environment): a demo shows the
application's own Dutch error pages. Either way WhiteNoise serves the static files straight from
the sources (runserver serves none: `whitenoise.runserver_nostatic`, and with DEBUG off it would
not anyway), and picks up a changed or new file without a restart or `collectstatic`.
"""

from config.env import env_bool, env_mailer, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
# Mail is printed in the terminal unless EMAIL_BACKEND says otherwise.
MAILERS = {"default": env_mailer(default_backend="console")}
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
