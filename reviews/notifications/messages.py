"""The words of a notification, in the reader's language: for the inbox and for the e-mail."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.models import Level, Stage

from ..selectors import stage_query
from .models import Notification, NotificationKind


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    path: str  # the page to act on

    def __post_init__(self) -> None:
        # One line, single spaces: a line break in a header makes the e-mail undeliverable
        # (BadHeaderError), and a name stored before names were normalised may hold one.
        object.__setattr__(self, "subject", " ".join(self.subject.split()))

    @property
    def url(self) -> str:
        return settings.SITE_URL.rstrip("/") + self.path


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def message_of(notification: Notification) -> Message:
    """The notification's text in the active language (wrap in translation.override to choose).

    A notification about the end-of-term review (params "stage": "end") names it ("báo cáo tổng
    kết nhiệm kỳ") and links to that review; one without a stage is about the mid-term review."""
    n, p = notification, notification.params
    committee = n.committee
    name = committee.name
    end = p.get("stage") == Stage.END
    query = stage_query(committee, Stage.END if end else Stage.MID)
    dashboard = f"{reverse('dashboard', args=[committee.code])}?{query}"
    if n.kind == NotificationKind.SUBMITTED:
        if end:
            subject = _("%(name)s đã gửi báo cáo tổng kết, chờ duyệt") % {"name": name}
            body = _(
                "%(name)s đã gửi báo cáo tổng kết nhiệm kỳ lên cấp trên. "
                "Mời đồng chí xem, phê duyệt hoặc trả lại."
            ) % {"name": name}
        else:
            subject = _("%(name)s đã gửi báo cáo sơ kết, chờ duyệt") % {"name": name}
            body = _(
                "%(name)s đã gửi báo cáo sơ kết giữa nhiệm kỳ lên cấp trên. "
                "Mời đồng chí xem, phê duyệt hoặc trả lại."
            ) % {"name": name}
        # The report itself, where the approver reads it, then approves or returns it.
        return Message(subject, body, f"{reverse('review_edit', args=[committee.code])}?{query}")
    if n.kind == NotificationKind.RETURNED:
        reason = {"name": name, "reason": p.get("reason", "")}
        if end:
            subject = _("Báo cáo tổng kết của %(name)s bị trả lại để sửa") % {"name": name}
            body = _("Cấp trên đã trả lại báo cáo tổng kết nhiệm kỳ của %(name)s. Lý do: %(reason)s") % reason
        else:
            subject = _("Báo cáo sơ kết của %(name)s bị trả lại để sửa") % {"name": name}
            body = _("Cấp trên đã trả lại báo cáo sơ kết của %(name)s. Lý do: %(reason)s") % reason
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.APPROVED:
        if end:
            subject = _("Báo cáo tổng kết của %(name)s đã được phê duyệt") % {"name": name}
            body = _("Cấp trên đã phê duyệt báo cáo tổng kết nhiệm kỳ của %(name)s.") % {"name": name}
        else:
            subject = _("Báo cáo sơ kết của %(name)s đã được phê duyệt") % {"name": name}
            body = _("Cấp trên đã phê duyệt báo cáo sơ kết giữa nhiệm kỳ của %(name)s.") % {"name": name}
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.DUE_SOON:
        due = {"name": name, "deadline": _day(p["deadline"]), "days": p["days"]}
        if end:
            subject = _("Còn %(days)d ngày đến hạn gửi báo cáo tổng kết") % {"days": p["days"]}
            body = (
                _(
                    "Hạn gửi báo cáo tổng kết nhiệm kỳ của %(name)s là ngày %(deadline)s "
                    "(còn %(days)d ngày); "
                    "báo cáo chưa được gửi lên cấp trên."
                )
                % due
            )
        else:
            subject = _("Còn %(days)d ngày đến hạn gửi báo cáo sơ kết") % {"days": p["days"]}
            body = (
                _(
                    "Hạn gửi báo cáo sơ kết của %(name)s là ngày %(deadline)s (còn %(days)d ngày); "
                    "báo cáo chưa được gửi lên cấp trên."
                )
                % due
            )
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.OVERDUE:
        late = {"name": name, "deadline": _day(p["deadline"]), "days": p["days"]}
        if end:
            subject = _("%(name)s quá hạn gửi báo cáo tổng kết %(days)d ngày") % {
                "name": name,
                "days": p["days"],
            }
            body = (
                _(
                    "Hạn gửi báo cáo tổng kết nhiệm kỳ của %(name)s là ngày %(deadline)s; "
                    "đã quá hạn %(days)d ngày "
                    "mà báo cáo chưa được gửi lên cấp trên."
                )
                % late
            )
        else:
            subject = _("%(name)s quá hạn gửi báo cáo sơ kết %(days)d ngày") % {
                "name": name,
                "days": p["days"],
            }
            body = (
                _(
                    "Hạn gửi báo cáo sơ kết của %(name)s là ngày %(deadline)s; đã quá hạn %(days)d ngày "
                    "mà báo cáo chưa được gửi lên cấp trên."
                )
                % late
            )
        return Message(subject, body, dashboard)
    # The daily digest to the approvers above: "3 xã quá hạn: …".
    names = ", ".join(p.get("names", []))
    more = p["count"] - len(p.get("names", []))
    if more > 0:
        names += _(" và %(n)d đơn vị khác") % {"n": more}
    level = str(Level(p["level"]).label).lower() if p.get("level") in Level.values else ""
    counted = {"count": p["count"], "level": level}
    listed = {"name": name, "names": names}
    if end:
        subject = _("%(count)d %(level)s quá hạn gửi báo cáo tổng kết") % counted
        body = _("Các đơn vị trực thuộc %(name)s quá hạn gửi báo cáo tổng kết nhiệm kỳ: %(names)s.") % listed
    else:
        subject = _("%(count)d %(level)s quá hạn gửi báo cáo sơ kết") % counted
        body = _("Các đơn vị trực thuộc %(name)s quá hạn gửi báo cáo sơ kết: %(names)s.") % listed
    return Message(subject, body, f"{reverse('campaign_overdue', args=[committee.code])}?{query}")
