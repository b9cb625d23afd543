"""`--services-from-cluster`: the Services the Ingresses name, read from the live cluster by the CLI
(through ingress2cfn.k8s) and put in place of the files' copies, for Helm/kustomize output whose
NodePort Services lack `nodePort` (the API server allocates it). Pure: the reading is injected."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import Document
from ingress2cfn.input.location import PositionMap, SourceLocation

ACTION_PREFIX = "alb.ingress.kubernetes.io/actions."

# (namespace, name) pairs → the Service objects found, as the API returns them (missing ones left out)
ServiceSource = Callable[[Sequence[tuple[str, str]]], Sequence[dict[str, Any]]]


def _action_services(value: str) -> set[str]:
    try:
        action = json.loads(value)
    except ValueError:
        return set()  # the build reports malformed actions with their location
    groups = ((action.get("forwardConfig") or {}).get("targetGroups") or []) if isinstance(action, dict) else []
    return {g["serviceName"] for g in groups if isinstance(g, dict) and isinstance(g.get("serviceName"), str)}


def named_services(docs: list[Document], default_namespace: str) -> list[tuple[str, str]]:
    """Every (namespace, Service) an Ingress of the input refers to: rule and default backends, and
    the Services of forward actions (`actions.<name>` annotations)."""
    found: set[tuple[str, str]] = set()
    for ing in parse_manifests(docs, default_namespace).ingresses:
        names = {p.backend.name for r in ing.rules for p in r.paths}
        if ing.default_backend:
            names.add(ing.default_backend.name)
        for key, value in ing.annotations.items():
            if key.startswith(ACTION_PREFIX):
                names |= _action_services(value)
        found |= {(ing.namespace, n) for n in names if n}
    return sorted(found)


def _service_key(data: Any, default_namespace: str) -> tuple[str, str] | None:
    if not isinstance(data, dict) or data.get("kind") != "Service":
        return None
    found = data.get("metadata")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    return (str(meta.get("namespace") or default_namespace), str(meta.get("name") or ""))


def with_live_services(docs: list[Document], default_namespace: str, source: ServiceSource) -> list[Document]:
    """The documents with the named Services replaced by (or added from) the live cluster's."""
    live = []
    for obj in source(named_services(docs, default_namespace)):
        key = _service_key({"kind": "Service", **obj}, default_namespace)
        if key is not None:
            live.append((key, {"apiVersion": "v1", "kind": "Service", **obj}))
    replaced = {key for key, _ in live}
    kept = [d for d in docs if _service_key(d.data, default_namespace) not in replaced]
    added = [Document(obj, SourceLocation(f"<cluster Service {ns}/{name}>", 1), PositionMap()) for (ns, name), obj in sorted(live, key=lambda x: x[0])]
    return kept + added
