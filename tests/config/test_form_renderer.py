"""The site's form renderer: Django's widget templates through Jinja2, the same HTML as the Django
engine gives (but for how a quote is escaped, &#34; for &quot;, and the white space between a
radio button and its label: the same page to any browser), and the Django engine for templates
only it has (the admin's widgets)."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import Template as DjangoTemplate
from django.template.backends.jinja2 import Template as Jinja2Template

from config.form_renderer import FormRenderer


class Sample(forms.Form):
    name = forms.CharField(max_length=20, initial='Xã "Đông" <Hà>')
    status = forms.ChoiceField(
        choices=[("a", "Đạt"), ("b", "Khó đạt")], widget=forms.RadioSelect, initial="b"
    )
    note = forms.CharField(widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, initial=3)


def test_widgets_are_drawn_by_jinja2_and_admin_widgets_by_django():
    renderer = FormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/input.html"), Jinja2Template)
    assert isinstance(renderer.get_template("admin/widgets/foreign_key_raw_id.html"), DjangoTemplate)


def _quotes(html: str) -> str:
    """Both engines' HTML written alike: quotes as Django escapes them, whitespace collapsed."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def test_the_html_is_the_django_engines():
    fast = Sample(renderer=FormRenderer())
    plain = Sample(renderer=DjangoTemplates())
    for name in ("name", "status", "note", "version"):
        assert _quotes(str(fast[name])) == _quotes(str(plain[name]))
    assert _quotes(str(fast)) == _quotes(str(plain))
    bound = {"name": "x'" * 15, "status": "zz", "version": "-"}
    fast, plain = Sample(bound, renderer=FormRenderer()), Sample(bound, renderer=DjangoTemplates())
    assert _quotes(str(fast)) == _quotes(str(plain))


def test_it_is_the_sites_renderer(settings):
    assert settings.FORM_RENDERER == "config.form_renderer.FormRenderer"
