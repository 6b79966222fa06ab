"""The site's form renderer: Django's own widget templates, drawn by Jinja2.

The assessment page draws about 360 widgets (status, value, note, the yearly fields of each
indicator); through the Django template engine that was 45 of its 71 ms, through Jinja2 (Django
ships the same widget templates for it; the HTML is the same but for how a quote in a value is
escaped, &#34; for &quot;) 40 ms in all.
A template that exists only for the Django engine (the admin's widget wrappers) is drawn by it."""

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    fallback = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
