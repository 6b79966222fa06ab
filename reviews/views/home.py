"""`/`: the user's own committee dashboard, or the list of committees they may see."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse

from indicators.access import home_committees, visible_committees
from indicators.models import Term

from .common import term_from_request


@login_required
def home(request):
    if not Term.objects.exists():
        return render(request, "reviews/home.html", {"committees": [], "term": None})
    term = term_from_request(request)
    own = home_committees(request.user, term)
    if len(own) == 1 and not request.user.is_staff:
        return redirect(f"{reverse('dashboard', args=[own[0].code])}?term={term.code}")
    if own:
        committees = own
    else:
        committees = list(visible_committees(request.user, term).filter(depth__lte=2).order_by("path"))
    return render(
        request,
        "reviews/home.html",
        {"committees": committees, "term": term, "terms": Term.objects.all()},
    )


urlpatterns = [path("", home, name="home")]
