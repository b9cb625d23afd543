"""Pod status conditions (the readiness gate `target-health.elbv2.k8s.aws/<binding>`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ingress2cfn.k8s.client import failed


class PodConditions:
    def __init__(self, api_client: Any):
        from kubernetes import client

        self.core = client.CoreV1Api(api_client)
        self.ApiException = client.ApiException

    def set(self, namespace: str, pod: str, condition: str, status: str, reason: str, message: str) -> None:
        """Strategic merge on status.conditions (merge key `type`): other conditions are kept."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        body: Any = {"status": {"conditions": [{"type": condition, "status": status, "reason": reason, "message": message, "lastTransitionTime": now}]}}
        try:
            self.core.patch_namespaced_pod_status(pod, namespace, body)
        except self.ApiException as exc:
            if exc.status != 404:  # the pod went away meanwhile
                raise failed(f"setting condition {condition} on Pod {namespace}/{pod}", exc) from None
