"""The deadline rush's simulated browser: locust's FastHttpUser (geventhttpclient), with the bit of
python-requests' API the scenario and loadtest/login.py use (`session.cookies.get/set`, a form
posted from a dict).

The load generator shares the two cores with the server it measures, and what it takes from them
is taken from the server's figures, which a real deadline day's browsers, on their own machines,
never do. Moving off python-requests took its CPU in a rush of about 5,500 requests from 20 s to
14-15 s (the form's quick read, loadtest/forms.py, had taken it from 32 s to 20 s)."""

from http.cookiejar import Cookie, CookieJar
from urllib.parse import urlencode

from locust.contrib.fasthttp import FastHttpSession, FastHttpUser

FORM = "application/x-www-form-urlencoded"


class Cookies:
    """`get(name, default)` and `set(name, value)` over the session's cookie jar, as in requests: a
    cookie set by hand has no domain, so it goes to whatever host the session asks."""

    def __init__(self, jar: CookieJar):
        self._jar = jar

    def get(self, name: str, default: str = "") -> str:
        return next((c.value or "" for c in self._jar if c.name == name), default)

    def set(self, name: str, value: str) -> None:
        self._jar.set_cookie(
            Cookie(
                version=0, name=name, value=value, port=None, port_specified=False,
                domain="", domain_specified=False, domain_initial_dot=False,
                path="/", path_specified=True, secure=False, expires=None, discard=True,
                comment=None, comment_url=None, rest={},
            )
        )  # fmt: skip


class BrowserSession(FastHttpSession):
    @property
    def cookies(self) -> Cookies:
        return Cookies(self.cookiejar)

    def post(self, url, data=None, **kwargs):
        if isinstance(data, dict):  # a browser posts a form urlencoded
            data = urlencode(data)
            kwargs["headers"] = {"Content-Type": FORM, **(kwargs.get("headers") or {})}
        return super().post(url, data=data, **kwargs)


def session_settings(user) -> dict:
    """A new session's settings: the user's (its host, timeouts, its request event)."""
    return {
        "base_url": user.host,
        "request_event": user.environment.events.request,
        "user": user,
        "network_timeout": user.network_timeout,
        "connection_timeout": user.connection_timeout,
        "max_redirects": user.max_redirects,
        "max_retries": user.max_retries,
        "insecure": user.insecure,
        "concurrency": user.concurrency,
    }


def browser_session(user) -> BrowserSession:
    """A session of its own (a second browser of the same user), with the user's settings."""
    return BrowserSession(**session_settings(user))


class BrowserUser(FastHttpUser):
    abstract = True
    client: BrowserSession
    # An overloaded server answers late, not never: the rush counts slow answers, it does not drop them.
    network_timeout = connection_timeout = 120.0

    def __init__(self, environment) -> None:
        super().__init__(environment)
        self.client = browser_session(self)
