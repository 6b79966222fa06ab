"""The development e-mail backend: one line per e-mail in the console, the full messages in a folder.

Django's console backend printed every message whole: `make run` scrolled ~550 lines of e-mail
past the demo accounts and the site's address. Used when DEBUG is on and no EMAIL_HOST is set."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.text import get_valid_filename


class SummaryEmailBackend(BaseEmailBackend):
    """Writes each message to EMAIL_FILE_PATH (one .eml file each, readable by any mail program)
    and prints "e-mail to X: subject → file" on stdout."""

    def __init__(self, *args, file_path: str | None = None, stream=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.folder = Path(file_path or settings.EMAIL_FILE_PATH)
        self.stream = stream or sys.stdout

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            to = ", ".join(message.recipients())
            path = self.folder / get_valid_filename(f"{stamp}-{to[:60]}.eml")
            path.write_bytes(message.message().as_bytes())
            self.stream.write(f"e-mail to {to}: {message.subject} ({path})\n")
            self.stream.flush()
            sent += 1
        return sent
