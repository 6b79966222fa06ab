"""The site's pages. Each view module owns its URL patterns; this file only joins them."""

from .views import dashboard, home

urlpatterns = [
    *home.urlpatterns,
    *dashboard.urlpatterns,
]
