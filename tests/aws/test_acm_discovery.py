"""`render --discover-certificates` against ACM in a local moto server (tests/aws/conftest.py): the
real CLI, the real boto3 path (ingress2cfn.aws), LBC's matching rules (pkg/certs/cert_discovery.go).

moto facts this relies on (checked here, see components-checked.md §4): request_certificate leaves a
certificate PENDING_VALIDATION (until MOTO_ACM_VALIDATION_WAIT, 60 s by default), so ISSUED ones are
imported self-signed certificates (type IMPORTED)."""

from __future__ import annotations

import yaml
from kit import cfn_lint

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from tools.regenerate_templates import ROOT

VPC = str(ROOT / "examples/2048/vpc.yaml")

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  ports:
    - name: http
      port: 80
      targetPort: 8080
      nodePort: 30080
"""

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/scheme: internet-facing
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'
spec:
  ingressClassName: alb
  tls:
    - hosts: [api.example.org]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
"""


def _run(capsys, monkeypatch, tmp_path, *extra: str, manifest: str = INGRESS):
    (tmp_path / "input.yaml").write_text(SERVICE + "---\n" + manifest, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["render", "-f", "input.yaml", "--vpc", VPC, "--cluster", "my-cluster", *extra])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def _listener_certificates(tpl: dict) -> tuple[list, list]:
    res = tpl["Resources"]
    default = res["ListenerHTTPS443"]["Properties"]["Certificates"]
    extra = sorted(
        c["CertificateArn"] for r in res.values() if r["Type"] == "AWS::ElasticLoadBalancingV2::ListenerCertificate" for c in r["Properties"]["Certificates"]
    )
    return [c["CertificateArn"] for c in default], extra


def test_moto_acm_statuses(acm, import_certificate):
    """What the emulator gives: requested → PENDING_VALIDATION, imported → ISSUED/IMPORTED."""
    requested = acm.request_certificate(DomainName="shop.example.com", SubjectAlternativeNames=["shop.example.com"])["CertificateArn"]
    imported = import_certificate("shop.example.com")
    assert acm.describe_certificate(CertificateArn=requested)["Certificate"]["Status"] == "PENDING_VALIDATION"
    detail = acm.describe_certificate(CertificateArn=imported)["Certificate"]
    assert (detail["Status"], detail["Type"], detail["SubjectAlternativeNames"]) == ("ISSUED", "IMPORTED", ["shop.example.com"])


def test_discovered_certificates_reach_the_listener(capsys, monkeypatch, tmp_path, acm, import_certificate):
    wildcard = import_certificate("*.example.com", key="ec")  # EC keys are listed only with Includes.keyTypes on real ACM
    exact = import_certificate("shop.example.com", "www.shop.example.com")
    api = import_certificate("api.example.org")
    import_certificate("*.shop.example.com")  # one label too deep for shop.example.com
    import_certificate("example.org")
    pending = acm.request_certificate(DomainName="shop.example.com", SubjectAlternativeNames=["shop.example.com"])["CertificateArn"]

    code, out, err = _run(capsys, monkeypatch, tmp_path, "--discover-certificates")
    assert code == EXIT_OK, err
    tpl = yaml.safe_load(out)
    chosen = sorted([wildcard, exact, api])
    default, extra = _listener_certificates(tpl)
    assert default == chosen[:1]  # LBC: discovered ARNs sorted, the first is the default certificate
    assert extra == chosen[1:]
    assert pending not in out  # only ISSUED certificates count
    assert "Certificates" not in tpl["Resources"]["ListenerHTTP80"]["Properties"]
    shop = ", ".join(sorted([wildcard, exact]))
    assert err.splitlines()[:2] == [
        f"certificate: Ingress shop/web: api.example.org -> {api}",
        f"certificate: Ingress shop/web: shop.example.com -> {shop}",
    ]
    assert cfn_lint(out) == []


def test_a_host_without_an_issued_certificate_is_an_error(capsys, monkeypatch, tmp_path, acm, import_certificate):
    import_certificate("api.example.org")
    acm.request_certificate(DomainName="shop.example.com", SubjectAlternativeNames=["shop.example.com"])  # pending: does not count
    code, out, err = _run(capsys, monkeypatch, tmp_path, "--discover-certificates")
    assert (code, out) == (EXIT_INVALID, "")
    assert err == (
        "error: input.yaml:27 [doc 2] Ingress shop/web spec.rules[0].host: no certificate found for host: shop.example.com "
        "(none of the 1 ISSUED ACM certificates has it, or a matching *. wildcard, among its subject alternative names; "
        "request or import one, or set alb.ingress.kubernetes.io/certificate-arn)\n"
    )


def test_explicit_certificate_arn_is_used_as_is(capsys, monkeypatch, tmp_path, import_certificate):
    import_certificate("shop.example.com")
    given = import_certificate("*.example.com")
    manifest = INGRESS.replace("  annotations:\n", f"  annotations:\n    alb.ingress.kubernetes.io/certificate-arn: {given}\n")
    code, out, err = _run(capsys, monkeypatch, tmp_path, "--discover-certificates", manifest=manifest)
    assert code == EXIT_OK, err
    assert _listener_certificates(yaml.safe_load(out)) == ([given], [])
    assert "certificate:" not in err


def test_without_the_flag_rendering_stays_offline(capsys, monkeypatch, tmp_path, import_certificate):
    import_certificate("shop.example.com")
    code, out, err = _run(capsys, monkeypatch, tmp_path)
    assert (code, out) == (EXIT_INVALID, "")
    assert "HTTPS listener port 443 needs a certificate" in err and "hosts: api.example.org, shop.example.com" in err


def test_no_region_is_a_clean_error(capsys, monkeypatch, tmp_path, aws):
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    code, out, err = _run(capsys, monkeypatch, tmp_path, "--discover-certificates")
    assert (code, out) == (EXIT_INVALID, "")
    assert err == "error: ACM certificate discovery: no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, --region, or a profile's region)\n"
