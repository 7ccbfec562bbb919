from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from factcheck import checks  # noqa: F401 - registers the system checks
        from factcheck.api import auth, public_cache

        public_cache.connect()
        auth.connect()
