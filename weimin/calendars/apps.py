from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "weimin.calendars"
    label = "calendars"
    verbose_name = _("National calendar")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from weimin.calendars import checks  # noqa: F401  (registers the missing-year check)
        from weimin.calendars.national import forget_office_entries

        for model in ("CalendarDay", "CalendarYear"):
            for signal in (post_save, post_delete):
                signal.connect(forget_office_entries, sender=self.get_model(model), dispatch_uid=f"national-{model}")
