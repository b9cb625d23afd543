"""Listener extras (lbc-semantics §4.2, §5.2, §5.6): `mutual-authentication` (per listen port, one
value among the members on that port) and `listener-attributes.${Protocol}-${Port}` (merged key-wise
over the members on that listener).

Upstream: pkg/ingress/model_build_listener.go (computeIngressMutualAuthentication,
parseMtlsConfigEntries, validateMutualAuthenticationConfig, buildIngressGroupListenerAttributes),
pkg/ingress/model_builder.go (mergeListenPortConfigs), pkg/deploy/elbv2/listener_manager.go
(buildSDKMutualAuthenticationConfig: advertiseTrustStoreCaNames defaults to off in verify mode)."""

from __future__ import annotations

import functools
import json

import msgspec

from ingress2cfn.build.common import conflict, merged_map
from ingress2cfn.build.listeners import MemberPorts, MergedPort
from ingress2cfn.input import jsontext
from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.model.stack import MutualAuthentication, Protocol
from ingress2cfn.rules.annotations import LISTENER_ATTRIBUTES, PREFIX, Found, ValueType, find
from ingress2cfn.rules.gojson import Bool, GoJSONError, Int32, String, Struct, decode, slice_of
from ingress2cfn.rules.groups import Member

MTLS_KEY = "mutual-authentication"
MODES = ("off", "passthrough", "verify")
_EXAMPLE = '[{"port": 443, "mode": "verify", "trustStore": "arn:aws:elasticloadbalancing:<region>:<account>:truststore/<name>/<id>"}]'


class ListenerExtras(msgspec.Struct, frozen=True):
    attributes: tuple[tuple[str, str], ...] = ()
    mutual_authentication: MutualAuthentication | None = None


class _MtlsEntry(msgspec.Struct, frozen=True):
    port: int
    mode: str
    trust_store: str | None
    ignore_expiry: bool | None
    advertise: str | None
    text: str  # the decoded entry (canonical keys), for conflict messages

    @property
    def compared(self) -> tuple:
        # upstream compares the parsed attributes with reflect.DeepEqual: an unset advertiseTrustStoreCaNames
        # differs from "off"; ignoreClientCertificateExpiry is already defaulted to false in verify mode
        return (self.mode, self.trust_store or "", self.ignore_expiry, self.advertise)


# ---------------------------------------------------------------- mutual-authentication


def _mtls_error(member: Member, message: str) -> InputError:
    return member.annotations.error(MTLS_KEY, message)


def _parse_error(member: Member, raw: str, detail: str) -> InputError:
    return _mtls_error(member, f"failed to parse mutualAuthentication configuration from ingress annotation: {detail} (value {raw!r})")


MTLS_CONFIG = slice_of(
    Struct(
        name="ingress.MutualAuthenticationConfig",
        fields=(
            ("port", Int32()),
            ("mode", String()),
            ("trustStore", String()),
            ("ignoreClientCertificateExpiry", Bool()),
            ("advertiseTrustStoreCaNames", String()),
        ),
    )
)


def member_mtls(member: Member) -> dict[int, _MtlsEntry] | None:
    """The member's mutual-authentication entries by port (a port listed twice keeps the last entry)."""
    found = member.annotations.get_typed(MTLS_KEY, ValueType.STRING)
    if found is None:
        return None
    raw = found.raw
    try:
        data = jsontext.loads(raw)
    except json.JSONDecodeError as exc:
        raise _parse_error(member, raw, f"{exc.msg} at char {exc.pos}") from None
    try:
        items = decode(data, MTLS_CONFIG)
    except GoJSONError as exc:
        raise _parse_error(member, raw, f"{exc} (want a JSON list like {_EXAMPLE})") from None
    if not items:
        raise _mtls_error(member, f"empty mutualAuthentication configuration from ingress annotation: {raw!r}")
    entries: dict[int, _MtlsEntry] = {}
    for item in items:
        port = item.get("port", 0)
        mode = item.get("mode", "")
        trust_store = item.get("trustStore")
        ignore = item.get("ignoreClientCertificateExpiry")
        advertise = item.get("advertiseTrustStoreCaNames")
        _validate(member, port, mode, trust_store or "", ignore, advertise)
        if mode == "verify" and ignore is None:
            ignore = False
        entries[port] = _MtlsEntry(port, mode, trust_store, ignore, advertise, json.dumps(item, separators=(", ", ": ")))
    for entry in sorted(entries.values(), key=lambda e: e.port):
        if entry.mode == "verify" and not (entry.trust_store or "").startswith("arn:"):
            raise _mtls_error(
                member,
                f"trustStore {entry.trust_store!r} for port {entry.port} is a name: the controller looks trust store names up "
                "with ELBv2 DescribeTrustStores, which needs AWS, and ingress2cfn works offline. "
                "Give the trust store's ARN (arn:aws:elasticloadbalancing:<region>:<account>:truststore/<name>/<id>)",
            )
    return entries


def _validate(member: Member, port: int, mode: str, trust_store: str, ignore: bool | None, advertise: str | None) -> None:
    """validateMutualAuthenticationConfig, same order and wording."""

    def err(message: str) -> InputError:
        return _mtls_error(member, message)

    if not 1 <= port <= 65535:
        raise err(f"listen port must be within [1, 65535]: {port}")
    if mode == "":
        raise err(f"mutualAuthentication mode cannot be empty for port {port}")
    if mode not in MODES:
        raise err(f"mutualAuthentication mode value must be among [off, passthrough, verify] for port {port} : {mode}")
    if mode == "verify" and trust_store == "":
        raise err(f"trustStore is required when mutualAuthentication mode is verify for port {port}")
    if mode in ("off", "passthrough") and trust_store != "":
        raise err(f"Mutual Authentication mode {mode} does not support trustStore for port {port}")
    if mode in ("off", "passthrough") and ignore is not None:
        raise err(f"Mutual Authentication mode {mode} does not support ignoring client certificate expiry for port {port}")
    if advertise is not None:
        if mode != "verify":
            raise err(f"Mutual Authentication mode {mode} does not support advertiseTrustStoreCaNames for port {port}")
        if advertise not in ("on", "off"):
            raise err(f'advertiseTrustStoreCaNames only supports the values "on" and "off" got value {advertise} for port {port}')


def _model(entry: _MtlsEntry) -> MutualAuthentication:
    if entry.mode != "verify":
        return MutualAuthentication(entry.mode)
    return MutualAuthentication("verify", entry.trust_store, bool(entry.ignore_expiry), entry.advertise or "off")


# ---------------------------------------------------------------- listener-attributes


def _attribute_keys(member: Member) -> list[str]:
    """The member's listener-attributes.* keys (without the prefix), in sorted order."""
    start = PREFIX + LISTENER_ATTRIBUTES
    return sorted(k[len(PREFIX) :] for k in member.ingress.annotations if k.startswith(start))


def _listener_name(protocol: Protocol, port: int) -> str:
    return f"{protocol.value}-{port}"


# ---------------------------------------------------------------- entry point


def _text_by_id(texts: dict[int, str], found: Found) -> str:
    return texts[id(found)]


def _attribute_conflict(listener: str, key: str, _a: str, _b: str) -> str:
    return f"conflicting listener attributes {key} on listener {listener}"


def build_listener_extras(configs: list[MemberPorts], merged: list[MergedPort], warnings: list[Diagnostic]) -> dict[int, ListenerExtras]:
    """Per listener port: its attributes and mTLS. Only the members on a port take part, as upstream;
    what a member writes for a port it does not listen on (or, for mTLS, an HTTP port) is ignored
    upstream, and a warning here."""
    by_member = {c.member.key: c for c in configs}
    mtls: dict[str, dict[int, _MtlsEntry] | None] = {c.member.key: member_mtls(c.member) for c in configs}
    attribute_row = find(LISTENER_ATTRIBUTES + "HTTP-80")
    assert attribute_row is not None
    attribute_type = attribute_row.type

    for config in configs:
        member = config.member
        own = {_listener_name(p, port) for port, p in config.ports.items()}
        listing = ", ".join(_listener_name(p, port) for port, p in sorted(config.ports.items())) or "none"
        for key in _attribute_keys(member):
            suffix = key[len(LISTENER_ATTRIBUTES) :]
            if suffix not in own:
                hint = " (the protocol is upper case: HTTP or HTTPS)" if suffix.upper() in own else ""
                where = member.annotations.loc(PREFIX + key)
                warnings.append(
                    warning(
                        where,
                        member.ingress.describe,
                        f"annotation {PREFIX}{key} is ignored: this Ingress has no listener {suffix}{hint} (its listeners: {listing})",
                    )
                )
        entries = mtls[member.key] or {}
        for port in sorted(entries):
            if config.ports.get(port) is not Protocol.HTTPS:
                where = member.annotations.loc(PREFIX + MTLS_KEY)
                what = "an HTTP listener" if port in config.ports else "not one of its listen ports"
                warnings.append(
                    warning(
                        where,
                        member.ingress.describe,
                        f"the {PREFIX}{MTLS_KEY} entry for port {port} is ignored: "
                        f"port {port} is {what} (mutual authentication applies to HTTPS listeners only; its listeners: {listing})",
                    )
                )

    out: dict[int, ListenerExtras] = {}
    for mp in merged:
        on_port = [by_member[m.key] for m in mp.members]
        name = _listener_name(mp.protocol, mp.port)
        key = LISTENER_ATTRIBUTES + name
        found_maps = [f for c in on_port if (f := c.member.annotations.get_typed(key, attribute_type)) is not None]
        attributes = merged_map(found_maps, functools.partial(_attribute_conflict, name))
        chosen: tuple[Found, _MtlsEntry] | None = None
        if mp.protocol is Protocol.HTTPS:
            for config in on_port:
                entry = (mtls[config.member.key] or {}).get(mp.port)
                if entry is None:
                    continue
                found = config.member.annotations.get_typed(MTLS_KEY, ValueType.STRING)
                assert found is not None  # the entry was parsed from it
                if chosen is None:
                    chosen = (found, entry)
                elif entry.compared != chosen[1].compared:
                    texts = {id(chosen[0]): chosen[1].text, id(found): entry.text}
                    raise conflict(f"conflicting mTLS Attributes on port {mp.port}", chosen[0], found, shown=functools.partial(_text_by_id, texts))
        out[mp.port] = ListenerExtras(tuple(sorted(attributes.items())), _model(chosen[1]) if chosen else None)
    return out
