"""ACM helpers over the shared `aws` fixture (tests/conftest.py: moto server on 127.0.0.1)."""

from __future__ import annotations

import datetime

import pytest

REGION = "us-east-1"


@pytest.fixture
def acm(aws):
    import boto3

    return boto3.client("acm", region_name=REGION, endpoint_url=aws)


def self_signed(*names: str, key: str = "rsa") -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) valid now, CN = names[0], SubjectAlternativeNames = names."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1()) if key == "ec" else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(private, hashes.SHA256())
    )
    key_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


@pytest.fixture
def import_certificate(acm):
    """Import a self-signed certificate into the emulator's ACM → its ARN (status ISSUED, type IMPORTED)."""

    def _import(*names: str, key: str = "rsa") -> str:
        cert_pem, key_pem = self_signed(*names, key=key)
        return acm.import_certificate(Certificate=cert_pem, PrivateKey=key_pem)["CertificateArn"]

    return _import
