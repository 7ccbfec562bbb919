"""The ASGI application that `gunicorn -c config/gunicorn.conf.py` serves (uvicorn workers)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Under ASGI, Django runs each request's synchronous code in a new thread of that request's own,
# and database connections belong to a thread: a connection kept open "for reuse" would never be
# reused, only dropped when its thread is collected. So each request closes its connection when it
# ends (a reader's cached page opens none). Set before the settings are read.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
application = get_asgi_application()
