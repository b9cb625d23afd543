"""`sync --watch` through the real client against a loopback server replaying recorded API JSON: a
list, a watch stream with ADDED / MODIFIED / DELETED and then ERROR 410 Gone (kmock cannot produce
it), the relist, and the sync rounds that follow, against moto. The loop stops cleanly when told."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from sync_kit import binding, endpoint, endpoint_slice, make_target_group, registered, service

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.sync.bindings import parse_bindings
from ingress2cfn.sync.engine import Syncer
from ingress2cfn.sync.ownership import MemoryOwnership
from ingress2cfn.sync.sources import FileSource
from ingress2cfn.sync.watch import build_loop


def versioned(obj: dict, rv: str) -> dict:
    return {**obj, "metadata": {**obj["metadata"], "resourceVersion": rv}}


WEB1 = endpoint_slice("web-1", [endpoint("10.0.1.1", "a")])
WEB1_MORE = endpoint_slice("web-1", [endpoint("10.0.1.1", "a"), endpoint("10.0.1.3", "c")])
WEB2 = endpoint_slice("web-2", [endpoint("10.0.1.2", "b")])
WEB3 = endpoint_slice("web-3", [endpoint("10.0.1.4", "d")])

SLICE_LISTS = [
    {"kind": "EndpointSliceList", "metadata": {"resourceVersion": "100"}, "items": [versioned(WEB1, "90")]},
    {"kind": "EndpointSliceList", "metadata": {"resourceVersion": "300"}, "items": [versioned(WEB1_MORE, "102"), versioned(WEB3, "250")]},
]
STREAM_AT_100 = [
    {"type": "ADDED", "object": versioned(WEB2, "101")},
    {"type": "MODIFIED", "object": versioned(WEB1_MORE, "102")},
    {"type": "DELETED", "object": versioned(WEB2, "103")},
    {
        "type": "ERROR",
        "object": {
            "kind": "Status",
            "apiVersion": "v1",
            "status": "Failure",
            "code": 410,
            "reason": "Expired",
            "message": "too old resource version: 100 (250)",
        },
    },
]


class Replay(BaseHTTPRequestHandler):
    log: ClassVar[list[tuple[str, dict]]] = []
    slice_lists: ClassVar[list[dict]] = []

    def log_message(self, *args):  # quiet
        pass

    def _json(self, body: dict, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, events: list[dict], hold: float) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for e in events:
            line = (json.dumps(e) + "\n").encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()
        time.sleep(hold)
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        type(self).log.append((url.path, query))
        if url.path == "/apis/discovery.k8s.io/v1/endpointslices":
            if query.get("watch") == "true":
                return self._stream(STREAM_AT_100 if query.get("resourceVersion") == "100" else [], 0.3)
            return self._json(type(self).slice_lists.pop(0) if len(type(self).slice_lists) > 1 else type(self).slice_lists[0])
        if url.path == "/api/v1/nodes":
            if query.get("watch") == "true":
                return self._stream([], 0.3)
            return self._json({"kind": "NodeList", "metadata": {"resourceVersion": "7"}, "items": []})
        if url.path == "/api/v1/namespaces/shop/services/web":
            return self._json(service())
        if url.path == "/api/v1/namespaces/shop/pods":
            return self._json({"kind": "PodList", "metadata": {"resourceVersion": "5"}, "items": []})
        return self._json({"kind": "Status", "code": 404, "reason": "NotFound"}, 404)


@pytest.fixture
def replay():
    Replay.log = []
    Replay.slice_lists = [dict(x) for x in SLICE_LISTS]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def test_watch_loop_follows_events_relists_on_410_and_stops(replay, aws):
    from kubernetes import client

    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    config = client.Configuration()
    config.host = replay
    api = client.ApiClient(config)
    syncer = Syncer(AwsClients(region="us-east-1"), FileSource([]), parse_bindings([(binding("tg-web"), None)]), MemoryOwnership())
    loop = build_loop(syncer, api, resync_period=30, debounce=0.05, lease=None, timeout_seconds=5)
    rounds = []
    loop.on_round = rounds.append
    runner = threading.Thread(target=loop.run)
    runner.start()
    slices = loop.informers[0]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (slices.relists >= 2 and registered(elbv2, arn) == {("10.0.1.1", 8080), ("10.0.1.3", 8080), ("10.0.1.4", 8080)}):
        time.sleep(0.05)
    loop.stop.set()
    loop.trigger.event.set()
    runner.join(10)
    assert not runner.is_alive()  # stopped cleanly
    kinds = [k for k, _ in slices.events]
    assert kinds[:5] == ["RELIST", "ADDED", "MODIFIED", "DELETED", "RELIST"]
    assert [name for _, (_, name) in slices.events[1:4]] == ["web-2", "web-1", "web-2"]
    assert sorted(k[1] for k in slices.cache) == ["web-1", "web-3"]  # the relist replaced the cache
    watches = [q for p, q in Replay.log if p.endswith("endpointslices") and q.get("watch") == "true"]
    assert watches[0]["resourceVersion"] == "100" and any(q.get("resourceVersion") == "300" for q in watches)
    assert registered(elbv2, arn) == {("10.0.1.1", 8080), ("10.0.1.3", 8080), ("10.0.1.4", 8080)}
    assert rounds and all(not r.failed for r in rounds)
