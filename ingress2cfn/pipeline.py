"""load → parse → group → build → render, as one call. `render_documents` is pure; `render_files`
adds the file reading edge."""
from __future__ import annotations

from dataclasses import dataclass

from .build import build_all
from .kube import parse_manifests
from .loader import Document, load_sources
from .output import Format, manifests_text, template_text
from .render import bindings, cluster_template, group_template
from .settings import Settings
from .vpc import Vpc, load_vpc


@dataclass(frozen=True)
class RenderRequest:
    sources: tuple[str, ...]
    vpc_file: str
    cluster: str
    namespace: str = "default"
    ingress_class: str = "alb"
    vpc_id: str | None = None
    node_security_group: str | None = None
    hash_service_uid: bool = False
    backend_security_group_id: str | None = None
    fmt: Format = Format.YAML


@dataclass(frozen=True)
class RenderedGroup:
    group_id: str
    stack_name: str
    template: str
    bindings: str


@dataclass(frozen=True)
class RenderResult:
    groups: tuple[RenderedGroup, ...]
    cluster_stack_name: str
    cluster_template: str
    warnings: tuple[str, ...]
    fmt: Format

    def files(self) -> list[tuple[str, str]]:
        out = []
        for g in self.groups:
            out.append((g.stack_name + self.fmt.suffix, g.template))
            out.append((g.stack_name + ".bindings" + self.fmt.suffix, g.bindings))
        out.append((self.cluster_stack_name + self.fmt.suffix, self.cluster_template))
        return out


def render_documents(docs: list[Document], vpc: Vpc, settings: Settings, fmt: Format = Format.YAML,
                     backend_security_group_id: str | None = None) -> RenderResult:
    manifests = parse_manifests(docs, settings.default_namespace)
    stacks, cluster, warnings = build_all(manifests, vpc, settings)
    groups = tuple(
        RenderedGroup(s.group_id, s.stack_name, template_text(group_template(s), fmt), manifests_text(bindings(s, backend_security_group_id), fmt))
        for s in stacks
    )
    return RenderResult(groups, cluster.stack_name, template_text(cluster_template(cluster), fmt), tuple(warnings), fmt)


def render_files(request: RenderRequest, stdin_text: str | None = None) -> RenderResult:
    settings = Settings(
        cluster=request.cluster,
        ingress_class=request.ingress_class,
        default_namespace=request.namespace,
        hash_service_uid=request.hash_service_uid,
        node_security_group=request.node_security_group,
        vpc_id=request.vpc_id,
    )
    docs = load_sources(request.sources, stdin_text)
    vpc = load_vpc(request.vpc_file, request.vpc_id)
    return render_documents(docs, vpc, settings, request.fmt, request.backend_security_group_id)
