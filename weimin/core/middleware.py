import threading

from csp.constants import HEADER
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _

from weimin.core.text import unstorable

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ChineseFirstLocaleMiddleware:
    """Pages are in Simplified Chinese unless the visitor chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on the hall's
    English-configured PCs and TVs would turn the whole hall English; here only the explicit
    choice (the language cookie set by the switcher) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class StorableInputMiddleware:
    """Refuses a request whose path, query or form carries a NUL or a lone surrogate: PostgreSQL cannot
    store NUL and no driver can encode a lone surrogate, so such input would otherwise reach the database
    and end in a 500. Pages answer 400 (the project's 400 page, naming the field); the API answers 422
    naming the parameter in its error format, and its JSON bodies are checked by the schemas' types
    (``core/text.py``). The API's body is not read here: the API reads it once, itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path_info.startswith("/api/")
        field = self.bad_field(request, api)
        if field is not None:
            message = _("contains a NUL character or an invalid (surrogate) character")
            detail = f"{field}: {message}"
            if api:
                return JsonResponse({"detail": detail, "errors": [{"field": field, "message": message}]}, status=422)
            raise BadRequest(detail)
        return self.get_response(request)

    @staticmethod
    def bad_field(request, api: bool) -> str | None:
        if unstorable(request.path_info):
            return "path"
        sources = [request.GET]
        if not api and request.method == "POST" and request.content_type in FORM_TYPES:
            sources.append(request.POST)
        for source in sources:
            for key, values in source.lists():
                if unstorable(key) or any(unstorable(value) for value in values):
                    return key if not unstorable(key) else "request"
        return None


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy header (``CONTENT_SECURITY_POLICY``, docs/security.md) on every answer,
    built by django-csp once per process: weimin's pages take no nonce and no policy of their own, and
    django-csp's middleware, building it again for each answer, took a fifth of a 304's time."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(HEADER, self.policy)
        return response


class RequestSlotsMiddleware:
    """At most ``WEIMIN_REQUEST_SLOTS`` requests of a process at work at once (``weimin serve``: its
    ``--threads``); the others wait here, before touching the database. The process's other threads are for
    live streams, which take a slot only until their view returns: so the requests at work never outnumber
    the process's pool of connections (settings, ``WEIMIN_PG_POOL_SIZE``), and one waiting for another's
    work (a queue snapshot loaded once for all) never waits on a connection that work needs. 0: no limit."""

    def __init__(self, get_response):
        self.get_response = get_response
        slots = settings.WEIMIN_REQUEST_SLOTS
        self.slots = threading.BoundedSemaphore(slots) if slots > 0 else None

    def __call__(self, request):
        if self.slots is None:
            return self.get_response(request)
        with self.slots:
            return self.get_response(request)


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, with their storage built only when a view or page uses it. Django builds it for
    every request (a signer for its cookie included): 4 % of a worker's CPU at the district's peak, where
    phones' polls and the API never show a message. Unused, it has nothing to store, as with Django's."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
