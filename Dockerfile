# One image for the web process and the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system socore && useradd --system --gid socore --home-dir /app socore

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# collectstatic needs settings but no database or secret of the deployment.
RUN DEBUG=true DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media && chown -R socore:socore /data

USER socore
EXPOSE 8000
# Workers, threads, port and access log: gunicorn.conf.py, the configuration `make bench` measures.
CMD ["gunicorn", "socore.wsgi"]
