"""`render --services-from-cluster`: the Services the Ingresses name come from the live cluster
(official client → kmock), so a NodePort Service without `nodePort` in the files still renders."""

from __future__ import annotations

import yaml
from kit import kubeconfig

from ingress2cfn.cli import EXIT_INVALID, EXIT_OK, main
from ingress2cfn.input.loader import parse_text
from ingress2cfn.render.live_services import named_services

VPC = "examples/2048/vpc.yaml"
MANIFESTS = """\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    alb.ingress.kubernetes.io/actions.split: >-
      {"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"canary","servicePort":80,"weight":10}]}}
spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
"""


def test_named_services_include_backends_and_forward_actions():
    assert named_services(parse_text(MANIFESTS, "m.yaml"), "default") == [("shop", "canary"), ("shop", "web")]


def test_render_reads_the_services_from_the_cluster(api, kube, tmp_path, capsys, monkeypatch):
    from kubernetes import client

    monkeypatch.delenv("KUBERNETES_SERVICE_HOST", raising=False)
    (tmp_path / "m.yaml").write_text(MANIFESTS)
    args = ["render", "-f", str(tmp_path / "m.yaml"), "--vpc", VPC, "--cluster", "my-cluster"]
    assert main(args) == EXIT_INVALID  # nodePort missing in the file
    assert "TargetGroup port is empty" in capsys.readouterr().err
    live = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "shop"}}
    live["spec"] = {"type": "NodePort", "ports": [{"name": "http", "port": 80, "targetPort": 8080, "nodePort": 31234}]}
    client.CoreV1Api(api).create_namespaced_service("shop", live)
    assert main(args + ["--services-from-cluster", "--kubeconfig", kubeconfig(tmp_path, kube.url)]) == EXIT_OK
    template = yaml.safe_load(capsys.readouterr().out)
    (tg,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup"]
    assert tg["Properties"]["Port"] == 31234
    asked = {str(r.url.path) for r in kube.requests if r.method.name == "GET"}
    assert {"/api/v1/namespaces/shop/services/web", "/api/v1/namespaces/shop/services/canary"} <= asked  # canary: 404, left to the files
