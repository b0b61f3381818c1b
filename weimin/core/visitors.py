"""How citizens present their secrets to the API and the pages: in a header or a body, never in the
address, where every proxy and access log would keep it (docs/security.md)."""

from django.utils.translation import gettext as _

from weimin.core.errors import InvalidInput

VISITOR_TOKEN_HEADER = "X-Visitor-Token"
# Query parameters that used to carry secrets: refused with a clear answer, not silently ignored.
SECRET_QUERY_PARAMETERS = ("token", "id_number", "id_last4")


def refuse_secrets_in_query(request) -> None:
    for name in SECRET_QUERY_PARAMETERS:
        if name in request.GET:
            raise InvalidInput(
                _("Never put %(name)s in the address (it would be logged): send it in the %(header)s header "
                  "or the JSON body.") % {"name": name, "header": VISITOR_TOKEN_HEADER},
                field=name,
            )  # fmt: skip


def visitor_token(request, body_token: str | None = "") -> str:
    """The visitor's token from the X-Visitor-Token header or the body's ``token``."""
    refuse_secrets_in_query(request)
    return (request.headers.get(VISITOR_TOKEN_HEADER) or body_token or "").strip()
