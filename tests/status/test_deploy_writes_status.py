"""`deploy` writes the ALB's address to the member Ingresses (§11) when a cluster is reachable, and
says where it will be written instead when none is: moto server for AWS, kmock for Kubernetes."""

from __future__ import annotations

from ec2_kit import CLUSTER, make_cluster_vpc
from kit import kubeconfig

from ingress2cfn.cli import EXIT_OK, main
from tools.regenerate_templates import ROOT

REGION = "us-east-1"
EXAMPLE_2048 = ROOT / "examples/2048/2048_full.yaml"


def _deploy(tmp_path, *extra: str) -> int:
    import boto3

    make_cluster_vpc(boto3.client("ec2", region_name=REGION))
    return main(["deploy", "-f", str(EXAMPLE_2048), "--vpc", "aws", "--cluster", CLUSTER, "--yes", *extra])


def test_deploy_writes_the_alb_address_to_the_ingress(aws, kube, tmp_path, capsys):
    import boto3

    kube.create_ingress("game-2048", "ingress-2048")
    assert _deploy(tmp_path, "--kubeconfig", kubeconfig(tmp_path, kube.url)) == EXIT_OK, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "Ingress game-2048/ingress-2048: status.loadBalancer written" in err
    (lb,) = boto3.client("elbv2", region_name=REGION).describe_load_balancers()["LoadBalancers"]
    status = kube.networking().read_namespaced_ingress("ingress-2048", "game-2048").status
    assert status.load_balancer.ingress[0].hostname == lb["DNSName"].lower()
    assert any(r.url.path.endswith("/ingresses/ingress-2048/status") for r in kube.requests() if r.method == "PATCH")


def test_deploy_without_a_cluster_says_sync_writes_the_status(aws, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "none"))
    assert _deploy(tmp_path) == EXIT_OK
    assert "Ingress status not written: no Kubernetes configuration" in capsys.readouterr().err


def test_no_write_status_skips_it(aws, kube, tmp_path, capsys):
    kube.create_ingress("game-2048", "ingress-2048")
    assert _deploy(tmp_path, "--kubeconfig", kubeconfig(tmp_path, kube.url), "--no-write-status") == EXIT_OK
    status = kube.networking().read_namespaced_ingress("ingress-2048", "game-2048").status
    assert not (status and status.load_balancer and status.load_balancer.ingress)
    assert not [r for r in kube.requests() if r.method == "PATCH"]
