"""`sync --watch`: informers on EndpointSlices and Nodes wake the loop; a burst of changes is
debounced into one round; a full round runs at least every resync period (and every 15 s while a
readiness-gated Pod waits for its target); with a Lease only its holder syncs; SIGTERM/SIGINT stop
the loop after the round in progress."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingress2cfn.input.errors import Ingress2CfnError
from ingress2cfn.k8s.reader import SERVICE_NAME_LABEL, ClusterReader
from ingress2cfn.k8s.watch import Informer
from ingress2cfn.sync.bindings import Binding
from ingress2cfn.sync.engine import RoundReport, Syncer
from ingress2cfn.sync.gates import ReadinessGates
from ingress2cfn.sync.objects import ClusterState, parse_state

GATE_REQUEUE_SECONDS = 15.0  # as the controller's --targetgroupbinding-requeue-duration
RETRY_SECONDS = 5.0


@dataclass
class CachedSource:
    """EndpointSlices and Nodes from the informers' caches; Services and Pods read per round."""

    slices: Informer
    nodes: Informer
    reader: ClusterReader

    def snapshot(self, bindings: Sequence[Binding]) -> ClusterState:
        wanted = {(b.namespace, b.service) for b in bindings}
        objects: list[Any] = []
        for namespace, service in sorted(wanted):
            found = self.reader.service(namespace, service)
            if found is not None:
                objects.append((found, None))
        for s in self.slices.objects():
            meta = s.get("metadata") or {}
            if (meta.get("namespace"), (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)) in wanted:
                objects.append((s, None))
        for namespace in sorted({b.namespace for b in bindings if b.target_type == "ip"}):
            objects += [(p, None) for p in self.reader.pods(namespace)]
        objects += [(n, None) for n in self.nodes.objects()]
        return parse_state(objects)


@dataclass
class Trigger:
    """Set by informer events; `settle` waits until no event came for `debounce` seconds (at most 10x that)."""

    event: threading.Event = field(default_factory=threading.Event)
    last: float = 0.0

    def fire(self, _kind: str = "") -> None:
        self.last = time.monotonic()
        self.event.set()

    def settle(self, debounce: float, stop: threading.Event) -> None:
        deadline = time.monotonic() + 10 * debounce
        while not stop.is_set() and time.monotonic() < deadline:
            quiet = time.monotonic() - self.last
            if quiet >= debounce:
                return
            stop.wait(debounce - quiet)


@dataclass
class WatchLoop:
    syncer: Syncer
    source: CachedSource
    informers: list[Informer]
    trigger: Trigger
    stop: threading.Event = field(default_factory=threading.Event)
    resync_period: float = 300.0
    debounce: float = 1.0
    lease: Any = None  # k8s.lease.LeaseLock
    on_round: Callable[[RoundReport], None] = lambda report: None
    on_error: Callable[[str], None] | None = None
    rounds: int = 0

    def _wait(self) -> None:
        gates = [cb for cb in self.syncer.after_round if isinstance(cb, ReadinessGates) and cb.pending]
        timeout = min(self.resync_period, GATE_REQUEUE_SECONDS) if gates else self.resync_period
        if self.lease is not None:
            timeout = min(timeout, max(1.0, self.lease.duration / 3))
        self.trigger.event.wait(timeout)

    def run(self, max_rounds: int | None = None) -> None:
        threads = [threading.Thread(target=i.run, args=(self.stop,), daemon=True, name=f"watch-{i.kind}") for i in self.informers]
        for t in threads:
            t.start()
        try:
            while not self.stop.is_set():
                self._wait()
                if self.stop.is_set():
                    break
                if any(i.relists == 0 for i in self.informers):
                    self.stop.wait(0.05)  # caches not filled yet: a round now would see no endpoints
                    continue
                self.trigger.settle(self.debounce, self.stop)
                self.trigger.event.clear()
                if self.lease is not None and not self.lease.try_acquire():
                    continue
                try:
                    report = self.syncer.run_once(self.source.snapshot(self.syncer.bindings))
                except Ingress2CfnError as exc:  # the cluster could not be read: report, try again shortly
                    if self.on_error is not None:
                        self.on_error(f"{exc} (retrying in {RETRY_SECONDS:g} s)")
                    self.stop.wait(RETRY_SECONDS)
                    self.trigger.fire("RETRY")
                    continue
                self.rounds += 1
                self.on_round(report)
                if max_rounds is not None and self.rounds >= max_rounds:
                    break
        finally:
            self.stop.set()
            for i in self.informers:
                i.stop()
            if self.lease is not None:
                self.lease.release()


def build_loop(
    syncer: Syncer,
    api_client: Any,
    *,
    resync_period: float,
    debounce: float,
    lease: str | None,
    timeout_seconds: int = 60,
    on_error: Callable[[str], None] | None = None,
) -> WatchLoop:
    from kubernetes import client

    from ingress2cfn.k8s.reader import LiveReader

    trigger = Trigger()
    slices = Informer(
        client.DiscoveryV1Api(api_client).list_endpoint_slice_for_all_namespaces, "EndpointSlice", "discovery.k8s.io/v1", trigger.fire, timeout_seconds
    )
    nodes = Informer(client.CoreV1Api(api_client).list_node, "Node", "v1", trigger.fire, timeout_seconds)
    lock = None
    if lease:
        from ingress2cfn.k8s.lease import LeaseLock

        namespace, _, name = lease.partition("/")
        identity = os.environ.get("POD_NAME") or f"{socket.gethostname()}-{os.getpid()}"
        lock = LeaseLock(api_client, namespace or "default", name or "ingress2cfn-sync", identity)
    loop = WatchLoop(
        syncer, CachedSource(slices, nodes, LiveReader(api_client)), [slices, nodes], trigger, resync_period=resync_period, debounce=debounce, lease=lock
    )
    loop.on_error = on_error
    trigger.fire("START")  # the first round as soon as the caches are filled
    return loop


def run_watch(
    syncer: Syncer,
    api_client: Any,
    *,
    resync_period: float,
    debounce: float,
    lease: str | None,
    on_round: Callable[[RoundReport], None],
    on_error: Callable[[str], None] | None = None,
) -> None:
    loop = build_loop(syncer, api_client, resync_period=resync_period, debounce=debounce, lease=lease, on_error=on_error)
    loop.on_round = on_round

    def stop(_signum: int, _frame: Any) -> None:
        loop.stop.set()
        loop.trigger.event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    loop.run()
