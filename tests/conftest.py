"""Shared fixtures. AWS for tests: moto's server mode on 127.0.0.1 and a free port (design.md,
Tests), started once per session (a reset does not give memory back, so one server, reset per test).
`aws` points boto3 at it through the environment (AWS_ENDPOINT_URL, fake credentials, region
us-east-1, no profile or config file), resets moto's state, and yields the endpoint URL."""

from __future__ import annotations

import urllib.request

import pytest

REGION = "us-east-1"


@pytest.fixture(scope="session")
def moto_server():
    """The same local AWS emulator `ingress2cfn demo` starts (moto's server, 127.0.0.1, a free port)."""
    from ingress2cfn.cli.demo import emulator

    with emulator() as url:
        yield url


@pytest.fixture
def aws(moto_server, monkeypatch, tmp_path):
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    # deploy writes Ingress status to the configured cluster: never to one the developer's kubeconfig names
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "no-kubeconfig"))
    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    urllib.request.urlopen(urllib.request.Request(moto_server + "/moto-api/reset", method="POST"), timeout=30).close()
    yield moto_server


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/errors, templates/) from the current output; read the diff before committing",
    )


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(autouse=True)
def _private_cache_dir(monkeypatch, tmp_path_factory):
    """`ingress2cfn lint` keeps results under $XDG_CACHE_HOME/ingress2cfn: each test gets its own,
    so no test reads another's results or writes to the user's home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
