"""The development e-mail backend: one line per e-mail on the console, the message in a file."""

import email
from io import StringIO

from django.core.mail import EmailMultiAlternatives

from config.mail import SummaryEmailBackend


def test_one_line_per_email_and_the_full_message_in_the_folder(tmp_path):
    out = StringIO()
    backend = SummaryEmailBackend(file_path=str(tmp_path / "mail"), stream=out)
    messages = [
        EmailMultiAlternatives("Còn 3 ngày đến hạn", "Hạn gửi báo cáo… " * 40, to=[f"bithu{i}@example.org"])
        for i in range(2)
    ]
    messages[0].attach_alternative("<p>Hạn gửi báo cáo</p>", "text/html")
    assert backend.send_messages(messages) == 2
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("e-mail to bithu0@example.org: Còn 3 ngày đến hạn (")
    files = sorted((tmp_path / "mail").iterdir())
    assert len(files) == 2 and all(f.suffix == ".eml" for f in files)
    parsed = email.message_from_bytes(files[0].read_bytes())
    assert parsed["To"] == "bithu0@example.org" and parsed.is_multipart()


def test_used_in_development_without_a_mail_server():
    """DEBUG without EMAIL_HOST: the summary backend; EMAIL_HOST set, or production: SMTP."""
    import subprocess
    import sys

    code = "from django.conf import settings; import django; django.setup(); print(settings.EMAIL_BACKEND)"

    def backend(**env):
        import os

        full = {k: v for k, v in os.environ.items() if k not in ("EMAIL_HOST", "EMAIL_BACKEND", "DEBUG")}
        full.update(env, DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x")
        return subprocess.run(
            [sys.executable, "-c", code], env=full, capture_output=True, text=True
        ).stdout.strip()

    assert backend(DEBUG="1") == "config.mail.SummaryEmailBackend"
    assert backend(DEBUG="1", EMAIL_HOST="mail.example.org") == "django.core.mail.backends.smtp.EmailBackend"
    assert backend(DEBUG="0") == "django.core.mail.backends.smtp.EmailBackend"
