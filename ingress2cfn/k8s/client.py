"""The official `kubernetes` client, made once: in-cluster config when running in a Pod, else the
kubeconfig (KUBECONFIG or ~/.kube/config, optional context). The client is an optional extra."""

from __future__ import annotations

import os
from typing import Any

from ingress2cfn.input.errors import Ingress2CfnError


class K8sError(Ingress2CfnError):
    """Reading or writing the cluster failed, or the client is missing."""


def require() -> Any:
    try:
        import kubernetes
    except ImportError:
        raise K8sError("reading a live cluster needs the Kubernetes client: pip install 'ingress2cfn[k8s]' (or give --endpoints FILE)") from None
    return kubernetes


def api_client(kubeconfig: str | None = None, context: str | None = None) -> Any:
    kubernetes = require()
    try:
        if kubeconfig is None and context is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            kubernetes.config.load_incluster_config()
            return kubernetes.client.ApiClient()
        configuration = kubernetes.client.Configuration()
        # KUBECONFIG read now: the client reads it once, when it is first imported
        config_file = kubeconfig or os.environ.get("KUBECONFIG") or None
        kubernetes.config.load_kube_config(config_file=config_file, context=context, client_configuration=configuration)
        return kubernetes.client.ApiClient(configuration)
    except (kubernetes.config.ConfigException, OSError) as exc:
        raise K8sError(f"no Kubernetes configuration: {exc} (set KUBECONFIG, --kubeconfig, or run in the cluster)") from None


def failed(what: str, exc: Exception) -> K8sError:
    status = getattr(exc, "status", None)
    reason = getattr(exc, "reason", None) or str(exc)
    return K8sError(f"{what}: {status} {reason}" if status else f"{what}: {reason}")
