"""ACM certificate discovery (§5.3; LBC pkg/certs/cert_discovery.go, computeIngressInferredTLSCertARNs):
the pure part: which Ingresses need certificates, host matching, which ARNs are chosen, and how they
reach the listeners. The live ACM path runs against moto in tests/aws/."""

from __future__ import annotations

import kit
import pytest
import yaml
from kit import ingress, path, resources_of, rule, service

from ingress2cfn.build.certificates import AcmCertificate, discover, domain_matches_host, needs
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.render.pipeline import render_documents

ARN = "arn:aws:acm:us-east-1:123456789012:certificate/"
HTTPS = {"listen-ports": '[{"HTTPS": 443}]'}
BOTH = {"listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}


def cert(suffix: str, *domains: str) -> AcmCertificate:
    return AcmCertificate(ARN + suffix, domains)


def web(hosts=("shop.example.com",), ann=None, name="web", tls=None, **kw) -> dict:
    rules = [rule(h, path("/", "Prefix", "svc", 80)) for h in hosts]
    return ingress(name, annotations={**HTTPS, **(ann or {})}, rules=rules, tls=tls, **kw)


class Source:
    """Certificates as data (what the ACM seam returns); counts how often it is asked."""

    def __init__(self, *certs: AcmCertificate):
        self.certs = list(certs)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.certs


def _manifests(*objects):
    return parse_manifests(kit.docs(*objects))


def _listener(tpl: dict, logical_id: str) -> dict:
    return resources_of(tpl, "AWS::ElasticLoadBalancingV2::Listener")[logical_id]["Properties"]


# ------------------------------------------------------------------ host matching (LBC domainMatchesHost + its test table)


@pytest.mark.parametrize(
    "domain, host, want",
    [
        ("example.com", "example.com", True),
        ("example.com", "www.example.com", False),
        ("*.example.com", "www.example.com", True),
        ("*.example.com", "example.com", False),
        ("*.example.com", "www.app.example.com", False),
        ("*.example.com", "*.example.com", True),  # a wildcard host is covered by the same wildcard
        ("www.example.com", "*.example.com", False),
        ("Example.com", "example.com", False),  # LBC compares bytes: case matters
        ("*.example.com", "www.example.org", False),
    ],
)
def test_domain_matches_host(domain, host, want):
    assert domain_matches_host(domain, host) is want


# ------------------------------------------------------------------ which Ingresses need discovery


@pytest.mark.parametrize(
    "obj, hosts",
    [
        pytest.param(web(), ("shop.example.com",), id="https-without-certificate"),
        pytest.param(
            web(("b.example.com", "a.example.com"), tls=[{"hosts": ["c.example.com", "a.example.com"]}]),
            ("a.example.com", "b.example.com", "c.example.com"),
            id="rule-and-tls-hosts-sorted-once",
        ),
        pytest.param(web((None,)), (), id="no-host"),
        pytest.param(web(ann=BOTH), ("shop.example.com",), id="http-and-https"),
        pytest.param(web(ann={"certificate-arn": ARN + "given"}), None, id="explicit-certificate"),
        pytest.param(web(ann={"listen-ports": '[{"HTTP": 80}]'}), None, id="http-only"),
        pytest.param(
            ingress(rules=[rule("shop.example.com", path("/", "Prefix", "svc", 80))], tls=[{"hosts": ["shop.example.com"]}]),
            None,
            id="spec-tls-alone-keeps-http-80",
        ),
        pytest.param(web(class_name="nginx"), None, id="not-our-class"),
    ],
)
def test_needs(obj, hosts):
    found = needs(_manifests(obj, service()), kit.settings())
    if hosts is None:
        assert found == []
    else:
        assert [(n.ingress.key, n.hosts) for n in found] == [("default/web", hosts)]


# ------------------------------------------------------------------ choice and pinning


@pytest.mark.parametrize(
    "hosts, certs, chosen",
    [
        pytest.param(("shop.example.com",), [cert("exact", "shop.example.com")], ("exact",), id="exact"),
        pytest.param(("shop.example.com",), [cert("wild", "*.example.com")], ("wild",), id="wildcard"),
        pytest.param(("shop.example.com",), [cert("san", "example.com", "shop.example.com")], ("san",), id="subject-alternative-name"),
        pytest.param(
            ("shop.example.com",),
            [cert("b-exact", "shop.example.com"), cert("a-wild", "*.example.com"), cert("other", "x.org")],
            ("a-wild", "b-exact"),
            id="every-match-sorted-by-arn",
        ),
        pytest.param(
            ("a.example.com", "b.example.org"), [cert("org", "*.example.org"), cert("com", "*.example.com")], ("com", "org"), id="one-per-host-unioned"
        ),
        pytest.param(("a.example.com", "b.example.com"), [cert("wild", "*.example.com")], ("wild",), id="one-for-two-hosts"),
    ],
)
def test_discover_pins_the_chosen_arns_as_certificate_arn(hosts, certs, chosen):
    manifests, notes = discover(_manifests(web(hosts), service()), kit.settings(), Source(*certs))
    (ing,) = manifests.ingresses
    assert ing.annotations["alb.ingress.kubernetes.io/certificate-arn"] == ",".join(ARN + c for c in chosen)
    assert len(notes) == len(hosts)
    assert notes[0].startswith(f"certificate: Ingress default/web: {hosts[0]} -> {ARN}")


def test_the_listener_gets_the_first_arn_as_default_and_the_rest_as_sni():
    source = Source(cert("b", "shop.example.com"), cert("a", "*.example.com"))
    result = render_documents(kit.docs(web(ann=BOTH), service()), kit.vpc(), kit.settings(), certificates=source)
    tpl = yaml.safe_load(result.groups[0].template)
    assert _listener(tpl, "ListenerHTTPS443")["Certificates"] == [{"CertificateArn": ARN + "a"}]
    (extra,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerCertificate").values()
    assert extra["Properties"]["Certificates"] == [{"CertificateArn": ARN + "b"}]
    assert "Certificates" not in _listener(tpl, "ListenerHTTP80")
    assert result.notes == (f"certificate: Ingress default/web: shop.example.com -> {ARN}a, {ARN}b",)
    assert source.calls == 1


def test_group_members_each_get_their_own_and_explicit_ones_are_kept():
    group = {"group.name": "shop"}
    a = web(("a.example.com",), ann={**group, "certificate-arn": ARN + "explicit"}, name="a")
    b = web(("b.example.com",), ann=group, name="b")
    source = Source(cert("found", "b.example.com"), cert("unused", "a.example.com"))
    result = render_documents(kit.docs(a, b, service()), kit.vpc(), kit.settings(), certificates=source)
    tpl = yaml.safe_load(result.groups[0].template)
    # §5.3: the first member's first certificate is the default, the rest SNI
    assert _listener(tpl, "ListenerHTTPS443")["Certificates"] == [{"CertificateArn": ARN + "explicit"}]
    (extra,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerCertificate").values()
    assert extra["Properties"]["Certificates"] == [{"CertificateArn": ARN + "found"}]
    assert result.notes == (f"certificate: Ingress default/b: b.example.com -> {ARN}found",)


@pytest.mark.parametrize(
    "obj",
    [
        pytest.param(web(ann={"certificate-arn": ARN + "given"}), id="explicit-certificate"),
        pytest.param(web(ann={"listen-ports": '[{"HTTP": 80}]'}), id="http-only"),
    ],
)
def test_acm_is_not_asked_when_nothing_needs_it(obj):
    source = Source()
    _, notes = discover(_manifests(obj, service()), kit.settings(), source)
    assert (source.calls, notes) == (0, ())


def test_only_certificates_with_names_count():
    with pytest.raises(InputError, match="no certificate found for host: shop.example.com"):
        discover(_manifests(web(), service()), kit.settings(), Source(cert("nameless")))


@pytest.mark.parametrize(
    "obj, host, field",
    [
        pytest.param(web(("a.example.com", "b.example.com")), "b.example.com", "spec.rules[1].host", id="rule-host"),
        pytest.param(web(("a.example.com",), tls=[{"hosts": ["a.example.com", "c.example.com"]}]), "c.example.com", "spec.tls[0].hosts[1]", id="tls-host"),
    ],
)
def test_a_host_without_certificate_is_an_error_at_the_host(obj, host, field):
    with pytest.raises(InputError) as exc:
        discover(_manifests(obj, service()), kit.settings(), Source(cert("a", "a.example.com")))
    text = str(exc.value)
    assert f"Ingress default/web {field}: no certificate found for host: {host}" in text
    assert "none of the 1 ISSUED ACM certificates" in text


def test_offline_default_is_unchanged_an_error_naming_the_hosts():
    with pytest.raises(Exception, match=r"HTTPS listener port 443 needs a certificate.*hosts: shop.example.com"):
        kit.render(web(), service())


def test_importing_the_aws_seam_does_not_load_boto3():
    """boto3 loads only when ACM is asked (the render path's import budget, test_import_budget.py)."""
    import subprocess
    import sys

    code = "import sys, ingress2cfn.aws.clients, ingress2cfn.build.certificates, ingress2cfn.render.pipeline; print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
