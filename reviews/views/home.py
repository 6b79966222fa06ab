"""`/`: the user's own committee dashboard, or the list of committees they may see; `/favicon.ico`."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from indicators.access import home_committees, visible_committees
from indicators.models import Term
from indicators.tally import Tally

from .common import term_from_request


@login_required
def home(request):
    if not Term.objects.exists():
        return render(request, "reviews/home.html", {"rows": [], "term": None})
    term = term_from_request(request)
    own = home_committees(request.user, term)
    if len(own) == 1 and not request.user.is_staff:
        return redirect(f"{reverse('dashboard', args=[own[0].code])}?term={term.code}")
    # Several roles: their committees; staff without a role: the top two levels of the tree.
    committees = own or list(visible_committees(request.user, term).filter(depth__lte=2).order_by("path"))
    rows = [(c, Tally.of_committee(c)) for c in committees]
    return render(
        request,
        "reviews/home.html",
        {"rows": rows, "term": term, "terms": Term.objects.all()},
    )


# Browsers ask for /favicon.ico on their own, before any page names an icon.
FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_GET
@cache_control(max_age=7 * 24 * 3600, public=True)
def favicon(request):
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")


urlpatterns = [path("", home, name="home"), path("favicon.ico", favicon, name="favicon")]
