"""Ingress status write-back (lbc-semantics.md §11) with the official `kubernetes` client against
kmock over HTTP on 127.0.0.1 (conftest.py `kube`), and the whole loop: the 2048 stacks in moto,
5 targets registered, status collected, written to the member Ingress."""

from __future__ import annotations

import boto3
import pytest

from ingress2cfn.aws.clients import AwsClients
from ingress2cfn.k8s.ingress_status import Address, IngressStatusError, Outcome, StatusWrite, write_ingress_status
from ingress2cfn.status.collect import collect
from ingress2cfn.status.writeback import refresh, write_back

ALB = Address("K8S-Game2048-Ingress2-184C5765E8-1234567890.US-EAST-1.elb.amazonaws.com", (443, 80))
EXPECTED = {
    "ingress": [
        {
            "hostname": "k8s-game2048-ingress2-184c5765e8-1234567890.us-east-1.elb.amazonaws.com",
            "ports": [{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}],
        }
    ]
}


def status_of(api, namespace: str, name: str) -> dict:
    ingress = api.read_namespaced_ingress(name, namespace)
    return api.api_client.sanitize_for_serialization(ingress.status.load_balancer) if ingress.status and ingress.status.load_balancer else {}


def patches(kube) -> list:
    return [r for r in kube.requests() if str(r.method).upper().endswith("PATCH")]


def test_writes_hostname_and_ports_through_the_status_subresource(kube):
    api = kube.networking()
    kube.create_ingress("game-2048", "ingress-2048")
    kube.create_ingress("game-2048", "bystander")
    result = write_ingress_status(api, ["game-2048/ingress-2048"], [ALB])
    assert result == [StatusWrite("game-2048/ingress-2048", Outcome.UPDATED)]
    assert status_of(api, "game-2048", "ingress-2048") == EXPECTED
    assert status_of(api, "game-2048", "bystander") == {}
    [patch] = patches(kube)
    assert patch.subresource == "status" and patch.name == "ingress-2048" and patch.namespace == "game-2048"


def test_unchanged_status_is_not_patched_again(kube):
    api = kube.networking()
    kube.create_ingress("game-2048", "ingress-2048")
    write_ingress_status(api, ["game-2048/ingress-2048"], [ALB])
    again = write_ingress_status(api, ["game-2048/ingress-2048"], [ALB])
    assert again == [StatusWrite("game-2048/ingress-2048", Outcome.UNCHANGED)]
    assert len(patches(kube)) == 1


def test_a_new_address_replaces_the_old_entries(kube):
    api = kube.networking()
    kube.create_ingress("shop", "web")
    write_ingress_status(api, ["shop/web"], [ALB, Address("nlb.example.com", (443,))])
    write_ingress_status(api, ["shop/web"], [Address("other-alb.example.com", (80,))])
    assert status_of(api, "shop", "web") == {"ingress": [{"hostname": "other-alb.example.com", "ports": [{"port": 80, "protocol": "TCP"}]}]}


def test_missing_member_and_no_address(kube):
    api = kube.networking()
    kube.create_ingress("shop", "web")
    assert write_ingress_status(api, ["shop/gone", "shop/web"], [ALB]) == [StatusWrite("shop/gone", Outcome.MISSING), StatusWrite("shop/web", Outcome.UPDATED)]
    assert write_ingress_status(api, ["shop/web"], []) == []
    assert len(patches(kube)) == 1


def test_api_refusal_is_a_located_error(kube):
    api = kube.networking()
    kube.create_ingress("shop", "web")
    kube.emulator["patch"] << 403
    with pytest.raises(IngressStatusError, match=r"writing status.loadBalancer of Ingress shop/web: HTTP 403"):
        write_ingress_status(api, ["shop/web"], [ALB])


def test_deployed_2048_synced_status_reaches_the_ingress(deployed_2048, kube):
    """The loop the integrator wires: stacks deployed (moto), 5 ready endpoints registered (as sync
    will), status collected, written back to the member Ingress (kmock)."""
    boto3.client("elbv2", region_name="us-east-1").register_targets(
        TargetGroupArn=deployed_2048.target_group_arn, Targets=[{"Id": f"10.0.1.{n}", "Port": 80} for n in range(11, 16)]
    )
    api = kube.networking()
    kube.create_ingress("game-2048", "ingress-2048")
    group = collect(AwsClients(region="us-east-1"), deployed_2048.group_stack)
    assert group.target_groups[0].count("healthy") == 5
    assert write_back(api, group) == [StatusWrite("game-2048/ingress-2048", Outcome.UPDATED)]
    ingress = api.read_namespaced_ingress("ingress-2048", "game-2048")
    assert ingress.status.load_balancer.ingress[0].hostname == deployed_2048.dns_name.lower()
    assert [p.port for p in ingress.status.load_balancer.ingress[0].ports] == [80]


def test_refresh_after_a_round_writes_group_members_and_skips_the_cluster_stack(deployed_2048, kube):
    """What deploy and every sync round call: the light read (no events, no target health)."""
    kube.create_ingress("game-2048", "ingress-2048")
    api = kube.networking()
    stacks = [deployed_2048.cluster_stack, deployed_2048.group_stack]
    assert refresh(AwsClients(region="us-east-1"), api, stacks) == [StatusWrite("game-2048/ingress-2048", Outcome.UPDATED)]
    assert refresh(AwsClients(region="us-east-1"), api, stacks) == [StatusWrite("game-2048/ingress-2048", Outcome.UNCHANGED)]
    assert status_of(api, "game-2048", "ingress-2048")["ingress"][0]["hostname"] == deployed_2048.dns_name.lower()


def test_cli_helper_writes_and_warns_instead_of_failing(deployed_2048, kube, capsys):
    from kubernetes import client

    from ingress2cfn.cli.write_status import after_round

    config = client.Configuration()
    config.host = kube.url
    kube.create_ingress("game-2048", "ingress-2048")
    callback = after_round(AwsClients(region="us-east-1"), client.ApiClient(config), [deployed_2048.group_stack])
    callback(None)
    assert "Ingress game-2048/ingress-2048: status.loadBalancer written" in capsys.readouterr().err
    assert status_of(kube.networking(), "game-2048", "ingress-2048")["ingress"][0]["hostname"] == deployed_2048.dns_name.lower()
    kube.emulator["patch"] << 403
    kube.networking().delete_namespaced_ingress("ingress-2048", "game-2048")
    kube.create_ingress("game-2048", "ingress-2048")  # status gone: the next round must write again, and is refused
    callback(None)
    assert "warning: Ingress status not written: writing status.loadBalancer of Ingress game-2048/ingress-2048: HTTP 403" in capsys.readouterr().err


def test_unreachable_api_server_is_our_error_not_a_traceback():
    """No server on the port: urllib3 gives up after the client's retries; the caller gets an
    IngressStatusError (deploy and sync turn it into a warning)."""
    import socket

    from kubernetes import client

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = client.Configuration()
    config.host = f"http://127.0.0.1:{port}"
    config.retries = 0
    api = client.NetworkingV1Api(client.ApiClient(config))
    with pytest.raises(IngressStatusError, match="writing status.loadBalancer of Ingress game-2048/ingress-2048: MaxRetryError"):
        write_ingress_status(api, ["game-2048/ingress-2048"], [ALB])
