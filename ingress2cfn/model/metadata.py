"""The `Metadata.ingress2cfn` blocks of a rendered template: the one place that writes them and
reads them back (lint maps findings to manifests with them, `--split-by-quota` reads the last
shard assignment, the deployer reads stack names and tags, sync reads the Services behind target
groups).

Template level: {cluster, stackName, stackTags, group?, members?, shard?, units?}.
Resource level: {group?, sources: [ns/name...], ingress?, rule?, service?, role?, addon?,
cluster?, groups?, multiCluster?, nodeSelector?}. Readers never trust the shape: a template is user input for `lint --template`."""

from __future__ import annotations

from typing import Any

import msgspec
import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

KEY = "ingress2cfn"
STACK_TAG_CLUSTER = "ingress2cfn/cluster"
STACK_TAG_GROUP = "ingress2cfn/group"
STACK_TAG_KIND = "ingress2cfn/kind"


def stack_tags(cluster: str, group: str | None) -> dict[str, str]:
    tags = {STACK_TAG_CLUSTER: cluster, STACK_TAG_KIND: "group" if group is not None else "cluster"}
    if group is not None:
        tags[STACK_TAG_GROUP] = group
    return tags


# ------------------------------------------------------------------------------------ writers


def resource_metadata(group: str, sources: tuple[str, ...] | list[str], **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"group": group, "sources": list(sources)}
    body.update(extra)
    return {KEY: body}


def group_template_metadata(
    cluster: str, group: str, stack_name: str, members: tuple[str, ...], shard: int | None = None, units: tuple[str, ...] = ()
) -> dict[str, Any]:
    body: dict[str, Any] = {"cluster": cluster, "group": group, "stackName": stack_name, "stackTags": stack_tags(cluster, group), "members": list(members)}
    if shard is not None:  # --split-by-quota reads these back on the next render (build.split)
        body.update(shard=shard, units=list(units))
    return {KEY: body}


def cluster_template_metadata(cluster: str, stack_name: str) -> dict[str, Any]:
    return {KEY: {"cluster": cluster, "stackName": stack_name, "stackTags": stack_tags(cluster, None)}}


def backend_metadata(cluster: str, groups: tuple[str, ...] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"cluster": cluster, "role": "backend"}
    if groups is not None:
        body["groups"] = list(groups)
    return {KEY: body}


# ------------------------------------------------------------------------------------ readers


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def block(node: Any) -> dict[str, Any]:
    """The raw `Metadata.ingress2cfn` mapping of a template or resource body ({} when absent or malformed)."""
    return _dict(_dict(_dict(node).get("Metadata")).get(KEY))


class TemplateMeta(msgspec.Struct, frozen=True):
    cluster: str | None = None
    group: str | None = None
    stack_name: str | None = None
    stack_tags: tuple[tuple[str, str], ...] = ()
    members: tuple[str, ...] = ()
    shard: int | None = None
    units: tuple[str, ...] = ()
    present: bool = False


class ResourceMeta(msgspec.Struct, frozen=True):
    group: str | None = None
    sources: tuple[str, ...] = ()
    ingress: str | None = None
    rule: str | None = None
    service: str | None = None
    role: str | None = None
    addon: str | None = None
    multi_cluster: bool = False  # target groups: multi-cluster-target-group
    node_selector: tuple[tuple[str, str], ...] = ()  # target groups: target-node-labels
    present: bool = False  # the resource has a non-empty block

    @property
    def blamed_ingress(self) -> str | None:
        """The Ingress a finding on this resource is about: `ingress`, else the only `sources` entry."""
        if self.ingress is not None:
            return self.ingress
        return self.sources[0] if len(self.sources) == 1 else None


def read_template(template: Any) -> TemplateMeta:
    raw = block(template)
    if not raw:
        return TemplateMeta()
    tags = _dict(raw.get("stackTags"))
    shard = raw.get("shard")
    return TemplateMeta(
        cluster=_str(raw.get("cluster")),
        group=_str(raw.get("group")),
        stack_name=_str(raw.get("stackName")),
        stack_tags=tuple(sorted((k, v) for k, v in tags.items() if isinstance(k, str) and isinstance(v, str))),
        members=_strs(raw.get("members")),
        shard=shard if isinstance(shard, int) and not isinstance(shard, bool) else None,
        units=_strs(raw.get("units")),
        present=True,
    )


def read_resource(body: Any) -> ResourceMeta:
    raw = block(body)
    return ResourceMeta(
        group=_str(raw.get("group")),
        sources=_strs(raw.get("sources")),
        ingress=_str(raw.get("ingress")),
        rule=_str(raw.get("rule")),
        service=_str(raw.get("service")),
        role=_str(raw.get("role")),
        addon=_str(raw.get("addon")),
        present=bool(raw),
        multi_cluster=raw.get("multiCluster") is True,
        node_selector=tuple(sorted((k, v) for k, v in _dict(raw.get("nodeSelector")).items() if isinstance(k, str) and isinstance(v, str))),
    )


def read_template_resource(template: Any, logical_id: str | None) -> ResourceMeta:
    """The block of `Resources.<logical_id>` of a template (empty when any level is missing or malformed)."""
    if not logical_id:
        return ResourceMeta()
    return read_resource(_dict(_dict(template).get("Resources")).get(logical_id))


# ------------------------------------------------------------------------ reading from a file


def read_template_text(text: str) -> TemplateMeta:
    """The template-level block of a template file's text (YAML or JSON), reading only its
    top-level `Metadata` and skipping the rest event by event: re-rendering into an `--out`
    directory needs the last shard assignment, not thousands of resources. Anything this reader
    does not expect (aliases, a non-mapping root) gets the whole document loaded instead; a text
    that is no YAML at all raises yaml.YAMLError."""
    metadata = _top_level_value(text, "Metadata")
    if metadata is _UNREAD:
        metadata = _dict(yaml.load(text, Loader=_LOADER)).get("Metadata")
    return read_template({"Metadata": metadata})


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_UNREAD = object()


class _Unexpected(Exception):
    pass


def _top_level_value(text: str, wanted: str) -> Any:
    """The value of the root mapping's key `wanted` (None when absent), or _UNREAD."""
    loader = _LOADER(text)
    try:
        events = iter(loader.get_event, None)
        if not isinstance(next(events), yaml.StreamStartEvent) or not isinstance(next(events), yaml.DocumentStartEvent):
            return _UNREAD
        if not isinstance(next(events), yaml.MappingStartEvent):
            return _UNREAD
        while True:
            event = next(events)
            if isinstance(event, yaml.MappingEndEvent):
                return None
            if not isinstance(event, yaml.ScalarEvent):
                return _UNREAD
            if event.value == wanted:
                node = _node(next(events), events)
                return SafeConstructor().construct_document(node)
            _skip(next(events), events)
    except (_Unexpected, StopIteration):
        return _UNREAD
    finally:
        loader.dispose()


def _skip(event: Any, events: Any) -> None:
    depth = 0
    while True:
        if isinstance(event, yaml.AliasEvent):
            raise _Unexpected
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        if depth == 0:
            return
        event = next(events)


_RESOLVER = Resolver()


def _node(event: Any, events: Any) -> Node:
    """A node from events, as PyYAML's composer makes it (no anchors)."""
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
        return ScalarNode(tag, event.value, None, None, style=event.style)  # marks unused: errors are not reported from here
    if isinstance(event, yaml.SequenceStartEvent):
        tag = event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(SequenceNode, None, event.implicit)
        items = []
        while not isinstance(item := next(events), yaml.SequenceEndEvent):
            items.append(_node(item, events))
        return SequenceNode(tag, items, None, None)
    if isinstance(event, yaml.MappingStartEvent):
        tag = event.tag if event.tag not in (None, "!") else _RESOLVER.resolve(MappingNode, None, event.implicit)
        pairs = []
        while not isinstance(key := next(events), yaml.MappingEndEvent):
            pairs.append((_node(key, events), _node(next(events), events)))
        return MappingNode(tag, pairs, None, None)
    raise _Unexpected  # an alias
