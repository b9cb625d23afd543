"""Which Ingresses we own (§2), their group ids (§3.1-3.2) and member order (§3.3)."""

from __future__ import annotations

import re

import msgspec

from ingress2cfn.input.diagnostics import Diagnostic, warning
from ingress2cfn.input.errors import InputError
from ingress2cfn.input.kube import Ingress, IngressClass, IngressClassParams, Manifests
from ingress2cfn.model.settings import CONTROLLER, Settings
from ingress2cfn.rules import class_params
from ingress2cfn.rules.annotations import LEGACY_CLASS, AnnotatedObject, check_keys

GROUP_NAME = re.compile(r"([a-z0-9][-a-z0-9.]*)?[a-z0-9]")  # matched whole (fullmatch): `$` would accept "web\n"


class Member(msgspec.Struct, frozen=True):
    ingress: Ingress
    order: int
    annotations: AnnotatedObject
    params: IngressClassParams | None

    @property
    def key(self) -> str:
        return self.ingress.key


class IngressGroup(msgspec.Struct, frozen=True):
    id: str
    explicit: bool
    members: tuple[Member, ...]

    @property
    def member_keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.members)


def annotated(ing: Ingress) -> AnnotatedObject:
    return AnnotatedObject(ing.annotations, ing.origin, ing.describe, "Ingress")


def _selector_matches(selector: dict, labels: dict[str, str]) -> bool:
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key"), expr.get("operator"), expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _class_params(ing: Ingress, cls: IngressClass, manifests: Manifests) -> IngressClassParams | None:
    if cls.parameters is None:
        return None
    where = cls.origin.at("spec", "parameters")
    if cls.parameters.get("apiGroup") != "elbv2.k8s.aws" or cls.parameters.get("kind") != "IngressClassParams":
        raise InputError(f"invalid ingress class: IngressClass {cls.name} references unknown parameters", where, f"IngressClass {cls.name}")
    name = cls.parameters.get("name")
    params = manifests.class_params.get(str(name))
    if params is None:
        raise InputError(
            f"invalid ingress class: IngressClassParams {name} (referenced by IngressClass {cls.name}, used by {ing.describe}) is not in the input",
            where,
            f"IngressClass {cls.name}",
        )
    class_params.parse(params)  # every field validated (types, unknown fields) before the selector is used
    selector = params.spec.get("namespaceSelector")
    if selector:
        ns = manifests.namespaces.get(ing.namespace)
        labels = dict(ns.labels) if ns else {}
        labels.setdefault("kubernetes.io/metadata.name", ing.namespace)
        if not _selector_matches(selector, labels):
            known = ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))
            hint = (
                f" (Namespace {ing.namespace} has the labels {known})"
                if ns
                else f" (the labels of Namespace {ing.namespace} are not known, only its kubernetes.io/metadata.name: give them with "
                "--namespaces FILE, e.g. the output of `kubectl get namespaces -o yaml`; Namespace objects among the manifests "
                "are not used, since whoever edits the manifests could add one)"
            )
            raise InputError(
                f"invalid ingress class: namespaceSelector of IngressClassParams {params.name} mismatch{hint}",
                ing.origin.at("spec", "ingressClassName"),
                ing.describe,
            )
    return params


def owned(ing: Ingress, manifests: Manifests, settings: Settings, warnings: list[Diagnostic]) -> tuple[bool, IngressClassParams | None]:
    """§2 decision order. Returns (owned, class params)."""
    if ing.deleting:
        return False, None
    legacy = ing.annotations.get(LEGACY_CLASS)
    if legacy is not None:
        return legacy == (settings.ingress_class or "alb"), None
    class_name = ing.class_name
    if class_name is None:
        defaults = sorted(c.name for c in manifests.classes.values() if c.is_default)
        if len(defaults) > 1:
            raise InputError(f"invalid ingress class: multiple default IngressClasses found: {', '.join(defaults)}", ing.origin.at("spec"), ing.describe)
        if defaults:
            class_name = defaults[0]
    if class_name is None:
        return settings.ingress_class == "", None
    cls = manifests.classes.get(class_name)
    if cls is None:
        if class_name == settings.ingress_class:
            # The controller's Helm chart installs this IngressClass; manifests rarely carry it.
            return True, None
        warnings.append(
            warning(
                ing.origin.at("spec", "ingressClassName"),
                ing.describe,
                f"IngressClass {class_name!r} is not in the input and is not --ingress-class {settings.ingress_class!r}; the Ingress is left to its own controller",
            )
        )
        return False, None
    if cls.controller != CONTROLLER:
        return False, None
    return True, _class_params(ing, cls, manifests)


def skip_reason(ing: Ingress, manifests: Manifests, settings: Settings) -> str:
    """Why `owned` leaves `ing` to another controller, in `owned`'s decision order, for the note
    `render --out` prints when no Ingress is ours ("" when it is ours)."""
    if ing.deleting:
        return "being deleted (metadata.deletionTimestamp)"
    legacy = ing.annotations.get(LEGACY_CLASS)
    if legacy is not None:
        ours = settings.ingress_class or "alb"
        return "" if legacy == ours else f"annotation {LEGACY_CLASS}: {legacy!r} is another class than {ours!r}"
    class_name = ing.class_name or next((c.name for c in sorted(manifests.classes.values(), key=lambda c: c.name) if c.is_default), None)
    if class_name is None:
        return (
            ""
            if settings.ingress_class == ""
            else "no class: neither spec.ingressClassName, nor the annotation kubernetes.io/ingress.class, nor a default IngressClass"
        )
    cls = manifests.classes.get(class_name)
    if cls is None:
        return "" if class_name == settings.ingress_class else f"class {class_name!r} is another controller's (not --ingress-class {settings.ingress_class!r})"
    if cls.controller != CONTROLLER:
        return f"IngressClass {class_name} has controller {cls.controller!r}, not {CONTROLLER}"
    return ""


def group_of(member: Member) -> tuple[str, bool]:
    ing = member.ingress
    found = member.annotations.get("group.name")
    if found is None:
        return ing.key, False
    name = found.value
    # found.loc: the annotation, or IngressClassParams spec.group.name, which wins over it (§3.1)
    if not GROUP_NAME.fullmatch(name):
        raise InputError(
            f"invalid ingress group: groupName must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (got {name!r})",
            found.loc,
            found.owner,
        )
    if len(name) > 63:
        raise InputError(f"invalid ingress group: groupName must be no more than 63 characters (got {len(name)})", found.loc, found.owner)
    return name, True


def _order(ing: Ingress, ann: AnnotatedObject) -> int:
    raw = ing.annotations.get("alb.ingress.kubernetes.io/group.order")
    if raw is None:
        return 0
    try:
        found = ann.get("group.order")
    except InputError:
        raise ann.error("group.order", f"failed to load Ingress group order for ingress: {ing.key}: failed to parse int32 annotation {raw!r}") from None
    order = found.value if found else 0
    if not -1000 <= order <= 1000:
        raise ann.error("group.order", f"explicit Ingress group order must be within [-1000:1000], Ingress: {ing.key}, order: {order}")
    return order


def build_groups(manifests: Manifests, settings: Settings, warnings: list[Diagnostic]) -> list[IngressGroup]:
    by_id: dict[str, list[Member]] = {}
    explicit: dict[str, bool] = {}
    for ing in manifests.ingresses:
        is_owned, params = owned(ing, manifests, settings, warnings)
        if not is_owned:
            continue
        ann = annotated(ing)
        check_keys(ann, warnings)
        effective = class_params.EffectiveAnnotations(ann, class_params.parse(params) if params is not None else None)
        member = Member(ing, _order(ing, ann), effective, params)
        group_id, is_explicit = group_of(member)
        by_id.setdefault(group_id, []).append(member)
        explicit[group_id] = is_explicit
    groups = []
    for group_id in sorted(by_id):
        members = sorted(by_id[group_id], key=lambda m: (m.order, m.key.encode()))
        members = class_params.bind_group(members, warnings)  # views that know the first member (§2.1)
        groups.append(IngressGroup(group_id, explicit[group_id], tuple(members)))
    return groups
