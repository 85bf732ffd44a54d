"""The OpenAPI contract: a valid OpenAPI 3.1 document covering every public endpoint, its docs page from
local files, and schemathesis fuzzing the live app (SQLite) with and without a moderator session:
no server error, every answer documented and matching its schema, no server path in any answer."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate as validate_openapi
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import MODERATOR, ROOT

#: Examples per operation, generation mode and session kind: ~50 operations × 2 × 2 × this ≥ 2,000
#: requests (operations with few possible inputs run out earlier), within about two minutes.
EXAMPLES = 12
#: What the fuzzed answers must not contain: server paths.
SERVER_PATHS = re.compile(re.escape(str(ROOT)) + r"|site-packages|/tmp/|/root/|/home/")


@pytest.fixture(scope="module")
def fuzz_app(helsinki_net: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from geo.reports.model import utcnow
    from webmap import create_app, resources

    tmp = tmp_path_factory.mktemp("fuzz")
    app = create_app({"NETWORK": helsinki_net, "CACHE_DIR": str(tmp), "TILE_URL": "",
                      "DATABASE_URL": f"sqlite:///{tmp / 'fuzz.sqlite3'}", "REPORTS_UPLOAD_DIR": str(tmp / "uploads"),
                      "REPORTS_RATE_LIMIT": 1_000_000, "REPORTS_LOGIN_LIMIT": 1_000_000,
                      "AUDITS_RATE_LIMIT": 1_000_000, "SECRET_KEY": "fuzz-" + "k" * 40})
    with app.app_context():
        resources.moderators().create(*MODERATOR, now=utcnow())
    client = app.test_client()
    for lat, lon in ((60.1700, 24.9450), (60.1688, 24.9402)):  # reports to look at, one confirmed
        client.post("/api/reports", json={"lat": lat, "lon": lon, "category": "steps", "severity": 3})
    task = client.get("/api/audits/tasks?limit=1").get_json()["features"][0]["properties"]
    for ip, option in zip(("10.0.0.1", "10.0.0.2"), task["options"], strict=False):  # a disputed question
        client.post("/api/audits/answers", json={"task_id": task["task_id"], "value": option["value"]},
                    environ_base={"REMOTE_ADDR": ip})
    return app


def moderator_session(app: Any) -> dict[str, Any]:
    """A fresh moderator session: the cookie and the CSRF header (the cookie goes through schemathesis's
    ``cookies``: Werkzeug's test client replaces a ``Cookie`` header with its own cookie jar)."""
    client = app.test_client()
    r = client.post("/api/auth/login", json={"name": MODERATOR[0], "password": MODERATOR[1]})
    assert r.status_code == 200
    session = {"headers": {"X-CSRF-Token": r.get_json()["csrf_token"]},
               "cookies": {"session": client.get_cookie("session").value}}
    probe = app.test_client()
    probe.set_cookie("session", session["cookies"]["session"])
    assert probe.get("/api/auth/me").status_code == 200
    return session


def test_the_document_is_valid_openapi_3_1_and_covers_every_public_endpoint(fuzz_app: Any) -> None:
    doc = fuzz_app.test_client().get("/api/openapi.json").get_json()
    validate_openapi(doc)
    assert doc["openapi"].startswith("3.1")
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    for rule in fuzz_app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        public = path.startswith(("/api/", "/open311/")) or path in ("/", "/moderation", "/programme", "/planner",
                                                                                 "/healthz")
        if not public or path.startswith(("/api/openapi.json", "/api/docs", "/api/_spectree")):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    post = doc["paths"]["/api/reports"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(post["requestBody"]["content"])
    assert any(p["name"] == "Idempotency-Key" for p in post["parameters"])
    route = {p["name"]: p for p in doc["paths"]["/api/route"]["get"]["parameters"]}
    assert route["max_kerb_cm"]["schema"]["maximum"] == 100 and route["from"]["required"] is True
    assert doc["paths"]["/api/moderation/queue"]["get"]["security"] == [{"session": [], "csrf": []}]
    answer = doc["paths"]["/api/audits/answers"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(answer["requestBody"]["content"])
    assert {"201", "404", "409", "413", "429"} <= set(answer["responses"])
    assert doc["paths"]["/api/audits/decisions"]["post"]["security"] == [{"session": [], "csrf": []}]
    assert "application/xml" in doc["paths"]["/api/audits/export.osc"]["get"]["responses"]["200"]["content"]
    error = doc["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) == {"error", "message", "details"}


def test_the_docs_page_is_served_from_local_files(fuzz_app: Any) -> None:
    client = fuzz_app.test_client()
    page = client.get("/api/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "/api/openapi.json" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") or a.startswith("data:") for a in assets)
    for asset in assets:
        if not asset.startswith("data:"):
            assert client.get(asset).status_code == 200, asset
    assert "<script>" not in html  # no inline script: the CSP stays strict


def no_server_paths(ctx: Any, response: Any, case: Any) -> bool | None:
    """A schemathesis check: no answer shows a path of the server's file system."""
    found = SERVER_PATHS.search(response.text or "")
    if found:
        raise AssertionError(f"server path {found.group(0)!r} in the answer of {case.method} {case.path}")
    return None


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance, no_server_paths]
SENT: Counter[str] = Counter()
#: Answers of the moderation queues that showed the queue (200), per session kind.
QUEUES_SHOWN: Counter[str] = Counter()


def fuzz(operation: Any, mode: GenerationMode, auth: dict[str, Any], session: str, failures: list[str]) -> None:
    """Send up to :data:`EXAMPLES` generated requests to one operation and check every answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers={"Accept-Encoding": "identity", **auth.get("headers", {})},
                             cookies=auth.get("cookies"))
        SENT[session] += 1
        QUEUES_SHOWN[session] += case.path.endswith("/queue") and response.status_code == 200
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # a failed check (schemathesis raises a group of them)
            failures.append(f"{case.method} {case.formatted_path} [{mode.value}]: {str(exc)[:600]}")

    run()


@pytest.mark.parametrize("session", ["anonymous", "moderator"])
def test_fuzzing_every_operation_finds_no_server_error_and_no_undocumented_answer(fuzz_app: Any,
                                                                                  session: str) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzz_app)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, moderator_session(fuzz_app) if session == "moderator" else {}, session, failures)
    assert failures == [], "\n".join(failures[:20])
    assert SENT[session] >= 1000, SENT
    assert (QUEUES_SHOWN[session] > 0) == (session == "moderator"), QUEUES_SHOWN  # the session was live


def test_fuzzing_sent_at_least_2000_requests() -> None:
    if len(SENT) < 2:
        pytest.skip("runs after both fuzzing tests")
    print(f"schemathesis sent {sum(SENT.values())} requests: {dict(SENT)}")
    assert sum(SENT.values()) >= 2000, SENT

