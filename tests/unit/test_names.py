"""Names and namespaces as the API server validates them (DNS-1123 label/subdomain, DNS-1035
label, lengths), group names matched whole, and the ALB value limits (128 characters per condition
value, tag keys 128 / values 256) enforced at render with located errors."""

from __future__ import annotations

import json

import kit
import pytest
from kit import P, ingress, path, rule, service

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.lint.policy import parse_policy


def _error(*objects: dict):
    with pytest.raises(Ingress2CfnError) as caught:
        kit.build(*objects)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


def _parse_error(*objects: dict):
    with pytest.raises(Ingress2CfnError) as caught:
        parse_manifests(kit.docs(*objects))
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Web", id="upper-case"),
        pytest.param("web\u200b", id="zero-width-space"),
        pytest.param("w\u0435b", id="cyrillic-homoglyph"),
        pytest.param("web\n", id="trailing-newline"),
        pytest.param("-web", id="leading-dash"),
        pytest.param("a" * 254, id="254-characters"),
        pytest.param("a" * 10_000, id="10000-characters"),
        pytest.param("web/evil", id="slash"),
    ],
)
def test_ingress_names_are_dns1123_subdomains(name):
    d = _parse_error(ingress(name), service())
    assert d.location.path == ("metadata", "name")
    assert d.message.startswith("invalid Ingress name: ")


@pytest.mark.parametrize(
    "namespace, why",
    [
        ("shop/evil", "a lowercase RFC 1123 label"),
        ("shop.evil", "a lowercase RFC 1123 label"),
        ("Shop", "a lowercase RFC 1123 label"),
        ("sh\u200bop", "a lowercase RFC 1123 label"),
        ("a" * 64, "must be no more than 63 characters (got 64)"),
        ("", "must not be empty"),
    ],
)
def test_namespaces_are_dns1123_labels(namespace, why):
    d = _parse_error(ingress("web", namespace=namespace), service())
    assert d.location.path == ("metadata", "namespace")
    assert d.message.startswith("invalid namespace: ") and why in d.message


@pytest.mark.parametrize("name", ["1svc", "svc.with.dots", "Svc", "s" * 64])
def test_service_names_and_backend_service_names_are_dns1035_labels(name):
    d = _parse_error(service(name))
    assert d.location.path == ("metadata", "name")
    assert d.message.startswith("invalid Service name: ")
    d = _parse_error(ingress("web", rules=[rule(None, path("/", "Prefix", name, 80))]))
    assert d.location.path == ("spec", "rules", 0, "http", "paths", 0, "backend", "service", "name")


def test_valid_names_at_their_limits_pass():
    parse_manifests(
        kit.docs(
            ingress("a" * 63 + "." + "b" * 63, namespace="n" * 63, rules=[rule(None, path("/", "Prefix", "s" * 63, 80))]), service("s" * 63, namespace="n" * 63)
        )
    )


def test_group_name_with_a_trailing_newline_is_refused():
    """A `|` block scalar gives "web\\n": Python's `$` matches before it, Go's regexp does not."""
    d = _error(ingress("a", annotations={"group.name": "web\n"}), service())
    assert d.location.path == ("metadata", "annotations", P + "group.name")
    assert "invalid ingress group" in d.message


def test_policy_group_key_with_a_trailing_newline_is_refused():
    with pytest.raises(Ingress2CfnError) as caught:
        parse_policy('groups:\n  "web\\n": {namespaces: [shop]}\n', "policy.yaml")
    assert "not an IngressGroup name" in str(caught.value)


def test_policy_namespace_pattern_with_a_trailing_newline_is_refused():
    with pytest.raises(Ingress2CfnError) as caught:
        parse_policy('internetFacing: {namespaces: ["shop\\n"]}\n', "policy.yaml")
    assert "not a namespace name or pattern" in str(caught.value)


LONG = "a" * 129


@pytest.mark.parametrize(
    "where",
    ["host", "path", "annotation-host", "annotation-header", "annotation-query"],
)
def test_condition_values_over_128_characters(where):
    host, p, annotations = "shop.example.com", "/x", {}
    if where == "host":
        host = LONG + ".example.com"
    elif where == "path":
        p = "/" + LONG
    else:
        entry = {
            "annotation-host": {"field": "host-header", "hostHeaderConfig": {"values": [LONG]}},
            "annotation-header": {"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X-A", "values": [LONG]}},
            "annotation-query": {"field": "query-string", "queryStringConfig": {"values": [{"key": "k", "value": LONG}]}},
        }[where]
        annotations = {"conditions.svc": json.dumps([entry])}
    d = _error(ingress("web", annotations=annotations, rules=[rule(host, path(p, "Prefix", "svc", 80))]), service())
    expected = {
        "host": ("spec", "rules", 0, "host"),
        "path": ("spec", "rules", 0, "http", "paths", 0, "path"),
    }.get(where, ("metadata", "annotations", P + "conditions.svc"))
    assert d.location.path == expected
    assert "an ALB allows at most 128 per value" in d.message


def test_a_condition_value_of_128_characters_passes():
    kit.build(ingress("web", rules=[rule("a" * 116 + ".example.com", path("/" + "a" * 127, "Exact", "svc", 80))]), service())


@pytest.mark.parametrize(
    "tags, what",
    [
        ("k=" + "v" * 257, "the value of tag 'k' is 257 characters; AWS allows at most 256"),
        ("k" * 129 + "=v", "is 129 characters; AWS allows at most 128"),
    ],
)
def test_tag_limits_from_the_annotation(tags, what):
    d = _error(ingress("web", annotations={"tags": tags}), service())
    assert d.location.path == ("metadata", "annotations", P + "tags")
    assert what in d.message


def test_tag_value_made_from_long_names():
    """An implicit group's id (namespace/name) is the ingress.k8s.aws/stack tag value."""
    d = _error(ingress("i" * 200, namespace="n" * 60, rules=[rule(None, path("/", "Prefix", "svc", 80))]), service(namespace="n" * 60))
    assert d.location.path == ("metadata", "name")
    assert "the value of tag 'ingress.k8s.aws/stack' is 261 characters" in d.message


def test_the_namespace_option_is_a_dns1123_label(capsys):
    from lint_support import CLUSTER, SHADOWED, VPC

    from ingress2cfn.cli import EXIT_USAGE, main

    assert main(["render", "-f", str(SHADOWED), "--vpc", VPC, "--cluster", CLUSTER, "-n", "shop/evil"]) == EXIT_USAGE
    assert "'shop/evil': a lowercase RFC 1123 label" in capsys.readouterr().err


@pytest.mark.parametrize(
    "host, why",
    [
        ("10.0.0.1", "must be a DNS name, not an IP address"),
        ("Shop.example.com", "must be a lowercase RFC 1123 subdomain"),
        ("shop\u200b.example.com", "must be a lowercase RFC 1123 subdomain"),
        ("shop.example.com\n", "must be a lowercase RFC 1123 subdomain"),
        ("x*.example.com", "or a wildcard DNS-1123 subdomain"),
    ],
)
def test_rule_hosts_are_checked_as_the_api_server_does(host, why):
    d = _parse_error(ingress("web", rules=[rule(host, path("/", "Prefix", "svc", 80))]), service())
    assert d.location.path == ("spec", "rules", 0, "host")
    assert d.message.startswith("invalid host: ") and why in d.message


def test_wildcard_hosts_pass():
    parse_manifests(kit.docs(ingress("web", rules=[rule("*.example.com", path("/", "Prefix", "svc", 80))]), service()))
