"""Expanding the firm template and per-firm overrides into one config per firm (once, at validation)."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from sim.errors import ScenarioError, describe_validation_error
from sim.schema import FirmConfig, FirmsConfig


def deep_merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``update`` laid over it: mappings merge, anything else replaces.

    A distribution (a mapping with a ``dist`` key) is replaced whole, never merged, so that
    ``{dist: uniform, ...}`` can replace an inherited ``{dist: exponential, mean: ...}``.
    """
    merged = copy.deepcopy(base)
    for key, value in update.items():
        is_distribution = isinstance(value, dict) and "dist" in value
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and not is_distribution:
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def expand_firms(config: FirmsConfig) -> tuple[FirmConfig, ...]:
    """One config per firm: the template with that firm's override laid over it.

    Called once, when the scenario is validated; everything else reads ``scenario.firms.resolved``.
    """
    template = config.template.model_dump(by_alias=True, exclude_none=True)
    firms = []
    for index in range(config.count):
        override = config.overrides.get(index)
        if not override:
            firms.append(config.template)
            continue
        try:
            firms.append(FirmConfig.model_validate(deep_merge(template, override)))
        except ValidationError as exc:
            key, message = describe_validation_error(exc)
            raise ScenarioError(
                message, key=".".join(("firms", "overrides", str(index), *key))
            ) from None
    return tuple(firms)
