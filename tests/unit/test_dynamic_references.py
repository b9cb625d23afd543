"""No manifest string may carry a CloudFormation dynamic reference (`{{resolve:…}}`, any case,
anywhere in the value): every string-typed annotation of the registry and every string field of
the example manifests (the manifest schema as used) is tried, and each is a located error naming
the field. The only dynamic reference in a template is the OIDC client secret ingress2cfn writes."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import kit
import pytest
from kit import P, ingress, service

from ingress2cfn.input import dynamic_references
from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.input.kube import SUPPORTED_KINDS, parse_manifests
from ingress2cfn.input.loader import load_sources
from ingress2cfn.rules.annotations import REGISTRY, ValueType

ROOT = Path(__file__).resolve().parents[2]
REFERENCES = ("{{resolve:secretsmanager:prod/db:SecretString:password}}", "{{RESOLVE:ssm:/prod/api-key}}", "x{{Resolve:ssm-secure:/k:1}}y")


def _value(annotation_type: ValueType, ref: str) -> str:
    if annotation_type is ValueType.STRING_LIST:
        return f"a,{ref}"
    if annotation_type is ValueType.STRING_MAP:
        return f"Team=web,Secret={ref}"
    if annotation_type is ValueType.JSON:
        return json.dumps({"type": "fixed-response", "fixedResponseConfig": {"statusCode": "200", "messageBody": ref}})
    if annotation_type is ValueType.STRING:
        return ref
    return ref  # bool/int annotations: a string is still a string the manifest supplies


def _errors(*objects: dict) -> list[tuple[tuple, str]]:
    with pytest.raises(Ingress2CfnError) as caught:
        parse_manifests(kit.docs(*objects))
    return [(d.location.path if d.location else (), d.message) for d in caught.value.diagnostics]


REGISTRY_CASES = [pytest.param(a, ref, id=f"{a.key}-{i}") for a in REGISTRY for i, ref in enumerate(REFERENCES) if a.type is not ValueType.BOOL or i == 0]


@pytest.mark.parametrize("annotation, ref", REGISTRY_CASES)
def test_every_registry_annotation_refuses_a_dynamic_reference(annotation, ref):
    key = P + annotation.key.replace("${", "").replace("}", "")
    value = _value(annotation.type, ref)
    owner = ingress(annotations={key: value}) if "Ingress" in annotation.read_from else service(annotations={key: value})
    errors = _errors(owner, service() if owner["kind"] == "Ingress" else ingress())
    assert (("metadata", "annotations", key), errors[0][1]) == errors[0]
    assert "CloudFormation dynamic reference" in errors[0][1]


@pytest.mark.parametrize("annotation", [a for a in REGISTRY if a.type is ValueType.JSON], ids=lambda a: a.key)
def test_json_escapes_do_not_hide_it(annotation):
    key = P + annotation.key.replace("${", "").replace("}", "")
    raw = '{"type": "fixed-response", "fixedResponseConfig": {"messageBody": "\\u007b\\u007bresolve:ssm:/prod/key}}"}}'
    assert "{{" not in raw
    errors = _errors(ingress(annotations={key: raw}), service())
    path, message = errors[0]
    assert path == ("metadata", "annotations", key)
    assert message.startswith("fixedResponseConfig.messageBody (decoded from JSON) holds a CloudFormation dynamic reference")


def _string_leaves(data, path=()):
    if isinstance(data, str):
        yield path
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _string_leaves(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _string_leaves(v, path + (i,))


def _set(data, path, value):
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


CLASS_PARAMS = {
    "apiVersion": "elbv2.k8s.aws/v1beta1",
    "kind": "IngressClassParams",
    "metadata": {"name": "params"},
    "spec": {
        "namespaceSelector": {"matchLabels": {"team": "web"}, "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod"]}]},
        "group": {"name": "web"},
        "scheme": "internal",
        "ipAddressType": "ipv4",
        "tags": [{"key": "Team", "value": "web"}],
        "loadBalancerAttributes": [{"key": "idle_timeout.timeout_seconds", "value": "60"}],
        "subnets": {"ids": ["subnet-0aaa0000000000001"], "tags": {"Name": ["public"]}},
        "certificateArn": ["arn:aws:acm:us-east-1:123456789012:certificate/abc"],
        "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "inboundCIDRs": ["10.0.0.0/8"],
        "targetType": "ip",
        "loadBalancerName": "web",
        "listeners": [{"protocol": "HTTPS", "port": 443, "listenerAttributes": [{"key": "routing.http.response.server.enabled", "value": "false"}]}],
    },
}


def _example_objects() -> list[dict]:
    docs = load_sources([str(ROOT / "examples")])
    attacks = ROOT / "examples" / "policy" / "pull-request"  # already hostile: some hold a reference on purpose
    kept = [d for d in docs if not d.loc.file.startswith(str(attacks))]
    return [d.data for d in kept if isinstance(d.data, dict) and d.data.get("kind") in SUPPORTED_KINDS] + [CLASS_PARAMS]


SCHEMA_CASES = []
for obj in _example_objects():
    for leaf in _string_leaves(obj):
        if leaf in (("kind",), ("apiVersion",)):
            continue
        ident = f"{obj['kind']}:{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}:{'.'.join(map(str, leaf))}"
        SCHEMA_CASES.append(pytest.param(obj, leaf, id=ident))
SCHEMA_CASES = list({c.id: c for c in SCHEMA_CASES}.values())


def test_the_schema_walk_covers_every_kind():
    kinds = {c.values[0]["kind"] for c in SCHEMA_CASES}
    assert kinds == set(SUPPORTED_KINDS)
    assert len(SCHEMA_CASES) > 100


@pytest.mark.parametrize("obj, leaf", SCHEMA_CASES)
def test_every_manifest_string_field_refuses_a_dynamic_reference(obj, leaf):
    changed = copy.deepcopy(obj)
    _set(changed, leaf, REFERENCES[len(leaf) % len(REFERENCES)])
    errors = _errors(changed)
    assert errors[0][0] == leaf
    assert "CloudFormation dynamic reference" in errors[0][1]


def test_a_key_is_a_string_too():
    obj = ingress()
    obj["metadata"]["labels"] = {"{{resolve:ssm:/x}}": "v"}
    (path, message), *_ = _errors(obj, service())
    assert "CloudFormation dynamic reference" in message
    assert path == ("metadata", "labels", "{{resolve:ssm:/x}}")


def test_the_message_names_file_line_object_and_field(tmp_path):
    f = tmp_path / "m.yaml"
    f.write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n"
        f'    {P}actions.leak: \'{{"type":"redirect","redirectConfig":{{"host":"{{{{resolve:ssm:/db}}}}","statusCode":"HTTP_302"}}}}\'\n'
        "spec:\n  ingressClassName: alb\n"
    )
    with pytest.raises(Ingress2CfnError) as caught:
        parse_manifests(load_sources([str(f)]))
    assert str(caught.value) == (
        f'{f}:7 [doc 1] Ingress shop/web metadata.annotations["{P}actions.leak"]: holds a CloudFormation dynamic reference '
        "({{resolve:...}}), which CloudFormation would replace with a secret or parameter value at deploy time; manifests may not "
        "contain one (ingress2cfn writes the only ones, for OIDC client secrets)"
    )


def test_the_oidc_client_secret_reference_is_still_written():
    tpl = kit.template(
        ingress(
            annotations={
                "listen-ports": '[{"HTTPS": 443}]',
                "certificate-arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
                "auth-type": "oidc",
                "auth-idp-oidc": json.dumps(
                    {
                        "issuer": "https://idp.example.com",
                        "authorizationEndpoint": "https://idp.example.com/auth",
                        "tokenEndpoint": "https://idp.example.com/token",
                        "userInfoEndpoint": "https://idp.example.com/userinfo",
                        "secretName": "oidc",
                    }
                ),
            }
        ),
        service(),
    )
    assert "{{resolve:secretsmanager:" in json.dumps(tpl)


def test_the_cheap_brace_test_never_misses_a_casefolded_marker():
    """`holds` looks for "{{" before casefolding: sound only while no other character casefolds to
    text holding "{" and none casefolds to nothing (Unicode's tables, checked in full)."""
    odd = [c for c in map(chr, range(sys.maxunicode + 1)) if c != "{" and ("{" in c.casefold() or not c.casefold())]
    assert odd == []
    assert dynamic_references.holds("x{{RESOLVE:ssm:/k}}") and not dynamic_references.holds("{ {resolve:")
    assert dynamic_references.find({"a": [1, {"k{{Resolve:x}}": None}], "b": "{{resolve:y}}"}) == [("a", 1, "k{{Resolve:x}}"), ("b",)]
