# One dashboard replica in a container (docs/deploy.md). Configuration comes at run time, never
# baked in: WXDATA_* variables (-e / --env-file) and, for several apps or st.login's [auth],
# a secrets file mounted read-only at /app/.streamlit/secrets.toml.
#   docker build -t wxretain .
#   docker run -p 8501:8501 --env-file /etc/wxretain/env \
#     -v /etc/wxretain/secrets.toml:/app/.streamlit/secrets.toml:ro wxretain
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# the package first: its layer is rebuilt only when the package changes
COPY pyproject.toml README.md ./
COPY wxdata ./wxdata
RUN pip install .
COPY app.py ./
COPY pages ./pages
# the theme and server settings only: a secrets file is never copied into an image
COPY .streamlit/config.toml ./.streamlit/config.toml

# A user of its own; /app stays root's (read-only to the app). Its home holds the SQLite cache
# when no WXDATA_CACHE_URL is given (~/.cache/wxretain).
RUN useradd --create-home --home-dir /home/wxretain --uid 10001 --shell /usr/sbin/nologin wxretain
USER wxretain

EXPOSE 8501
# python, not curl: the slim image has no curl
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status != 200)"]
CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
