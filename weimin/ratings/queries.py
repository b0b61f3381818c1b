"""Reading ratings: the follow-ups a manager must chase."""

from datetime import datetime

from django.db.models import F, Q

from weimin.ratings.models import FollowUp, Rating


def overdue(halls, now: datetime) -> list[FollowUp]:
    """Follow-ups whose contact or resolution is late, by each hall's own date at ``now``."""
    late = Q(pk__in=[])
    for hall in halls:
        today = hall.local_date(now)
        late |= Q(rating__hall=hall) & (
            Q(contacted_at__isnull=True, contact_due__lt=today) | Q(resolved_at__isnull=True, resolve_due__lt=today)
        )
    found = list(FollowUp.objects.filter(late).select_related("rating__hall"))
    # A due date left pending by an unpublished calendar is counted here once the year is entered.
    pending = FollowUp.objects.filter(rating__hall__in=halls, resolved_at__isnull=True).filter(
        Q(contact_due__isnull=True) | Q(resolve_due__isnull=True)
    )
    found += [f for f in pending.select_related("rating__hall") if f.late_on(f.rating.hall.local_date(now))]
    return found


def unresolved(hall) -> list[FollowUp]:
    """Bad ratings of the hall not yet resolved, from the day they arrive: the manager sees them before
    they are late (``overdue`` is the late ones)."""
    return list(
        FollowUp.objects.filter(rating__hall=hall, resolved_at__isnull=True)
        .select_related("rating__window", "rating__clerk__staff_profile", "rating__ticket", "rating__case")
        .order_by(F("contact_due").asc(nulls_last=True), "pk")
    )


def follow_up_of(hall, pk: int) -> FollowUp | None:
    """One of the hall's follow-ups, or None."""
    return FollowUp.objects.filter(pk=pk, rating__hall=hall).select_related("rating__hall").first()


def rated_between(hall_id: int, start: datetime, end: datetime) -> list[tuple]:
    """The hall's ratings in [start, end): ``(level, window_id, clerk_id, item_id, rated_at)``, the item
    being the rated ticket's or case's."""
    rows = Rating.objects.filter(hall_id=hall_id, rated_at__gte=start, rated_at__lt=end).values_list(
        "level", "window_id", "clerk_id", "ticket__item_id", "case__item_id", "rated_at"
    )
    return [
        (level, window, clerk, ticket_item or case_item, at)
        for level, window, clerk, ticket_item, case_item, at in rows
    ]


def rating_instants_after(rating_id: int) -> tuple[int, set[tuple[int, datetime]]]:
    """The newest rating id and the (hall id, instant) of every rating after ``rating_id``."""
    rows = Rating.objects.filter(id__gt=rating_id)
    newest = rows.order_by("-id").values_list("id", flat=True).first()
    return newest or rating_id, set(rows.values_list("hall_id", "rated_at"))
