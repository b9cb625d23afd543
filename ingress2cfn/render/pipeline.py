"""load → parse → group → build → render, as one call. `render_documents` is pure; `render_files`
adds the file reading edge."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

import msgspec

from ingress2cfn.build import build_all
from ingress2cfn.build.certificates import discover as discover_certificates
from ingress2cfn.build.split import read_previous
from ingress2cfn.input.diagnostics import Diagnostic
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import READ_KINDS, Manifests, Namespace, parse_manifests
from ingress2cfn.input.loader import Document, load_sources
from ingress2cfn.input.vpc import Vpc, load_vpc
from ingress2cfn.model.certificates import CertificateSource
from ingress2cfn.model.settings import Settings
from ingress2cfn.model.stack import GroupStack
from ingress2cfn.render.live_services import ServiceSource, with_live_services
from ingress2cfn.render.serialise import Format, manifests_text, template_text
from ingress2cfn.render.templates import bindings, cluster_template, group_template, stack_size
from ingress2cfn.rules.groups import skip_reason


class RenderRequest(msgspec.Struct, frozen=True):
    """What `render`, `lint`, `plan` and `deploy` read: built once by the CLI. A new render option is
    a field of Settings (or of this request when it concerns files, not meaning)."""

    sources: tuple[str, ...]
    vpc_file: str
    settings: Settings
    fmt: Format = Format.YAML
    backend_security_group_id: str | None = None
    binding_networking: bool = False  # TargetGroupBinding networking rules (off: the cluster stack owns them)
    previous_dir: str | None = None  # --split-by-quota reads the last shard assignment from here
    vpc: Vpc | None = None  # already loaded (`--vpc aws`: read live by the CLI); None: read vpc_file
    namespaces_file: str | None = None  # --namespaces: the cluster's Namespaces, for namespaceSelector


_T = TypeVar("_T")
_R = TypeVar("_R")


class Mapper(Protocol):
    """How the per-stack serialisation runs: `serial_map` here; the CLI may pass one that shares
    the stacks among processes (cli/batch.py). Results in the items' order."""

    def __call__(self, fn: Callable[[_T], _R], items: Sequence[_T], /) -> Iterable[_R]: ...


def serial_map(fn: Callable[[_T], _R], items: Sequence[_T], /) -> list[_R]:
    return [fn(item) for item in items]


class RenderedGroup(msgspec.Struct, frozen=True):
    group_id: str
    stack_name: str
    template: str
    bindings: str


class RenderResult(msgspec.Struct, frozen=True):
    groups: tuple[RenderedGroup, ...]
    cluster_stack_name: str
    cluster_template: str
    warnings: tuple[Diagnostic, ...]  # lint reports them as findings (rule I2C0001)
    fmt: Format
    notes: tuple[str, ...] = ()  # facts looked up live, e.g. which host got which ACM certificate
    details: tuple[str, ...] = ()  # longer notes, shown with -v (the hosts of each shard)
    skipped: tuple[str, ...] = ()  # "Ingress ns/name: why it is not ours", when no Ingress is

    def files(self) -> list[tuple[str, str]]:
        out = []
        for g in self.groups:
            out.append((g.stack_name + self.fmt.suffix, g.template))
            out.append((g.stack_name + ".bindings" + self.fmt.suffix, g.bindings))
        out.append((self.cluster_stack_name + self.fmt.suffix, self.cluster_template))
        return out


def shard_note(stack: GroupStack) -> str:
    """One line per shard: which ALB, how many hosts and Ingresses (`shard_hosts` lists the hosts)."""
    hosts = [h for h in stack.shard_units if not h.startswith("ingress:")]
    return (
        f"split: IngressGroup {stack.group_id} shard {stack.shard} (stack {stack.stack_name}, ALB {stack.load_balancer.name}): "
        f"{len(hosts)} host{'' if len(hosts) == 1 else 's'}, {len(stack.members)} Ingress{'' if len(stack.members) == 1 else 'es'}"
    )


def shard_hosts(stack: GroupStack) -> str:
    hosts = [h or "(rules without host)" for h in stack.shard_units if not h.startswith("ingress:")]
    return f"split: IngressGroup {stack.group_id} shard {stack.shard} serves hosts: {', '.join(hosts) or '-'}"


def _check_stack_size(stack: GroupStack, manifests: Manifests, settings: Settings) -> None:
    resources, outputs = stack_size(stack)
    for quota, count in (("resources-per-stack", resources), ("outputs-per-stack", outputs)):
        limit = settings.limits[quota]
        if count > limit:
            first = next((i for i in manifests.ingresses if i.key in stack.members), None)
            raise InputError(
                f"IngressGroup {stack.group_id} needs {count} {quota.split('-')[0]} in stack {stack.stack_name}, more than the "
                f"{limit} CloudFormation allows in one stack ({quota}): render with --split-by-quota, or lower the ALB quotas "
                "you raised with --quota",
                first.origin.loc if first is not None else None,
                f"IngressGroup {stack.group_id}",
            )


def _rendered_group(stack: GroupStack, *, fmt: Format, backend_security_group_id: str | None, binding_networking: bool) -> RenderedGroup:
    return RenderedGroup(
        stack.group_id,
        stack.stack_name,
        template_text(group_template(stack), fmt),
        manifests_text(bindings(stack, backend_security_group_id, binding_networking), fmt),
    )


def render_documents(
    docs: list[Document],
    vpc: Vpc,
    settings: Settings,
    fmt: Format = Format.YAML,
    backend_security_group_id: str | None = None,
    *,
    binding_networking: bool = False,
    certificates: CertificateSource | None = None,
    previous_shards: dict | None = None,
    namespaces: dict[str, Namespace] | None = None,
    mapper: Mapper = serial_map,
) -> RenderResult:
    """`certificates`: where ACM certificates come from for discovery (§5.3); None = offline.
    `namespaces`: the cluster's Namespaces (--namespaces FILE), whose labels an IngressClassParams
    namespaceSelector is matched against. Namespace objects among `docs` are never used for that:
    the input being judged must not vouch for itself. `mapper` runs the serialisation of the
    stacks (troposphere objects → template and binding text), the only part that is per stack."""
    manifests = parse_manifests(docs, settings.default_namespace)
    manifests.namespaces = dict(namespaces or {})
    notes: tuple[str, ...] = ()
    if certificates is not None:
        manifests, notes = discover_certificates(manifests, settings, certificates)
    stacks, cluster, built_warnings = build_all(manifests, vpc, settings, previous_shards)
    warnings = manifests.warnings + built_warnings
    notes = notes + tuple(shard_note(s) for s in stacks if s.shard is not None)
    details = tuple(shard_hosts(s) for s in stacks if s.shard is not None)
    for s in stacks:
        _check_stack_size(s, manifests, settings)
    render_one = partial(_rendered_group, fmt=fmt, backend_security_group_id=backend_security_group_id, binding_networking=binding_networking)
    groups = tuple(mapper(render_one, stacks))
    skipped = () if groups else tuple(f"{i.describe}: {skip_reason(i, manifests, settings)}" for i in manifests.ingresses)
    return RenderResult(
        groups, cluster.stack_name, template_text(cluster_template(cluster), fmt), tuple(warnings), fmt, notes, details=details, skipped=skipped
    )


def load_documents(request: RenderRequest, stdin_text: str | None = None) -> list[Document]:
    """The -f sources of a request, documents of the kinds render reads (others are skipped
    unconstructed), stdin strictly as UTF-8."""
    return load_sources(request.sources, stdin_text, READ_KINDS)


def render_files(
    request: RenderRequest,
    stdin_text: str | None = None,
    *,
    certificates: CertificateSource | None = None,
    services: ServiceSource | None = None,
    previous_shards: dict | None = None,
    documents: list[Document] | None = None,
    mapper: Mapper = serial_map,
) -> RenderResult:
    """The file-reading edge of `render_documents`; `certificates` is the live ACM source for
    --discover-certificates (the CLI makes it from ingress2cfn.aws), `services` the live Service
    reader for --services-from-cluster (from ingress2cfn.k8s); None offline. `previous_shards` (the
    deployer's reading of the deployed templates, `build.split.previous_from_templates`) wins over
    `request.previous_dir`. `documents`: the request's sources when the caller has read them
    already (lint reads them once)."""
    docs = documents if documents is not None else load_documents(request, stdin_text)
    if services is not None:
        docs = with_live_services(docs, request.settings.default_namespace, services)
    vpc = request.vpc or load_vpc(request.vpc_file, request.settings.vpc_id)
    previous = previous_shards
    if previous is None and request.settings.split_by_quota and request.previous_dir:
        previous = read_previous(Path(request.previous_dir))
    namespaces = load_namespaces(request.namespaces_file) if request.namespaces_file else None
    return render_documents(
        docs,
        vpc,
        request.settings,
        request.fmt,
        request.backend_security_group_id,
        binding_networking=request.binding_networking,
        certificates=certificates,
        previous_shards=previous,
        namespaces=namespaces,
        mapper=mapper,
    )


def load_namespaces(path: str) -> dict[str, Namespace]:
    """The Namespace objects of a file (`kubectl get namespaces -o yaml`: a List); other kinds are ignored."""
    return parse_manifests(load_sources([path])).namespaces
