"""Reading ratings: the follow-ups a manager must chase."""

from django.db.models import Q

from weimin.ratings.models import FollowUp


def overdue(halls, today) -> list[FollowUp]:
    """Follow-ups whose contact or resolution is late."""
    late = Q(contacted_at__isnull=True, contact_due__lt=today) | Q(resolved_at__isnull=True, resolve_due__lt=today)
    return list(FollowUp.objects.filter(late, rating__hall__in=halls).select_related("rating__hall"))
