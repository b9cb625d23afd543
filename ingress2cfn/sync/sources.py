"""Where the cluster snapshot comes from: files (`--endpoints`) or the live cluster (k8s.reader)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingress2cfn.k8s.files import Located
from ingress2cfn.k8s.reader import ClusterReader
from ingress2cfn.sync.bindings import Binding
from ingress2cfn.sync.objects import ClusterState, parse_state


@dataclass
class FileSource:
    objects: list[Located]

    def snapshot(self, bindings: Sequence[Binding]) -> ClusterState:
        return parse_state(self.objects)


@dataclass
class LiveSource:
    """Reads only what the bindings need: their Services and EndpointSlices, the Pods of namespaces
    with ip bindings (for readiness-gated endpoints), and the Nodes."""

    reader: ClusterReader

    def snapshot(self, bindings: Sequence[Binding]) -> ClusterState:
        objects: list[Located] = []
        for namespace, service in sorted({(b.namespace, b.service) for b in bindings}):
            found = self.reader.service(namespace, service)
            if found is not None:
                objects.append((found, None))
            objects += [(s, None) for s in self.reader.endpoint_slices(namespace, service)]
        for namespace in sorted({b.namespace for b in bindings if b.target_type == "ip"}):
            objects += [(p, None) for p in self.reader.pods(namespace)]
        objects += [(n, None) for n in self.reader.nodes()]
        return parse_state(objects)
