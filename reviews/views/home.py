"""`/`: the user's own committee dashboard, or the list of committees they may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse

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


urlpatterns = [path("", home, name="home")]
