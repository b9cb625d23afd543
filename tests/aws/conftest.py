"""A real local AWS API: moto in server mode on 127.0.0.1 and a free port, started once for these
tests and stopped afterwards. Each test gets a reset emulator and an environment (credentials,
region, AWS_ENDPOINT_URL) that points boto3 at it, so the code under test is unchanged."""
from __future__ import annotations

import datetime
import socket
import urllib.request

import pytest

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(moto_endpoint, monkeypatch, tmp_path):
    """Environment for boto3 → the emulator; the emulator's state reset."""
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"), timeout=30).close()
    empty = tmp_path / "aws-empty-config"
    empty.write_text("")
    for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))  # no local profile leaks into the test
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    return moto_endpoint


@pytest.fixture
def acm(aws_env):
    import boto3

    return boto3.client("acm", region_name=REGION, endpoint_url=aws_env)


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
