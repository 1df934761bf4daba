"""Read and write the site generator's configuration (mkdocs.yml) without running any of it.

mkdocs.yml uses YAML tags (!ENV, !!python/object/apply) that only MkDocs should resolve. They are
kept as they are: read here as Tagged values and written back with the same tag, so the generated
configuration in the build folder means exactly what the project's own says.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass
class Tagged:
    tag: str
    value: object


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _tagged(loader, suffix, node):
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(tag, value)


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


def _represent(dumper, data: Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(Tagged, _represent)


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader) or {}


def dump(config: dict) -> str:
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False)


def own_assets(config: dict) -> list[str]:
    """The project's own stylesheets and scripts, which the docs/ file allowlist accepts."""
    own = [str(s.get("path") if isinstance(s, dict) else s) for s in (config.get("extra_css") or []) + (config.get("extra_javascript") or [])]
    return own + list((config.get("extra") or {}).get("lazy_assets") or [])


def plugin_names(config: dict) -> list[str]:
    return [next(iter(p)) if isinstance(p, dict) else p for p in config.get("plugins") or []]


def without_plugin(config: dict, name: str) -> list:
    return [p for p in config.get("plugins") or [] if (next(iter(p)) if isinstance(p, dict) else p) != name]
