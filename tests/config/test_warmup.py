"""config.warmup: a web worker loads its views, catalogs and templates before its first request,
and a template that does not compile costs only its own page."""

import logging

from django.conf import settings
from django.template import TemplateSyntaxError, engines

from config import warmup


def test_the_projects_templates_are_named_as_views_ask_for_them():
    names = warmup.own_template_names(settings.BASE_DIR / "reviews" / "templates")
    assert "reviews/assess.html" in names
    assert "reviews/dashboard.html" in names
    assert all(not name.startswith("/") for name in names)


def test_warm_up_compiles_the_projects_pages_and_the_form_widgets():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warmup.warm_up()
    cache = loader.get_template_cache
    assert {"base.html", "reviews/assess.html", "reviews/dashboard.html"} <= set(cache)
    assert not any(name.startswith("admin/") for name in cache)  # the admin's compile when opened


def test_a_template_that_does_not_compile_is_logged_and_the_rest_go_on(caplog):
    compiled = []

    def get_template(name):
        if name == "broken.html":
            raise TemplateSyntaxError("Invalid block tag")
        compiled.append(name)

    with caplog.at_level(logging.WARNING, logger="config.warmup"):
        for name in ("broken.html", "base.html"):
            warmup._compile(get_template, name)
    assert compiled == ["base.html"]
    assert "broken.html did not compile" in caplog.text
