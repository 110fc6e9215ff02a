"""The MCP server over streamable HTTP on a real loopback port: bearer-token identity (valid, expired, revoked,
wrong audience, missing) and GET /health."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest
from fastmcp import Client
from fastmcp.client.transports import StreamableHttpTransport
from fastmcp.exceptions import MCPError, ToolError

from core.accounts_tokens import AUDIENCE, issuer_for
from core.errors import ConfigError
from mcp_server.auth import TOKEN_NEEDED
from mcp_server.http import listening_sockets
from tests.mcp_support import demo_template, nav  # noqa: F401 — fixtures
from tests.mcp_support import SECRET, base_url, http_server, settings_for, user_with_token

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw-http-test", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture
async def url(nav, tmp_path: Path):
    async with http_server(nav) as mcp_url:
        yield mcp_url


def client(url: str, token: str | None = None) -> Client:
    return Client(StreamableHttpTransport(url, auth=token))


async def initialize(url: str, authorization: str | None) -> httpx.Response:
    headers = MCP_HEADERS | ({"Authorization": authorization} if authorization is not None else {})
    async with httpx.AsyncClient() as http:
        return await http.post(url, json=INITIALIZE, headers=headers)


def assert_refused(response: httpx.Response, words: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["error"] == "invalid_token" and words in response.json()["error_description"]


async def test_a_valid_token_identifies_the_caller_of_personal_tools(nav, url):
    user, token = await user_with_token(nav, skills=["Python", "SQL"], roles=["Data Scientist"])
    async with client(url, token) as mcp:
        profile = (await mcp.call_tool("get_profile")).structured_content
        gap = (await mcp.call_tool("skill_gap")).structured_content
    assert profile["id"] == user.id and profile["skills"] == ["Python", "SQL"]
    assert gap["role"] == "Data Scientist" and {"Python", "SQL"} <= {r["skill"] for r in gap["required_skills"] if r["user_has"]}


async def test_each_request_carries_its_own_identity(nav, url):
    first, first_token = await user_with_token(nav, skills=["Go"])
    second, second_token = await user_with_token(nav, skills=["Rust"])
    async with client(url, first_token) as one, client(url, second_token) as two:
        assert (await two.call_tool("get_profile")).structured_content["id"] == second.id
        assert (await one.call_tool("get_profile")).structured_content["id"] == first.id


async def test_anonymous_callers_use_public_tools_over_http(url, nav):
    async with client(url) as mcp:
        report = (await mcp.call_tool("trending_skills", {"days": 30, "skills_limit": 5})).structured_content
    assert report == (await nav.trending(days=30, skills_limit=5)).model_dump(mode="json")


async def test_a_missing_token_on_a_personal_tool_is_a_tool_error_not_someone_elses_data(url, nav):
    await user_with_token(nav, skills=["Python"])
    async with client(url) as mcp:
        with pytest.raises(ToolError) as caught:
            await mcp.call_tool("get_profile")
    assert str(caught.value) == TOKEN_NEEDED


async def test_an_expired_token_is_rejected_with_401(nav, url, clock):
    _, token = await user_with_token(nav)
    clock.advance(days=30, seconds=1)
    assert_refused(await initialize(url, f"Bearer {token}"), "expired")


async def test_a_revoked_token_is_rejected_with_401(nav, url):
    user, token = await user_with_token(nav)
    await nav.accounts.revoke_token(user.id, jwt.decode(token, options={"verify_signature": False})["jti"])
    assert_refused(await initialize(url, f"Bearer {token}"), "not valid")


async def test_a_token_for_another_audience_is_rejected_with_401(nav, url, clock):
    user, token = await user_with_token(nav)
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience=AUDIENCE, issuer=issuer_for("Career Navigator"))
    foreign = jwt.encode({**claims, "aud": "some-other-service"}, SECRET, algorithm="HS256")
    assert_refused(await initialize(url, f"Bearer {foreign}"), "not valid")
    assert (await initialize(url, f"Bearer {token}")).status_code == 200  # the genuine token still works


async def test_a_token_signed_with_another_secret_is_rejected_with_401(nav, url, clock):
    now = int(clock.now().timestamp())
    forged = jwt.encode(
        {"sub": "anyone", "iat": now, "exp": now + 3600, "jti": "x", "iss": issuer_for("Career Navigator"), "aud": AUDIENCE, "ver": 0},
        "another-secret-that-is-long-enough-0123456789",
        algorithm="HS256",
    )
    assert_refused(await initialize(url, f"Bearer {forged}"), "not valid")


@pytest.mark.parametrize("authorization", ["Bearer", "Basic dXNlcjpwYXNz", "garbage"])
async def test_an_authorization_header_that_is_not_a_bearer_token_is_rejected_not_ignored(url, authorization):
    assert_refused(await initialize(url, authorization), "Bearer")


async def test_no_authorization_header_means_anonymous_not_401(url):
    assert (await initialize(url, None)).status_code == 200


async def test_a_token_revoked_mid_session_stops_working_on_the_next_request(nav, url, caplog):
    user, token = await user_with_token(nav)
    async with client(url, token) as mcp:
        assert (await mcp.call_tool("get_profile")).structured_content["id"] == user.id
        await nav.accounts.revoke_all_tokens(user.id)
        with pytest.raises(MCPError):  # the client reports the 401 as a failed request
            await mcp.call_tool("get_profile")
    assert "token rejected: reason=revoked" in caplog.text


async def test_tokens_never_appear_in_the_logs(nav, url, caplog):
    _, token = await user_with_token(nav)
    caplog.set_level(logging.DEBUG)
    async with client(url, token) as mcp:
        await mcp.call_tool("get_profile")
    await initialize(url, f"Bearer {token}x")
    assert "token rejected" in caplog.text
    assert token not in caplog.text and token[-20:] not in caplog.text


async def test_health_reports_store_status_and_data_age_without_a_token(url, nav, clock):
    clock.advance(hours=6)
    async with httpx.AsyncClient() as http:
        response = await http.get(base_url(url) + "/health")
    health = response.json()
    assert response.status_code == 200
    assert health["healthy"] is True and health["store"] == "sqlite" and health["store_ok"] is True
    assert health["postings"] == 2000 and health["data_version"] >= 1
    newest = (await nav.stats()).newest_posting
    assert health["data_age_hours"] == (clock.now().date() - newest) / timedelta(hours=1)


async def test_health_is_503_when_the_store_is_unreachable(nav, url):
    await nav.store.close()
    async with httpx.AsyncClient() as http:
        response = await http.get(base_url(url) + "/health")
    assert response.status_code == 503 and response.json()["store_ok"] is False


async def test_a_busy_port_fails_with_a_clear_message(url):
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
        listening_sockets("127.0.0.1", port)


async def test_the_server_checks_both_protocol_eras_before_it_reports_ready(nav, caplog):
    with caplog.at_level(logging.INFO, logger="career_nav"):
        async with http_server(nav) as mcp_url:
            async with client(mcp_url) as session:  # a current client: MCP 2026-07-28, no session
                assert (await session.call_tool("find_learning_resources", {"skills": ["SQL"]})).structured_content
            opened = await initialize(mcp_url, None)  # an older client: the 2025 handshake
            assert opened.status_code == 200
    messages = [record.getMessage() for record in caplog.records]
    assert not [m for m in messages if "self-check failed" in m], messages
    assert any(m.startswith("warmed ") for m in messages)  # market answers computed before the first caller
