# kefu 客服 — production image. Data (SQLite database, trained intent model) lives in the /app/var volume;
# set DATABASE_URL=postgresql+asyncpg://... to use PostgreSQL instead.
# The server listens on 0.0.0.0 inside the container, so it starts only with KEFU_API_KEY set (the REST API
# holds customers' orders and chats), or with KEFU_API_OPEN=true on a trusted network:
#   docker run -e KEFU_API_KEY=$(openssl rand -hex 24) -p 8080:8080 -v kefu-var:/app/var kefu
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KEFU_VAR_DIR=/app/var

WORKDIR /app
RUN groupadd --system kefu && useradd --system --gid kefu --home-dir /app --shell /usr/sbin/nologin kefu

# Dependencies first (cached while only the code changes).
COPY pyproject.toml README.md ./
COPY bot/__init__.py bot/__init__.py
COPY intents/__init__.py intents/__init__.py
COPY replies/__init__.py replies/__init__.py
COPY models/__init__.py models/__init__.py
RUN pip install . && pip uninstall -y kefu

COPY bot bot
COPY intents intents
COPY replies replies
COPY models models
RUN pip install --no-deps . \
    && mkdir -p /app/var \
    && chown -R kefu:kefu /app/var \
    # Train the intent model at build time, so the first start is fast.
    && su kefu -s /bin/sh -c "python -m intents train"

USER kefu
VOLUME ["/app/var"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "bot", "serve", "--host", "0.0.0.0", "--port", "8080"]
