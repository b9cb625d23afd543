"""Reads from the live cluster, as the API's JSON (the same shape `kubectl get -o yaml` prints, so
the file source and this one feed one parser). The selector is sent to the server and applied here
again, so a server (or emulator) that ignores it changes nothing."""

from __future__ import annotations

import json
from typing import Any, Protocol

from ingress2cfn.k8s.client import failed

SERVICE_NAME_LABEL = "kubernetes.io/service-name"


class ClusterReader(Protocol):
    def service(self, namespace: str, name: str) -> dict[str, Any] | None: ...

    def endpoint_slices(self, namespace: str, service: str) -> list[dict[str, Any]]: ...

    def pods(self, namespace: str) -> list[dict[str, Any]]: ...

    def nodes(self) -> list[dict[str, Any]]: ...


def _json(response: Any) -> Any:
    return json.loads(response.data)


def with_kind(items: list[Any], kind: str, api_version: str) -> list[dict[str, Any]]:
    return [{"kind": kind, "apiVersion": api_version, **i} for i in items if isinstance(i, dict)]


class LiveReader:
    def __init__(self, api_client: Any):
        from kubernetes import client

        self.api_client = api_client
        self.core = client.CoreV1Api(api_client)
        self.discovery = client.DiscoveryV1Api(api_client)
        self.ApiException = client.ApiException

    def service(self, namespace: str, name: str) -> dict[str, Any] | None:
        try:
            found = _json(self.core.read_namespaced_service(name, namespace, _preload_content=False))
        except self.ApiException as exc:
            if exc.status == 404:
                return None
            raise failed(f"reading Service {namespace}/{name}", exc) from None
        return {"kind": "Service", "apiVersion": "v1", **found}

    def endpoint_slices(self, namespace: str, service: str) -> list[dict[str, Any]]:
        selector = f"{SERVICE_NAME_LABEL}={service}"
        try:
            listed = _json(self.discovery.list_namespaced_endpoint_slice(namespace, label_selector=selector, _preload_content=False))
        except self.ApiException as exc:
            raise failed(f"listing EndpointSlices of Service {namespace}/{service}", exc) from None
        items = with_kind(listed.get("items", []), "EndpointSlice", "discovery.k8s.io/v1")
        return [i for i in items if ((i.get("metadata") or {}).get("labels") or {}).get(SERVICE_NAME_LABEL) == service]

    def pods(self, namespace: str) -> list[dict[str, Any]]:
        try:
            return with_kind(_json(self.core.list_namespaced_pod(namespace, _preload_content=False)).get("items", []), "Pod", "v1")
        except self.ApiException as exc:
            raise failed(f"listing Pods in {namespace}", exc) from None

    def nodes(self) -> list[dict[str, Any]]:
        try:
            return with_kind(_json(self.core.list_node(_preload_content=False)).get("items", []), "Node", "v1")
        except self.ApiException as exc:
            raise failed("listing Nodes", exc) from None
