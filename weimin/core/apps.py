from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weimin.core"
    label = "core"
    verbose_name = "weimin"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.cache import close_caches
        from django.core.cache.backends.base import BaseCache
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import import_string

        from weimin.core import clock, db, logs

        clock.configure_from_env()
        logs.install()
        post_migrate.connect(create_cache_table, dispatch_uid="weimin-create-cache-table")
        connection_created.connect(db.load_timestamps_fast, dispatch_uid="weimin-fast-timestamps")
        if all(import_string(cache["BACKEND"]).close is BaseCache.close for cache in settings.CACHES.values()):
            # Django closes every cache after each request: none of these holds a connection of its own (the
            # database cache uses Django's), and the walk over them cost 2 % of a worker's time (issue 15).
            request_finished.disconnect(close_caches)


def create_cache_table(using="default", **kwargs) -> None:
    """`weimin migrate` creates the shared cache's table too (settings.CACHES; idempotent)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
