from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weimin.core"
    label = "core"
    verbose_name = "weimin"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from weimin.core import clock, db, logs

        clock.configure_from_env()
        logs.install()
        post_migrate.connect(create_cache_table, dispatch_uid="weimin-create-cache-table")
        connection_created.connect(db.load_timestamps_fast, dispatch_uid="weimin-fast-timestamps")


def create_cache_table(using="default", **kwargs) -> None:
    """`weimin migrate` creates the shared cache's table too (settings.CACHES; idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
