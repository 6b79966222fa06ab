"""The site's pages. Each view module owns its URL patterns; this file only joins them."""

from .campaign import views as campaign
from .notifications import views as notifications
from .report import views as report
from .signing import views as signing
from .views import (
    api,
    assess,
    assigned,
    dashboard,
    home,
    predecessors,
    review,
    stages,
    workflow,
)
from .workbook import views as workbook

urlpatterns = [
    *assess.urlpatterns,
    *assigned.urlpatterns,
    *workflow.urlpatterns,
    *home.urlpatterns,
    *dashboard.urlpatterns,
    *api.urlpatterns,
    *review.urlpatterns,
    *report.urlpatterns,
    *workbook.urlpatterns,
    *predecessors.urlpatterns,
    *stages.urlpatterns,
    *campaign.urlpatterns,
    *notifications.urlpatterns,
    *signing.urlpatterns,
]
