"""A web worker made ready before it takes its first request.

Django loads lazily: the URLconf (and with it every view module), each language's translation
catalog and each compiled template come with the first request that needs them. A worker's first
assessment form cost 510 ms of CPU, its second 7 ms; its first province dashboard 176 ms. On a
deadline day every secretary opens the form within seconds of a restart, so each new worker's
first answers held the queue behind them. Loaded here instead, in each worker before it accepts,
and then frozen with the rest of the long-lived heap (config.collector)."""

import logging
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Call once the app is loaded, in each process that serves requests, before tune_for_serving."""
    _load_urls()
    _load_catalogs()
    _compile_templates()


def _load_urls() -> None:
    from django.urls import get_resolver

    # reverse_dict populates the resolver, which imports the URLconf and every view module.
    get_resolver().reverse_dict  # noqa: B018 - the loading is the point


def _load_catalogs() -> None:
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Sơ kết")


def own_template_names(directory: Path) -> list[str]:
    """Every template under one of the project's template folders, by the name a view asks for."""
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt"}
    )


def _compile_templates() -> None:
    from django.forms.renderers import get_default_renderer
    from django.template import engines

    base = Path(settings.BASE_DIR).resolve()
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            if not directory.resolve().is_relative_to(base) or ".venv" in directory.parts:
                continue  # the project's own pages; the admin's compile when someone opens it
            for name in own_template_names(directory):
                _compile(engine.get_template, name)
    # The widgets the forms draw, through the form renderer's own engine (Jinja2).
    renderer = get_default_renderer()
    environment = getattr(getattr(renderer, "engine", None), "env", None)
    if environment is not None:
        for name in environment.list_templates(filter_func=lambda n: n.startswith("django/forms/")):
            _compile(renderer.get_template, name)


def _compile(get_template, name: str) -> None:
    # A template that does not compile breaks its own page when asked for, as it would without a
    # warm-up; it must not stop the worker serving every other page.
    try:
        get_template(name)
    except Exception:
        logger.warning("template %s did not compile at start", name, exc_info=True)
