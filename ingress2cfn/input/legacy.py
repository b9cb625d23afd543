"""Ingresses of the removed API versions `extensions/v1beta1` and `networking.k8s.io/v1beta1`
(gone in Kubernetes 1.22, still common in old repositories and charts), converted to
`networking.k8s.io/v1` as the API server did: an Ingress here is only read, never applied.

The conversion (k8s.io/kubernetes pkg/apis/networking/v1beta1 conversion and defaults):
`backend.serviceName` → `backend.service.name`; `backend.servicePort` → `backend.service.port.number`
(an integer, or a string of digits) or `.name` (any other string); `spec.backend` →
`spec.defaultBackend`; a path without `pathType` → `ImplementationSpecific`; everything else,
the class annotation and `spec.ingressClassName` included, unchanged. Fields are renamed in
place, so a converted field keeps the line of the field it came from."""

from __future__ import annotations

import copy
from typing import Any

LEGACY_INGRESS_APIS = ("extensions/v1beta1", "networking.k8s.io/v1beta1")


def _backend(backend: Any, changes: dict[str, None]) -> Any:
    if not isinstance(backend, dict) or ("serviceName" not in backend and "servicePort" not in backend):
        return backend
    out = {k: v for k, v in backend.items() if k not in ("serviceName", "servicePort")}
    service: dict[str, Any] = {}
    if "serviceName" in backend:
        service["name"] = backend["serviceName"]
    if "servicePort" in backend:
        port = backend["servicePort"]
        if isinstance(port, str) and port.isascii() and port.isdigit():
            port = int(port)
        service["port"] = {"number": port} if isinstance(port, int) and not isinstance(port, bool) else {"name": port}
    out["service"] = service
    changes["backend serviceName/servicePort → backend.service.name and backend.service.port.number (or .name)"] = None
    return out


def convert(data: dict) -> tuple[dict, tuple[str, ...]]:
    """(the v1 form of a legacy Ingress, the conversions applied, for the warning). Malformed
    parts are left as they are, for the v1 reader to report."""
    out = copy.deepcopy(data)
    changes: dict[str, None] = {}  # in the order met, once each
    spec = out.get("spec")
    if isinstance(spec, dict):
        if "backend" in spec:
            spec["defaultBackend"] = _backend(spec.pop("backend"), changes)
            changes["spec.backend → spec.defaultBackend"] = None
        rules = spec.get("rules")
        for rule in rules if isinstance(rules, list) else ():
            http = rule.get("http") if isinstance(rule, dict) else None
            paths = http.get("paths") if isinstance(http, dict) else None
            for p in paths if isinstance(paths, list) else ():
                if not isinstance(p, dict):
                    continue
                if "backend" in p:
                    p["backend"] = _backend(p["backend"], changes)
                if p.get("pathType") is None:
                    p["pathType"] = "ImplementationSpecific"
                    changes["no pathType → pathType: ImplementationSpecific"] = None
    return out, tuple(changes)
