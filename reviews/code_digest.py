"""One digest of the code that shapes what the site caches: the report files (reviews.report.services)
and the dashboard fragments and assessment cards (reviews.fragments).

A cached entry is keyed by its data and by this digest, so a deploy that changes how a number,
the tally's sentence, a template, the report's stylesheet or a translation is written changes
every key, and no entry rendered by older code is served. It takes in more than strictly shapes a
given entry (every Python module of the core and of reviews): a release costs a cold cache, a
forgotten file would cost stale pages."""

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings

CODE_GLOBS = (
    "indicators/**/*.py",  # numbers as written, the tally and its sentence, names of people
    "reviews/**/*.py",  # selectors, tables, charts, template tags, the report's writers
    "config/**/*.py",  # the form renderer, formats
    "config/formats/**/*",
    "templates/**/*",
    "reviews/templates/**/*",
    "static/css/**/*.css",  # the report's stylesheet (the PDF)
    "static/fonts/**/*",  # the PDF embeds them
    "locale/**/*.mo",
    "locale_vendor/**/*.mo",
)
# Libraries whose version changes what is drawn (a new python-docx writes another file).
LIBRARIES = (
    "django",
    "django-tables2",
    "jinja2",
    "python-docx",
    "cairosvg",
    "weasyprint",
    "pyhanko",
    "segno",
)


def code_files(base: Path) -> list[Path]:
    """The files the digest reads, in a fixed order."""
    return sorted({p for pattern in CODE_GLOBS for p in base.glob(pattern) if p.is_file()})


def digest_of(base: Path) -> str:
    """The digest of the files under `base` (their paths and bytes) and of the libraries' versions."""
    digest = hashlib.blake2b(digest_size=16)
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}|".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=|".encode())
    for path in code_files(base):
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def code_digest() -> str:
    """The digest of this checkout's code; computed once per process (a deploy restarts it)."""
    return digest_of(Path(settings.BASE_DIR))
