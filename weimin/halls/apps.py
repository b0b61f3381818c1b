from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallsConfig(AppConfig):
    name = "weimin.halls"
    label = "halls"
    verbose_name = _("Halls and service catalogue")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from weimin.halls.hours import forget_hall_entries
        from weimin.halls.reference import forget_reference_data

        for model in ("Hall", "OpeningSchedule", "OpeningSession", "SpecialDay", "SpecialDaySession"):
            for signal in (post_save, post_delete):
                signal.connect(forget_hall_entries, sender=self.get_model(model), dispatch_uid=f"hours-{model}")
        for model in ("Hall", "ServiceItem", "ItemCategory", "Department", "Window"):
            for signal in (post_save, post_delete):
                signal.connect(forget_reference_data, sender=self.get_model(model), dispatch_uid=f"reference-{model}")
        m2m_changed.connect(
            forget_reference_data, sender=self.get_model("Window").items.through, dispatch_uid="reference-window-items"
        )
