"""`ingress2cfn sync --watch --lease` as a process: the official client against kmock (EndpointSlices
and Nodes watched, the Lease taken), moto for AWS; a new endpoint is picked up from the watch
stream; SIGTERM stops it cleanly (exit 0) and releases the Lease."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import boto3
import yaml
from kit import kubeconfig
from sync_kit import NS, binding, endpoint, endpoint_slice, make_target_group, node, pod, registered, service


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_watch_process_follows_the_cluster_and_stops_on_sigterm(api, kube, aws, tmp_path):
    from kubernetes import client

    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    _, arn = make_target_group(elbv2, ec2, "tg-web")
    core, discovery = client.CoreV1Api(api), client.DiscoveryV1Api(api)
    core.create_namespaced_service(NS, service())
    core.create_node(node("node-a", "i-0aaa"))
    core.create_namespaced_pod(NS, pod("a"))  # kmock answers 404 to a list of a kind it holds none of
    discovery.create_namespaced_endpoint_slice(NS, endpoint_slice("web-1", [endpoint("10.0.1.1", "a")]))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(binding("tg-web")))
    env = dict(os.environ, NO_COLOR="1", POD_NAME="sync-0")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    args = ["sync", "--bindings", str(tmp_path / "b.yaml"), "--kubeconfig", kubeconfig(tmp_path, kube.url), "--watch", "--debounce", "0.1"]
    process = subprocess.Popen(
        [sys.executable, "-m", "ingress2cfn.cli", *args, "--lease", f"{NS}/sync"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert wait_for(lambda: registered(elbv2, arn) == {("10.0.1.1", 8080)}), "first round"
        discovery.create_namespaced_endpoint_slice(NS, endpoint_slice("web-2", [endpoint("10.0.1.2", "b")]))  # a watch event
        assert wait_for(lambda: registered(elbv2, arn) == {("10.0.1.1", 8080), ("10.0.1.2", 8080)}), "the watched change"
        assert client.CoordinationV1Api(api).read_namespaced_lease("sync", NS).spec.holder_identity == "sync-0"
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    except AssertionError:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"stdout:\n{out}\nstderr:\n{err}") from None
    assert process.returncode == 0, err
    assert "Traceback" not in err and "registered 1" in out
    assert client.CoordinationV1Api(api).read_namespaced_lease("sync", NS).spec.holder_identity is None  # released


def test_watch_reports_a_failed_read_and_keeps_running(api, kube, aws, tmp_path):
    """No Pods in the namespace: kmock answers the Pod list with 404, as a real API server might
    answer a missing permission with 403. The loop warns and retries; SIGTERM still stops it."""
    from kubernetes import client

    elbv2, ec2 = boto3.client("elbv2", region_name="us-east-1"), boto3.client("ec2", region_name="us-east-1")
    make_target_group(elbv2, ec2, "tg-web")
    client.CoreV1Api(api).create_node(node("node-a", "i-0aaa"))
    client.DiscoveryV1Api(api).create_namespaced_endpoint_slice(NS, endpoint_slice("web-1", [endpoint("10.0.1.1", "a")]))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(binding("tg-web")))
    env = dict(os.environ, NO_COLOR="1")
    env.pop("KUBERNETES_SERVICE_HOST", None)
    args = ["sync", "--bindings", str(tmp_path / "b.yaml"), "--kubeconfig", kubeconfig(tmp_path, kube.url), "--watch", "--debounce", "0.1"]
    process = subprocess.Popen([sys.executable, "-m", "ingress2cfn.cli", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: any("pods" in str(r.url) for r in kube.requests))
    time.sleep(0.5)
    assert process.poll() is None  # still running
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "listing Pods in shop: 404" in err and "retrying" in err and "Traceback" not in err
