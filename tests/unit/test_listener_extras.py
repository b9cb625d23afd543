"""Listener extras: `mutual-authentication` (lbc-semantics §4.2, §5.2; per listen port, one value) and
`listener-attributes.${Protocol}-${Port}` (§5.6; merged key-wise over the members on a listener)."""

from __future__ import annotations

import json

import pytest
from kit import (
    build,
    cfn_lint,
    docs,
    ingress,
    lint_vpc,
    path,
    resources_of,
    rule,
    service,
    settings,
    template,
    vpc,
)

from ingress2cfn.input.errors import ConflictError, Ingress2CfnError

CERT = "arn:aws:acm:us-east-1:111111111111:certificate/a"
TS = "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/clients/0123456789abcdef"
TS2 = "arn:aws:elasticloadbalancing:us-east-1:111111111111:truststore/partners/fedcba9876543210"
HTTPS = {"certificate-arn": CERT}
BOTH = {"certificate-arn": CERT, "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"


def _mtls(*entries: dict) -> str:
    return json.dumps(list(entries))


def _pair(a: dict | None, b: dict | None) -> tuple[dict, dict]:
    group = {"group.name": "shop"}
    return (
        ingress("a", annotations={**group, **(a or {})}, rules=[rule("a.example.com", path("/", "Prefix", "svc", 80))]),
        ingress("b", annotations={**group, **(b or {})}, rules=[rule("b.example.com", path("/", "Prefix", "svc", 80))]),
    )


def _listeners(*objects, **kw) -> dict[int, dict]:
    tpl = template(*objects, **kw)
    return {r["Properties"]["Port"]: r["Properties"] for r in resources_of(tpl, LISTENER).values()}


def _warnings(*objects) -> list[str]:
    return [str(w) for w in build(*objects)[2]]


def _error(*objects) -> str:
    with pytest.raises(Ingress2CfnError) as exc:
        build(*objects)
    return str(exc.value)


# ------------------------------------------------------------------ mutual-authentication


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS}),
            {"Mode": "verify", "TrustStoreArn": TS, "IgnoreClientCertificateExpiry": False, "AdvertiseTrustStoreCaNames": "off"},
            id="verify-defaults-explicit",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS, "ignoreClientCertificateExpiry": True, "advertiseTrustStoreCaNames": "on"}),
            {"Mode": "verify", "TrustStoreArn": TS, "IgnoreClientCertificateExpiry": True, "AdvertiseTrustStoreCaNames": "on"},
            id="verify-all-options",
        ),
        pytest.param(_mtls({"port": 443, "mode": "passthrough"}), {"Mode": "passthrough"}, id="passthrough"),
        pytest.param(_mtls({"port": 443, "mode": "off"}), {"Mode": "off"}, id="off-explicit-turns-it-off"),
        pytest.param(_mtls({"port": 443, "mode": "off", "trustStore": ""}), {"Mode": "off"}, id="off-empty-trust-store-is-absent"),
        pytest.param('[{"Port": 443, "MODE": "passthrough"}]', {"Mode": "passthrough"}, id="keys-case-insensitive-like-go"),
        pytest.param(_mtls({"port": 443, "mode": "passthrough", "comment": "x"}), {"Mode": "passthrough"}, id="unknown-key-ignored"),
        pytest.param(_mtls({"port": 443, "mode": "off"}, {"port": 443, "mode": "passthrough"}), {"Mode": "passthrough"}, id="port-twice-last-wins"),
        pytest.param(_mtls({"port": 443, "mode": "passthrough", "trustStore": None}), {"Mode": "passthrough"}, id="null-is-unset"),
    ],
)
def test_mutual_authentication(value, expected):
    listeners = _listeners(ingress(annotations={**HTTPS, "mutual-authentication": value}), service())
    assert listeners[443]["MutualAuthentication"] == expected


def test_mutual_authentication_per_port_and_not_on_http():
    value = _mtls({"port": 443, "mode": "passthrough"}, {"port": 8443, "mode": "verify", "trustStore": TS})
    ann = {"certificate-arn": CERT, "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}, {"HTTPS": 8443}, {"HTTPS": 9443}]', "mutual-authentication": value}
    listeners = _listeners(ingress(annotations=ann), service())
    assert {port: props.get("MutualAuthentication", {}).get("Mode") for port, props in listeners.items()} == {
        80: None,
        443: "passthrough",
        8443: "verify",
        9443: None,
    }


@pytest.mark.parametrize(
    "value, listen_ports, warning",
    [
        pytest.param(_mtls({"port": 80, "mode": "passthrough"}), '[{"HTTP": 80}, {"HTTPS": 443}]', "port 80 is an HTTP listener", id="http-port"),
        pytest.param(_mtls({"port": 8443, "mode": "passthrough"}), '[{"HTTPS": 443}]', "port 8443 is not one of its listen ports", id="not-a-listen-port"),
    ],
)
def test_mutual_authentication_entries_that_apply_nowhere_warn(value, listen_ports, warning):
    objs = (ingress(annotations={**HTTPS, "listen-ports": listen_ports, "mutual-authentication": value}), service())
    assert any(warning in w and "is ignored" in w for w in _warnings(*objs)), _warnings(*objs)
    assert all("MutualAuthentication" not in props for props in _listeners(*objs).values())


@pytest.mark.parametrize(
    "value, message",
    [
        pytest.param('[{"port": 443, "mode": "verify"', "failed to parse mutualAuthentication configuration from ingress annotation", id="not-json"),
        pytest.param(
            json.dumps({"port": 443, "mode": "off"}), "cannot unmarshal object into Go value of type []ingress.MutualAuthenticationConfig", id="object-not-list"
        ),
        pytest.param(
            '[{"port": "443", "mode": "off"}]',
            "cannot unmarshal string into Go struct field MutualAuthenticationConfig.port of type int32",
            id="port-as-string",
        ),
        pytest.param('[{"port": 443.5, "mode": "off"}]', "of type int32", id="port-not-integer"),
        pytest.param(
            '[{"port": 443, "mode": "verify", "trustStore": "' + TS + '", "ignoreClientCertificateExpiry": "yes"}]', "of type bool", id="ignore-not-bool"
        ),
        pytest.param("[]", "empty mutualAuthentication configuration from ingress annotation", id="empty-list"),
        pytest.param("null", "empty mutualAuthentication configuration from ingress annotation", id="null"),
        pytest.param(_mtls({"port": 0, "mode": "off"}), "listen port must be within [1, 65535]: 0", id="port-zero"),
        pytest.param(_mtls({"mode": "off"}), "listen port must be within [1, 65535]: 0", id="port-missing"),
        pytest.param(_mtls({"port": 70000, "mode": "off"}), "listen port must be within [1, 65535]: 70000", id="port-too-big"),
        pytest.param(_mtls({"port": 443}), "mutualAuthentication mode cannot be empty for port 443", id="mode-missing"),
        pytest.param(
            _mtls({"port": 443, "mode": "Verify"}),
            "mutualAuthentication mode value must be among [off, passthrough, verify] for port 443 : Verify",
            id="mode-case-sensitive",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify"}),
            "trustStore is required when mutualAuthentication mode is verify for port 443",
            id="verify-needs-trust-store",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": ""}),
            "trustStore is required when mutualAuthentication mode is verify",
            id="verify-empty-trust-store",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "off", "trustStore": TS}),
            "Mutual Authentication mode off does not support trustStore for port 443",
            id="off-with-trust-store",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "passthrough", "ignoreClientCertificateExpiry": False}),
            "Mutual Authentication mode passthrough does not support ignoring client certificate expiry for port 443",
            id="passthrough-with-ignore",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "off", "advertiseTrustStoreCaNames": "off"}),
            "Mutual Authentication mode off does not support advertiseTrustStoreCaNames for port 443",
            id="off-with-advertise",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS, "advertiseTrustStoreCaNames": "ON"}),
            'advertiseTrustStoreCaNames only supports the values "on" and "off" got value ON for port 443',
            id="advertise-bad-value",
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": "clients"}), "trustStore 'clients' for port 443 is a name", id="trust-store-name-needs-aws"
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "passthrough"}, {"port": 8443, "mode": "verify", "trustStore": "clients"}),
            "trustStore 'clients' for port 8443 is a name",
            id="name-on-an-unused-port-still-looked-up",
        ),
    ],
)
def test_mutual_authentication_errors(value, message):
    text = _error(ingress(annotations={**HTTPS, "mutual-authentication": value}), service())
    assert message in text
    assert 'Ingress default/web metadata.annotations["alb.ingress.kubernetes.io/mutual-authentication"]' in text


def test_trust_store_name_error_suggests_the_arn():
    assert "Give the trust store's ARN" in _error(
        ingress(annotations={**HTTPS, "mutual-authentication": _mtls({"port": 443, "mode": "verify", "trustStore": "clients"})}), service()
    )


@pytest.mark.parametrize(
    "a, b, mode",
    [
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS}), _mtls({"port": 443, "mode": "verify", "trustStore": TS}), "verify", id="same-on-both"
        ),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS}),
            _mtls({"port": 443, "mode": "verify", "trustStore": TS, "ignoreClientCertificateExpiry": False}),
            "verify",
            id="ignore-false-equals-default",
        ),
        pytest.param(_mtls({"port": 443, "mode": "passthrough"}), None, "passthrough", id="other-member-neutral"),
        pytest.param(None, _mtls({"port": 443, "mode": "passthrough"}), "passthrough", id="later-member-sets-it-for-the-port"),
    ],
)
def test_mutual_authentication_across_members(a, b, mode):
    objs = _pair({**HTTPS, **({"mutual-authentication": a} if a else {})}, {**HTTPS, **({"mutual-authentication": b} if b else {})})
    assert _listeners(*objs, service())[443]["MutualAuthentication"]["Mode"] == mode


@pytest.mark.parametrize(
    "a, b",
    [
        pytest.param(_mtls({"port": 443, "mode": "verify", "trustStore": TS}), _mtls({"port": 443, "mode": "passthrough"}), id="modes"),
        pytest.param(_mtls({"port": 443, "mode": "verify", "trustStore": TS}), _mtls({"port": 443, "mode": "verify", "trustStore": TS2}), id="trust-stores"),
        pytest.param(
            _mtls({"port": 443, "mode": "verify", "trustStore": TS}),
            _mtls({"port": 443, "mode": "verify", "trustStore": TS, "advertiseTrustStoreCaNames": "off"}),
            id="advertise-unset-vs-off-like-deepequal",
        ),
    ],
)
def test_mutual_authentication_conflict(a, b):
    with pytest.raises(ConflictError) as exc:
        build(*_pair({**HTTPS, "mutual-authentication": a}, {**HTTPS, "mutual-authentication": b}), service())
    text = str(exc.value)
    assert "conflicting mTLS Attributes on port 443" in text
    assert "Ingress default/a sets {" in text and "Ingress default/b sets {" in text


def test_mutual_authentication_on_different_ports_does_not_conflict():
    a = {"certificate-arn": CERT, "listen-ports": '[{"HTTPS": 443}]', "mutual-authentication": _mtls({"port": 443, "mode": "passthrough"})}
    b = {"certificate-arn": CERT, "listen-ports": '[{"HTTPS": 8443}]', "mutual-authentication": _mtls({"port": 8443, "mode": "verify", "trustStore": TS})}
    listeners = _listeners(*_pair(a, b), service())
    assert (listeners[443]["MutualAuthentication"]["Mode"], listeners[8443]["MutualAuthentication"]["Mode"]) == ("passthrough", "verify")


# ------------------------------------------------------------------ listener-attributes.${Protocol}-${Port}


def _attributes(props: dict) -> dict[str, str]:
    return {a["Key"]: a["Value"] for a in props.get("ListenerAttributes", [])}


@pytest.mark.parametrize(
    "ann, expected",
    [
        pytest.param(
            {"listener-attributes.HTTP-80": "routing.http.response.server.enabled=false"}, {80: {"routing.http.response.server.enabled": "false"}}, id="http-80"
        ),
        pytest.param(
            {
                **BOTH,
                "listener-attributes.HTTPS-443": "routing.http.response.server.enabled=false,"
                "routing.http.response.strict_transport_security.header_value=max-age=31536000",
            },
            {
                80: {},
                443: {"routing.http.response.server.enabled": "false", "routing.http.response.strict_transport_security.header_value": "max-age=31536000"},
            },
            id="https-443-value-with-equals",
        ),
        pytest.param(
            {"listener-attributes.HTTP-80": r"routing.http.response.access_control_allow_headers.header_value=a\,b"},
            {80: {"routing.http.response.access_control_allow_headers.header_value": "a,b"}},
            id="escaped-comma",
        ),
        pytest.param({"listener-attributes.HTTP-80": ""}, {80: {}}, id="empty-value-no-attributes"),
    ],
)
def test_listener_attributes(ann, expected):
    listeners = _listeners(ingress(annotations=ann), service())
    assert {port: _attributes(props) for port, props in listeners.items()} == expected


def test_listener_attributes_rendered_sorted_by_key():
    listeners = _listeners(ingress(annotations={"listener-attributes.HTTP-80": "z.key=1,a.key=2"}), service())
    assert listeners[80]["ListenerAttributes"] == [{"Key": "a.key", "Value": "2"}, {"Key": "z.key", "Value": "1"}]


def test_listener_attributes_merge_key_wise_across_members():
    objs = _pair({"listener-attributes.HTTP-80": "a.key=1,shared=x"}, {"listener-attributes.HTTP-80": "b.key=2,shared=x"})
    assert _attributes(_listeners(*objs, service())[80]) == {"a.key": "1", "b.key": "2", "shared": "x"}


def test_listener_attributes_conflict():
    with pytest.raises(ConflictError) as exc:
        build(*_pair({"listener-attributes.HTTP-80": "k=1"}, {"listener-attributes.HTTP-80": "k=2"}), service())
    assert "conflicting listener attributes k on listener HTTP-80" in str(exc.value)


@pytest.mark.parametrize(
    "key, hint",
    [
        pytest.param("listener-attributes.HTTP-8080", "no listener HTTP-8080", id="other-port"),
        pytest.param("listener-attributes.HTTPS-80", "no listener HTTPS-80", id="other-protocol"),
        pytest.param("listener-attributes.http-80", "the protocol is upper case", id="lower-case-protocol"),
    ],
)
def test_listener_attributes_for_a_listener_the_ingress_lacks_warn_and_do_nothing(key, hint):
    objs = (ingress(annotations={key: "routing.http.response.server.enabled=false"}), service())
    hits = [w for w in _warnings(*objs) if key in w]
    assert hits and hint in hits[0] and "is ignored" in hits[0], hits
    assert all("ListenerAttributes" not in props for props in _listeners(*objs).values())


def test_listener_attributes_of_a_member_not_on_that_listener_are_ignored():
    # upstream reads the annotation only from the members listening on the port
    a = {"listen-ports": '[{"HTTP": 8080}]'}
    b = {"listener-attributes.HTTP-8080": "routing.http.response.server.enabled=false"}
    objs = (*_pair(a, b), service())
    assert "ListenerAttributes" not in _listeners(*objs)[8080]
    assert any("no listener HTTP-8080" in w for w in _warnings(*objs))


def test_listener_attributes_bad_string_map():
    assert "failed to parse stringMap annotation" in _error(ingress(annotations={"listener-attributes.HTTP-80": "no-equals-sign"}), service())


# ------------------------------------------------------------------ cfn-lint


@pytest.mark.parametrize(
    "ann",
    [
        pytest.param(
            {
                **BOTH,
                "mutual-authentication": _mtls({"port": 443, "mode": "verify", "trustStore": TS, "advertiseTrustStoreCaNames": "on"}),
                "listener-attributes.HTTPS-443": "routing.http.request.x_amzn_mtls_clientcert.header_name=X-Client-Cert",
                "listener-attributes.HTTP-80": "routing.http.response.server.enabled=false",
            },
            id="verify-and-attributes",
        ),
        pytest.param({**HTTPS, "mutual-authentication": _mtls({"port": 443, "mode": "passthrough"})}, id="passthrough"),
        pytest.param({**HTTPS, "mutual-authentication": _mtls({"port": 443, "mode": "off"})}, id="off"),
    ],
)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_rendered_listener_extras_lint_clean(ann, fmt):
    from ingress2cfn.render.pipeline import render_documents
    from ingress2cfn.render.serialise import Format

    result = render_documents(docs(ingress(annotations=ann), service()), vpc(lint_vpc()), settings(), Format(fmt))
    assert cfn_lint(result.groups[0].template) == []
