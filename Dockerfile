# One image for the web process, the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATA_DIR=/data \
    STATIC_ROOT=/app/staticfiles

# What WeasyPrint loads at run time on Debian 12 (Pango, its FreeType backend, HarfBuzz's
# subsetter for embedding fonts) and DejaVu, whose Sans covers every shipped alphabet
# (Polish ł ż, Lithuanian ė ų, Romanian ș ț, Portuguese ã, Dutch ĳ). No build tools: every
# locked Python package installs from a wheel.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system socore && useradd --system --gid socore --home-dir /app socore

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# collectstatic reads the production settings but needs no database and no secret of the
# deployment (this key exists only for this command). Every folder the portal writes to
# (uploads, reports and exports, beat's schedule in DATA_DIR) belongs to the runtime user; the
# volumes mount there. The code and static files stay root's, read-only.
RUN SECRET_KEY=collectstatic-only-never-a-deployment-key-0123456789abcdefgh \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media /data/private \
    && chown -R socore:socore /data

USER socore
EXPOSE 8000
# Workers, threads, port and access log: gunicorn.conf.py, the configuration `make bench` measures.
CMD ["gunicorn", "socore.wsgi"]
