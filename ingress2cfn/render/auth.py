"""Authentication and JWT-validation actions → troposphere (called by render._action). No defaulting:
build/auth.py decided every value, including the Secrets Manager dynamic references.

CloudFormation types differ between the two places an action lives: in a Listener's DefaultActions
the authenticate configs' SessionTimeout is a string, in a ListenerRule's Actions an integer.
troposphere's listener `Action` class has a stale type validator that rejects `jwt-validation`
(a valid CloudFormation type: cfn-lint's schema and the CloudFormation resource schema accept
JwtValidationConfig on Listener actions), so that one object is built without troposphere's
validation; cfn-lint validates it instead.
"""

from __future__ import annotations

from typing import Any

from troposphere import elasticloadbalancingv2 as elb

from ingress2cfn.model.stack import AuthenticateCognito, AuthenticateOidc, JwtValidation

AUTH_ACTIONS = (AuthenticateOidc, AuthenticateCognito, JwtValidation)


def _common(action: AuthenticateOidc | AuthenticateCognito, listener_default: bool) -> dict[str, Any]:
    config: dict[str, Any] = {
        "OnUnauthenticatedRequest": action.on_unauthenticated_request,
        "Scope": action.scope,
        "SessionCookieName": action.session_cookie_name,
        "SessionTimeout": str(action.session_timeout) if listener_default else action.session_timeout,
    }
    if action.extra_params:
        config["AuthenticationRequestExtraParams"] = dict(action.extra_params)
    return config


def auth_action(action: AuthenticateOidc | AuthenticateCognito | JwtValidation, order: int | None, cls: type) -> Any:
    listener_default = cls is elb.Action
    props: dict[str, Any] = {}
    if order is not None:
        props["Order"] = order
    if isinstance(action, AuthenticateOidc):
        config = dict(
            Issuer=action.issuer,
            AuthorizationEndpoint=action.authorization_endpoint,
            TokenEndpoint=action.token_endpoint,
            UserInfoEndpoint=action.user_info_endpoint,
            ClientId=action.client_id,
            ClientSecret=action.client_secret,
            **_common(action, listener_default),
        )
        config_cls = elb.AuthenticateOidcConfig if listener_default else elb.ListenerRuleAuthenticateOidcConfig
        return cls(Type="authenticate-oidc", AuthenticateOidcConfig=config_cls(**config), **props)
    if isinstance(action, AuthenticateCognito):
        config = dict(
            UserPoolArn=action.user_pool_arn,
            UserPoolClientId=action.user_pool_client_id,
            UserPoolDomain=action.user_pool_domain,
            **_common(action, listener_default),
        )
        return cls(Type="authenticate-cognito", AuthenticateCognitoConfig=elb.AuthenticateCognitoConfig(**config), **props)
    if isinstance(action, JwtValidation):
        jwt: dict[str, Any] = {"JwksEndpoint": action.jwks_endpoint, "Issuer": action.issuer}
        if action.additional_claims:
            jwt["AdditionalClaims"] = [
                elb.JwtValidationActionAdditionalClaim(Format=c.format, Name=c.name, Values=list(c.values)) for c in action.additional_claims
            ]
        out = cls(Type="jwt-validation", JwtValidationConfig=elb.JwtValidationConfig(**jwt), **props)
        return out.no_validation() if listener_default else out
    raise TypeError(action)
