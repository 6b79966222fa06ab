"""Start-up refusals: the app does not serve on a database whose migrations are not applied."""

import logging
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.migrations.executor import MigrationExecutor

logger = logging.getLogger("config.database")


def unapplied_migrations_message(database: str = DEFAULT_DB_ALIAS) -> str:
    """One line naming what is missing, or "" when the schema is the code's.

    A database that does not answer yet is no reason to refuse: the site starts and answers 503
    until it is back (config/middleware.py), as it does when the database goes away later."""
    try:
        executor = MigrationExecutor(connections[database])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except (OperationalError, InterfaceError):
        logger.warning("start-up: the database does not answer; migrations not checked", exc_info=True)
        return ""
    finally:
        connections[database].close()  # gunicorn forks after this: no connection shared by workers
    if not plan:
        return ""
    names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"The database lacks {len(names)} migration(s) of this release ({shown}): "
        "run `manage.py migrate` before starting the site."
    )


def missing_static_manifest_message() -> str:
    """One line when production's fingerprinted static files were never collected, or "".

    Without the manifest every page that names a static file fails with a 500; `collectstatic`
    (`make release`) writes it once per release, so starting never has to."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import ManifestFilesMixin
    from django.core.files.storage import storages

    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return ""
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if manifest.exists():
        return ""
    return (
        f"No static files manifest at {manifest}: run `manage.py collectstatic --noinput` "
        "(make release) before starting the site."
    )
