"""Django's template engine, with each page's context let go of once the page is rendered.

A context made for a request refers back to itself (its ``ContextDict`` layers hold their context, so
that ``with context.push()`` can pop them): every page rendered, and everything it was rendered from,
would be cyclic garbage, found only by the garbage collector's pauses — at the district's peak a worker
renders a console panel every few seconds. Emptied after rendering, it is freed at once by reference
counting (``core.serving.LettingGoRequest`` does the same for the request).
"""

from __future__ import annotations

from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates, Template, reraise
from django.template.context import make_context


class LettingGoTemplate(Template):
    def render(self, context=None, request=None):
        made = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(made)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)
        finally:
            made.dicts.clear()


class Templates(DjangoTemplates):
    """``TEMPLATES``' backend: Django's, its templates rendered by ``LettingGoTemplate``."""

    def from_string(self, template_code):
        return LettingGoTemplate(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return LettingGoTemplate(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)
