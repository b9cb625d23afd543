"""Authentication (§4.5) and JWT validation (§4.3): the action put before a backend's actions.

Upstream, read in the controller's source (pkg/ingress/enhanced_backend_builder.go,
auth_config_builder.go, model_build_actions.go):

* The auth settings are read from the Service's and the Ingress's annotations merged key by key
  (Service wins) when the backend action forwards to exactly one Service tuple; otherwise (a 503 for
  a missing Service, a redirect, a fixed response, several target groups, an ARN) from the Ingress only.
* They are parsed for every backend that is built, whatever the listener: `unknown authType`, a bad
  `auth-session-timeout` or unparsable `auth-idp-cognito` / `auth-idp-oidc` JSON fail the Ingress even
  on an HTTP listener (both IdP annotations are parsed whatever auth-type says).
* Only on HTTPS listeners is the action built: then `missing IDPConfigOIDC` / `missing IDPConfigCognito`,
  the Kubernetes Secret lookup, and `authentication and jwt validation can't both be configured`.
  On HTTP listeners the controller skips auth silently; we warn.
* scope, session cookie, session timeout and on-unauthenticated-request are always sent (defaults
  filled in); the controller validates none of them, AWS does.
* jwt-validation is read from the Ingress only; jwksEndpoint, issuer and each claim's format, name
  and non-empty values are required.

OIDC client credentials: the controller reads clientID (legacy clientId) and clientSecret from a
Kubernetes Secret in the Ingress namespace. ingress2cfn never reads a Secret: both become
CloudFormation dynamic references into the Secrets Manager secret `<prefix><namespace>/<secretName>`
(naming.oidc_secret_name; prefix --oidc-secret-prefix, default `ingress2cfn/<cluster>/`), resolved
by CloudFormation at deploy time, so no credential is ever written into a template.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.model import naming
from ingress2cfn.model.stack import (
    Action,
    AuthenticateCognito,
    AuthenticateOidc,
    Forward,
    JwtClaim,
    JwtValidation,
    Protocol,
    WeightedForward,
)
from ingress2cfn.rules.annotations import PREFIX, AnnotatedObject, Found, merged_get
from ingress2cfn.rules.gojson import GoJSONError, String, StringMap, Struct, decode, slice_of
from ingress2cfn.rules.groups import Member

AUTH_TYPES = ("none", "oidc", "cognito")
ON_UNAUTHENTICATED = ("authenticate", "allow", "deny")
DEFAULT_SCOPE = "openid"
DEFAULT_SESSION_COOKIE = "AWSELBAuthSessionCookie"
DEFAULT_SESSION_TIMEOUT = 604800
DEFAULT_ON_UNAUTHENTICATED = "authenticate"
CLAIM_FORMATS = ("single-string", "string-array", "space-separated-values")
RESERVED_CLAIMS = ("exp", "iss", "nbf", "iat")
CLIENT_ID_KEY = "clientID"
CLIENT_SECRET_KEY = "clientSecret"

# Go struct types of the annotations (encoding/json, see gojson)
COGNITO_CONFIG = Struct(
    "ingress.AuthIDPConfigCognito",
    (
        ("userPoolARN", String()),
        ("userPoolClientID", String()),
        ("userPoolDomain", String()),
        ("authenticationRequestExtraParams", StringMap()),
    ),
)
OIDC_CONFIG = Struct(
    "ingress.AuthIDPConfigOIDC",
    (
        ("issuer", String()),
        ("authorizationEndpoint", String()),
        ("tokenEndpoint", String()),
        ("userInfoEndpoint", String()),
        ("secretName", String()),
        ("authenticationRequestExtraParams", StringMap()),
    ),
)
JWT_CONFIG = Struct(
    "ingress.JwtValidationConfig",
    (
        ("jwksEndpoint", String()),
        ("issuer", String()),
        (
            "additionalClaims",
            slice_of(
                Struct(
                    "ingress.JwtAdditionalClaim",
                    (
                        ("format", String()),
                        ("name", String()),
                        ("values", slice_of(String())),
                    ),
                )
            ),
        ),
    ),
)


def dynamic_reference(secret_id: str, key: str) -> str:
    return "{{resolve:secretsmanager:" + secret_id + ":SecretString:" + key + "}}"


def _json(found: Found | None, typ: Struct) -> dict[str, Any] | None:
    if found is None:
        return None
    try:
        return decode(found.value, typ, hints=False)
    except GoJSONError as exc:
        raise InputError(f"failed to parse json annotation: {exc} (value {found.raw!r})", found.loc, found.owner) from None


# ---------------------------------------------------------------- configuration


class AuthConfig(msgspec.Struct, frozen=True):
    """auth-* annotations after the svc-wins merge, parsed like AuthConfigBuilder.Build."""

    type: str
    type_found: Found | None
    on_unauthenticated: Found | None
    scope: str
    session_cookie: str
    session_timeout: int
    cognito: dict[str, Any] | None
    cognito_found: Found | None
    oidc: dict[str, Any] | None
    oidc_found: Found | None


def auth_config(service: AnnotatedObject | None, ingress: AnnotatedObject) -> AuthConfig:
    def get(key: str) -> Found | None:
        return merged_get(key, service, ingress)

    type_found = get("auth-type")
    auth_type = type_found.value if type_found else "none"
    if auth_type not in AUTH_TYPES:
        assert type_found is not None  # the default, "none", is allowed
        raise InputError(f"unknown authType: {auth_type} (want one of {', '.join(AUTH_TYPES)})", type_found.loc, type_found.owner)
    scope, cookie, timeout = get("auth-scope"), get("auth-session-cookie"), get("auth-session-timeout")
    cognito_found, oidc_found = get("auth-idp-cognito"), get("auth-idp-oidc")
    return AuthConfig(
        type=auth_type,
        type_found=type_found,
        on_unauthenticated=get("auth-on-unauthenticated-request"),
        scope=scope.value if scope else DEFAULT_SCOPE,
        session_cookie=cookie.value if cookie else DEFAULT_SESSION_COOKIE,
        session_timeout=timeout.value if timeout else DEFAULT_SESSION_TIMEOUT,
        cognito=_json(cognito_found, COGNITO_CONFIG),
        cognito_found=cognito_found,
        oidc=_json(oidc_found, OIDC_CONFIG),
        oidc_found=oidc_found,
    )


def jwt_config(ingress: AnnotatedObject) -> tuple[JwtValidation, Found] | None:
    """jwt-validation of the Ingress (never the Service), validated like buildJwtValidationConfig."""
    found = ingress.get("jwt-validation")
    data = _json(found, JWT_CONFIG)
    if data is None:
        return None
    assert found is not None

    def fail(message: str) -> InputError:
        return InputError(message, found.loc, found.owner)

    if not data.get("jwksEndpoint"):
        raise fail("jwksEndpoint is a required field for jwt validation")
    if not data.get("issuer"):
        raise fail("issuer is a required field for jwt validation")
    claims: list[JwtClaim] = []
    for item in data.get("additionalClaims", []):
        if not item.get("format"):
            raise fail("format is a required field for additional claims for jwt validation")
        if not item.get("name"):
            raise fail("name is a required field for additional claims for jwt validation")
        if not item.get("values"):
            raise fail("values must not be empty for additional claims for jwt validation")
        # AWS's rules (the controller passes these through and the deployment would fail)
        name, fmt, values = item["name"], item["format"], tuple(item["values"])
        if fmt not in CLAIM_FORMATS:
            raise fail(f"additional claim {name}: format {fmt!r} must be within [{', '.join(CLAIM_FORMATS)}]")
        if name in RESERVED_CLAIMS:
            raise fail(f"additional claim {name}: the load balancer always validates {', '.join(RESERVED_CLAIMS)}; they can't be additional claims")
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise fail(f"additional claim {name}: values must be unique, {', '.join(map(repr, duplicates))} is listed twice")
        claim = JwtClaim(name, fmt, values)
        if claim in claims:
            raise fail(f"additional claim {name} is listed twice with the same format and values")
        claims.append(claim)
    return JwtValidation(data["jwksEndpoint"], data["issuer"], tuple(claims)), found


# ---------------------------------------------------------------- actions


def _single_service(resolver: Any, actions: tuple[Action, ...]):
    """The Service when the backend action forwards to exactly one Service (LBC buildAuthConfig)."""
    if len(actions) != 1:
        return None
    action = actions[0]
    tg_id = None
    if isinstance(action, Forward) and len(action.target_group_ids) == 1:
        tg_id = action.target_group_ids[0]
    elif isinstance(action, WeightedForward) and len(action.targets) == 1:
        tg_id = action.targets[0].target_group_id
    tg = resolver.target_groups.get(tg_id) if tg_id else None
    if tg is None:
        return None
    return resolver.ctx.services.get(f"{tg.service_namespace}/{tg.service_name}")


def _extra_params(data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((data.get("authenticationRequestExtraParams") or {}).items()))


def _on_unauthenticated(config: AuthConfig) -> str:
    found = config.on_unauthenticated
    if found is None:
        return DEFAULT_ON_UNAUTHENTICATED
    if found.value not in ON_UNAUTHENTICATED:
        # not checked by the controller; AWS rejects it when the rule is created
        raise InputError(f"auth-on-unauthenticated-request must be within [{', '.join(ON_UNAUTHENTICATED)}]: {found.value!r}", found.loc, found.owner)
    return found.value


def _missing(found: Found, annotation: str, fields: list[str]) -> InputError:
    return InputError(f"{PREFIX}{annotation} must set {', '.join(fields)} (AWS rejects the authenticate action without them)", found.loc, found.owner)


def _cognito(config: AuthConfig, ing_describe: str) -> AuthenticateCognito:
    assert config.type_found is not None  # auth-type is cognito
    if config.cognito is None:
        raise InputError(
            f"missing IDPConfigCognito: auth-type is cognito but {PREFIX}auth-idp-cognito is not set on {ing_describe} or its Service",
            config.type_found.loc,
            config.type_found.owner,
        )
    data = config.cognito
    assert config.cognito_found is not None
    empty = [f for f in ("userPoolARN", "userPoolClientID", "userPoolDomain") if not data.get(f)]
    if empty:
        raise _missing(config.cognito_found, "auth-idp-cognito", empty)
    return AuthenticateCognito(
        user_pool_arn=data["userPoolARN"],
        user_pool_client_id=data["userPoolClientID"],
        user_pool_domain=data["userPoolDomain"],
        on_unauthenticated_request=_on_unauthenticated(config),
        scope=config.scope,
        session_cookie_name=config.session_cookie,
        session_timeout=config.session_timeout,
        extra_params=_extra_params(data),
    )


def _oidc(config: AuthConfig, member: Member, secret_prefix: str) -> AuthenticateOidc:
    ing = member.ingress
    assert config.type_found is not None  # auth-type is oidc
    if config.oidc is None:
        raise InputError(
            f"missing IDPConfigOIDC: auth-type is oidc but {PREFIX}auth-idp-oidc is not set on {ing.describe} or its Service",
            config.type_found.loc,
            config.type_found.owner,
        )
    data = config.oidc
    found = config.oidc_found
    assert found is not None
    empty = [f for f in ("issuer", "authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint", "secretName") if not data.get(f)]
    if empty:
        raise _missing(found, "auth-idp-oidc", empty)
    secret_id = naming.oidc_secret_name(secret_prefix, ing.namespace, data["secretName"])
    if not naming.SECRETS_MANAGER_NAME.fullmatch(secret_id):
        raise InputError(
            f"the OIDC client secret would be read from Secrets Manager secret {secret_id!r} (--oidc-secret-prefix + namespace/secretName), "
            "which is not a valid secret name: 1-512 of the characters A-Z a-z 0-9 / _ + = . @ -",
            found.loc,
            found.owner,
        )
    return AuthenticateOidc(
        issuer=data["issuer"],
        authorization_endpoint=data["authorizationEndpoint"],
        token_endpoint=data["tokenEndpoint"],
        user_info_endpoint=data["userInfoEndpoint"],
        client_id=dynamic_reference(secret_id, CLIENT_ID_KEY),
        client_secret=dynamic_reference(secret_id, CLIENT_SECRET_KEY),
        on_unauthenticated_request=_on_unauthenticated(config),
        scope=config.scope,
        session_cookie_name=config.session_cookie,
        session_timeout=config.session_timeout,
        extra_params=_extra_params(data),
    )


def secret_prefix(settings: Any) -> str:
    prefix = getattr(settings, "oidc_secret_prefix", None)
    return naming.default_oidc_secret_prefix(settings.cluster) if prefix is None else prefix


def _skipped_warning(found: Found, what: str, member: Member, port: int | None) -> Diagnostic:
    ing = member.ingress
    of = "" if found.owner == ing.describe else f" (used by {ing.describe})"
    on = f"HTTP listener port {port}" if port is not None else "an HTTP listener"
    return warning(
        found.loc,
        found.owner,
        f"{what}{of} is not applied on {on}: the controller applies it on HTTPS listeners only, so requests to port {port} "
        f"reach the backend without it (redirect HTTP with {PREFIX}ssl-redirect, or listen on HTTPS only)",
    )


def prepend_auth(
    resolver: Any, member: Member, backend_actions: tuple[Action, ...], backend_field: tuple, protocol: Protocol, port: int | None
) -> tuple[Action, ...]:
    """Called by BackendResolver.actions: [authenticate-* | jwt-validation] + the backend's actions."""
    service = _single_service(resolver, backend_actions)
    service_ann = AnnotatedObject(service.annotations, service.origin, service.describe, "Service") if service else None
    config = auth_config(service_ann, member.annotations)
    jwt = jwt_config(member.annotations)
    if protocol is not Protocol.HTTPS:
        if config.type != "none":
            assert config.type_found is not None
            resolver.ctx.warnings.append(_skipped_warning(config.type_found, f"{PREFIX}auth-type {config.type}", member, port))
        if jwt is not None:
            resolver.ctx.warnings.append(_skipped_warning(jwt[1], f"{PREFIX}jwt-validation", member, port))
        return backend_actions
    auth: Action | None = None
    if config.type == "cognito":
        auth = _cognito(config, member.ingress.describe)
    elif config.type == "oidc":
        auth = _oidc(config, member, secret_prefix(resolver.ctx.settings))
    if auth is not None and jwt is not None:
        assert config.type_found is not None
        found = jwt[1]
        raise InputError(
            f"authentication and jwt validation can't both be configured ({PREFIX}auth-type {config.type} "
            f"at {config.type_found.loc.prefix()} {config.type_found.owner})",
            found.loc,
            found.owner,
        )
    if auth is not None:
        return (auth,) + backend_actions
    if jwt is not None:
        return (jwt[0],) + backend_actions
    return backend_actions
