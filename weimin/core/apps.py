from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weimin.core"
    label = "core"
    verbose_name = "weimin"

    def ready(self) -> None:
        from weimin.core import clock

        clock.configure_from_env()
