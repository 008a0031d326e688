"""API test helpers shared by every app's `tests/test_api.py`."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def api(world, persona: str) -> APIClient:
    """A client calling the API with `persona`'s token, as the mobile app does ("anonymous":
    no credentials)."""
    client = APIClient()
    if persona != "anonymous":
        token, _created = Token.objects.get_or_create(user=world.user(persona))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ids(response) -> set[int]:
    """The ids of a paginated list answer, which must be a 200."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
