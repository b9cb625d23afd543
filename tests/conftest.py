import pytest


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite golden files (tests/errors, templates/) from the current output; read the diff before committing")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
