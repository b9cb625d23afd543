"""§5 listeners: default ports, listen-ports, merging across members, certificates, SSL redirect,
default action; §3.5 rule priorities."""

from __future__ import annotations

import pytest
from kit import backend, build, ingress, one_stack, path, resources_of, rule, service, template

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.model.stack import FixedResponse, Forward, Redirect

CERT_A = "arn:aws:acm:us-east-1:111111111111:certificate/a"
CERT_B = "arn:aws:acm:us-east-1:111111111111:certificate/b"
CERT_C = "arn:aws:acm:us-east-1:111111111111:certificate/c"
DEFAULT_POLICY = "ELBSecurityPolicy-2016-08"
HTTP_HTTPS = '[{"HTTP": 80}, {"HTTPS": 443}]'


def member(name: str, order: int | None = None, host: str | None = None, **annotations) -> dict:
    """An Ingress in explicit group `g`; keyword annotations use `_` for `-`."""
    ann = {"group.name": "g", **{k.replace("_", "-"): v for k, v in annotations.items()}}
    if order is not None:
        ann["group.order"] = str(order)
    return ingress(name, annotations=ann, rules=[rule(host, path("/" + name, "Prefix", "svc", 80))])


def ports_of(stack) -> dict[int, str]:
    return {ls.port: ls.protocol.value for ls in stack.listeners}


def by_port(stack) -> dict:
    return {ls.port: ls for ls in stack.listeners}


def raises(*objects, **kw) -> str:
    with pytest.raises(Ingress2CfnError) as exc:
        build(*objects, service(), **kw)
    return str(exc.value)


# ---------------------------------------------------------------- §5.1 default ports


@pytest.mark.parametrize(
    "annotations, expected",
    [
        ({}, {80: "HTTP"}),
        ({"certificate-arn": CERT_A}, {443: "HTTPS"}),
        ({"certificate-arn": f"{CERT_A},{CERT_B}"}, {443: "HTTPS"}),
        ({"certificate-arn": CERT_A, "listen-ports": '[{"HTTP": 80}]'}, {80: "HTTP"}),
        ({"ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, {80: "HTTP"}),
    ],
    ids=["nothing-http-80", "certificate-https-443", "two-certificates-https-443", "listen-ports-beat-certificates", "ssl-policy-alone-http-80"],
)
def test_default_ports(annotations, expected):
    assert ports_of(one_stack(ingress(annotations=annotations), service())) == expected


def test_spec_tls_alone_keeps_http_80_and_warns():
    stacks, _, diagnostics = build(ingress(tls=[{"hosts": ["shop.example.com"], "secretName": "tls"}]), service())
    warnings = [str(d) for d in diagnostics]
    (stack,) = stacks
    assert ports_of(stack) == {80: "HTTP"}
    assert stack.listeners[0].default_certificate is None
    hits = [w for w in warnings if "spec.tls" in w]
    assert len(hits) == 1
    assert "shop.example.com" in hits[0] and "Ingress default/web" in hits[0]


def test_spec_tls_with_certificate_does_not_warn():
    _, _, diagnostics = build(ingress(annotations={"certificate-arn": CERT_A}, tls=[{"hosts": ["shop.example.com"]}]), service())
    warnings = [str(d) for d in diagnostics]
    assert not any("spec.tls" in w for w in warnings)


# ---------------------------------------------------------------- §5.1 listen-ports parsing


@pytest.mark.parametrize(
    "listen_ports, expected",
    [
        (HTTP_HTTPS, {80: "HTTP", 443: "HTTPS"}),
        ('[{"HTTP": 80, "HTTPS": 443}]', {80: "HTTP", 443: "HTTPS"}),
        ('[{"HTTP": 80}, {"HTTP": 8080}, {"HTTPS": 443}, {"HTTPS": 8443}]', {80: "HTTP", 8080: "HTTP", 443: "HTTPS", 8443: "HTTPS"}),
        ('[{"HTTP": 8080}, {"HTTPS": 8080}]', {8080: "HTTPS"}),
        ('[{"HTTPS": 8443}, {"HTTP": 8443}]', {8443: "HTTP"}),
        ('[{"HTTP": 80}, {"HTTP": 80}]', {80: "HTTP"}),
        ('[{"HTTP": 1}, {"HTTP": 65535}]', {1: "HTTP", 65535: "HTTP"}),
        ('[{"HTTPS": 443}]', {443: "HTTPS"}),
    ],
    ids=[
        "two-objects",
        "two-keys-one-object",
        "four-ports",
        "port-twice-last-wins-https",
        "port-twice-last-wins-http",
        "same-port-same-protocol-twice",
        "port-range-ends",
        "https-only",
    ],
)
def test_listen_ports(listen_ports, expected):
    stack = one_stack(ingress(annotations={"listen-ports": listen_ports, "certificate-arn": CERT_A}), service())
    assert ports_of(stack) == expected


@pytest.mark.parametrize(
    "listen_ports, message",
    [
        ("not json", "failed to parse listen-ports configuration"),
        ('{"HTTP": 80}', "failed to parse listen-ports configuration"),
        ("[80, 443]", "failed to parse listen-ports configuration"),
        ('[{"HTTP": "80"}]', "failed to parse listen-ports configuration"),
        ('[{"HTTP": 80.5}]', "failed to parse listen-ports configuration"),
        ('[{"HTTP": true}]', "failed to parse listen-ports configuration"),
        ("[]", "empty listen-ports configuration"),
        ('[{"HTTP": 0}]', "listen port must be within [1, 65535]: 0"),
        ('[{"HTTP": 65536}]', "listen port must be within [1, 65535]: 65536"),
        ('[{"HTTP": -80}]', "listen port must be within [1, 65535]: -80"),
        ('[{"http": 80}]', "listen protocol must be within [HTTP, HTTPS]"),
        ('[{"TCP": 80}]', "listen protocol must be within [HTTP, HTTPS]"),
        ('[{"TCP": 0}]', "listen port must be within [1, 65535]: 0"),
    ],
    ids=[
        "not-json",
        "object-not-list",
        "numbers-not-objects",
        "port-as-string",
        "port-as-float",
        "port-as-bool",
        "empty-list",
        "port-zero",
        "port-too-big",
        "port-negative",
        "lowercase-protocol",
        "tcp-protocol",
        "port-checked-before-protocol",
    ],
)
def test_listen_ports_errors(listen_ports, message):
    text = raises(ingress(annotations={"listen-ports": listen_ports}))
    assert message in text
    assert "Ingress default/web" in text
    assert "alb.ingress.kubernetes.io/listen-ports" in text


# ---------------------------------------------------------------- §5.2 merging across members


def test_ports_are_the_union_over_members_and_each_listener_knows_its_members():
    stack = one_stack(
        member("a", listen_ports='[{"HTTP": 80}]'),
        member("b", listen_ports='[{"HTTP": 8080}]'),
        member("c", listen_ports='[{"HTTP": 80}, {"HTTP": 9090}]'),
        service(),
    )
    assert ports_of(stack) == {80: "HTTP", 8080: "HTTP", 9090: "HTTP"}
    assert {p: ls.sources for p, ls in by_port(stack).items()} == {
        80: ("default/a", "default/c"),
        8080: ("default/b",),
        9090: ("default/c",),
    }


def test_conflicting_protocol_names_both_ingresses():
    text = raises(
        member("a", listen_ports='[{"HTTP": 443}]'),
        member("b", certificate_arn=CERT_A),
    )
    assert "failed to merge listenPort config for port: 443: conflicting protocol, default/a: HTTP" in text
    assert "| default/b: HTTPS" in text


SSL_POLICY_OK = [
    ("default-on-https-only", [member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A)], {80: None, 443: DEFAULT_POLICY}),
    ("one-member-sets-it-for-the-port", [member("a", certificate_arn=CERT_A, ssl_policy="P1"), member("b", certificate_arn=CERT_B)], {443: "P1"}),
    ("second-member-sets-it-for-the-port", [member("a", certificate_arn=CERT_A), member("b", certificate_arn=CERT_B, ssl_policy="P1")], {443: "P1"}),
    ("same-value-twice", [member("a", certificate_arn=CERT_A, ssl_policy="P1"), member("b", certificate_arn=CERT_B, ssl_policy="P1")], {443: "P1"}),
    (
        "different-https-ports-may-differ",
        [member("a", certificate_arn=CERT_A, ssl_policy="P1"), member("b", certificate_arn=CERT_B, ssl_policy="P2", listen_ports='[{"HTTPS": 8443}]')],
        {443: "P1", 8443: "P2"},
    ),
    (
        "shared-http-port-ignores-ssl-policy",
        [
            member("a", certificate_arn=CERT_A, ssl_policy="P1", listen_ports=HTTP_HTTPS),
            member("b", certificate_arn=CERT_B, ssl_policy="P2", listen_ports='[{"HTTP": 80}, {"HTTPS": 8443}]'),
        ],
        {80: None, 443: "P1", 8443: "P2"},
    ),
    ("ssl-policy-on-http-only-member-is-not-used", [member("a", ssl_policy="P1")], {80: None}),
]


@pytest.mark.parametrize("members, expected", [r[1:] for r in SSL_POLICY_OK], ids=[r[0] for r in SSL_POLICY_OK])
def test_ssl_policy_per_port(members, expected):
    stack = one_stack(*members, service())
    assert {p: ls.ssl_policy for p, ls in by_port(stack).items()} == expected


def test_ssl_policy_rendered_on_https_listener_only():
    tpl = template(member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A), service())
    props = {r["Properties"]["Port"]: r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").values()}
    assert props[443]["SslPolicy"] == DEFAULT_POLICY
    assert "SslPolicy" not in props[80]


def test_conflicting_ssl_policy_names_both_ingresses_and_values():
    text = raises(member("a", certificate_arn=CERT_A, ssl_policy="P1"), member("b", certificate_arn=CERT_B, ssl_policy="P2"))
    assert "conflicting sslPolicy on port 443" in text
    assert "Ingress default/a sets 'P1'" in text and "Ingress default/b sets 'P2'" in text


def _sg_rules(stack) -> list[tuple[int, str]]:
    return [(r.port, r.cidr_ipv4 or r.cidr_ipv6) for r in stack.load_balancer.managed_security_group.rules]


INBOUND_OK = [
    ("default-everyone", [member("a")], [(80, "0.0.0.0/0")]),
    ("one-member-sets-it-for-the-port", [member("a", inbound_cidrs="10.0.0.0/8"), member("b")], [(80, "10.0.0.0/8")]),
    ("second-member-sets-it-for-the-port", [member("a"), member("b", inbound_cidrs="10.0.0.0/8")], [(80, "10.0.0.0/8")]),
    (
        "same-set-other-order",
        [member("a", inbound_cidrs="10.0.0.0/8,192.168.0.0/16"), member("b", inbound_cidrs="192.168.0.0/16, 10.0.0.0/8")],
        [(80, "10.0.0.0/8"), (80, "192.168.0.0/16")],
    ),
    (
        "different-ports-may-differ",
        [member("a", inbound_cidrs="10.0.0.0/8"), member("b", inbound_cidrs="192.168.0.0/16", listen_ports='[{"HTTP": 8080}]')],
        [(80, "10.0.0.0/8"), (8080, "192.168.0.0/16")],
    ),
    ("ipv6-cidr-dropped-on-ipv4-lb", [member("a", inbound_cidrs="10.0.0.0/8,2001:db8::/32")], [(80, "10.0.0.0/8")]),
    ("empty-annotation-is-unset", [member("a", inbound_cidrs="")], [(80, "0.0.0.0/0")]),
    ("empty-annotation-is-neutral-in-a-group", [member("a", inbound_cidrs=""), member("b", inbound_cidrs="10.0.0.0/8")], [(80, "10.0.0.0/8")]),
    (
        "repeated-cidr-is-one-rule-and-no-conflict",
        [member("a", inbound_cidrs="10.0.0.0/8,10.0.0.0/8"), member("b", inbound_cidrs="10.0.0.0/8")],
        [(80, "10.0.0.0/8")],
    ),
]


@pytest.mark.parametrize("members, expected", [r[1:] for r in INBOUND_OK], ids=[r[0] for r in INBOUND_OK])
def test_inbound_cidrs_per_port(members, expected):
    assert sorted(_sg_rules(one_stack(*members, service()))) == expected


def test_conflicting_inbound_cidrs_names_both_ingresses():
    text = raises(member("a", inbound_cidrs="10.0.0.0/8"), member("b", inbound_cidrs="10.0.0.0/8,192.168.0.0/16"))
    assert "conflicting inbound-cidrs on port 80" in text
    assert "Ingress default/a" in text and "Ingress default/b" in text


def test_invalid_inbound_cidr():
    text = raises(member("a", inbound_cidrs="10.0.0.0/8,not-a-cidr"))
    assert "invalid inbound-cidrs settings on Ingress: default/a" in text
    assert "not-a-cidr" in text


# ---------------------------------------------------------------- §5.3 certificates

CERTS = [
    ("one-certificate", [member("a", certificate_arn=CERT_A)], CERT_A, ()),
    ("first-is-default-rest-sni", [member("a", certificate_arn=f"{CERT_A},{CERT_B},{CERT_C}")], CERT_A, (CERT_B, CERT_C)),
    ("default-from-first-member", [member("a", certificate_arn=f"{CERT_B},{CERT_A}"), member("b", certificate_arn=CERT_C)], CERT_B, (CERT_A, CERT_C)),
    ("first-member-in-group-order-not-document-order", [member("a", 5, certificate_arn=CERT_A), member("b", -5, certificate_arn=CERT_B)], CERT_B, (CERT_A,)),
    (
        "other-certificates-added-once",
        [member("a", certificate_arn=f"{CERT_A},{CERT_B}"), member("b", certificate_arn=f"{CERT_B},{CERT_C},{CERT_C}")],
        CERT_A,
        (CERT_B, CERT_C),
    ),
    (
        "default-listed-again-by-another-member-is-also-sni",
        [member("a", certificate_arn=CERT_A), member("b", certificate_arn=f"{CERT_A},{CERT_B}")],
        CERT_A,
        (CERT_A, CERT_B),
    ),
    ("default-listed-again-in-same-list-is-also-sni", [member("a", certificate_arn=f"{CERT_A},{CERT_B},{CERT_A}")], CERT_A, (CERT_B, CERT_A)),
    (
        "default-listed-three-times-sni-once",
        [member("a", certificate_arn=CERT_A), member("b", certificate_arn=CERT_A), member("c", certificate_arn=CERT_A)],
        CERT_A,
        (CERT_A,),
    ),
    ("member-without-certificates-is-skipped-for-default", [member("a", listen_ports='[{"HTTPS": 443}]'), member("b", certificate_arn=CERT_B)], CERT_B, ()),
]


@pytest.mark.parametrize("members, default, sni", [r[1:] for r in CERTS], ids=[r[0] for r in CERTS])
def test_certificates(members, default, sni):
    (listener,) = one_stack(*members, service()).listeners
    assert (listener.port, listener.default_certificate, listener.extra_certificates) == (443, default, sni)


def test_sni_certificates_render_as_listener_certificate_resources():
    tpl = template(member("a", certificate_arn=CERT_A), member("b", certificate_arn=f"{CERT_A},{CERT_B},{CERT_C}"), service())
    ((listener_id, listener),) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").items()
    assert listener["Properties"]["Certificates"] == [{"CertificateArn": CERT_A}]
    extra = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerCertificate").values()
    assert sorted(c["Properties"]["Certificates"][0]["CertificateArn"] for c in extra) == sorted([CERT_A, CERT_B, CERT_C])
    assert all(c["Properties"]["ListenerArn"] == {"Ref": listener_id} for c in extra)
    assert all(len(c["Properties"]["Certificates"]) == 1 for c in extra)


def test_certificates_only_on_https_listeners():
    stack = one_stack(member("a", listen_ports='[{"HTTP": 80}, {"HTTPS": 443}, {"HTTP": 8080}]', certificate_arn=f"{CERT_A},{CERT_B}"), service())
    assert {p: (ls.default_certificate, ls.extra_certificates) for p, ls in by_port(stack).items()} == {
        80: (None, ()),
        443: (CERT_A, (CERT_B,)),
        8080: (None, ()),
    }
    tpl = template(member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A), service())
    props = {r["Properties"]["Port"]: r["Properties"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").values()}
    assert "Certificates" not in props[80]


def test_certificates_stay_on_the_https_ports_of_their_member():
    stack = one_stack(
        member("a", certificate_arn=CERT_A),
        member("b", certificate_arn=CERT_B, listen_ports='[{"HTTPS": 8443}]'),
        service(),
    )
    assert {p: (ls.default_certificate, ls.extra_certificates) for p, ls in by_port(stack).items()} == {
        443: (CERT_A, ()),
        8443: (CERT_B, ()),
    }


def test_https_port_without_any_certificate_is_an_error_offline():
    text = raises(ingress(annotations={"listen-ports": '[{"HTTPS": 443}]'}))
    assert "HTTPS listener port 443 needs a certificate" in text


# ---------------------------------------------------------------- §5.4 SSL redirect

REDIRECT_443 = Redirect("HTTP_301", protocol="HTTPS", port="443")


def test_ssl_redirect_http_listener_redirects_and_has_no_rules():
    stack = one_stack(ingress(annotations={"listen-ports": HTTP_HTTPS, "certificate-arn": CERT_A, "ssl-redirect": "443"}), service())
    listeners = by_port(stack)
    assert listeners[80].default_actions == (REDIRECT_443,)
    assert listeners[80].rules == ()
    assert listeners[443].default_actions == (FixedResponse("404", "text/plain", None),)
    assert [r.priority for r in listeners[443].rules] == [1]


def test_ssl_redirect_rendered():
    tpl = template(ingress(annotations={"listen-ports": HTTP_HTTPS, "certificate-arn": CERT_A, "ssl-redirect": "443"}), service())
    listeners = {r["Properties"]["Port"]: (lid, r["Properties"]) for lid, r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").items()}
    http_id, http = listeners[80]
    https_id, _ = listeners[443]
    assert http["DefaultActions"] == [{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_301", "Protocol": "HTTPS", "Port": "443"}}]
    rule_listeners = [r["Properties"]["ListenerArn"] for r in resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()]
    assert rule_listeners == [{"Ref": https_id}]
    assert {"Ref": http_id} not in rule_listeners


def test_ssl_redirect_is_group_wide_and_applies_to_every_http_listener():
    stack = one_stack(
        member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="443"),
        member("b", listen_ports='[{"HTTP": 8080}]'),
        service(),
    )
    listeners = by_port(stack)
    assert listeners[80].default_actions == listeners[8080].default_actions == (REDIRECT_443,)
    assert listeners[80].rules == listeners[8080].rules == ()
    assert [r.source for r in listeners[443].rules] == ["default/a"]


def test_ssl_redirect_to_a_non_default_https_port():
    stack = one_stack(ingress(annotations={"listen-ports": '[{"HTTP": 80}, {"HTTPS": 8443}]', "certificate-arn": CERT_A, "ssl-redirect": "8443"}), service())
    assert by_port(stack)[80].default_actions == (Redirect("HTTP_301", protocol="HTTPS", port="8443"),)


def test_ssl_redirect_beats_default_backend_on_http():
    stack = one_stack(
        ingress(annotations={"listen-ports": HTTP_HTTPS, "certificate-arn": CERT_A, "ssl-redirect": "443"}, default_backend=backend("svc", 80)),
        service(),
    )
    listeners = by_port(stack)
    assert listeners[80].default_actions == (REDIRECT_443,)
    assert isinstance(listeners[443].default_actions[0], Forward)


def test_same_ssl_redirect_on_two_members_is_fine():
    stack = one_stack(
        member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="443"),
        member("b", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="443"),
        service(),
    )
    assert by_port(stack)[80].default_actions == (REDIRECT_443,)


@pytest.mark.parametrize(
    "members, message",
    [
        ([member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="8443")], "listener does not exist for SSLRedirect port: 8443"),
        ([member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="80")], "listener protocol non-SSL for SSLRedirect port: 80"),
        ([member("a", ssl_redirect="443")], "listener does not exist for SSLRedirect port: 443"),
        (
            [
                member("a", listen_ports='[{"HTTP": 80}, {"HTTPS": 443}, {"HTTPS": 8443}]', certificate_arn=CERT_A, ssl_redirect="443"),
                member("b", listen_ports='[{"HTTPS": 8443}]', certificate_arn=CERT_A, ssl_redirect="8443"),
            ],
            "conflicting sslRedirect port",
        ),
        ([member("a", listen_ports=HTTP_HTTPS, certificate_arn=CERT_A, ssl_redirect="https")], "failed to parse int32"),
    ],
    ids=["port-not-a-listener", "port-is-http", "no-https-at-all", "two-ports-in-group", "not-a-number"],
)
def test_ssl_redirect_errors(members, message):
    text = raises(*members)
    assert message in text


def test_conflicting_ssl_redirect_names_both_ingresses():
    text = raises(
        member("a", listen_ports='[{"HTTP": 80}, {"HTTPS": 443}, {"HTTPS": 8443}]', certificate_arn=CERT_A, ssl_redirect="443"),
        member("b", listen_ports='[{"HTTPS": 8443}]', certificate_arn=CERT_A, ssl_redirect="8443"),
    )
    assert "Ingress default/a" in text and "Ingress default/b" in text


# ---------------------------------------------------------------- §5.5 default action


def test_default_action_is_404_text_plain_without_body():
    (listener,) = one_stack(ingress(), service()).listeners
    assert listener.default_actions == (FixedResponse("404", "text/plain", None),)
    tpl = template(ingress(), service())
    (ls,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert ls["Properties"]["DefaultActions"] == [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]


def test_default_backend_forwards_to_its_target_group():
    stack = one_stack(ingress(rules=[], default_backend=backend("svc", 80)), service())
    (listener,) = stack.listeners
    (tg,) = stack.target_groups
    assert listener.default_actions == (Forward((tg.logical_id,)),)
    assert listener.rules == ()
    tpl = template(ingress(rules=[], default_backend=backend("svc", 80)), service())
    (ls,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener").values()
    assert ls["Properties"]["DefaultActions"] == [{"Type": "forward", "TargetGroupArn": {"Ref": tg.logical_id}}]


def test_default_backend_of_one_member_applies_only_to_its_ports():
    stack = one_stack(
        member("a"),
        ingress("b", annotations={"group.name": "g", "listen-ports": '[{"HTTP": 8080}]'}, rules=[], default_backend=backend("svc", 80)),
        service(),
    )
    listeners = by_port(stack)
    assert listeners[80].default_actions == (FixedResponse("404", "text/plain", None),)
    assert isinstance(listeners[8080].default_actions[0], Forward)


def test_default_backend_of_the_other_member_on_a_shared_port():
    stack = one_stack(member("a"), ingress("b", annotations={"group.name": "g"}, rules=[], default_backend=backend("svc", 80)), service())
    (listener,) = stack.listeners
    (tg,) = [t for t in stack.target_groups if t.ingress == "default/b"]
    assert listener.default_actions == (Forward((tg.logical_id,)),)


def test_two_default_backends_on_one_port_is_an_error():
    text = raises(
        ingress("a", annotations={"group.name": "g"}, default_backend=backend("svc", 80)),
        ingress("b", annotations={"group.name": "g"}, default_backend=backend("svc", 80)),
    )
    assert "multiple ingress defined default backend: [default/a default/b]" in text


def test_two_default_backends_on_different_ports_are_fine():
    stack = one_stack(
        ingress("a", annotations={"group.name": "g"}, rules=[], default_backend=backend("svc", 80)),
        ingress("b", annotations={"group.name": "g", "listen-ports": '[{"HTTP": 8080}]'}, rules=[], default_backend=backend("svc", 80)),
        service(),
    )
    tgs = {tg.logical_id: tg.ingress for tg in stack.target_groups}
    assert {p: tgs[ls.default_actions[0].target_group_ids[0]] for p, ls in by_port(stack).items()} == {80: "default/a", 8080: "default/b"}


def test_two_default_backends_on_a_redirected_http_port_are_fine():
    stack = one_stack(
        ingress(
            "a",
            annotations={"group.name": "g", "listen-ports": HTTP_HTTPS, "certificate-arn": CERT_A, "ssl-redirect": "443"},
            rules=[],
            default_backend=backend("svc", 80),
        ),
        ingress("b", annotations={"group.name": "g"}, rules=[], default_backend=backend("svc", 80)),
        service(),
    )
    listeners = by_port(stack)
    assert listeners[80].default_actions == (REDIRECT_443,)
    assert isinstance(listeners[443].default_actions[0], Forward)


# ---------------------------------------------------------------- §3.5 priorities


def _priorities(stack) -> dict[int, list[tuple[int, str, tuple]]]:
    return {ls.port: [(r.priority, r.source, r.conditions[-1].values) for r in ls.rules] for ls in stack.listeners}


def test_priorities_one_to_n_in_member_then_manifest_order():
    a = ingress(
        "a",
        annotations={"group.name": "g"},
        rules=[
            rule("a.example.com", path("/x", "Exact", "svc", 80), path("/y", "Exact", "svc", 80)),
            rule("b.example.com", path("/z", "Exact", "svc", 80)),
        ],
    )
    b = ingress("b", annotations={"group.name": "g"}, rules=[rule(None, path("/w", "Exact", "svc", 80))])
    assert _priorities(one_stack(b, a, service())) == {
        80: [(1, "default/a", ("/x",)), (2, "default/a", ("/y",)), (3, "default/a", ("/z",)), (4, "default/b", ("/w",))],
    }


def test_priorities_restart_per_listener_and_skip_members_not_on_the_port():
    a = ingress(
        "a",
        annotations={"group.name": "g", "listen-ports": '[{"HTTP": 80}, {"HTTP": 8080}]'},
        rules=[rule(None, path("/a1", "Exact", "svc", 80), path("/a2", "Exact", "svc", 80))],
    )
    b = ingress("b", annotations={"group.name": "g", "listen-ports": '[{"HTTP": 8080}]'}, rules=[rule(None, path("/b", "Exact", "svc", 80))])
    c = ingress("c", annotations={"group.name": "g"}, rules=[rule(None, path("/c", "Exact", "svc", 80))])
    assert _priorities(one_stack(a, b, c, service())) == {
        80: [(1, "default/a", ("/a1",)), (2, "default/a", ("/a2",)), (3, "default/c", ("/c",))],
        8080: [(1, "default/a", ("/a1",)), (2, "default/a", ("/a2",)), (3, "default/b", ("/b",))],
    }


def test_identical_host_and_path_from_two_ingresses_are_not_deduplicated():
    same = [rule("shop.example.com", path("/", "Prefix", "svc", 80))]
    stack = one_stack(
        ingress("a", annotations={"group.name": "g", "group.order": "2"}, rules=same),
        ingress("b", annotations={"group.name": "g", "group.order": "1"}, rules=same),
        service(),
    )
    (listener,) = stack.listeners
    assert [(r.priority, r.source) for r in listener.rules] == [(1, "default/b"), (2, "default/a")]
    assert listener.rules[0].conditions == listener.rules[1].conditions
    assert len({r.logical_id for r in listener.rules}) == 2
    assert len(stack.target_groups) == 2  # one per (Ingress, Service, port)


def test_rules_without_http_leave_no_gaps():
    ing = ingress("a", rules=[rule(None, path("/x", "Exact", "svc", 80)), {"host": "nohttp.example.com"}, rule(None, path("/y", "Exact", "svc", 80))])
    (listener,) = one_stack(ing, service()).listeners
    assert [(r.priority, r.conditions[-1].values) for r in listener.rules] == [(1, ("/x",)), (2, ("/y",))]


def test_rendered_priorities_match_the_model():
    a = ingress("a", annotations={"group.name": "g"}, rules=[rule(None, path("/x", "Exact", "svc", 80), path("/y", "Exact", "svc", 80))])
    b = ingress("b", annotations={"group.name": "g"}, rules=[rule(None, path("/x", "Exact", "svc", 80))])
    tpl = template(a, b, service())
    rules = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule").values()
    assert sorted((r["Properties"]["Priority"], r["Metadata"]["ingress2cfn"]["ingress"]) for r in rules) == [
        (1, "default/a"),
        (2, "default/a"),
        (3, "default/b"),
    ]


def test_ssl_redirect_zero_is_not_off_as_upstream():
    """lbc-semantics §5.4 says 0 means off; upstream buildSSLRedirectConfig (HEAD) has no such case
    and fails looking for a listener on port 0. We follow the code."""
    with pytest.raises(Ingress2CfnError, match="listener does not exist for SSLRedirect port: 0"):
        one_stack(ingress(annotations={"ssl-redirect": "0"}), service())
