"""Development: `make run`. Debug on, e-mail to the console, an insecure key that is only for this."""

from config.env import env, env_bool
from config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
