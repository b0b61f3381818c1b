"""``{% rating_levels %}``: the five 好差评 buttons, for any page that offers a rating (the visitor's
ticket, the pad beside a window) without that page's app importing ratings."""

from django import template

from weimin.ratings.choices import Level

register = template.Library()


@register.inclusion_tag("ratings/_levels.html")
def rating_levels():
    return {"levels": Level.choices}
