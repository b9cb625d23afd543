"""Each fact is written once: the registry rows carry the typed defaults and allowed values the
builders read; schemes, the Go int grammar, Go CIDR parsing and the listener-attributes key
pattern each live in one place and every reader agrees with it."""

from __future__ import annotations

import kit
import msgspec
import pytest
from kit import resources_of

from ingress2cfn.build.frontend_nlb import HEALTH_CHECK_FIELDS
from ingress2cfn.build.security_groups import parse_cidrs
from ingress2cfn.model.settings import DEFAULT_SCHEME, SCHEMES
from ingress2cfn.model.stack import PROTOCOL_VERSIONS, PROTOCOLS, TARGET_TYPES
from ingress2cfn.rules import annotations
from ingress2cfn.rules.annotations import GO_INT, LISTENER_ATTRIBUTES, LISTENER_ATTRIBUTES_KEY, allowed_of, default_of, entry, is_go_cidr

TG_HEALTH = {
    "HealthCheckIntervalSeconds": "healthcheck-interval-seconds",
    "HealthCheckTimeoutSeconds": "healthcheck-timeout-seconds",
    "HealthyThresholdCount": "healthy-threshold-count",
    "UnhealthyThresholdCount": "unhealthy-threshold-count",
}


def _target_group() -> dict:
    (tg,) = resources_of(kit.template(kit.ingress(), kit.service()), "AWS::ElasticLoadBalancingV2::TargetGroup").values()
    return tg["Properties"]


def test_target_group_health_check_defaults_come_from_the_registry():
    props = _target_group()
    assert {prop: props[prop] for prop in TG_HEALTH} == {prop: default_of(key) for prop, key in TG_HEALTH.items()}
    assert [default_of(key) for key in TG_HEALTH.values()] == [15, 5, 2, 2]  # lbc-semantics §4.4


def test_changing_a_registry_default_changes_the_rendered_target_group(monkeypatch):
    changed = tuple(msgspec.structs.replace(a, default=a.default + 10) if a.key in TG_HEALTH.values() else a for a in annotations.REGISTRY)
    monkeypatch.setattr(annotations, "REGISTRY", changed)
    props = _target_group()
    assert [props[prop] for prop in TG_HEALTH] == [25, 15, 12, 12]


def test_frontend_nlb_health_check_defaults_are_the_registry_rows():
    assert {key: default for _, key, default in HEALTH_CHECK_FIELDS} == {key: entry(key).default for _, key, _ in HEALTH_CHECK_FIELDS}
    ints = {field: default for field, _, default in HEALTH_CHECK_FIELDS if isinstance(default, int)}
    assert ints == {"IntervalSeconds": 15, "TimeoutSeconds": 5, "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 2}


def test_the_table_shows_the_typed_default_with_its_note():
    row = entry("frontend-nlb-healthcheck-healthy-threshold-count")
    assert row.default == 2 and row.shown_default == "2 (LBC code; its docs say 3)"
    assert entry("healthcheck-interval-seconds").shown_default == "15"


@pytest.mark.parametrize("key", ["scheme", "frontend-nlb-scheme"])
def test_scheme_rows_allow_the_model_schemes(key):
    row = entry(key)
    assert row.allowed == SCHEMES and row.default == DEFAULT_SCHEME
    assert row.doc == " | ".join(SCHEMES)


@pytest.mark.parametrize("scheme", ["public", "Internal", ""])
def test_every_scheme_reader_rejects_what_the_model_does_not_list(scheme):
    for obj in (kit.ingress(annotations={"scheme": scheme}), kit.ingress(annotations={"enable-frontend-nlb": "true", "frontend-nlb-scheme": scheme})):
        with pytest.raises(Exception, match="scheme"):
            kit.render(obj, kit.service())


@pytest.mark.parametrize(
    "raw, ok",
    [("443", True), ("+1", True), ("-7", True), ("0x10", False), ("1_000", False), (" 1", False), ("1.0", False), ("", False), ("١٢", False)],
)
def test_go_int_grammar(raw, ok):
    assert (GO_INT.fullmatch(raw) is not None) is ok


@pytest.mark.parametrize(
    "value, ok",
    [
        ("10.0.0.0/8", True),
        ("10.1.2.3/8", True),  # host bits set: ParseCIDR accepts it
        ("::/0", True),
        ("10.0.0.1", False),  # no bare addresses
        ("10.0.0.0/255.0.0.0", False),  # no netmasks
        ("10.0.0.0/33", False),
        ("x/8", False),
    ],
)
def test_go_cidr_is_the_one_parser_of_inbound_cidrs(value, ok):
    assert is_go_cidr(value) is ok
    if ok:
        assert parse_cidrs([value])
    else:
        with pytest.raises(ValueError):
            parse_cidrs([value])


@pytest.mark.parametrize(
    "key, match", [("listener-attributes.HTTPS-443", ("HTTPS", "443")), ("listener-attributes.TCP-80", None), ("listener-attributes.HTTP-", None)]
)
def test_listener_attributes_key(key, match):
    found = LISTENER_ATTRIBUTES_KEY.fullmatch(key)
    assert (found.groups() if found else None) == match
    assert key.startswith(LISTENER_ATTRIBUTES)


@pytest.mark.parametrize(
    "key, allowed",
    [
        ("target-type", TARGET_TYPES),
        ("backend-protocol", PROTOCOLS),
        ("backend-protocol-version", PROTOCOL_VERSIONS),
        ("healthcheck-protocol", PROTOCOLS),
        ("frontend-nlb-healthcheck-protocol", PROTOCOLS),
    ],
)
def test_closed_value_sets_come_from_the_model(key, allowed):
    assert allowed_of(key) == allowed
    assert entry(key).doc.endswith(" | ".join(allowed))


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("target-type", "lambda", "unknown targetType: 'lambda' (want one of instance, ip)"),
        ("backend-protocol", "TCP", "backend protocol must be within [HTTP, HTTPS]: 'TCP'"),
        ("backend-protocol-version", "HTTP3", "backend protocol version must be within [HTTP1, HTTP2, GRPC]: 'HTTP3'"),
        ("healthcheck-protocol", "TCP", "healthCheckProtocol must be within [HTTP, HTTPS]: 'TCP'"),
    ],
)
def test_target_group_readers_reject_values_outside_the_registry_set(key, value, message):
    with pytest.raises(Exception) as exc:
        kit.render(kit.ingress(), kit.service(annotations={key: value}))
    assert message in str(exc.value)
