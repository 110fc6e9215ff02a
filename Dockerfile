# One image for every Career Navigator process; compose.yaml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 CAREER_NAV_DATA_DIR=/app/var
WORKDIR /app

COPY pyproject.toml README.md ./
COPY core ./core
COPY bot ./bot
COPY mcp_server ./mcp_server
COPY scheduler ./scheduler
COPY cli ./cli
COPY data ./data
RUN pip install -e . && useradd --create-home --uid 10001 navigator && mkdir -p /app/var && chown navigator /app/var

USER navigator
EXPOSE 8000
CMD ["career-nav", "up"]
