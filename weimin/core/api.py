"""The JSON API under /api/: one NinjaAPI; each app contributes a router from its ``api`` module."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from weimin.calendars.rules import CalendarUnknown

api = NinjaAPI(
    title="weimin API",
    version="1",
    description="为民 — district service halls. Staff calls use `Authorization: Bearer <token>` "
    "(`weimin issue-token USERNAME`).",
    urls_namespace="api",
)


class FieldError(Exception):
    """Bad input for one named field: answered 422 with the field in the body."""

    def __init__(self, field: str, message: str, status: int = 422):
        self.field, self.message, self.status = field, message, status
        super().__init__(f"{field}: {message}")


def field_error_body(errors: list[dict]) -> dict:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return {"detail": detail, "errors": errors}


@api.exception_handler(FieldError)
def on_field_error(request: HttpRequest, exc: FieldError):
    return api.create_response(request, field_error_body([{"field": exc.field, "message": exc.message}]),
                               status=exc.status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "payload")]
        errors.append({"field": ".".join(loc) or "request", "message": error.get("msg", "invalid")})
    return api.create_response(request, field_error_body(errors), status=422)


@api.exception_handler(CalendarUnknown)
def on_calendar_unknown(request: HttpRequest, exc: CalendarUnknown):
    return api.create_response(request, field_error_body([{"field": "date", "message": str(exc)}]), status=422)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request, {"detail": _("A valid bearer token is required (Authorization: Bearer <token>).")}, status=401
    )


def register_routers() -> None:
    from weimin.accounts.api import router as accounts_router
    from weimin.halls.api import router as halls_router

    api.add_router("/", halls_router)
    api.add_router("/", accounts_router)


register_routers()
