"""The purchase menu file: candidate items, their scenario changes and their money.

Example (``scenarios/purchases/menu.yaml``)::

    name: purchase-menu
    baseline: ../baseline.yaml
    discount_rate: 0.10
    horizon_years: 10
    run: {replications: 20, years: 1, warmup_days: 30, seed: 20240101}
    items:
      press:
        label: second press
        label_id: mesin press kedua
        description: One more paving press
        description_id: Satu mesin press paving lagi
        set: {machines.press.count: 2}
        price_rp: 200000000
        install_months: 2
        yearly_cost_rp: 0
        life_years: 10
        salvage_rp: 20000000
        paid_by: dak
    tornado:
      - {key: curing_yard.pallets, low: 60, high: 100}

Item names become folder names, so they follow :mod:`slagsim.scenario.names`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from slagsim.appraisal.finance import Investment
from slagsim.batch.spec import BatchRun
from slagsim.errors import ScenarioError, describe_validation_error
from slagsim.i18n import _, localized
from slagsim.scenario.limits import MAX_BUNDLES, MAX_MENU_ITEMS
from slagsim.scenario.load import read_yaml
from slagsim.scenario.names import name_problem
from slagsim.scenario.schema import Labelled


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Payer(StrEnum):
    """Who pays the purchase price."""

    dak = "dak"  # a government DAK grant: the cooperative and firms pay nothing up front
    cooperative = "cooperative"
    firm = "firm"


class MenuItem(Labelled):
    """One thing that could be bought or changed; its name is its key, its label what a planner reads."""

    description: str = ""
    description_id: str = Field("", description="the description in Bahasa Indonesia")
    set: dict[str, Any] = Field(min_length=1, description="scenario changes, dotted keys as --set")
    price_rp: float = Field(ge=0)
    install_months: float = Field(0, ge=0, le=120)
    yearly_cost_rp: float = Field(0, ge=0, description="costs the simulation does not count")
    life_years: int = Field(ge=1, le=50)
    salvage_rp: float = Field(0, ge=0)
    paid_by: Payer

    @model_validator(mode="after")
    def _salvage_below_price(self) -> MenuItem:
        if self.salvage_rp > self.price_rp:
            raise ValueError(_("salvage_rp must not exceed price_rp"))
        return self

    @property
    def investment(self) -> Investment:
        return Investment(self.price_rp, self.install_months, self.yearly_cost_rp, self.life_years,
                          self.salvage_rp)

    @property
    def machines(self) -> list[str]:
        """Machines whose count the item changes (for the per-firm view)."""
        return [key.split(".")[1] for key in self.set
                if key.startswith("machines.") and key.endswith(".count")]


class TornadoInput(_Strict):
    """An input marked ``# estimate`` and the low and high values to try it at."""

    key: str = Field(min_length=1)
    low: Any
    high: Any


class Menu(_Strict):
    """The contents of a purchase menu file."""

    name: str | None = Field(None, min_length=1)
    description: str = ""
    description_id: str = Field("", description="the description in Bahasa Indonesia")
    baseline: str = Field(min_length=1)
    discount_rate: float = Field(ge=0, le=1)
    horizon_years: int = Field(ge=1, le=50)
    run: BatchRun = BatchRun()
    max_exhaustive_bundles: int = Field(32, ge=0, le=MAX_BUNDLES,
                                        description="more feasible bundles: greedy search")
    items: dict[str, MenuItem] = Field(min_length=1)
    tornado: list[TornadoInput] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _no_retired_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and "tornado_replications" in data:
            raise ValueError(_("tornado_replications is no longer used: the tornado runs as many "
                               "replications as the appraisal, so its base is the table's NPV; delete the "
                               "line"))
        return data

    @model_validator(mode="before")
    @classmethod
    def _few_items(cls, data: Any) -> Any:
        """A menu is a shortlist: checked before its items are, so a huge one costs nothing."""
        items = data.get("items") if isinstance(data, dict) else None
        if isinstance(items, dict) and len(items) > MAX_MENU_ITEMS:
            raise ValueError(_("{count} items; a menu holds at most {most}: keep the shortlist of purchases "
                               "worth appraising, or split it into several menus").format(
                count=len(items), most=MAX_MENU_ITEMS))
        return data

    @model_validator(mode="after")
    def _names_make_folders(self) -> Menu:
        for name in [*([self.name] if self.name else []), *self.items]:
            problem = name_problem(name)
            if problem:
                raise ValueError(_("item or menu name: {problem}").format(problem=problem))
        return self


def read_menu(path: Path) -> Menu:
    """Read and validate a menu file; problems are ScenarioErrors naming the file and key."""
    return menu_from(read_yaml(Path(path)), path)


def menu_from(data: Any, path: Path) -> Menu:
    """Validate a menu's contents read from ``path`` (or about to be written there: ``slagsim menu
    add`` checks the new file before it replaces the old); problems name the file and key."""
    try:
        return Menu.model_validate(data)
    except ValidationError as exc:
        key, message = describe_validation_error(exc)
        raise ScenarioError(message, file=str(path), key=".".join(key) or None) from None


def shown_item(menu: Menu, name: str) -> str:
    """An item (or a bundle, ``a+b``) as a planner reads it: its name, and its label in the report's
    language when that says more than the name (``supply-contract (kontrak pasokan)``)."""
    return " + ".join(with_label(part, menu.items[part]) if part in menu.items else part
                      for part in name.split("+"))


def with_label(name: str, entry: Labelled) -> str:
    """``name (label)``, or just ``name`` when the label is missing or only repeats it."""
    label = localized(entry.label, entry.label_id)
    plain = name.replace("-", " ").replace("_", " ").lower()
    return f"{name} ({label})" if label and label.lower() != plain else name
