"""GET /health on the HTTP app: store status and data age (Navigator.health)."""

from __future__ import annotations

from fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.service import Navigator

HEALTH_PATH = "/health"


def register_health(server: FastMCP, nav: Navigator) -> None:
    @server.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)
    async def health(request: Request) -> JSONResponse:
        """Store status and data age; 503 when the store is unreachable."""
        report = await nav.health()
        return JSONResponse(report.model_dump(mode="json"), status_code=200 if report.healthy else 503)
