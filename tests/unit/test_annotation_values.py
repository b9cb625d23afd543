"""§1 annotation value grammars and the annotation registry (ingress2cfn.annotations)."""

from __future__ import annotations

import pytest
from kit import build, docs, ingress, service

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.rules import annotations as ann
from ingress2cfn.rules.annotations import REGISTRY, ValueError_, ValueType, entry, find
from ingress2cfn.rules.groups import annotated

# ---------------------------------------------------------------- bool (Go strconv.ParseBool)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1", True),
        ("t", True),
        ("T", True),
        ("TRUE", True),
        ("true", True),
        ("True", True),
        ("0", False),
        ("f", False),
        ("F", False),
        ("FALSE", False),
        ("false", False),
        ("False", False),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_parse_bool_accepts_every_go_spelling(raw, expected):
    assert ann.parse_bool(raw) is expected


@pytest.mark.parametrize(
    "raw",
    ["yes", "no", "on", "off", "y", "n", "tRUE", "tRue", "FaLsE", "", " true", "true ", "2", "-1", "01", "enabled"],
    ids=lambda v: f"reject-{v!r}",
)
def test_parse_bool_rejects(raw):
    with pytest.raises(ValueError_, match="invalid syntax"):
        ann.parse_bool(raw)


def test_bad_bool_read_from_an_ingress_names_key_and_value():
    # no supported annotation is a bool yet: read one through the registry reader directly
    obj = annotated(parse_manifests(docs(ingress(annotations={"shield-advanced-protection": "yes"}))).ingresses[0])
    with pytest.raises(Ingress2CfnError) as exc:
        obj.get("shield-advanced-protection")
    assert "alb.ingress.kubernetes.io/shield-advanced-protection" in str(exc.value)
    assert "'yes'" in str(exc.value)


# ---------------------------------------------------------------- int32 / int64


@pytest.mark.parametrize(
    "raw, bits, expected",
    [
        ("0", 32, 0),
        ("42", 32, 42),
        ("-7", 32, -7),
        ("+7", 32, 7),
        ("007", 32, 7),
        ("2147483647", 32, 2**31 - 1),
        ("-2147483648", 32, -(2**31)),
        ("9223372036854775807", 64, 2**63 - 1),
        ("-9223372036854775808", 64, -(2**63)),
        ("604800", 64, 604800),
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_parse_int_accepts(raw, bits, expected):
    assert ann.PARSERS[ValueType.INT32 if bits == 32 else ValueType.INT64](raw) == expected


@pytest.mark.parametrize(
    "raw, bits, reason",
    [
        ("2147483648", 32, "out of range"),
        ("-2147483649", 32, "out of range"),
        ("9223372036854775808", 64, "out of range"),
        ("-9223372036854775809", 64, "out of range"),
        ("", 32, "invalid syntax"),
        ("abc", 32, "invalid syntax"),
        ("1.0", 32, "invalid syntax"),
        ("1e3", 32, "invalid syntax"),
        ("0x10", 32, "invalid syntax"),
        ("1_000", 32, "invalid syntax"),
        (" 1", 32, "invalid syntax"),
        ("1 ", 32, "invalid syntax"),
        ("--1", 32, "invalid syntax"),
        ("\u0661", 32, "invalid syntax"),  # Arabic-Indic digit one: Python int() takes it, Go does not
    ],
    ids=lambda v: repr(v) if isinstance(v, str) else None,
)
def test_parse_int_rejects(raw, bits, reason):
    with pytest.raises(ValueError_, match=reason):
        ann.PARSERS[ValueType.INT32 if bits == 32 else ValueType.INT64](raw)


# ---------------------------------------------------------------- stringList


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("a,b,c", ["a", "b", "c"]),
        ("a, ,b", ["a", "b"]),
        ("  a  ,\tb\t", ["a", "b"]),
        ("a,b,", ["a", "b"]),
        (",a,,b,,", ["a", "b"]),
        ("", []),
        (" , ,", []),
        ("single", ["single"]),
        ("with space inside", ["with space inside"]),
        (
            "arn:aws:acm:us-east-1:1:certificate/x,arn:aws:acm:us-east-1:1:certificate/y",
            ["arn:aws:acm:us-east-1:1:certificate/x", "arn:aws:acm:us-east-1:1:certificate/y"],
        ),
    ],
    ids=[
        "plain",
        "blank-item-dropped",
        "items-trimmed",
        "trailing-comma",
        "empty-items-dropped",
        "empty-string",
        "only-separators",
        "single",
        "inner-space-kept",
        "arns",
    ],
)
def test_parse_string_list(raw, expected):
    assert ann.parse_string_list(raw) == expected


# ---------------------------------------------------------------- stringMap


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("k1=v1,k2=v2", {"k1": "v1", "k2": "v2"}),
        (" k1 = v1 , k2= v2 ", {"k1": "v1", "k2": "v2"}),
        ("k=v=w", {"k": "v=w"}),
        ("url=https://x/?a=b,env=prod", {"url": "https://x/?a=b", "env": "prod"}),
        (r"a=b\,c,d=e", {"a": "b,c", "d": "e"}),
        (r"a=x\\y", {"a": "x\\y"}),
        (r"a=b\,c", {"a": "b,c"}),
        ("a=b,", {"a": "b,"}),
        ("a=b, ", {"a": "b,"}),
        ("a=b,c=", {"a": "b", "c": ""}),
        ("a=", {"a": ""}),
        ("a=1,a=2", {"a": "2"}),
        (r"a=b,c\=d", {"a": "b", "c": "d"}),
        ("", {}),
    ],
    ids=[
        "two-pairs",
        "keys-and-values-trimmed",
        "value-contains-equals",
        "value-with-query-string",
        "escaped-comma",
        "escaped-backslash",
        "escaped-comma-last-value",
        "trailing-comma-kept",
        "trailing-comma-space-kept",
        "empty-value",
        "only-empty-value",
        "later-key-wins",
        "escaped-equals-still-counts-as-later-equals",
        "empty-string-is-empty-map",
    ],
)
def test_parse_string_map(raw, expected):
    assert ann.parse_string_map(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "=v",
        " =v",
        "a=b,=c",
        "novalue",
        "a=b,c",  # text after the last comma without any '=' later: its own (invalid) item
        "a=b, c d",
        "a=b,c,d=e",  # 'c' is split off because an '=' occurs later, and has no '='
        "a=b,,c=d",  # empty item between two commas
    ],
    ids=[
        "empty-key",
        "blank-key",
        "empty-key-second-item",
        "no-equals",
        "comma-then-text-without-equals",
        "comma-then-words-without-equals",
        "middle-item-without-equals",
        "empty-middle-item",
    ],
)
def test_parse_string_map_rejects(raw):
    with pytest.raises(ValueError_, match="failed to parse stringMap annotation"):
        ann.parse_string_map(raw)


def test_bad_string_map_on_an_ingress_names_key_and_value():
    with pytest.raises(Ingress2CfnError) as exc:
        build(ingress(annotations={"tags": "team=a,oops"}), service())
    message = str(exc.value)
    assert "failed to parse stringMap annotation" in message
    assert "alb.ingress.kubernetes.io/tags" in message
    assert "team=a,oops" in message


# ---------------------------------------------------------------- json


@pytest.mark.parametrize(
    "raw, expected",
    [('[{"HTTP": 80}]', [{"HTTP": 80}]), ("{}", {}), ('"s"', "s")],
    ids=["list", "object", "string"],
)
def test_parse_json(raw, expected):
    assert ann.parse_json(raw) == expected


@pytest.mark.parametrize("raw", ["", "[{HTTP: 80}]", "[{'HTTP': 80}]", "[1,]"], ids=["empty", "unquoted-key", "single-quotes", "trailing-comma"])
def test_parse_json_rejects(raw):
    with pytest.raises(ValueError_, match="failed to parse json annotation"):
        ann.parse_json(raw)


# ---------------------------------------------------------------- registry facts


def test_registry_keys_are_unique():
    keys = [a.key for a in REGISTRY]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_registry_full_keys_carry_the_prefix():
    assert all(a.full_key == "alb.ingress.kubernetes.io/" + a.key for a in REGISTRY)


@pytest.mark.parametrize(
    "key, registry_key",
    [
        ("actions.foo", "actions.${name}"),
        ("actions.ssl-redirect", "actions.${name}"),
        ("conditions.my-svc", "conditions.${name}"),
        ("transforms.my-svc", "transforms.${name}"),
        ("listener-attributes.HTTPS-443", "listener-attributes.${protocol}-${port}"),
        ("listener-attributes.HTTP-80", "listener-attributes.${protocol}-${port}"),
        ("frontend-nlb-scheme", "frontend-nlb-scheme"),
        ("frontend-nlb-listener-port-mapping", "frontend-nlb-listener-port-mapping"),
        ("target-control-port.svc-1.http", "target-control-port.${service}.${port}"),
        ("enable-frontend-nlb", "enable-frontend-nlb"),
        ("scheme", "scheme"),
        ("group.name", "group.name"),
    ],
    ids=lambda v: v if "${" not in v else None,
)
def test_find_resolves_exact_and_pattern_keys(key, registry_key):
    found = find(key)
    assert found is not None
    assert found.key == registry_key


@pytest.mark.parametrize(
    "key",
    ["foo", "actions.", "listener-attributes.", "scheme ", "Scheme", "alb.ingress.kubernetes.io/scheme"],
    ids=["unknown", "empty-action-name", "empty-listener-suffix", "trailing-space", "case-sensitive", "full-key"],
)
def test_find_returns_none_for_unknown(key):
    assert find(key) is None


def test_entry_refuses_pattern_and_unknown_keys():
    assert entry("scheme").type is ValueType.STRING
    with pytest.raises(KeyError):
        entry("actions.foo")
    with pytest.raises(KeyError):
        entry("foo")


# types and places from the §4 tables
@pytest.mark.parametrize(
    "key, value_type, read_from",
    [
        ("load-balancer-name", ValueType.STRING, ("Ingress",)),
        ("group.name", ValueType.STRING, ("Ingress",)),
        ("group.order", ValueType.INT32, ("Ingress",)),
        ("tags", ValueType.STRING_MAP, ("Ingress", "Service")),
        ("ip-address-type", ValueType.STRING, ("Ingress",)),
        ("scheme", ValueType.STRING, ("Ingress",)),
        ("subnets", ValueType.STRING_LIST, ("Ingress",)),
        ("security-groups", ValueType.STRING_LIST, ("Ingress",)),
        ("manage-backend-security-group-rules", ValueType.BOOL, ("Ingress",)),
        ("load-balancer-attributes", ValueType.STRING_MAP, ("Ingress",)),
        ("shield-advanced-protection", ValueType.BOOL, ("Ingress",)),
        ("minimum-load-balancer-capacity", ValueType.STRING_MAP, ("Ingress",)),
        ("inbound-cidrs", ValueType.STRING_LIST, ("Ingress",)),
        ("security-group-prefix-lists", ValueType.STRING_LIST, ("Ingress",)),
        ("listen-ports", ValueType.JSON, ("Ingress",)),
        ("ssl-redirect", ValueType.INT32, ("Ingress",)),
        ("certificate-arn", ValueType.STRING_LIST, ("Ingress",)),
        ("ssl-policy", ValueType.STRING, ("Ingress",)),
        ("mutual-authentication", ValueType.JSON, ("Ingress",)),
        ("use-regex-path-match", ValueType.BOOL, ("Ingress",)),
        ("jwt-validation", ValueType.JSON, ("Ingress",)),
        ("target-type", ValueType.STRING, ("Ingress", "Service")),
        ("backend-protocol", ValueType.STRING, ("Ingress", "Service")),
        ("backend-protocol-version", ValueType.STRING, ("Ingress", "Service")),
        ("target-group-attributes", ValueType.STRING_MAP, ("Ingress", "Service")),
        ("healthcheck-port", ValueType.STRING, ("Ingress", "Service")),
        ("healthcheck-interval-seconds", ValueType.INT32, ("Ingress", "Service")),
        ("healthcheck-timeout-seconds", ValueType.INT32, ("Ingress", "Service")),
        ("healthy-threshold-count", ValueType.INT32, ("Ingress", "Service")),
        ("unhealthy-threshold-count", ValueType.INT32, ("Ingress", "Service")),
        ("success-codes", ValueType.STRING, ("Ingress", "Service")),
        ("target-node-labels", ValueType.STRING_MAP, ("Ingress", "Service")),
        ("multi-cluster-target-group", ValueType.BOOL, ("Ingress", "Service")),
        ("auth-type", ValueType.STRING, ("Ingress", "Service")),
        ("auth-idp-oidc", ValueType.JSON, ("Ingress", "Service")),
        ("auth-session-timeout", ValueType.INT64, ("Ingress", "Service")),
        ("enable-frontend-nlb", ValueType.BOOL, ("Ingress",)),
        ("create-acm-cert", ValueType.BOOL, ("Ingress",)),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_registry_types_and_places_follow_the_reference(key, value_type, read_from):
    a = find(key)
    assert a is not None and not a.is_pattern
    assert a.type is value_type
    assert a.read_from == read_from


# ---------------------------------------------------------------- check_keys (through the pipeline)


def _warnings(*objects, **kw) -> list[str]:
    _, _, warnings = build(*objects, **kw)
    return [str(w) for w in warnings]


def test_unknown_alb_annotation_is_a_warning_naming_it():
    warnings = _warnings(ingress(annotations={"foo": "bar"}), service())
    hits = [w for w in warnings if "alb.ingress.kubernetes.io/foo" in w]
    assert len(hits) == 1
    assert "unknown annotation" in hits[0]
    assert "Ingress default/web" in hits[0]


@pytest.mark.parametrize(
    "annotations",
    [{"kubernetes.io/description": "x"}, {"example.com/owner": "team-a"}, {"scheme": "internal"}],
    ids=["other-prefix", "foreign-annotation", "known-supported-key"],
)
def test_other_and_known_annotations_do_not_warn(annotations):
    assert _warnings(ingress(annotations=annotations), service()) == []


@pytest.mark.parametrize(
    "key, value",
    [("auth-type", "cognito"), ("wafv2-acl-arn", "arn:aws:wafv2:x"), ("listener-attributes.HTTP-80", "a=b")],
    ids=["auth-type", "wafv2", "listener-attributes-pattern"],
)
def test_unsupported_annotation_is_an_error(key, value, monkeypatch):
    _mark_unsupported(monkeypatch, key)  # whatever is supported today
    with pytest.raises(Ingress2CfnError) as exc:
        build(ingress(annotations={key: value}), service())
    message = str(exc.value)
    assert f"alb.ingress.kubernetes.io/{key}" in message
    assert "not supported yet" in message
    assert "Ingress default/web" in message


def _mark_unsupported(monkeypatch, key: str) -> None:
    from msgspec.structs import replace

    from ingress2cfn.rules import annotations as registry

    entry = registry.find(key)
    monkeypatch.setattr(registry, "REGISTRY", tuple(replace(a, not_supported="not supported yet (test marker)") if a is entry else a for a in registry.REGISTRY))


def test_unsupported_annotation_on_a_referenced_service_is_an_error(monkeypatch):
    _mark_unsupported(monkeypatch, "auth-type")
    with pytest.raises(Ingress2CfnError, match=r"alb\.ingress\.kubernetes\.io/auth-type"):
        build(ingress(), service(annotations={"auth-type": "oidc"}))


@pytest.mark.parametrize(
    "key, value", [("scheme", "internet-facing"), ("listen-ports", '[{"HTTP": 8080}]'), ("group.name", "g")], ids=["scheme", "listen-ports", "group-name"]
)
def test_ingress_only_key_on_a_service_is_a_warning(key, value):
    warnings = _warnings(ingress(), service(annotations={key: value}))
    hits = [w for w in warnings if f"alb.ingress.kubernetes.io/{key}" in w]
    assert len(hits) == 1
    assert "no effect on a Service" in hits[0]
    assert "Service default/svc" in hits[0]


@pytest.mark.parametrize(
    "key, value", [("target-type", "ip"), ("healthcheck-path", "/healthz"), ("tags", "a=b")], ids=["target-type", "healthcheck-path", "tags"]
)
def test_service_readable_key_on_a_service_does_not_warn(key, value):
    assert _warnings(ingress(), service(annotations={key: value})) == []


def test_unknown_annotation_on_a_service_is_a_warning():
    warnings = _warnings(ingress(), service(annotations={"bar": "1"}))
    assert any("unknown annotation alb.ingress.kubernetes.io/bar" in w and "Service default/svc" in w for w in warnings)
