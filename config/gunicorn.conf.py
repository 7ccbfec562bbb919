"""How the web app is served, in one place: `make serve`, the Docker image (and so docker-compose)
and tests/config/test_serving.py all run `gunicorn -c config/gunicorn.conf.py`.

Gunicorn supervises the processes; each runs uvicorn's asyncio server with Django's ASGI
application. Why not gunicorn's sync workers: a sync worker reads a request's headers while
holding its only request slot, so a handful of clients sending headers a byte at a time
(slowloris) kept every worker busy and the site down. An asyncio worker reads headers for
thousands of connections at once and only hands a complete request to Django. (Threaded
"gthread" workers do not help: a slow client holds a thread.)

Django runs each request's synchronous code in a thread of that request's own
(asgiref.ThreadSensitiveContext), so one slow view does not hold up the others in a process.
config/asgi.py bounds how many run at once (WEB_THREADS) and turns persistent database
connections off (see there). uvicorn's limit_concurrency is not used: it counts open
connections, slow ones included, and would refuse everyone else while they trickle.

Each value may be overridden on the command line (the Dockerfile binds 0.0.0.0) or with the
environment variables named below.
"""

import os

wsgi_app = "config.asgi:application"
worker_class = "config.workers.Worker"
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
# A worker that does not report to the master for this long (a view stuck in the event loop's
# way) is killed and replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
# Seconds an idle keep-alive connection stays open (uvicorn's timeout_keep_alive).
keepalive = 5
# Connections waiting to be accepted by a worker.
backlog = 2048
# Restart a worker after this many requests (with jitter, so they do not all restart at once):
# bounds the memory a long-lived process may gather.
max_requests = 10000
max_requests_jitter = 1000
accesslog = os.environ.get("WEB_ACCESS_LOG") or None
