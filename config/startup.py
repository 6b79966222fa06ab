"""Start-up refusals: the app does not serve on a database whose migrations are not applied."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations_message(database: str = DEFAULT_DB_ALIAS) -> str:
    """One line naming what is missing, or "" when the schema is the code's."""
    executor = MigrationExecutor(connections[database])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return ""
    names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"The database lacks {len(names)} migration(s) of this release ({shown}): "
        "run `manage.py migrate` before starting the site."
    )
