"""Vietnamese unless the user chose otherwise: the language cookie decides, not the browser.

Many users here run browsers set to English; the site's first language must still be
Vietnamese, with English one click away (set_language stores the choice in the cookie)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class CookieOrDefaultLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
