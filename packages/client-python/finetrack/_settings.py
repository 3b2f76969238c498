"""Every setting of the Python client in one place: the same names and meanings as the TypeScript SDK."""

import os
from dataclasses import dataclass
from typing import Mapping, Optional

DEFAULT_URL = "http://localhost:3000"

#: Limits shared with the API (packages/contracts/src/limits.ts); the client respects them before sending.
MAX_POINTS_PER_BATCH = 10_000
MAX_METRIC_KEY_LENGTH = 256
MAX_STEP = 2_147_483_647
MAX_RUN_ID_LENGTH = 64


@dataclass(frozen=True)
class Settings:
    url: Optional[str]
    api_key: Optional[str]
    mode: Optional[str]
    home: str
    run_id: Optional[str]
    sweep_id: Optional[str]


def read_settings(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """FINETRACK_URL, FINETRACK_API_KEY, FINETRACK_MODE (online|offline), FINETRACK_HOME,
    FINETRACK_RUN_ID (resume this run), FINETRACK_SWEEP_ID (join a sweep)."""
    env = os.environ if environ is None else environ
    mode = env.get("FINETRACK_MODE") or None
    if mode is not None and mode not in ("online", "offline"):
        raise ValueError("finetrack: bad environment variable FINETRACK_MODE: FINETRACK_MODE must be 'online' or 'offline'")
    url = env.get("FINETRACK_URL") or None
    if url is not None and not (url.startswith("http://") or url.startswith("https://")):
        raise ValueError("finetrack: bad environment variable FINETRACK_URL: FINETRACK_URL must be a URL such as http://localhost:3000")
    home = env.get("FINETRACK_HOME") or os.path.join(os.path.expanduser("~"), ".finetrack")
    return Settings(
        url=url,
        api_key=env.get("FINETRACK_API_KEY") or None,
        mode=mode,
        home=home,
        run_id=env.get("FINETRACK_RUN_ID") or None,
        sweep_id=env.get("FINETRACK_SWEEP_ID") or None,
    )
