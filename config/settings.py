"""Settings for the fact-check service: one module, every knob from the environment.

With nothing set, the service runs on the embedded defaults a newcomer needs for
the demo: a SQLite file and Celery tasks executed in-process. Production sets
DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis); the README lists every
variable.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import dj_database_url
import orjson
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from factcheck import task_names
from factcheck.crosscheck.worthiness import claim_threshold

BASE_DIR = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def _env_parsed(name: str, default: T, parse: Callable[[str], T], kind: str) -> T:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return parse(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be {kind}, got {value!r}") from None


def env_int(name: str, default: int) -> int:
    return _env_parsed(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_parsed(name, default, float, "a number")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# With no DATABASE_URL the service runs as the embedded demo (SQLite, in-process
# tasks), where DEBUG defaults to on; any real deployment sets DATABASE_URL and
# gets DEBUG off unless it asks otherwise.
EMBEDDED_DEMO = not env_str("DATABASE_URL")
DEBUG = env_bool("DEBUG", EMBEDDED_DEMO)

# A missing SECRET_KEY is tolerated only when DEBUG is on (the demo); a deployment
# that forgets it must fail loudly rather than sign sessions with a public key.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off"
            + (" (it is off by default once DATABASE_URL is set)" if not EMBEDDED_DEMO else "")
            + ". Set SECRET_KEY to a long random string; for the demo on your own machine, DEBUG=true will do."
        )
    SECRET_KEY = "insecure-demo-key-only-for-debug"  # noqa: S105 - DEBUG only, never deployed

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "factcheck.admin_config.DeskAdminConfig",  # django.contrib.admin, its index the desk's home
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "factcheck",
]

MIDDLEWARE = [
    # Outermost: a database outage anywhere below becomes a 503 with a clear message.
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change of a claim or verdict (simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # A Content Security Policy on every response (admin, public pages, API docs).
    "csp.middleware.CSPMiddleware",
    # Locks out repeated failed logins (django-axes); last, as its docs ask.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a login attempt while its username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "demo.sqlite3"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def database(url: str) -> dj_database_url.DBConfig:
    return dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True)


DATABASES: dict[str, Any] = {"default": database(DATABASE_URL)}
# PostgreSQL streaming replicas for the readers' views (factcheck/replicas.py says what goes where):
# aliases "replica", "replica2", ... Tests use the test database for them (MIRROR).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", "")
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = database(_url)
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica" if _number == 1 else f"replica{_number}"] = _replica
DATABASE_REPLICA_ALIASES = [alias for alias in DATABASES if alias != "default"]
# A client who wrote reads from the primary this long afterwards: longer than the replicas' usual lag.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_ALIASES:
    if EMBEDDED_DEMO:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs DATABASE_URL: replicas are PostgreSQL standbys")
    DATABASE_ROUTERS = ["factcheck.replicas.ReplicaRouter"]
    # Inside the outage middleware, which turns a replica's outage into a 503 too.
    MIDDLEWARE.insert(1, "factcheck.middleware.ReplicaRoutingMiddleware")
# A test run (pyproject sets FACTCHECK_TEST_RUN) names its database and its Celery queue
# after the database it was given and its own process, so two runs on one machine (two
# checkouts, or the same one twice) never share either; the tests hand both names to the
# worker they start. tests/conftest.py drops the databases of runs that died.
FACTCHECK_TEST_RUN = env_bool("FACTCHECK_TEST_RUN", False)
TEST_RUN_SUFFIX = f"run{os.getpid()}"
_TEST_DATABASE_DEFAULT = f"test_{DATABASES['default'].get('NAME') or 'factcheck'}"
if FACTCHECK_TEST_RUN:
    _TEST_DATABASE_DEFAULT = f"{_TEST_DATABASE_DEFAULT}_{TEST_RUN_SUFFIX}"
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", _TEST_DATABASE_DEFAULT)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------
# No broker configured -> tasks run in-process (eagerly) so the demo needs nothing
# else running. With a broker, the reliability settings below apply: the database
# is the truth, the broker only a delivery mechanism that may lose messages.
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
# In-process mode still builds a broker connection object; an in-memory one keeps it local.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str(
    "CELERY_TASK_DEFAULT_QUEUE", f"factcheck-tests-{TEST_RUN_SUFFIX}" if FACTCHECK_TEST_RUN else "factcheck"
)
# One queue per kind of work, so a flood of articles never starves checks or webhook deliveries:
# a pool started on one queue (`celery -A config worker -Q <queue>`) serves only that work. They are
# named after the default queue, so a test run or a bench that names its own has all of them to itself.
FACTCHECK_INGEST_QUEUE = env_str("FACTCHECK_INGEST_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-ingest")
FACTCHECK_CHECKS_QUEUE = env_str("FACTCHECK_CHECKS_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-checks")
FACTCHECK_WEBHOOKS_QUEUE = env_str("FACTCHECK_WEBHOOKS_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-webhooks")
# A worker started without -Q consumes every queue listed here. The default queue stays in the list:
# nothing is routed to it, but messages sent before the queues were split wait there.
CELERY_TASK_QUEUES = [
    Queue(name)
    for name in (CELERY_TASK_DEFAULT_QUEUE, FACTCHECK_INGEST_QUEUE, FACTCHECK_CHECKS_QUEUE, FACTCHECK_WEBHOOKS_QUEUE)
]
# Each reaper goes to the queue of the work it re-sends: the pool that does the work also sweeps it.
CELERY_TASK_ROUTES = {
    task_names.FETCH_SOURCE: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.SPLIT_SOURCE: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.EXTRACT_CLAIMS: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.REQUEUE_STALLED_FETCHES: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.REQUEUE_STALLED_SOURCES: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.PREPARE_PASSAGE_MONTHS: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.POLL_FEED: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.POLL_DUE_FEEDS: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.IMPORT_CLAIMREVIEW_SOURCES: {"queue": FACTCHECK_INGEST_QUEUE},
    task_names.SEND_CLAIMS_DIGEST: {"queue": FACTCHECK_WEBHOOKS_QUEUE},
    task_names.CHECK_CLAIM: {"queue": FACTCHECK_CHECKS_QUEUE},
    task_names.REQUEUE_STALLED_CHECKS: {"queue": FACTCHECK_CHECKS_QUEUE},
    task_names.DELIVER_WEBHOOK: {"queue": FACTCHECK_WEBHOOKS_QUEUE},
    task_names.REQUEUE_STALLED_WEBHOOKS: {"queue": FACTCHECK_WEBHOOKS_QUEUE},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if not CELERY_TASK_SOFT_TIME_LIMIT < CELERY_TASK_TIME_LIMIT < CELERY_VISIBILITY_TIMEOUT:
    # A task outliving the visibility timeout is redelivered while still running.
    raise ImproperlyConfigured("Celery limits must satisfy soft time limit < time limit < visibility timeout")

# --- Fact-check service -------------------------------------------------------
# Bytes read from one ingested file or request body before parsing; anything larger is refused.
FACTCHECK_MAX_SOURCE_BYTES = env_int("FACTCHECK_MAX_SOURCE_BYTES", 5 * 1024 * 1024)
# Request bodies are read up to this size (an article of the largest size, JSON-escaped, fits);
# larger ones get 413 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * FACTCHECK_MAX_SOURCE_BYTES + 65536)
# A source left unsplit or unextracted this long (its task lost with a broker restart) is re-enqueued.
FACTCHECK_REQUEUE_AFTER_SECONDS = env_int("FACTCHECK_REQUEUE_AFTER_SECONDS", 300)

# Passages scoring at least this check-worthiness (0 to 1) become candidate claims. By default
# the threshold shipped with the check-worthiness model (chosen on held-out data when it was
# trained, factcheck/crosscheck/models/checkworthiness.md); set it to trade recall for precision.
FACTCHECK_CLAIM_THRESHOLD = env_float("FACTCHECK_CLAIM_THRESHOLD", claim_threshold())
# At most this many claims come from one source (its most check-worthy passages): bounds
# the work a huge or hostile article can cause.
FACTCHECK_MAX_CLAIMS_PER_SOURCE = env_int("FACTCHECK_MAX_CLAIMS_PER_SOURCE", 150)
# Two statements scoring at least the automatic threshold are one claim; between the
# suggestion and automatic thresholds a reviewer is asked to confirm or reject the match.
FACTCHECK_MATCH_AUTO_THRESHOLD = env_float("FACTCHECK_MATCH_AUTO_THRESHOLD", 0.6)
FACTCHECK_MATCH_SUGGEST_THRESHOLD = env_float("FACTCHECK_MATCH_SUGGEST_THRESHOLD", 0.35)
# Estimated share of common 5-word shingles above which two articles are copies of one story.
FACTCHECK_COPY_THRESHOLD = env_float("FACTCHECK_COPY_THRESHOLD", 0.5)
# Passages retrieved from the index and compared with a claim in one check.
FACTCHECK_CHECK_CANDIDATES = env_int("FACTCHECK_CHECK_CANDIDATES", 40)
# A check compares a claim with the passages published this many days either side of its date (and of
# today: what arrives now bears on old claims too); a reviewer may ask for the whole archive. 0: always
# the whole archive. Each month searched costs a check as much as the last (services/checks.check_windows).
FACTCHECK_CHECK_WINDOW_DAYS = env_int("FACTCHECK_CHECK_WINDOW_DAYS", 30)
# How long a worker holds a check run before the reaper may give it to another worker:
# longer than any task may live, so a live worker never loses its run.
FACTCHECK_CHECK_LEASE_SECONDS = env_int("FACTCHECK_CHECK_LEASE_SECONDS", CELERY_TASK_TIME_LIMIT + 60)
# A run whose worker died this many times is failed rather than retried forever.
FACTCHECK_CHECK_MAX_ATTEMPTS = env_int("FACTCHECK_CHECK_MAX_ATTEMPTS", 3)
if FACTCHECK_CHECK_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("FACTCHECK_CHECK_LEASE_SECONDS must exceed CELERY_TASK_TIME_LIMIT")
# "auto" (PostgreSQL full-text search on PostgreSQL, else the Python fallback), "postgresql" or "fallback".
FACTCHECK_SEARCH_BACKEND = env_str("FACTCHECK_SEARCH_BACKEND", "auto")
if FACTCHECK_SEARCH_BACKEND not in {"auto", "postgresql", "fallback"}:
    raise ImproperlyConfigured("FACTCHECK_SEARCH_BACKEND must be auto, postgresql or fallback")
if not 0 <= FACTCHECK_MATCH_SUGGEST_THRESHOLD <= FACTCHECK_MATCH_AUTO_THRESHOLD <= 1:
    raise ImproperlyConfigured("match thresholds must satisfy 0 <= suggest <= auto <= 1")

# --- Auth, i18n, static -----------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if FACTCHECK_TEST_RUN:
    # The tests sign hundreds of people in; PBKDF2's deliberate slowness (about 0.3 s a user
    # here) would be most of their time. Never outside a test run.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
# Production serves hashed, compressed files collected by `collectstatic`; the demo
# and the tests serve straight from the apps (no collect step needed).
STATICFILES_MANIFEST = env_bool("STATICFILES_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATICFILES_MANIFEST

# --- Security (production values unless DEBUG) -----------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REFERRER_POLICY = "same-origin"

# Scripts only from this site: article text is hostile, and an injected inline script must not
# run even if escaping ever failed. Inline styles stay allowed (the admin uses style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login brute force: this many failures for one username from one address lock it out.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = 1 if env_bool("BEHIND_TLS_PROXY", False) else None

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # In-process tasks would log a line each into command output.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else LOG_LEVEL},
    },
}

# --- Cache (throttling counters, readers' verdict pages) -------------------------------
# Per-process memory unless CACHE_URL names a shared cache (redis://...), which a deployment
# with several web processes needs for throttling to count across them, and for a change made
# in one process (or a worker) to empty the readers' cached pages in all of them.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Each process's copies of what the shared cache holds (pages, tokens, generations) and its
    # throttling leases (factcheck/api/generations.py, throttles.py): a cached reader's request
    # then makes no round trip to Redis. At most 500 entries (a page of 50 verdicts is ~40 KB
    # pickled: ~20 MB if all were such pages); past that the least recently used third is dropped.
    "near": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "near",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# How long a process trusts its copy of a cache generation before reading the shared one again:
# a change made in another process (or a worker) reaches its cached pages and remembered tokens
# within this time after the commit; in the process that made it, at once. 0: read every time.
FACTCHECK_CACHE_GENERATION_SECONDS = env_float("FACTCHECK_CACHE_GENERATION_SECONDS", 1.0)

# --- API (Django REST framework) ------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # API clients: "Authorization: Token <token>"; tokens are stored hashed (knox) and revoked in the admin.
        "factcheck.api.auth.CachedTokenAuthentication",
        # People in the browser: their admin session.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The API reads JSON only: one body format whose types mean something, so the serializers can
    # refuse a number where text belongs (form data would turn every value into text).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # orjson: with the standard library's json, serialising a page of 50 verdicts was about a fifth
    # of a cached reader request (bench/README.md). The same JSON, compact, in UTF-8.
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Keys that are not strings (a claim's history is keyed by verdict id) are written as strings,
    # as the standard library's json does.
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_NON_STR_KEYS,),
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["factcheck.api.throttles.RoleRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "reader": env_str("API_THROTTLE_READER", "600/min"),
        "reviewer": env_str("API_THROTTLE_REVIEWER", "1200/min"),
        "editor": env_str("API_THROTTLE_EDITOR", "1200/min"),
        "admin": env_str("API_THROTTLE_ADMIN", "3000/min"),
    },
    # drf-spectacular, plus the error responses every operation can give (factcheck/api/schema.py).
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "factcheck.api.errors.json_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 0)
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    # Tokens live until revoked unless a lifetime is set (hours).
    "TOKEN_TTL": dt.timedelta(hours=API_TOKEN_TTL_HOURS) if API_TOKEN_TTL_HOURS else None,
    "AUTO_REFRESH": False,
}
# knox's own default, named: migration 0026 (each token's label and last use) refers to the token model by it.
KNOX_TOKEN_MODEL = "knox.AuthToken"  # noqa: S105 - a model's name, not a password
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check workflow API",
    "DESCRIPTION": "Claims, cross-source evidence, verdicts and schema.org ClaimReview.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc served from this site (drf-spectacular-sidecar): no CDN, no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Check runs and source fetches share one set of job states: one enum, named for what it is.
    "ENUM_NAME_OVERRIDES": {"JobStatusEnum": "factcheck.models.CheckRunStatus"},
}

# --- Review workflow and publishing ---------------------------------------------------------
# An editor may not publish a verdict they drafted themselves (four-eyes principle).
FACTCHECK_FOUR_EYES = env_bool("FACTCHECK_FOUR_EYES", True)
# The organisation that publishes the fact-checks (ClaimReview author) and where the site lives.
FACTCHECK_ORGANIZATION_NAME = env_str("FACTCHECK_ORGANIZATION_NAME", "Fact-check desk")
FACTCHECK_ORGANIZATION_URL = env_str("FACTCHECK_ORGANIZATION_URL", "http://127.0.0.1:8000/")
# The logo on public pages and in ClaimReview: a path on this site (pages load nothing from elsewhere).
FACTCHECK_ORGANIZATION_LOGO = env_str("FACTCHECK_ORGANIZATION_LOGO", "/static/factcheck/logo.svg")
FACTCHECK_PUBLIC_BASE_URL = env_str("FACTCHECK_PUBLIC_BASE_URL", FACTCHECK_ORGANIZATION_URL).rstrip("/")
# Readers' verdict pages are served from the cache (factcheck/api/public_cache.py); a change to a
# verdict invalidates them at once (in other web processes within FACTCHECK_CACHE_GENERATION_SECONDS
# when CACHE_URL is shared), and this bounds how old anything else on them can be. 0: off.
FACTCHECK_PUBLIC_API_CACHE_SECONDS = env_int("FACTCHECK_PUBLIC_API_CACHE_SECONDS", 60)
# A verified API token is remembered this long (factcheck/api/auth.py); revoking it or changing
# anyone's roles forgets them all at once (in every process, within FACTCHECK_CACHE_GENERATION_SECONDS,
# when CACHE_URL is shared). 0: off.
FACTCHECK_API_AUTH_CACHE_SECONDS = env_int("FACTCHECK_API_AUTH_CACHE_SECONDS", 10)
# Fetching a source from a URL: at most this many bytes, this many seconds, this many redirects.
FACTCHECK_FETCH_TIMEOUT_SECONDS = env_float("FACTCHECK_FETCH_TIMEOUT_SECONDS", 10.0)
FACTCHECK_FETCH_MAX_REDIRECTS = env_int("FACTCHECK_FETCH_MAX_REDIRECTS", 3)
# Outlet feeds (services/feeds.py): how often each is polled unless it says otherwise, the largest feed
# read, the most entries read of one, and how many due feeds one beat round sends to the workers.
FACTCHECK_FEED_POLL_MINUTES = env_int("FACTCHECK_FEED_POLL_MINUTES", 15)
# At most one request to a site every this many seconds (feeds and articles alike; services/hosts.py). 0: off.
FACTCHECK_FETCH_HOST_INTERVAL_SECONDS = env_float("FACTCHECK_FETCH_HOST_INTERVAL_SECONDS", 1.0)
FACTCHECK_FEED_MAX_BYTES = env_int("FACTCHECK_FEED_MAX_BYTES", 5 * 1024 * 1024)
FACTCHECK_FEED_MAX_ENTRIES = env_int("FACTCHECK_FEED_MAX_ENTRIES", 200)
FACTCHECK_FEED_POLLS_PER_ROUND = env_int("FACTCHECK_FEED_POLLS_PER_ROUND", 100)
# Other desks' fact-checks (services/imported_reviews.py): pages with ClaimReview markup or JSON feeds of
# ClaimReviews (comma-separated URLs, or files on the workers' disk), imported every this many minutes
# (0: never; `manage.py import_claimreviews` imports by hand), at most this many reviews read from one of them.
# Each is read up to FACTCHECK_FEED_MAX_BYTES.
FACTCHECK_CLAIMREVIEW_SOURCES = env_list("FACTCHECK_CLAIMREVIEW_SOURCES", "")
FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES = env_int("FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES", 60)
FACTCHECK_CLAIMREVIEW_MAX_REVIEWS = env_int("FACTCHECK_CLAIMREVIEW_MAX_REVIEWS", 500)
# The digest of new claims (webhook event claims.new): every this many minutes (0: none), this many claims.
FACTCHECK_DIGEST_MINUTES = env_int("FACTCHECK_DIGEST_MINUTES", 60)
FACTCHECK_DIGEST_SIZE = env_int("FACTCHECK_DIGEST_SIZE", 10)
# A poll holds its feed this long at most (a worker killed mid-poll leaves it to expire): longer than the
# fetch's own time budget and the recording of its entries.
FACTCHECK_FEED_POLL_LEASE_SECONDS = env_int("FACTCHECK_FEED_POLL_LEASE_SECONDS", 120)
# Webhook deliveries: attempts before giving up (backoff doubles from 2 s, capped at 10 min).
FACTCHECK_WEBHOOK_MAX_ATTEMPTS = env_int("FACTCHECK_WEBHOOK_MAX_ATTEMPTS", 6)
FACTCHECK_WEBHOOK_TIMEOUT_SECONDS = env_float("FACTCHECK_WEBHOOK_TIMEOUT_SECONDS", 5.0)
# Only for tests and closed networks: let webhooks and source URLs reach loopback/private addresses.
FACTCHECK_ALLOW_PRIVATE_URLS = env_bool("FACTCHECK_ALLOW_PRIVATE_URLS", False)
