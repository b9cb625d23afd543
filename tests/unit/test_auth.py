"""Authentication (lbc-semantics §4.5, §6.3) and jwt-validation (§4.3): the action prepended to a
rule's or an HTTPS listener's default actions (§5.5), read from the svc-wins merge when the rule
forwards to exactly one Service. OIDC client credentials become Secrets Manager dynamic references;
a Kubernetes Secret in the input is never read."""

from __future__ import annotations

import json

import pytest
import yaml
from kit import backend, build, cfn_lint, ingress, lint_vpc, path, render, resources_of, rule, service, template

from ingress2cfn.input.errors import Ingress2CfnError

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7"
HTTPS = {"certificate-arn": CERT}  # → HTTPS:443 only
BOTH = {"certificate-arn": CERT, "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}
POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEfGhI"
OIDC = {
    "issuer": "https://idp.example.com",
    "authorizationEndpoint": "https://idp.example.com/authorize",
    "tokenEndpoint": "https://idp.example.com/token",
    "userInfoEndpoint": "https://idp.example.com/userinfo",
    "secretName": "web-oidc",
}
COGNITO = {"userPoolARN": POOL, "userPoolClientID": "4f5a6b7c8d9e", "userPoolDomain": "shop-auth"}
JWT = {"jwksEndpoint": "https://idp.example.com/.well-known/jwks.json", "issuer": "https://idp.example.com"}


def _ref(key: str, secret: str = "ingress2cfn/test-cluster/default/web-oidc") -> str:
    return "{{resolve:secretsmanager:" + secret + ":SecretString:" + key + "}}"


def oidc_config(**over) -> dict:
    out = {
        "Issuer": "https://idp.example.com",
        "AuthorizationEndpoint": "https://idp.example.com/authorize",
        "TokenEndpoint": "https://idp.example.com/token",
        "UserInfoEndpoint": "https://idp.example.com/userinfo",
        "ClientId": _ref("clientID"),
        "ClientSecret": _ref("clientSecret"),
        "OnUnauthenticatedRequest": "authenticate",
        "Scope": "openid",
        "SessionCookieName": "AWSELBAuthSessionCookie",
        "SessionTimeout": 604800,
    }
    out.update(over)
    return out


def cognito_config(**over) -> dict:
    out = {
        "UserPoolArn": POOL,
        "UserPoolClientId": "4f5a6b7c8d9e",
        "UserPoolDomain": "shop-auth",
        "OnUnauthenticatedRequest": "authenticate",
        "Scope": "openid",
        "SessionCookieName": "AWSELBAuthSessionCookie",
        "SessionTimeout": 604800,
    }
    out.update(over)
    return out


def oidc(**over) -> dict:
    return {"auth-type": "oidc", "auth-idp-oidc": json.dumps({**OIDC, **over})}


def cognito(**over) -> dict:
    return {"auth-type": "cognito", "auth-idp-cognito": json.dumps({**COGNITO, **over})}


def _rule_actions(tpl: dict, port: int = 443) -> list[list[dict]]:
    rules = resources_of(tpl, "AWS::ElasticLoadBalancingV2::ListenerRule")
    ordered = sorted(
        (r["Properties"]["Priority"], r)
        for r in rules.values()
        if r["Properties"]["ListenerArn"] == {"Ref": f"Listener{'HTTPS' if port == 443 else 'HTTP'}{port}"}
    )
    return [r["Properties"]["Actions"] for _, r in ordered]


def _default_actions(tpl: dict, listener: str = "ListenerHTTPS443") -> list[dict]:
    return tpl["Resources"][listener]["Properties"]["DefaultActions"]


def _first_tg(tpl: dict) -> str:
    (tg,) = resources_of(tpl, "AWS::ElasticLoadBalancingV2::TargetGroup")
    return tg


# ------------------------------------------------------------------ authenticate action on HTTPS rules

AUTH_TABLE = [
    pytest.param(oidc(), {}, {}, {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config()}, id="oidc-defaults"),
    pytest.param(
        {
            **oidc(authenticationRequestExtraParams={"prompt": "login", "display": "page"}),
            "auth-scope": "openid email",
            "auth-session-cookie": "my-cookie",
            "auth-session-timeout": "86400",
            "auth-on-unauthenticated-request": "deny",
        },
        {},
        {},
        {
            "Type": "authenticate-oidc",
            "AuthenticateOidcConfig": oidc_config(
                Scope="openid email",
                SessionCookieName="my-cookie",
                SessionTimeout=86400,
                OnUnauthenticatedRequest="deny",
                AuthenticationRequestExtraParams={"display": "page", "prompt": "login"},
            ),
        },
        id="oidc-every-setting",
    ),
    pytest.param(
        {
            "auth-type": "oidc",
            "auth-idp-oidc": json.dumps(
                {
                    "Issuer": OIDC["issuer"],
                    "AuthorizationEndpoint": OIDC["authorizationEndpoint"],
                    "TokenEndpoint": OIDC["tokenEndpoint"],
                    "UserInfoEndpoint": OIDC["userInfoEndpoint"],
                    "SecretName": "web-oidc",
                    "unknownKey": 1,
                }
            ),
        },
        {},
        {},
        {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config()},
        id="oidc-old-camelcase-json-keys-unknown-key-ignored",
    ),
    pytest.param(
        oidc(),
        {},
        {"oidc_secret_prefix": "prod/eks/"},
        {
            "Type": "authenticate-oidc",
            "AuthenticateOidcConfig": oidc_config(
                ClientId=_ref("clientID", "prod/eks/default/web-oidc"), ClientSecret=_ref("clientSecret", "prod/eks/default/web-oidc")
            ),
        },
        id="oidc-secret-prefix-option",
    ),
    pytest.param(
        oidc(),
        {},
        {"oidc_secret_prefix": ""},
        {
            "Type": "authenticate-oidc",
            "AuthenticateOidcConfig": oidc_config(ClientId=_ref("clientID", "default/web-oidc"), ClientSecret=_ref("clientSecret", "default/web-oidc")),
        },
        id="oidc-empty-secret-prefix",
    ),
    pytest.param(cognito(), {}, {}, {"Type": "authenticate-cognito", "AuthenticateCognitoConfig": cognito_config()}, id="cognito-defaults"),
    pytest.param(
        {
            "auth-type": "cognito",
            "auth-idp-cognito": json.dumps(
                {"UserPoolArn": POOL, "UserPoolClientId": "4f5a6b7c8d9e", "UserPoolDomain": "shop-auth", "AuthenticationRequestExtraParams": {"lang": "en"}}
            ),
            "auth-on-unauthenticated-request": "allow",
        },
        {},
        {},
        {
            "Type": "authenticate-cognito",
            "AuthenticateCognitoConfig": cognito_config(OnUnauthenticatedRequest="allow", AuthenticationRequestExtraParams={"lang": "en"}),
        },
        id="cognito-old-camelcase-json-keys",
    ),
    pytest.param(
        {"auth-idp-oidc": json.dumps(OIDC)},
        {"auth-type": "oidc"},
        {},
        {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config()},
        id="type-on-service-idp-on-ingress",
    ),
    pytest.param(
        {**oidc(), "auth-scope": "openid"},
        {"auth-scope": "profile", "auth-session-timeout": "3600"},
        {},
        {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config(Scope="profile", SessionTimeout=3600)},
        id="service-wins-per-key",
    ),
    pytest.param(oidc(), cognito(), {}, {"Type": "authenticate-cognito", "AuthenticateCognitoConfig": cognito_config()}, id="service-type-beats-ingress-type"),
]


@pytest.mark.parametrize("ing_ann, svc_ann, settings, first_action", AUTH_TABLE)
def test_auth_action_before_forward_on_https_rules(ing_ann, svc_ann, settings, first_action):
    tpl = template(ingress(annotations={**HTTPS, **ing_ann}), service(annotations=svc_ann or None), **settings)
    (actions,) = _rule_actions(tpl)
    assert actions == [{**first_action, "Order": 1}, {"Type": "forward", "TargetGroupArn": {"Ref": _first_tg(tpl)}, "Order": 2}]


@pytest.mark.parametrize(
    "ing_ann, svc_ann",
    [
        pytest.param({}, {}, id="no-annotations"),
        pytest.param({"auth-type": "none", "auth-idp-oidc": json.dumps(OIDC)}, {}, id="auth-type-none"),
        pytest.param(oidc(), {"auth-type": "none"}, id="service-none-beats-ingress-oidc"),
    ],
)
def test_no_auth_action(ing_ann, svc_ann):
    tpl = template(ingress(annotations={**HTTPS, **ing_ann}), service(annotations=svc_ann or None))
    (actions,) = _rule_actions(tpl)
    assert actions == [{"Type": "forward", "TargetGroupArn": {"Ref": _first_tg(tpl)}}]


def test_service_auth_applies_only_to_rules_forwarding_to_that_service():
    ing = ingress(annotations=HTTPS, rules=[rule(None, path("/a", "Prefix", "svc-a", 80), path("/b", "Exact", "svc-b", 80))])
    tpl = template(ing, service("svc-a", annotations=cognito()), service("svc-b"))
    b_actions, a_actions = _rule_actions(tpl)  # Exact first
    assert [a["Type"] for a in a_actions] == ["authenticate-cognito", "forward"]
    assert [a["Type"] for a in b_actions] == ["forward"]


def test_missing_service_reads_the_ingress_only_and_authenticates_the_503():
    tpl = template(ingress(annotations={**HTTPS, **oidc()}, rules=[rule(None, path("/", "Prefix", "gone", 80))]))
    (actions,) = _rule_actions(tpl)
    assert actions == [
        {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config(), "Order": 1},
        {
            "Type": "fixed-response",
            "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "Backend service does not exist"},
            "Order": 2,
        },
    ]


def test_secret_lives_in_the_ingress_namespace():
    tpl = template(ingress(namespace="shop", annotations={**HTTPS, **oidc()}), service(namespace="shop"))
    (actions,) = _rule_actions(tpl)
    assert actions[0]["AuthenticateOidcConfig"]["ClientSecret"] == _ref("clientSecret", "ingress2cfn/test-cluster/shop/web-oidc")


# ------------------------------------------------------------------ listener default action (§5.5)


@pytest.mark.parametrize(
    "ann, first",
    [
        pytest.param(oidc(), {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config(SessionTimeout="604800")}, id="oidc"),
        pytest.param(cognito(), {"Type": "authenticate-cognito", "AuthenticateCognitoConfig": cognito_config(SessionTimeout="604800")}, id="cognito"),
        pytest.param(
            {"jwt-validation": json.dumps(JWT)},
            {"Type": "jwt-validation", "JwtValidationConfig": {"JwksEndpoint": JWT["jwksEndpoint"], "Issuer": JWT["issuer"]}},
            id="jwt",
        ),
    ],
)
def test_default_backend_on_https_gets_the_auth_action_with_listener_types(ann, first):
    # CloudFormation: SessionTimeout is a string in Listener actions, an integer in ListenerRule actions
    tpl = template(ingress(annotations={**HTTPS, **ann}, rules=[], default_backend=backend("svc", 80)), service())
    assert _default_actions(tpl) == [{**first, "Order": 1}, {"Type": "forward", "TargetGroupArn": {"Ref": _first_tg(tpl)}, "Order": 2}]


def test_default_404_is_not_authenticated():
    tpl = template(ingress(annotations={**HTTPS, **oidc()}), service())
    assert _default_actions(tpl) == [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]


# ------------------------------------------------------------------ HTTP listeners: skipped, with a warning


@pytest.mark.parametrize(
    "ann, what",
    [
        pytest.param(oidc(), "auth-type oidc", id="oidc"),
        pytest.param(cognito(), "auth-type cognito", id="cognito"),
        pytest.param({"jwt-validation": json.dumps(JWT)}, "jwt-validation", id="jwt"),
    ],
)
def test_http_listener_skips_auth_and_warns(ann, what):
    objects = (ingress(annotations={**BOTH, **ann}, default_backend=backend("svc", 80)), service())
    tpl = template(*objects)
    http_rules, https_rules = _rule_actions(tpl, 80), _rule_actions(tpl, 443)
    assert [a["Type"] for a in http_rules[0]] == ["forward"]
    assert [a["Type"] for a in _default_actions(tpl, "ListenerHTTP80")] == ["forward"]
    assert [a["Type"] for a in https_rules[0]] == [("jwt-validation" if what == "jwt-validation" else "authenticate-" + what.split()[-1]), "forward"]
    _, _, diagnostics = build(*objects)
    warnings = [str(d) for d in diagnostics]
    (warning,) = [w for w in warnings if "not applied on HTTP listener port 80" in w]
    assert f"Ingress default/web: alb.ingress.kubernetes.io/{what} is not applied on HTTP listener port 80" in warning
    assert "ssl-redirect" in warning


def test_service_auth_warning_names_the_service_and_the_ingress():
    _, _, diagnostics = build(ingress(), service(annotations=oidc()))
    warnings = [str(d) for d in diagnostics]
    (warning,) = [w for w in warnings if "not applied" in w]
    assert "Service default/svc: alb.ingress.kubernetes.io/auth-type oidc (used by Ingress default/web) is not applied on HTTP listener port 80" in warning


def test_ssl_redirect_leaves_nothing_unauthenticated_so_no_warning():
    objects = (ingress(annotations={**BOTH, **oidc(), "ssl-redirect": "443"}), service())
    _, _, diagnostics = build(*objects)
    warnings = [str(d) for d in diagnostics]
    assert not [w for w in warnings if "not applied" in w]
    tpl = template(*objects)
    assert _rule_actions(tpl, 80) == []
    assert [a["Type"] for a in _rule_actions(tpl)[0]] == ["authenticate-oidc", "forward"]


# ------------------------------------------------------------------ jwt-validation

JWT_TABLE = [
    pytest.param(JWT, {"JwksEndpoint": JWT["jwksEndpoint"], "Issuer": JWT["issuer"]}, id="minimal"),
    pytest.param(
        {
            **JWT,
            "additionalClaims": [
                {"name": "scope", "format": "space-separated-values", "values": ["read", "write"]},
                {"name": "aud", "format": "string-array", "values": ["api"]},
                {"name": "tenant", "format": "single-string", "values": ["acme"]},
            ],
        },
        {
            "JwksEndpoint": JWT["jwksEndpoint"],
            "Issuer": JWT["issuer"],
            "AdditionalClaims": [
                {"Format": "space-separated-values", "Name": "scope", "Values": ["read", "write"]},
                {"Format": "string-array", "Name": "aud", "Values": ["api"]},
                {"Format": "single-string", "Name": "tenant", "Values": ["acme"]},
            ],
        },
        id="additional-claims-in-order",
    ),
    pytest.param(
        {"JwksEndpoint": JWT["jwksEndpoint"], "ISSUER": JWT["issuer"], "AdditionalClaims": [{"Name": "x", "Format": "single-string", "Values": ["y"]}]},
        {"JwksEndpoint": JWT["jwksEndpoint"], "Issuer": JWT["issuer"], "AdditionalClaims": [{"Format": "single-string", "Name": "x", "Values": ["y"]}]},
        id="case-insensitive-keys",
    ),
]


@pytest.mark.parametrize("value, config", JWT_TABLE)
def test_jwt_validation_action_before_forward(value, config):
    tpl = template(ingress(annotations={**HTTPS, "jwt-validation": json.dumps(value)}), service())
    (actions,) = _rule_actions(tpl)
    assert actions == [
        {"Type": "jwt-validation", "JwtValidationConfig": config, "Order": 1},
        {"Type": "forward", "TargetGroupArn": {"Ref": _first_tg(tpl)}, "Order": 2},
    ]


def test_jwt_validation_is_read_from_the_ingress_only():
    _, _, diagnostics = build(ingress(annotations=HTTPS), service(annotations={"jwt-validation": json.dumps(JWT)}))
    warnings = [str(d) for d in diagnostics]
    assert any("annotation alb.ingress.kubernetes.io/jwt-validation has no effect on a Service" in w for w in warnings)
    tpl = template(ingress(annotations=HTTPS), service(annotations={"jwt-validation": json.dumps(JWT)}))
    assert [a["Type"] for a in _rule_actions(tpl)[0]] == ["forward"]


# ------------------------------------------------------------------ errors


def _error(*objects, **kw) -> str:
    with pytest.raises(Ingress2CfnError) as exc:
        build(*objects, **kw)
    return str(exc.value)


ERROR_TABLE = [
    # parsed for every backend, whatever the listener protocol (enhanced backend builder)
    pytest.param({"auth-type": "saml"}, {}, False, 'auth-type"]: unknown authType: saml', id="unknown-auth-type-even-on-http"),
    pytest.param({"auth-type": "OIDC"}, {}, True, "unknown authType: OIDC", id="auth-type-case-sensitive"),
    pytest.param({"auth-session-timeout": "1d"}, {}, False, 'auth-session-timeout"]: failed to parse int64', id="session-timeout-not-integer"),
    pytest.param({"auth-idp-oidc": "{"}, {}, False, 'auth-idp-oidc"]: failed to parse json annotation', id="oidc-json-syntax"),
    pytest.param(
        {"auth-type": "oidc", "auth-idp-cognito": '{"userPoolARN": 7}'},
        {},
        False,
        "json: cannot unmarshal number into Go struct field AuthIDPConfigCognito.userPoolARN of type string",
        id="cognito-json-parsed-whatever-the-type",
    ),
    pytest.param(
        {"auth-idp-oidc": "[]"}, {}, True, "json: cannot unmarshal array into Go value of type ingress.AuthIDPConfigOIDC", id="oidc-json-not-an-object"
    ),
    pytest.param(
        {"auth-idp-oidc": json.dumps({**OIDC, "authenticationRequestExtraParams": {"a": 1}})},
        {},
        True,
        "AuthIDPConfigOIDC.authenticationRequestExtraParams of type string",
        id="extra-params-not-strings",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({"issuer": "x"})}, {}, False, "jwksEndpoint is a required field for jwt validation", id="jwt-no-jwks-even-on-http"
    ),
    pytest.param({"jwt-validation": json.dumps({"jwksEndpoint": "https://x"})}, {}, True, "issuer is a required field for jwt validation", id="jwt-no-issuer"),
    pytest.param({"jwt-validation": "null"}, {}, True, "jwksEndpoint is a required field for jwt validation", id="jwt-null"),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"name": "a", "values": ["b"]}]})},
        {},
        True,
        "format is a required field for additional claims for jwt validation",
        id="claim-no-format",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"format": "single-string", "values": ["b"]}]})},
        {},
        True,
        "name is a required field for additional claims for jwt validation",
        id="claim-no-name",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"name": "a", "format": "single-string", "values": []}]})},
        {},
        True,
        "values must not be empty for additional claims for jwt validation",
        id="claim-empty-values",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"name": "a", "format": "csv", "values": ["b"]}]})},
        {},
        True,
        "additional claim a: format 'csv' must be within [single-string, string-array, space-separated-values]",
        id="claim-unknown-format",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"name": "exp", "format": "single-string", "values": ["1"]}]})},
        {},
        True,
        "additional claim exp: the load balancer always validates exp, iss, nbf, iat",
        id="claim-reserved-name",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": [{"name": "a", "format": "string-array", "values": ["b", "b"]}]})},
        {},
        True,
        "additional claim a: values must be unique, 'b' is listed twice",
        id="claim-duplicate-values",
    ),
    pytest.param(
        {"jwt-validation": json.dumps({**JWT, "additionalClaims": "scope"})},
        {},
        True,
        "json: cannot unmarshal string into Go struct field JwtValidationConfig.additionalClaims of type []ingress.JwtAdditionalClaim",
        id="claims-not-a-list",
    ),
    # built on HTTPS only (buildActions)
    pytest.param({"auth-type": "oidc"}, {}, True, 'auth-type"]: missing IDPConfigOIDC', id="oidc-without-idp"),
    pytest.param({"auth-type": "cognito"}, {}, True, 'auth-type"]: missing IDPConfigCognito', id="cognito-without-idp"),
    pytest.param(oidc(tokenEndpoint="", userInfoEndpoint=None), {}, True, "auth-idp-oidc must set tokenEndpoint, userInfoEndpoint", id="oidc-endpoint-missing"),
    pytest.param(oidc(secretName=""), {}, True, "auth-idp-oidc must set secretName", id="oidc-without-secret-name"),
    pytest.param(cognito(userPoolDomain=""), {}, True, "auth-idp-cognito must set userPoolDomain", id="cognito-domain-missing"),
    pytest.param(
        oidc(secretName="my secret"),
        {},
        True,
        "Secrets Manager secret 'ingress2cfn/test-cluster/default/my secret'",
        id="secret-name-not-a-secrets-manager-name",
    ),
    pytest.param(
        {**oidc(), "auth-on-unauthenticated-request": "redirect"},
        {},
        True,
        "auth-on-unauthenticated-request must be within [authenticate, allow, deny]: 'redirect'",
        id="on-unauthenticated-unknown",
    ),
    pytest.param({**oidc(), "jwt-validation": json.dumps(JWT)}, {}, True, "authentication and jwt validation can't both be configured", id="auth-and-jwt"),
    pytest.param(
        {"jwt-validation": json.dumps(JWT)},
        cognito(),
        True,
        "jwt-validation\"]: authentication and jwt validation can't both be configured",
        id="service-auth-and-ingress-jwt",
    ),
    pytest.param(
        {},
        {"auth-type": "kerberos"},
        True,
        'Service default/svc metadata.annotations["alb.ingress.kubernetes.io/auth-type"]: unknown authType: kerberos',
        id="error-located-on-the-service",
    ),
]


@pytest.mark.parametrize("ing_ann, svc_ann, https, message", ERROR_TABLE)
def test_auth_errors(ing_ann, svc_ann, https, message):
    text = _error(ingress(annotations={**(HTTPS if https else {}), **ing_ann}), service(annotations=svc_ann or None))
    assert message in text
    assert "test.yaml:" in text


@pytest.mark.parametrize("ann", [pytest.param({"auth-type": "oidc"}, id="oidc"), pytest.param({"auth-type": "cognito"}, id="cognito")])
def test_missing_idp_is_no_error_on_http_like_the_controller(ann):
    _, _, diagnostics = build(ingress(annotations=ann), service())
    warnings = [str(d) for d in diagnostics]
    assert any("is not applied on HTTP listener port 80" in w for w in warnings)


# ------------------------------------------------------------------ cfn-lint, secrets, determinism


@pytest.mark.parametrize(
    "ann, default_backend",
    [
        pytest.param({**oidc(authenticationRequestExtraParams={"prompt": "login"}), "auth-on-unauthenticated-request": "deny"}, True, id="oidc"),
        pytest.param({**cognito(), "auth-session-timeout": "3600"}, True, id="cognito"),
        pytest.param({"jwt-validation": json.dumps(JWT_TABLE[1].values[0])}, True, id="jwt-with-claims"),
        pytest.param({**oidc(), "listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]'}, False, id="oidc-http-and-https"),
    ],
)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_rendered_auth_templates_lint_clean(ann, default_backend, fmt):
    from kit import docs, settings, vpc

    from ingress2cfn.render.pipeline import render_documents
    from ingress2cfn.render.serialise import Format

    ing = ingress(
        annotations={**HTTPS, **ann},
        default_backend=backend("svc", 80) if default_backend else None,
        rules=[rule("a.example.com", path("/api", "Prefix", "svc", 80))],
    )
    result = render_documents(docs(ing, service()), vpc(lint_vpc()), settings(), Format(fmt))
    assert cfn_lint(result.groups[0].template) == []


SECRET_CLIENT_ID = "client-id-9f8e7d6c5b4a-leak-canary"
SECRET_CLIENT_SECRET = "client-secret-0a1b2c3d4e5f-leak-canary"


def _k8s_secret() -> dict:
    import base64

    def b64(s: str) -> str:
        return base64.b64encode(s.encode()).decode()

    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "web-oidc", "namespace": "default"},
        "data": {"clientID": b64(SECRET_CLIENT_ID), "clientSecret": b64(SECRET_CLIENT_SECRET)},
        "stringData": {"clientId": SECRET_CLIENT_ID, "clientSecret": SECRET_CLIENT_SECRET},
    }


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_kubernetes_secret_values_never_reach_any_output(fmt, tmp_path, monkeypatch, capsys):
    import base64

    from ingress2cfn.cli import main

    canaries = [SECRET_CLIENT_ID, SECRET_CLIENT_SECRET] + [base64.b64encode(s.encode()).decode() for s in (SECRET_CLIENT_ID, SECRET_CLIENT_SECRET)]
    objects = [_k8s_secret(), ingress(annotations={**BOTH, **oidc()}, default_backend=backend("svc", 80)), service()]
    (tmp_path / "in.yaml").write_text("".join("---\n" + yaml.safe_dump(o) for o in objects), encoding="utf-8")
    (tmp_path / "vpc.yaml").write_text(yaml.safe_dump(lint_vpc()), encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(
        ["render", "-f", str(tmp_path / "in.yaml"), "--vpc", str(tmp_path / "vpc.yaml"), "--cluster", "test-cluster", "--out", str(out), "--format", fmt]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    files = sorted(out.iterdir())
    assert len(files) == 3  # group template, bindings, cluster template
    texts = [p.read_text(encoding="utf-8") for p in files] + [captured.out, captured.err]
    for text in texts:
        for canary in canaries:
            assert canary not in text
    from ingress2cfn.model import naming

    cluster_stack = naming.cluster_stack_name("test-cluster")
    group = next(t for p, t in zip(files, texts) if not p.name.endswith(".bindings." + fmt) and not p.name.startswith(cluster_stack))
    assert _ref("clientSecret") in group and _ref("clientID") in group


def test_same_output_whatever_the_document_order():
    objects = [
        _k8s_secret(),
        ingress(annotations={**HTTPS, **oidc()}, rules=[rule(None, path("/a", "Prefix", "svc-a", 80), path("/b", "Prefix", "svc-b", 80))]),
        service("svc-a", annotations={"auth-scope": "email"}),
        service("svc-b", annotations=cognito()),
    ]
    first = render(*objects).groups[0].template
    assert render(*reversed(objects)).groups[0].template == first


def test_cli_rejects_an_invalid_secret_prefix(capsys):
    from ingress2cfn.cli import EXIT_USAGE, main

    code = main(["render", "-f", "x.yaml", "--vpc", "v.yaml", "--cluster", "c", "--oidc-secret-prefix", "bad prefix:"])
    assert code == EXIT_USAGE
    assert "--oidc-secret-prefix" in capsys.readouterr().err


# ------------------------------------------------------------------ use-annotation actions (actions.<name>)

TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/legacy/0123456789abcdef"


@pytest.mark.parametrize(
    "action, types",
    [
        pytest.param(
            {"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "svc", "servicePort": 80}]}},
            ["authenticate-cognito", "forward"],
            id="one-service-tuple-reads-the-service",
        ),
        pytest.param(
            {
                "type": "forward",
                "forwardConfig": {
                    "targetGroups": [{"serviceName": "svc", "servicePort": 80}],
                    "targetGroupStickinessConfig": {"enabled": True, "durationSeconds": 60},
                },
            },
            ["authenticate-cognito", "forward"],
            id="one-service-tuple-with-stickiness",
        ),
        pytest.param(
            {
                "type": "forward",
                "forwardConfig": {
                    "targetGroups": [{"serviceName": "svc", "servicePort": 80, "weight": 50}, {"serviceName": "other", "servicePort": 80, "weight": 50}]
                },
            },
            ["forward"],
            id="two-services-read-the-ingress-only",
        ),
        pytest.param({"type": "forward", "targetGroupARN": TG_ARN}, ["forward"], id="arn-reads-the-ingress-only"),
        pytest.param(
            {"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "contentType": "text/plain"}},
            ["fixed-response"],
            id="fixed-response-reads-the-ingress-only",
        ),
    ],
)
def test_annotation_action_auth_comes_from_the_service_only_for_a_single_service_forward(action, types):
    ing = ingress(annotations={**HTTPS, "actions.custom": json.dumps(action)}, rules=[rule(None, path("/", "Prefix", "custom", "use-annotation"))])
    tpl = template(ing, service(annotations=cognito()), service("other"))
    (actions,) = _rule_actions(tpl)
    assert [a["Type"] for a in actions] == types
    if len(actions) > 1:
        assert [a["Order"] for a in actions] == [1, 2]


@pytest.mark.parametrize(
    "action",
    [
        pytest.param({"type": "redirect", "redirectConfig": {"host": "example.org", "statusCode": "HTTP_302"}}, id="redirect"),
        pytest.param({"type": "forward", "targetGroupARN": TG_ARN}, id="arn"),
    ],
)
def test_ingress_auth_applies_to_annotation_actions(action):
    ing = ingress(annotations={**HTTPS, **oidc(), "actions.custom": json.dumps(action)}, rules=[rule(None, path("/", "Prefix", "custom", "use-annotation"))])
    (actions,) = _rule_actions(template(ing))
    assert actions[0] == {"Type": "authenticate-oidc", "AuthenticateOidcConfig": oidc_config(), "Order": 1}
    assert actions[1]["Order"] == 2 and len(actions) == 2
