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


# The walk builds plain documents itself; these must read exactly as SafeConstructor reads them,
# and everything else must still go through SafeConstructor.
ODD_DOCUMENTS = (
    "a: 1\nb: 0x1F\nc: 1_000\nd: 0o17\ne: 1:30\nf: -0b101\ng: +12\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: 1e3\ne: 6.8523015e+5\nf: 1_0.5\ng: 190:20:30.15\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: ''\n",
    "a: '1'\nb: \"true\"\nc: !!str 12\nd: !!int '12'\ne: !!float 1\nf: !!bool yes\ng: !!null ''\n",
    "t: 2001-12-14\nu: 2001-12-14t21:59:43.10-05:00\nb: !!binary aGVsbG8=\n",
    "base: &b {x: 1, y: [a, b]}\nuse: *b\nmerged:\n  <<: *b\n  z: 2\n",
    "s: &s hello\nt: *s\nlist: &l [1, 2]\nagain: *l\n",
    "1: one\ntrue: yes\nnull: n\n1.5: f\n",
    "set: !!set {a, b}\nomap: !!omap [a: 1, b: 2]\npairs: !!pairs [a: 1, a: 2]\n",
    "- a\n- [b, {c: d}]\n- {e: [f, 1, 2.5, null, true]}\n",
    "just a string\n",
    "42\n",
    "{}\n",
    "[]\n",
    "a: {}\nb: []\nc: [[], [{}]]\n",
    "nan: .nan\n",
)


def _typed(value):
    """`value` with every type made visible (True == 1 and nan != nan otherwise blur the comparison)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple, set, frozenset)):
        return (type(value).__name__, [_typed(v) for v in (sorted(value) if isinstance(value, (set, frozenset)) else value)])
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("text", ODD_DOCUMENTS)
def test_the_walk_builds_what_safeconstructor_builds(text):
    import yaml

    expected = [d for d in yaml.load_all(text, Loader=yaml.SafeLoader) if d is not None]
    assert [_typed(d.data) for d in parse_text(text, "x.yaml")] == [_typed(d) for d in expected]


def test_an_alias_of_a_collection_is_one_object_as_with_safeconstructor():
    (doc,) = parse_text("base: &b {x: [1]}\nuse: *b\nl: &l [a]\nm: *l\n", "x.yaml")
    assert doc.data["use"] is doc.data["base"] and doc.data["m"] is doc.data["l"]


def test_every_example_reads_as_safeconstructor_reads_it():
    import yaml

    from tools.regenerate_templates import ROOT

    files = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        expected = [d for d in yaml.load_all(text, Loader=yaml.SafeLoader) if d is not None]
        assert [_typed(d.data) for d in parse_text(text, str(path))] == [_typed(d) for d in expected], path


def test_safeconstructor_reads_only_what_the_walk_does_not_build(monkeypatch):
    from ingress2cfn.input import loader

    used = []
    original = loader._Constructor.construct_document
    monkeypatch.setattr(loader._Constructor, "construct_document", lambda self, node: used.append(node) or original(self, node))
    parse_text("".join(f"---\n{text}" for text in ODD_DOCUMENTS[:4] + ODD_DOCUMENTS[9:]), "x.yaml")
    assert used == []
    for text in ODD_DOCUMENTS[4:9]:  # timestamps and binary, aliases and merge keys, non-string keys, other collection tags
        parse_text(text, "x.yaml")
    assert len(used) == 5
