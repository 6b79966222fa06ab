"""The words of a notification, in the reader's language: for the inbox and for the e-mail."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from indicators.models import Level

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
    """The notification's text in the active language (wrap in translation.override to choose)."""
    n, p = notification, notification.params
    committee = n.committee
    name = committee.name
    term = committee.term.code
    dashboard = f"{reverse('dashboard', args=[committee.code])}?term={term}"
    if n.kind == NotificationKind.SUBMITTED:
        subject = _("%(name)s đã gửi báo cáo sơ kết, chờ duyệt") % {"name": name}
        body = _(
            "%(name)s đã gửi báo cáo sơ kết giữa nhiệm kỳ lên cấp trên. "
            "Mời đồng chí xem, phê duyệt hoặc trả lại."
        ) % {"name": name}
        # The report itself, where the approver reads it, then approves or returns it.
        return Message(subject, body, f"{reverse('review_edit', args=[committee.code])}?term={term}")
    if n.kind == NotificationKind.RETURNED:
        subject = _("Báo cáo sơ kết của %(name)s bị trả lại để sửa") % {"name": name}
        body = _("Cấp trên đã trả lại báo cáo sơ kết của %(name)s. Lý do: %(reason)s") % {
            "name": name,
            "reason": p.get("reason", ""),
        }
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.APPROVED:
        subject = _("Báo cáo sơ kết của %(name)s đã được phê duyệt") % {"name": name}
        body = _("Cấp trên đã phê duyệt báo cáo sơ kết giữa nhiệm kỳ của %(name)s.") % {"name": name}
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.DUE_SOON:
        subject = _("Còn %(days)d ngày đến hạn gửi báo cáo sơ kết") % {"days": p["days"]}
        body = _(
            "Hạn gửi báo cáo sơ kết của %(name)s là ngày %(deadline)s (còn %(days)d ngày); "
            "báo cáo chưa được gửi lên cấp trên."
        ) % {"name": name, "deadline": _day(p["deadline"]), "days": p["days"]}
        return Message(subject, body, dashboard)
    if n.kind == NotificationKind.OVERDUE:
        subject = _("%(name)s quá hạn gửi báo cáo sơ kết %(days)d ngày") % {"name": name, "days": p["days"]}
        body = _(
            "Hạn gửi báo cáo sơ kết của %(name)s là ngày %(deadline)s; đã quá hạn %(days)d ngày "
            "mà báo cáo chưa được gửi lên cấp trên."
        ) % {"name": name, "deadline": _day(p["deadline"]), "days": p["days"]}
        return Message(subject, body, dashboard)
    # The daily digest to the approvers above: "3 xã quá hạn: …".
    names = ", ".join(p.get("names", []))
    more = p["count"] - len(p.get("names", []))
    if more > 0:
        names += _(" và %(n)d đơn vị khác") % {"n": more}
    level = str(Level(p["level"]).label).lower() if p.get("level") in Level.values else ""
    subject = _("%(count)d %(level)s quá hạn gửi báo cáo sơ kết") % {"count": p["count"], "level": level}
    body = _("Các đơn vị trực thuộc %(name)s quá hạn gửi báo cáo sơ kết: %(names)s.") % {
        "name": name,
        "names": names,
    }
    return Message(subject, body, f"{reverse('campaign_overdue', args=[committee.code])}?term={term}")
