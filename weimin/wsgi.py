import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimin.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402

# Refuse to serve without a key (the settings load without one so that commands such as
# `weimin serve --help` and `migrate` work): Django raises ImproperlyConfigured for an empty SECRET_KEY.
settings.SECRET_KEY  # noqa: B018
