"""Serialisation: templates and manifests to YAML or JSON text, byte-stable."""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Any

import yaml
from troposphere import Template

from ingress2cfn.render import yaml_emit
from ingress2cfn.render.yaml_emit import WIDTH


class Format(Enum):
    YAML = "yaml"
    JSON = "json"

    @property
    def suffix(self) -> str:
        return "." + self.value


if TYPE_CHECKING:
    _BaseDumper = yaml.SafeDumper
else:
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present


class _Dumper(_BaseDumper):
    """Block style, no aliases, keys in the order given."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _str_representer)


def pyyaml_dump(data: Any) -> str:
    """The reference output: what `dump_yaml` returns for any data, byte for byte."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=WIDTH)


def dump_yaml(data: Any) -> str:
    try:
        return yaml_emit.emit(data)
    except yaml_emit.Unsupported:
        return pyyaml_dump(data)


TOP_LEVEL_ORDER = ("AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Resources", "Outputs")
RESOURCE_ORDER = ("Type", "Metadata", "DependsOn", "Properties")


def _ordered(data: dict, order: tuple[str, ...]) -> dict:
    out = {key: data[key] for key in order if key in data}
    out.update((key, value) for key, value in data.items() if key not in out)
    return out


def template_data(template: Template) -> dict:
    """Sections in the conventional order; within a resource Type, Metadata, then Properties."""
    data = _ordered(template.to_dict(), TOP_LEVEL_ORDER)
    if "Resources" in data:
        data["Resources"] = {name: _ordered(body, RESOURCE_ORDER) for name, body in data["Resources"].items()}
    return data


def template_text(template: Template, fmt: Format) -> str:
    data = template_data(template)
    if fmt is Format.JSON:
        return json.dumps(data, indent=2, sort_keys=False) + "\n"
    return dump_yaml(data)


def manifests_text(docs: list[dict], fmt: Format) -> str:
    if fmt is Format.JSON:
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": docs}, indent=2) + "\n"
    return "".join("---\n" + dump_yaml(doc) for doc in docs)
