"""The one seam to AWS. A boto3 session comes from the standard environment (AWS_PROFILE,
AWS_REGION / AWS_DEFAULT_REGION, credentials chain); boto3 itself honours AWS_ENDPOINT_URL (and
AWS_ENDPOINT_URL_ACM ...), which is how the tests point it at a local moto server.

boto3 is imported inside these functions only: the offline render path never loads it
(tests/unit/test_import_budget.py)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ingress2cfn.build.certificates import AcmCertificate, CertificateSource
from ingress2cfn.input.errors import Ingress2CfnError

T = TypeVar("T")
RETRIES = {"mode": "standard", "max_attempts": 5}


class AwsError(Ingress2CfnError):
    """An AWS call failed (credentials, region, permissions, endpoint)."""


def session(region: str | None = None, profile: str | None = None) -> Any:
    import boto3

    return boto3.session.Session(region_name=region, profile_name=profile)


def client(sess: Any, service: str) -> Any:
    from botocore.config import Config

    return sess.client(service, config=Config(retries=RETRIES))


def calling(what: str, fn: Callable[[], T]) -> T:
    """Run fn; an AWS/botocore failure becomes an AwsError naming `what` (never a traceback)."""
    from botocore.exceptions import BotoCoreError, ClientError, NoRegionError

    try:
        return fn()
    except NoRegionError:
        raise AwsError(f"{what}: no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, or a profile's region)") from None
    except ClientError as exc:
        raise AwsError(f"{what}: {exc}") from None
    except BotoCoreError as exc:
        raise AwsError(f"{what}: {exc}") from None


def list_acm_certificates(sess: Any) -> list[AcmCertificate]:
    """Every ISSUED certificate of the region with its SubjectAlternativeNames, like LBC
    loadDomainsForAllCertificates: ListCertificates (paginated) with CertificateStatuses=[ISSUED]
    and every key type (without Includes ACM lists RSA_1024/RSA_2048 only), then DescribeCertificate
    each. Certificates without names are left out."""
    acm = client(sess, "acm")
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


def acm_certificate_source(region: str | None = None, profile: str | None = None) -> CertificateSource:
    """A CertificateSource for cert_discovery.discover: asks ACM when called, not before."""

    def source() -> list[AcmCertificate]:
        return calling("ACM certificate discovery", lambda: list_acm_certificates(session(region, profile)))

    return source


def elbv2_account_limits(sess: Any) -> list[dict]:
    """`elbv2 describe-account-limits`, every page: [{"Name": ..., "Max": "100"}, ...]."""
    elbv2 = client(sess, "elbv2")
    limits: list[dict] = []
    for page in elbv2.get_paginator("describe_account_limits").paginate():
        limits.extend(page.get("Limits", []))
    return limits


def account_limits(region: str | None = None, profile: str | None = None) -> list[dict]:
    """The account's ELBv2 limits in `region` (for `lint --quotas-from-aws`); AwsError on failure."""
    return calling("reading ELBv2 account limits (elbv2 describe-account-limits)", lambda: elbv2_account_limits(session(region, profile)))
