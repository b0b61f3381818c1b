"""The application each `weimin serve` worker process loads (granian's target): Django's, readied and
wrapped by ``weimin.core.serving.ready_worker``. ``weimin.wsgi`` is Django's alone, for any other server."""

from weimin.core.serving import ready_worker
from weimin.wsgi import application as django_application

application = ready_worker(django_application)
