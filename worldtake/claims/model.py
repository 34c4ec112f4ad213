"""Optional model backend: pledges from an OpenAI-compatible chat endpoint the user configures.

The request asks for JSON under a strict schema; the answer is checked before anything is kept:
every kind, polarity and country must be valid, and every quote, condition and amount must be
found verbatim in the text (so each pledge points at real evidence). Items that fail are refused
with the reason; the rule backend stays the default.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from worldtake.claims.lexicon import COALITION, KINDS, POLARITIES
from worldtake.claims.records import PledgeClaim
from worldtake.errors import Rejected

PLEDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["pledges"],
    "properties": {
        "pledges": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["country", "kind", "polarity", "condition", "amount", "quote"],
                "properties": {
                    "country": {"type": "string", "pattern": "^(?:[A-Z]{2}|COALITION)$"},
                    "kind": {"type": "string", "enum": list(KINDS)},
                    "polarity": {"type": "string", "enum": list(POLARITIES)},
                    "condition": {"type": ["string", "null"]},
                    "amount": {"type": ["string", "null"]},
                    "quote": {"type": "string"},
                },
            },
        }
    },
}

_INSTRUCTIONS = (
    "You extract pledges of contributions to Ukraine's security from news text. A pledge is a "
    "country (ISO 3166-1 alpha-2, or COALITION when the coalition pledges as a whole), a kind "
    f"({', '.join(KINDS)}) and a polarity ({', '.join(POLARITIES)}), with the condition and the "
    "amount copied verbatim from the text (null when absent) and `quote`: the exact sentence of "
    "the text that states it. Threats, requests, discussions and spending on one's own forces "
    "are not pledges. Answer with JSON only."
)
_COUNTRY = re.compile(r"^(?:[A-Z]{2}|COALITION)$")


@dataclass(frozen=True)
class ModelAnswer:
    """The claims a model answer supports and the reasons the other items were refused."""

    claims: tuple[PledgeClaim, ...]
    refused: tuple[str, ...]


def ask_model(
    text: str, url: str, model: str, api_key: str = "", timeout: float = 60.0
) -> ModelAnswer:
    """Send `text` to the chat-completions endpoint at `url` and check what comes back."""
    body = {
        "model": model,
        "temperature": 0,
        "messages": [
            {"role": "system", "content": _INSTRUCTIONS},
            {"role": "user", "content": text},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "pledges", "strict": True, "schema": PLEDGE_SCHEMA},
        },
    }
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    endpoint = url.rstrip("/") + "/chat/completions"
    try:
        response = httpx.post(endpoint, json=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise Rejected(f"model endpoint {endpoint} failed: {exc}") from exc
    if response.status_code != 200:
        raise Rejected(f"model endpoint {endpoint} answered HTTP {response.status_code}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
        answer = json.loads(content)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise Rejected(f"model answer is not the JSON the schema asks for: {exc}") from exc
    return check_answer(answer, text)


def check_answer(answer: Any, text: str) -> ModelAnswer:
    """Keep the items of a decoded answer that fit the schema and quote the text verbatim."""
    if not isinstance(answer, dict) or not isinstance(answer.get("pledges"), list):
        raise Rejected("model answer has no `pledges` list")
    claims: list[PledgeClaim] = []
    refused: list[str] = []
    for number, item in enumerate(answer["pledges"], 1):
        problem = _problem(item, text)
        if problem:
            refused.append(f"item {number}: {problem}")
            continue
        start = text.index(item["quote"])
        claims.append(
            PledgeClaim(
                item["country"],
                item["kind"],
                item["polarity"],
                item["condition"] if item["polarity"] == "conditional" else None,
                item["amount"],
                item["quote"],
                start,
                start + len(item["quote"]),
            )
        )
    return ModelAnswer(tuple(claims), tuple(refused))


def _problem(item: Any, text: str) -> str | None:
    if not isinstance(item, dict) or set(item) != set(
        PLEDGE_SCHEMA["properties"]["pledges"]["items"]["required"]
    ):
        return "keys do not match the schema"
    if not isinstance(item["country"], str) or not _COUNTRY.match(item["country"]):
        return f"country {item['country']!r} is not an ISO code or {COALITION}"
    if item["kind"] not in KINDS:
        return f"kind {item['kind']!r} is not one of ours"
    if item["polarity"] not in POLARITIES:
        return f"polarity {item['polarity']!r} is not one of ours"
    for key in ("quote", "condition", "amount"):
        value = item[key]
        if value is None and key != "quote":
            continue
        if not isinstance(value, str) or not value.strip() or value not in text:
            return f"{key} {value!r} is not in the text"
    return None
