# One image; web, worker and beat differ only by command (see docker-compose.yml).
# Install and start steps mirror the README's, which CI exercises.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 factcheck

COPY requirements.txt ./
RUN python -m pip install -r requirements.txt

COPY . .
# Static files for the admin, collected with production storage (hashed names, compressed).
RUN DATABASE_URL=postgres://build-only/none SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R factcheck /app/var

USER factcheck
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c config/gunicorn.conf.py --bind 0.0.0.0:8000 --access-logfile -"]
