"""Reads the credentials file `finetrack server` writes ($FINETRACK_HOME/credentials.json), like the SDK."""

import json
import os
import re
from dataclasses import dataclass
from typing import Optional

from ._settings import DEFAULT_URL, Settings


def normalize_server_url(url: str) -> str:
    """Server URLs are compared without a trailing slash or the /api/trpc suffix."""
    return re.sub(r"/api/trpc$", "", url.rstrip("/"))


def read_credentials(home: str) -> dict:
    path = os.path.join(home, "credentials.json")
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError:
        return {"servers": {}}
    except ValueError as error:
        raise ValueError(f"finetrack: {path} is not a valid credentials file ({error}); delete it and restart `finetrack server`")
    if not isinstance(data, dict) or not isinstance(data.get("servers", {}), dict):
        raise ValueError(f"finetrack: {path} is not a valid credentials file; delete it and restart `finetrack server`")
    data.setdefault("servers", {})
    return data


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: Optional[str]
    mode: str
    home: str


def resolve_connection(settings: Settings, url: Optional[str] = None, api_key: Optional[str] = None, mode: Optional[str] = None) -> Connection:
    """An option wins over the environment, which wins over the credentials file (same order as the SDK)."""
    creds = read_credentials(settings.home)
    chosen = url or settings.url or creds.get("default") or DEFAULT_URL
    base = normalize_server_url(chosen)
    key = api_key or settings.api_key
    if key is None:
        entry = creds["servers"].get(base)
        if isinstance(entry, dict) and isinstance(entry.get("apiKey"), str):
            key = entry["apiKey"]
    return Connection(url=base, api_key=key, mode=mode or settings.mode or "online", home=settings.home)
