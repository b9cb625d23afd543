"""ACM: the certificates that certificate discovery (§5.3) matches hosts against."""

from __future__ import annotations

from ingress2cfn.aws.clients import AwsClients, calling
from ingress2cfn.model.certificates import AcmCertificate, CertificateSource


def list_issued_certificates(clients: AwsClients) -> list[AcmCertificate]:
    """Every ISSUED certificate of the region with its SubjectAlternativeNames, like LBC
    loadDomainsForAllCertificates: ListCertificates (paginated) with CertificateStatuses=[ISSUED]
    and every key type (without Includes ACM lists RSA_1024/RSA_2048 only), then DescribeCertificate
    each. Certificates without names are left out."""
    acm = clients.client("acm")
    key_types = list(acm.meta.service_model.shape_for("KeyAlgorithm").enum)
    arns: list[str] = []
    for page in acm.get_paginator("list_certificates").paginate(CertificateStatuses=["ISSUED"], Includes={"keyTypes": key_types}):
        arns.extend(c["CertificateArn"] for c in page.get("CertificateSummaryList", []))
    out = []
    for arn in sorted(set(arns)):
        detail = acm.describe_certificate(CertificateArn=arn)["Certificate"]
        domains = tuple(detail.get("SubjectAlternativeNames") or ())
        if domains:
            out.append(AcmCertificate(arn, domains))
    return out


def certificate_source(clients: AwsClients) -> CertificateSource:
    """A CertificateSource for build.certificates.discover: asks ACM when called, not before."""

    def source() -> list[AcmCertificate]:
        return calling("ACM certificate discovery", lambda: list_issued_certificates(clients))

    return source
