"""Which targets of a multi-cluster target group this cluster registered (§12, LBC's
multiClusterTargetGroup). The record is a ConfigMap `ingress2cfn-targets-<binding>` in the
binding's namespace, data key `targets`: one `id:port` a line, sorted. It is written with the
targets about to be registered before registering (a crash cannot leave an unrecorded target of
ours behind), and set to the desired targets after deregistering. Another cluster keeps its own
record in its own cluster, so neither ever deregisters the other's targets."""

from __future__ import annotations

from typing import Protocol

from ingress2cfn.k8s.configmaps import ConfigMaps
from ingress2cfn.sync.bindings import Binding
from ingress2cfn.sync.targets import Target, parse_key

DATA_KEY = "targets"


def configmap_name(binding: Binding) -> str:
    return f"ingress2cfn-targets-{binding.name}"[:253]


def encode(targets: frozenset[Target]) -> str:
    return "".join(f"{t.key}\n" for t in sorted(targets))


def decode(text: str) -> frozenset[Target]:
    return frozenset(t for t in (parse_key(line) for line in text.splitlines() if line.strip()) if t is not None)


class OwnershipStore(Protocol):
    def read(self, binding: Binding) -> frozenset[Target]: ...

    def write(self, binding: Binding, owned: frozenset[Target]) -> None: ...


class MemoryOwnership:
    """A record kept only for the life of the process: for `--endpoints` files without a cluster to
    hold the ConfigMap (the CLI warns), and for tests of the pure parts."""

    def __init__(self) -> None:
        self.records: dict[str, frozenset[Target]] = {}

    def read(self, binding: Binding) -> frozenset[Target]:
        return self.records.get(binding.ref, frozenset())

    def write(self, binding: Binding, owned: frozenset[Target]) -> None:
        self.records[binding.ref] = owned


class ConfigMapOwnership:
    """The record in the cluster: ConfigMap `ingress2cfn-targets-<binding>` in the binding's namespace."""

    def __init__(self, configmaps: ConfigMaps):
        self.configmaps = configmaps

    def read(self, binding: Binding) -> frozenset[Target]:
        data = self.configmaps.read(binding.namespace, configmap_name(binding)) or {}
        return decode(data.get(DATA_KEY, ""))

    def write(self, binding: Binding, owned: frozenset[Target]) -> None:
        labels = {"app.kubernetes.io/managed-by": "ingress2cfn", "ingress2cfn/binding": binding.name[:63]}
        self.configmaps.write(binding.namespace, configmap_name(binding), {DATA_KEY: encode(owned)}, labels)
