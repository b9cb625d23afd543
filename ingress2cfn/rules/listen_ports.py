"""An Ingress's listen ports (§5.1): the `listen-ports` annotation, or 443/HTTPS when it names a
certificate and 80/HTTP otherwise. Read by the listener build, by IngressClassParams (the first
member on a port) and by certificate discovery, so it lives below all three."""

from __future__ import annotations

import json

from ingress2cfn.input import jsontext
from ingress2cfn.model.stack import PROTOCOLS, Protocol
from ingress2cfn.rules.annotations import AnnotatedObject, ValueType, within


def certificate_arns(annotations: AnnotatedObject) -> tuple[str, ...]:
    found = annotations.get("certificate-arn")
    return tuple(found.value) if found else ()


def listen_ports(annotations: AnnotatedObject) -> dict[int, Protocol]:
    ports = explicit_listen_ports(annotations)
    if ports is None:
        return {443: Protocol.HTTPS} if certificate_arns(annotations) else {80: Protocol.HTTP}
    return ports


def explicit_listen_ports(annotations: AnnotatedObject) -> dict[int, Protocol] | None:
    # parsed here rather than by the registry: LBC has its own messages for listen-ports
    found = annotations.get_typed("listen-ports", ValueType.STRING)
    if found is None:
        return None
    err = annotations.error
    try:
        data = jsontext.loads(found.raw)
    except json.JSONDecodeError as exc:
        raise err("listen-ports", f"failed to parse listen-ports configuration: {exc.msg} at char {exc.pos} (value {found.raw!r})") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise err(
            "listen-ports",
            f'failed to parse listen-ports configuration: want a JSON list of objects like [{{"HTTP": 80}}, {{"HTTPS": 443}}] (value {found.raw!r})',
        )
    if not data:
        raise err("listen-ports", "empty listen-ports configuration")
    ports: dict[int, Protocol] = {}
    for item in data:
        for protocol, port in item.items():
            if isinstance(port, bool) or not isinstance(port, int):
                raise err("listen-ports", f"failed to parse listen-ports configuration: port {port!r} must be a JSON number (value {found.raw!r})")
            if not 1 <= port <= 65535:
                raise err("listen-ports", f"listen port must be within [1, 65535]: {port}")
            if protocol not in PROTOCOLS:
                raise err("listen-ports", f"listen protocol must be within {within(PROTOCOLS)}: {protocol!r}")
            ports[port] = Protocol(protocol)
    return ports
