"""The JSON API under /api/: the project composes one NinjaAPI from each app's router (``<app>/api.py``).

Every route is an explicit path (no catch-all segment), so the order routers are added in does not
matter; ``weimin/tests/test_urls.py`` checks that no route can answer another's path."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import page_not_found
from django.views.defaults import server_error as server_error_page
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from weimin.accounts.api import router as accounts_router
from weimin.analytics.api import router as analytics_router
from weimin.calendars.rules import CalendarUnknown
from weimin.campaign.api import router as campaign_router
from weimin.cases.api import router as cases_router
from weimin.core.errors import DomainError
from weimin.halls.api import router as halls_router
from weimin.planning.api import router as planning_router
from weimin.ratings.api import router as ratings_router
from weimin.rivers.api import router as rivers_router
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


# Pydantic words its own refusals in English: the common ones in the caller's language (ctx: pydantic's limits).
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("is required"),
    "string_too_short": gettext_lazy("must have at least %(min_length)s characters"),
    "string_too_long": gettext_lazy("can have at most %(max_length)s characters"),
    "greater_than_equal": gettext_lazy("must be at least %(ge)s"),
    "less_than_equal": gettext_lazy("must be at most %(le)s"),
    "greater_than": gettext_lazy("must be more than %(gt)s"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "float_parsing": gettext_lazy("must be a number"),
    "finite_number": gettext_lazy("must be a number"),
    "literal_error": gettext_lazy("must be one of %(expected)s"),
    "date_parsing": gettext_lazy("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": gettext_lazy("must be a date (YYYY-MM-DD)"),
}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body", "payload")]
        message = error.get("msg", "invalid")
        if error.get("type") in PYDANTIC_MESSAGES:
            ctx = {k: str(v) for k, v in error.get("ctx", {}).items()}
            ctx["expected"] = ctx.get("expected", "").replace("' or '", "'、'").replace("', '", "'、'")
            message = str(PYDANTIC_MESSAGES[error["type"]]) % ctx
        if error.get("type") == "value_error" and error.get("ctx", {}).get("error"):
            message = str(error["ctx"]["error"])  # our own validators' message, without pydantic's prefix
        errors.append({"field": ".".join(loc) or "request", "message": message})
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


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled):
    """429 from a limit on abuse (tickets/limits.py): what was limited and when to try again; the
    Retry-After header too."""
    found = getattr(request, "weimin_limit", None)
    if found is None:
        return api.create_response(request, {"detail": _("Too many requests. Try again later.")}, status=429)
    over, message = found
    return api.create_response(request, {"detail": message, "retry_at": over.until.isoformat()}, status=429)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig):
    return too_big(request)


def too_big(request: HttpRequest) -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return JsonResponse({"detail": _("The request body is larger than %(kb)s KB.") % {"kb": limit}}, status=413)


def bad_request(request: HttpRequest, exception: Exception):
    """The project's 400: JSON under /api/ (413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE), a page
    elsewhere saying what was wrong."""
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return too_big(request)
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    message = str(exception) if isinstance(exception, BadRequest) else ""
    return TemplateResponse(request, "400.html", {"message": message}, status=400)


def server_error(request: HttpRequest):
    """The project's 500: JSON under /api/, the page elsewhere (the error itself goes to the log)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Internal error: it has been logged.")}, status=500)
    return server_error_page(request)


def not_found(request: HttpRequest, exception: Exception):
    """The project's 404: JSON under /api/ (a path no route has, e.g. an unknown ticket action), the
    page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such API path: %(path)s.") % {"path": request.path}}, status=404)
    return page_not_found(request, exception)


for router in (
    halls_router,
    accounts_router,
    tickets_router,
    cases_router,
    ratings_router,
    shifts_router,
    analytics_router,
    planning_router,
    rivers_router,
    campaign_router,
):
    api.add_router("/", router)
