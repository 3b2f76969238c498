"""The real finetrack server the tests talk to: `npm test` (test/python.test.ts) starts one with a
real PostgreSQL and passes its URL and key in FINETRACK_TEST_URL / FINETRACK_TEST_API_KEY."""

import os
import unittest
import urllib.parse

from finetrack._http import RestClient

URL = os.environ.get("FINETRACK_TEST_URL")
API_KEY = os.environ.get("FINETRACK_TEST_API_KEY")
PROJECT = os.environ.get("FINETRACK_TEST_PROJECT", "default")


def require_server(case: unittest.TestCase) -> RestClient:
    if not URL or not API_KEY:
        case.skipTest("needs a server: run through `npm test -w packages/client-python`")
    return RestClient(URL, API_KEY)


def series(client: RestClient, run_id: str, keys):
    body = client.request("GET", f"/runs/{urllib.parse.quote(run_id)}/series", query={"keys": ",".join(keys), "maxPoints": 20000})
    return {s["key"]: s for s in body["series"]}
