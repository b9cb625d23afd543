"""The review as JSON (`schemaVersion`, documented by review.schema.json beside this module)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ingress2cfn.deploy.review.model import Review

SCHEMA_FILE = "review.schema.json"


def render_json(review: Review) -> str:
    return json.dumps(review.to_json(), indent=2, ensure_ascii=False) + "\n"


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the review (package data)."""
    loaded: dict[str, Any] = json.loads(resources.files(__package__ or "ingress2cfn.deploy.review").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return loaded
