# Production image for Wijkexpert: gunicorn (web), Celery worker and beat all run from it
# (docker-compose.yml picks the command). Static files are built and collected at build time.

# --- Front-end assets: npm packages copied into static/vendor (no CDN) --------------------------
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/copy_assets.sh scripts/copy_assets.sh
RUN scripts/copy_assets.sh

# --- Application ---------------------------------------------------------------------------------
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app

# Pango for WeasyPrint (the municipality's monthly report as PDF), and a fallback typeface.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Python dependencies exactly as pinned in uv.lock, without the dev group. Copied before the
# source so the layer is reused while only code changes.
RUN pip install --no-cache-dir uv
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-cache

COPY . .
COPY --from=assets /app/static/vendor static/vendor

# collectstatic only reads settings: the secret is a throw-away for this one command, and
# DATABASE_URL is parsed but never connected to.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput

# Non-root at run time. /data holds the beat schedule and uploaded media (volumes in compose).
RUN useradd --system --create-home --uid 10001 --user-group wijkexpert \
    && mkdir -p /data/media \
    && chown -R wijkexpert:wijkexpert /data
ENV MEDIA_ROOT=/data/media
USER wijkexpert

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
