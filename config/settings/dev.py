"""Local development (`make run`): debug on, a fixed development secret."""

from config.env import env_bool, env_mailer, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
# Mail is printed in the terminal unless EMAIL_BACKEND says otherwise.
MAILERS = {"default": env_mailer(default_backend="console")}
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
