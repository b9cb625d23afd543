"""One definition of an Ingress's hosts (`Ingress.hosts()` / `Ingress.tls_hosts()` in input/kube.py),
shared by ACM certificate discovery, the offline "HTTPS needs a certificate" error, the ignored
spec.tls warning and lint's spec.tls check. Empty strings count as no host, in spec.rules and
spec.tls alike (upstream filters empty rule hosts; the API server rejects an empty TLS host)."""

from __future__ import annotations

import kit
import pytest
from kit import ingress, path, rule, service

from ingress2cfn.build.certificates import needs
from ingress2cfn.input.kube import parse_manifests

HTTPS = {"listen-ports": '[{"HTTPS": 443}]'}


def _ingress(obj: dict):
    (ing,) = parse_manifests(kit.docs(obj, service())).ingresses
    return ing


def web(rule_hosts, tls, ann=None) -> dict:
    return ingress(annotations=ann or HTTPS, rules=[rule(h, path("/", "Prefix", "svc", 80)) for h in rule_hosts], tls=tls)


@pytest.mark.parametrize(
    "rule_hosts, tls, hosts, tls_hosts",
    [
        pytest.param(["b.example.com", "a.example.com"], None, ("a.example.com", "b.example.com"), (), id="rules-only-sorted"),
        pytest.param(
            [None],
            [{"hosts": ["z.example.com", "", "y.example.com", "z.example.com"]}],
            ("y.example.com", "z.example.com"),
            ("y.example.com", "z.example.com"),
            id="empty-tls-host-dropped",
        ),
        pytest.param(["", "a.example.com"], [{"secretName": "s"}], ("a.example.com",), (), id="tls-without-hosts"),
        pytest.param(["a.example.com"], [{"hosts": [""]}], ("a.example.com",), (), id="only-an-empty-tls-host"),
        pytest.param(
            ["a.example.com"],
            [{"hosts": ["a.example.com"]}, {"hosts": ["c.example.com"]}],
            ("a.example.com", "c.example.com"),
            ("a.example.com", "c.example.com"),
            id="union-unique",
        ),
    ],
)
def test_hosts(rule_hosts, tls, hosts, tls_hosts):
    ing = _ingress(web(rule_hosts, tls))
    assert ing.hosts() == hosts
    assert ing.tls_hosts() == tls_hosts


def test_certificate_discovery_asks_for_exactly_the_ingress_hosts():
    obj = web(["a.example.com"], [{"hosts": ["", "b.example.com"]}])
    (need,) = needs(parse_manifests(kit.docs(obj, service())), kit.settings())
    assert need.hosts == _ingress(obj).hosts() == ("a.example.com", "b.example.com")


def test_the_offline_certificate_error_names_the_same_hosts_without_the_empty_one():
    obj = web(["a.example.com"], [{"hosts": ["", "b.example.com"]}])
    with pytest.raises(Exception, match=r"needs a certificate.*\(hosts: a\.example\.com, b\.example\.com\)"):
        kit.render(obj, service())


def test_an_ingress_whose_only_tls_host_is_empty_has_no_hosts_in_the_error():
    obj = web([None], [{"hosts": [""]}])
    with pytest.raises(Exception, match=r"\(hosts: no hosts\)"):
        kit.render(obj, service())


def test_the_ignored_tls_warning_lists_the_same_tls_hosts():
    obj = web([None], [{"hosts": ["b.example.com", "", "a.example.com"]}], ann={"listen-ports": '[{"HTTP": 80}]'})
    result = kit.render(obj, service())
    (warning,) = [w for w in result.warnings if "spec.tls" in str(w)]
    assert "spec.tls (a.example.com, b.example.com) is ignored" in str(warning)
