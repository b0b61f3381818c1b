"""The JSON API under /api/: the project composes one NinjaAPI from each app's router (``<app>/api.py``).

Every route is an explicit path (no catch-all segment), so the order routers are added in does not
matter; ``weimin/tests/test_urls.py`` checks that no route can answer another's path."""

from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from weimin.accounts.api import router as accounts_router
from weimin.calendars.rules import CalendarUnknown
from weimin.cases.api import router as cases_router
from weimin.core.errors import DomainError
from weimin.halls.api import router as halls_router
from weimin.ratings.api import router as ratings_router
from weimin.shifts.api import router as shifts_router
from weimin.tickets.api import router as tickets_router

api = NinjaAPI(
    title="weimin API",
    version="1",
    description="为民 — district service halls. Staff calls use `Authorization: Bearer <token>` "
    "(`weimin issue-token USERNAME`).",
    urls_namespace="api",
)


def field_error_body(errors: list[dict]) -> dict:
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return {"detail": detail, "errors": errors}


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError):
    body = {"detail": exc.message}
    if exc.field is not None:
        body = field_error_body([{"field": exc.field, "message": exc.message}])
    return api.create_response(request, {**body, **exc.extra}, status=exc.status)


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


def not_found(request: HttpRequest, exception: Exception):
    """The project's 404: JSON under /api/ (a path no route has, e.g. an unknown ticket action), the
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such API path: %(path)s.") % {"path": request.path}}, status=404)
    return page_not_found(request, exception)


for router in (halls_router, accounts_router, tickets_router, cases_router, ratings_router, shifts_router):
    api.add_router("/", router)
