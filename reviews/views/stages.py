"""`/committees/<CODE>/stages/open/` (POST, staff): open the end-of-term review for a subtree."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.access import Action
from indicators.models import Stage
from indicators.services.assessments import stage_open

from ..selectors import stage_query
from .common import committee_from_request


@login_required
@require_POST
def open_stage(request, code):
    """Opens the end review of the committee and everything below it (idempotent: a second press
    opens nothing more), then shows the committee's end-of-term dashboard."""
    committee = committee_from_request(request, code, Action.SET_UP)
    opened = stage_open(committee=committee, stage=Stage.END, by=request.user)
    messages.success(
        request,
        _("Đã mở tổng kết nhiệm kỳ cho %(name)s: %(units)d đơn vị, %(n)d chỉ tiêu mới mở.")
        % {"name": committee.name, "units": opened.committees, "n": opened.created},
    )
    return redirect(f"{reverse('dashboard', args=[committee.code])}?{stage_query(committee, Stage.END)}")


urlpatterns = [path("committees/<str:code>/stages/open/", open_stage, name="stage_open")]
