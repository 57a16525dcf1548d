"""Loading scenario files: YAML, ``extends:`` inheritance, ``--set`` overrides, validation.

Every user mistake becomes a :class:`~slagsim.errors.ScenarioError` naming the file and the key, so
the command line can show one clear line and exit with code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from slagsim.errors import MISSING, ScenarioError, describe_validation_error
from slagsim.i18n import N_, _
from slagsim.scenario.labels import WORDS, learn
from slagsim.scenario.price_series import attach_series
from slagsim.scenario.references import check_references
from slagsim.scenario.schema import Scenario
from slagsim.scenario.yamlfile import YamlProblem, deep_merge, load_text, read_text_file

KeyPath = tuple[str, ...]


@dataclass
class RawScenario:
    """A merged scenario mapping and, for each key path, the file that set it."""

    data: dict[str, Any]
    origins: dict[KeyPath, str] = field(default_factory=dict)
    path: str = ""

    def origin(self, key: KeyPath) -> str:
        """The file that set ``key``, a key inside it, or its nearest parent; else the top file."""
        inside = [file for path, file in self.origins.items() if path[: len(key)] == key and key]
        if inside:
            return inside[-1]
        for end in range(len(key), 0, -1):
            if key[:end] in self.origins:
                return self.origins[key[:end]]
        return self.path


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load, merge, override and validate a scenario file.

    Example: ``load_scenario("scenarios/baseline.yaml", ["machines.press.count=2"])``.
    """
    raw = load_raw(path)
    apply_overrides(raw, overrides)
    return validate(raw)


def load_raw(path: str | Path, _chain: tuple[str, ...] = ()) -> RawScenario:
    """Read a scenario file and the files it ``extends``, merged, without validation."""
    path = Path(path)
    shown = str(path)
    resolved = str(path.resolve())
    if resolved in _chain:
        loop = " -> ".join(Path(p).name for p in (*_chain[_chain.index(resolved):], resolved))
        raise ScenarioError(_("circular extends: {loop}; remove one of these extends").format(loop=loop),
                            file=shown, key="extends")
    data = read_yaml(path)
    parent_name = data.pop("extends", None)
    overlays = data.pop("overlays", None)
    own_origins = dict.fromkeys(_leaf_paths(data), shown)
    if parent_name is None:
        if overlays is not None:
            raise ScenarioError(_("overlays need an extends: the scenario they are laid over"),
                                file=shown, key="overlays")
        return RawScenario(data=data, origins=own_origins, path=shown)
    if not isinstance(parent_name, str) or not parent_name:
        raise ScenarioError(_("must be the path of another scenario file"), file=shown, key="extends")
    parent_path = path.parent / parent_name
    if not parent_path.is_file():
        raise ScenarioError(_file_problem(parent_name, parent_path), file=shown, key="extends")
    parent = load_raw(parent_path, (*_chain, resolved))
    for overlay in overlay_paths(path, overlays):
        lay_over(parent, overlay)
    if any(word in data for word in WORDS):  # the file's own words, not half of its parent's
        for word in WORDS:
            parent.data.pop(word, None)
    lay_over(parent, RawScenario(data, own_origins, shown))
    parent.path = shown
    return parent


def _file_problem(name: str, path: Path) -> str:
    """Why a file a scenario names cannot be read: not there, or not a regular file."""
    if path.exists():
        return _("file {name!r} is not a regular file").format(name=name)
    return _("file {name!r} not found").format(name=name)


OVERLAY_SKIPS = ("extends", "overlays", "name", *WORDS, "run")


def overlay_paths(path: Path, overlays: Any) -> list[Path]:
    """The overlay files a scenario names, checked: a list of paths relative to it."""
    shown = str(path)
    if overlays is None:
        return []
    if not isinstance(overlays, list) or not all(isinstance(o, str) and o for o in overlays):
        raise ScenarioError(_("must be a list of scenario files, e.g. [history/machines.yaml]"),
                            file=shown, key="overlays")
    paths = []
    for index, name in enumerate(overlays):
        overlay = path.parent / name
        if not overlay.is_file():
            raise ScenarioError(_file_problem(name, overlay), file=shown, key=f"overlays[{index}]")
        paths.append(overlay)
    return paths


def read_overlay(path: Path) -> RawScenario:
    """An overlay's own settings: what the file itself says, not what it inherits.

    An overlay is a scenario that changes one thing about its parent (say, the baseline without
    its B3 permit); laying several over one scenario combines their changes. Its name,
    description and run settings are its own and are not laid over.
    """
    data = {k: v for k, v in read_yaml(path).items() if k not in OVERLAY_SKIPS}
    return RawScenario(data, dict.fromkeys(_leaf_paths(data), str(path)), str(path))


def lay_over(base: RawScenario, update: RawScenario | Path) -> None:
    """Merge ``update`` (a raw mapping, or an overlay file's own settings) into ``base``."""
    if isinstance(update, Path):
        update = read_overlay(update)
    base.data = deep_merge(base.data, update.data)
    replaced = [p for p in base.origins if any(p[: len(k)] == k for k in update.origins)]
    for key in replaced:
        del base.origins[key]
    base.origins.update(update.origins)


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level is a mapping; any problem is a ScenarioError.

    Only regular files up to ``MAX_FILE_BYTES`` are read (not ``/dev/zero``, not a 4 MB file
    that would take a minute to validate).
    """
    shown = str(path)
    text = read_text_file(path, shown)
    try:
        data = load_text(text)
    except YamlProblem as exc:
        raise ScenarioError(str(exc), file=shown) from None
    if data is None:
        raise ScenarioError(_("the file is empty"), file=shown)
    if not isinstance(data, dict):
        raise ScenarioError(_("the top level must be a mapping of keys"), file=shown)
    return data


def _leaf_paths(data: Any, prefix: KeyPath = ()) -> list[KeyPath]:
    if isinstance(data, dict) and data and "dist" not in data:
        paths: list[KeyPath] = []
        for key, value in data.items():
            paths.extend(_leaf_paths(value, (*prefix, str(key))))
        return paths
    return [prefix]


def apply_overrides(raw: RawScenario, overrides: list[str] | tuple[str, ...]) -> None:
    """Apply ``a.b.c=value`` overrides in order; the value is parsed as YAML."""
    apply_values(raw, [parse_override(item) for item in overrides], origin="--set")


def apply_values(raw: RawScenario, values: Iterable[tuple[KeyPath, Any]], origin: str) -> None:
    """Set each key path to its value in order; errors about them will name ``origin``."""
    for key, value in values:
        try:
            set_dotted(raw.data, key, value)
        except ScenarioError as exc:
            raise ScenarioError(exc.message, file=origin, key=exc.key) from None
        raw.origins.pop(key, None)  # the latest setting is the one errors name
        raw.origins[key] = origin


def parse_override(item: str) -> tuple[KeyPath, Any]:
    """Split ``machines.press.count=3`` into its key path and its YAML-parsed value."""
    if "=" not in item:
        raise ScenarioError(_("expected KEY=VALUE, got {item!r}").format(item=item), file="--set")
    key_text, value_text = item.split("=", 1)
    key = tuple(part.strip() for part in key_text.split("."))
    if not all(key):
        raise ScenarioError(_("empty part in key {key!r}").format(key=key_text), file="--set")
    try:
        value = load_text(value_text) if value_text.strip() else None
    except YamlProblem as exc:
        raise ScenarioError(_("value is not valid YAML ({problem})").format(problem=exc.message),
                            file="--set", key=key_text) from None
    return key, value


def set_dotted(data: dict[str, Any], key: KeyPath, value: Any) -> None:
    """Set ``data[k1][k2]...[kn] = value``, creating missing mappings on the way."""
    node = data
    for depth, part in enumerate(key[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            shown = ".".join(key[: depth + 1])
            raise ScenarioError(_("{key} is a value, not a section").format(key=shown), file="--set",
                                key=".".join(key))
        node = child
    node[key[-1]] = value


def validate(raw: RawScenario) -> Scenario:
    """Validate a merged mapping into a :class:`Scenario`, then check its cross-references."""
    attach_series(raw.data, raw.origin)
    try:
        scenario = Scenario.model_validate(raw.data)
    except ValidationError as exc:
        key, message = describe_validation_error(exc, Scenario)
        key, message = _misspelt_name(raw.data, key, message)
        raise ScenarioError(message, file=raw.origin(key), key=".".join(key) or None) from None
    try:
        check_references(scenario)
    except ScenarioError as exc:
        key = tuple((exc.key or "").split("."))
        raise ScenarioError(exc.message, file=raw.origin(key), key=exc.key) from None
    learn(scenario)
    return scenario


NAMED = {("machines",): N_("machine"), ("products", "blocks"): N_("product")}


def _misspelt_name(data: dict, key: tuple[str, ...], message: str) -> tuple[tuple[str, ...], str]:
    """A machine or product name with a typo starts a new, incomplete entry; say which one was meant."""
    import difflib

    if message != _(MISSING):
        return key, message
    for section, kind in NAMED.items():
        if key[: len(section)] != section or len(key) <= len(section):
            continue
        entries = data
        for part in section:
            entries = entries.get(part, {}) if isinstance(entries, dict) else {}
        name = key[len(section)]
        others = [n for n in entries if n != name]
        close = difflib.get_close_matches(name, others, n=1, cutoff=0.6)
        if close:
            message = _("unknown {kind} {name!r}; did you mean {close!r}? (a new {kind} needs all its keys, "
                        "like {close!r} has)")
            return key[: len(section) + 1], message.format(kind=_(kind), name=name, close=close[0])
    return key, message


def scenario_to_yaml(scenario: Scenario) -> str:
    """The resolved scenario as YAML (what ``slagsim show`` prints)."""
    data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    path = data["products"]["ingot"].get("price_path")
    if path and path.get("series"):  # the returns are the file's: show its name, not 200 numbers
        path.pop("log_returns", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
