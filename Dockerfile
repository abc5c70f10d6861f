# Early Help Connect: one image for the web, worker and beat processes.
FROM python:3.11-slim-bookworm AS assets
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.sh scripts/
COPY assets assets
RUN mkdir -p static && scripts/build-assets.sh

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 ehc
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/govuk static/govuk
RUN DEBUG=0 SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --no-input \
    && chown -R ehc /app
USER ehc
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
