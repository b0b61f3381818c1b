from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The Longgang demo district and its living simulation: outside the domain, answering its hooks."""

    name = "weimin.demo"
    label = "demo"
    verbose_name = _("Demo district")

    def ready(self) -> None:
        from weimin.demo import simulation
        from weimin.shifts.signals import holder_yields, window_wanted

        window_wanted.connect(simulation.yield_window, dispatch_uid="weimin.demo.yield_window")
        holder_yields.connect(simulation.yields, dispatch_uid="weimin.demo.yields")
