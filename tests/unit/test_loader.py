"""Multi-document loading with positions, and located errors from kube parsing."""

from __future__ import annotations

import pytest

from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import parse_manifests
from ingress2cfn.input.loader import parse_text

TWO_DOCS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    alb.ingress.kubernetes.io/scheme: internal
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Sideways
        backend: {service: {name: s, port: {number: 80}}}
"""


def test_documents_are_numbered_and_positions_kept():
    docs = parse_text(TWO_DOCS, "m.yaml")
    assert [d.loc.doc for d in docs] == [1, 2]
    assert docs[1].positions.lookup(("metadata", "annotations", "alb.ingress.kubernetes.io/scheme")) == (10, 39)
    assert docs[1].positions.lookup(("spec", "rules", 0, "http", "paths", 0, "pathType")) == (16, 19)


def test_error_names_file_line_doc_object_and_field():
    with pytest.raises(InputError) as info:
        parse_manifests(parse_text(TWO_DOCS, "m.yaml"))
    assert str(info.value) == (
        "m.yaml:16 [doc 2] Ingress default/web spec.rules[0].http.paths[0].pathType: "
        "unknown pathType for path /: 'Sideways' (want Exact, Prefix or ImplementationSpecific)"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("a: [1, 2\n", "m.yaml:2 [doc 1]: not valid YAML/JSON", id="unclosed-flow"),
        pytest.param("a: 1\n---\nb: {c\n", "[doc 2]", id="second-doc"),
        pytest.param('{"kind": "Ingress",}', "m.json:1 [doc 1]: not valid JSON", id="json-trailing-comma"),
    ],
)
def test_yaml_errors_are_located(text, expected):
    with pytest.raises(InputError) as info:
        parse_text(text, "m.json" if text.startswith("{") else "m.yaml")
    assert expected in str(info.value)


def test_list_items_keep_their_position():
    text = """\
apiVersion: v1
kind: List
items:
- apiVersion: networking.k8s.io/v1
  kind: Ingress
  metadata: {name: a}
  spec:
    rules:
    - http:
        paths:
        - {path: /, pathType: Prefix, backend: {service: {name: s, port: {name: http, number: 80}}}}
"""
    with pytest.raises(InputError) as info:
        parse_manifests(parse_text(text, "l.yaml"))
    message = str(info.value)
    assert message.startswith("l.yaml:11 [doc 1] Ingress default/a items[0].spec.rules[0].http.paths[0].backend.service.port")
    assert "exactly one of name and number" in message


def test_empty_documents_are_skipped_and_other_kinds_ignored():
    docs = parse_text("---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n", "m.yaml")
    manifests = parse_manifests(docs)
    assert manifests.ingresses == [] and manifests.services == {}
