"""Leader election on a coordination.k8s.io/v1 Lease: the holder renews it every few seconds; a
replica takes it over when the holder has not renewed it for `leaseDurationSeconds`. The patch
carries the resourceVersion read, so two replicas racing for the Lease cannot both win (409)."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from ingress2cfn.k8s.client import failed

MICRO = "%Y-%m-%dT%H:%M:%S.%fZ"


def _time(text: Any) -> datetime | None:
    """MicroTime as the API prints it (`...Z`) or as the client re-serialises it (`+00:00`)."""
    if not isinstance(text, str):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _json(response: Any) -> Any:
    return json.loads(response.data)


def may_take(spec: dict[str, Any], identity: str, now: datetime) -> bool:
    """Free, ours, or expired."""
    holder = spec.get("holderIdentity")
    if not holder or holder == identity:
        return True
    renewed = _time(spec.get("renewTime")) or _time(spec.get("acquireTime"))
    given = spec.get("leaseDurationSeconds")
    duration = given if isinstance(given, int) else 15
    return renewed is None or renewed + timedelta(seconds=duration) < now


class LeaseLock:
    def __init__(self, api_client: Any, namespace: str, name: str, identity: str, duration_seconds: int = 15):
        from kubernetes import client

        self.api = client.CoordinationV1Api(api_client)
        self.ApiException = client.ApiException
        self.namespace, self.name, self.identity, self.duration = namespace, name, identity, duration_seconds
        self.leader = False

    def _spec(self, now: datetime, acquired: bool, transitions: int) -> dict[str, Any]:
        spec: dict[str, Any] = {"holderIdentity": self.identity, "leaseDurationSeconds": self.duration, "renewTime": now.strftime(MICRO)}
        if acquired:
            spec.update(acquireTime=now.strftime(MICRO), leaseTransitions=transitions)
        return spec

    def try_acquire(self, now: datetime | None = None) -> bool:
        """Take or renew the Lease; True while this replica is the leader."""
        now = now or datetime.now(UTC)
        try:
            try:
                found = _json(self.api.read_namespaced_lease(self.name, self.namespace, _preload_content=False))
            except self.ApiException as exc:
                if exc.status != 404:
                    raise
                body: Any = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": self.name, "namespace": self.namespace}}
                body["spec"] = self._spec(now, True, 0)
                self.api.create_namespaced_lease(self.namespace, body)
                self.leader = True
                return True
            spec = found.get("spec") or {}
            if not may_take(spec, self.identity, now):
                self.leader = False
                return False
            new_holder = spec.get("holderIdentity") != self.identity
            transitions = int(spec.get("leaseTransitions") or 0) + (1 if new_holder and spec.get("holderIdentity") else 0)
            patch: Any = {"spec": self._spec(now, new_holder, transitions)}
            version = (found.get("metadata") or {}).get("resourceVersion")
            if version:
                patch["metadata"] = {"resourceVersion": version}  # precondition: lose the race rather than share
            self.api.patch_namespaced_lease(self.name, self.namespace, patch)
            self.leader = True
            return True
        except self.ApiException as exc:
            if exc.status == 409:
                self.leader = False
                return False
            raise failed(f"leader election on Lease {self.namespace}/{self.name}", exc) from None

    def release(self) -> None:
        if not self.leader:
            return
        body: Any = {"spec": {"holderIdentity": None}}
        with contextlib.suppress(self.ApiException):  # else it expires by itself
            self.api.patch_namespaced_lease(self.name, self.namespace, body)
        self.leader = False
