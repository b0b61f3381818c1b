from django.conf import settings
from django.utils import translation


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
