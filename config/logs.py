"""Logs: one line per request, JSON when LOG_FORMAT=json, and a line per login lock-out.

The request line carries what an operator needs to find a complaint in the log: the status, the
duration, the user's id (never the name: ids are enough to look up, and a log is not a register
of who did what — the history rows are) and the committee code when the URL names one."""

import json
import logging
import time
import traceback

from django.utils.functional import empty

request_logger = logging.getLogger("soket.request")
security_logger = logging.getLogger("soket.security")

# The fields a record's extra= may add that the JSON formatter writes out.
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "committee")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in (*REQUEST_FIELDS, "username", "ip_address"):
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(32), 127]}


class RequestLogMiddleware:
    """Logs `METHOD PATH STATUS DURATIONms user=ID committee=CODE` at INFO once per request (WARNING
    for a 5xx answer). Placed outermost but one (after the health probes), so the duration covers
    every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        if request_logger.isEnabledFor(logging.INFO) or response.status_code >= 500:
            self.log(request, response, time.monotonic() - started)
        return response

    def log(self, request, response, seconds: float) -> None:
        # Only a user the request already loaded (request.user is lazy): the log line must not
        # cost a query. Anonymous users have no pk.
        user = getattr(request, "user", None)
        loaded = getattr(user, "_wrapped", user)
        user_id = getattr(loaded, "pk", None) if loaded is not empty else None
        match = getattr(request, "resolver_match", None)
        committee = match.kwargs.get("code") if match is not None else None
        fields = {
            "method": request.method,
            # A path is the client's text: control characters escaped, so it cannot forge a line.
            "path": request.path.translate(_CONTROL_ESCAPES),
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 1),
            "user_id": user_id,
            "committee": committee,
        }
        level = logging.WARNING if response.status_code >= 500 else logging.INFO
        request_logger.log(
            level,
            "%s %s %s %.1fms user=%s committee=%s",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            user_id if user_id is not None else "-",
            committee or "-",
            extra=fields,
        )


def log_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """Connected to django-axes' user_locked_out in config/apps.py."""
    # django-axes says only "locked out" at its own level: the operator needs whom and from where.
    security_logger.warning(
        "login locked out: username=%s address=%s",
        username,
        ip_address,
        extra={"username": username, "ip_address": ip_address},
    )
