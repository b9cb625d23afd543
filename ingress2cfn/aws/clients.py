"""`AwsClients`: the one seam to AWS. The session follows boto3's standard configuration (default
credential chain, AWS_PROFILE or --profile, AWS_REGION / AWS_DEFAULT_REGION or --region); boto3
itself honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, which is how the tests and the demo
point it at a local moto server. Retries are botocore's own (`standard` or `adaptive` mode)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ingress2cfn.input.errors import Ingress2CfnError

T = TypeVar("T")
RetryMode = Literal["standard", "adaptive", "legacy"]


class AwsError(Ingress2CfnError):
    """An AWS call failed (credentials, region, permissions, endpoint)."""


@dataclass
class AwsClients:
    """Clients are made on first use, inside the caller's `calling(...)`, so a missing region or
    profile is reported as part of what was being done."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None  # None: boto3's own resolution (AWS_ENDPOINT_URL ...)
    retry_mode: RetryMode = "standard"
    max_attempts: int | None = None  # None: botocore's own (AWS_MAX_ATTEMPTS, the profile's max_attempts, else the mode's default)
    _session: Any = field(default=None, init=False, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def session(self) -> Any:
        if self._session is None:
            import boto3

            self._session = boto3.session.Session(region_name=self.region, profile_name=self.profile)
        return self._session

    def client(self, service: str) -> Any:
        if service not in self._clients:
            from botocore.config import Config

            if self.max_attempts is None:
                config = Config(retries={"mode": self.retry_mode})
            else:
                config = Config(retries={"mode": self.retry_mode, "total_max_attempts": self.max_attempts})
            kwargs: dict[str, Any] = {"config": config}
            if self.endpoint_url:
                kwargs["endpoint_url"] = self.endpoint_url
            self._clients[service] = self.session.client(service, **kwargs)
        return self._clients[service]


def calling(what: str, fn: Callable[[], T]) -> T:
    """Run fn; an AWS/botocore failure becomes an AwsError naming `what` (never a traceback)."""
    from botocore.exceptions import BotoCoreError, ClientError, NoRegionError, ProfileNotFound
    from botocore.parsers import ResponseParserError

    try:
        return fn()
    except NoRegionError:
        raise AwsError(f"{what}: no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION, --region, or a profile's region)") from None
    except ProfileNotFound as exc:
        raise AwsError(f"{what}: {exc}") from None
    except ClientError as exc:
        raise AwsError(f"{what}: {exc}") from None
    except BotoCoreError as exc:
        raise AwsError(f"{what}: {exc}") from None
    except ResponseParserError:  # e.g. an HTML 500 page from an endpoint (an emulator's unimplemented call)
        raise AwsError(f"{what}: the endpoint's answer is not an AWS response (an error page: a call the endpoint does not implement?)") from None
