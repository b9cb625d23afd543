"""ConfigMap data read and write (the multi-cluster ownership record, sync.ownership)."""

from __future__ import annotations

import json
from typing import Any

from ingress2cfn.k8s.client import failed


def _json(response: Any) -> Any:
    return json.loads(response.data)


class ConfigMaps:
    def __init__(self, api_client: Any):
        from kubernetes import client

        self.core = client.CoreV1Api(api_client)
        self.ApiException = client.ApiException

    def read(self, namespace: str, name: str) -> dict[str, str] | None:
        try:
            found = _json(self.core.read_namespaced_config_map(name, namespace, _preload_content=False))
        except self.ApiException as exc:
            if exc.status == 404:
                return None
            raise failed(f"reading ConfigMap {namespace}/{name}", exc) from None
        data = found.get("data")
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def write(self, namespace: str, name: str, data: dict[str, str], labels: dict[str, str]) -> None:
        body: Any = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace, "labels": labels}, "data": data}
        try:
            if self.read(namespace, name) is None:
                self.core.create_namespaced_config_map(namespace, body)
            else:
                self.core.patch_namespaced_config_map(name, namespace, {"data": data})
        except self.ApiException as exc:
            raise failed(f"writing ConfigMap {namespace}/{name}", exc) from None
