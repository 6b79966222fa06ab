"""A checked upload kept on the server for a short while, so “Nhập tệp này” needs no second upload.

One file per user (a new check replaces the previous one), at most MAX_FILE_BYTES each, dropped
after PENDING_SECONDS or once imported. Kept on disk rather than in a cache, so that every worker
of the server sees it; the directory is `settings.WORKBOOK_PENDING_DIR` or one in the temp dir.
"""

import json
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PENDING_SECONDS = 30 * 60


@dataclass(frozen=True)
class Pending:
    data: bytes
    filename: str
    term_code: str


def _directory() -> Path:
    path = Path(
        getattr(settings, "WORKBOOK_PENDING_DIR", "") or Path(tempfile.gettempdir()) / "soket-workbook"
    )
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _paths(user_id: int) -> tuple[Path, Path]:
    directory = _directory()
    return directory / f"{int(user_id)}.xlsx", directory / f"{int(user_id)}.json"


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def _prune(now: float) -> None:
    """Drop every user's kept file that is past its time (bounded: one pair of files per user)."""
    for path in _directory().iterdir():
        try:
            if now - path.stat().st_mtime > PENDING_SECONDS:
                path.unlink()
        except OSError:
            continue


def pending_keep(*, user, data: bytes, filename: str, term_code: str) -> str:
    """Keep this user's checked upload; returns the token the page sends back to import it."""
    now = time.time()
    _prune(now)
    token = secrets.token_urlsafe(16)
    data_path, meta_path = _paths(user.pk)
    _write(data_path, data)
    meta = {"token": token, "filename": filename, "term": term_code, "at": now}
    _write(meta_path, json.dumps(meta).encode())
    return token


def pending_take(*, user, token: str) -> Pending | None:
    """The kept upload if `token` is this user's latest and still fresh; it is dropped either way."""
    data_path, meta_path = _paths(user.pk)
    try:
        meta = json.loads(meta_path.read_bytes())
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if not secrets.compare_digest(str(meta.get("token", "")), str(token)):
        return None  # an older page: keep the newer upload for its own page
    pending_drop(user=user)
    if time.time() - float(meta.get("at", 0)) > PENDING_SECONDS:
        return None
    return Pending(data=data, filename=str(meta.get("filename", "")), term_code=str(meta.get("term", "")))


def pending_drop(*, user) -> None:
    for path in _paths(user.pk):
        path.unlink(missing_ok=True)
