"""What certificate discovery (§5.3) needs to know of an ACM certificate, owned by neither the AWS
edge that lists them nor the build that matches them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import msgspec


class AcmCertificate(msgspec.Struct, frozen=True):
    """One ISSUED ACM certificate: its ARN and its SubjectAlternativeNames (ACM lists the domain
    name among them). LBC matches on these names only."""

    arn: str
    domains: tuple[str, ...]


CertificateSource = Callable[[], Sequence[AcmCertificate]]
