"""Cross-reference checks that a schema cannot express on its own.

Each check raises :class:`~slagsim.errors.ScenarioError` with the dotted key at fault and a message that
says how to fix the file.
"""

from __future__ import annotations

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.schema import Crew, FirmConfig, MachineConfig, Scenario

_STEPS = ("crushing", "sieving", "melting", "mixing", "packaging")


def check_references(scenario: Scenario) -> None:
    """Raise ``ScenarioError`` for the first broken reference in ``scenario``."""
    _check_override_indices(scenario)
    firms = scenario.firms.resolved
    for index, firm in enumerate(firms):
        _check_firm(scenario, index, firm)
    _check_quota(scenario, firms)
    _check_names(scenario)
    _check_stack(scenario)


def _check_stack(scenario: Scenario) -> None:
    """Blocks stacked off their pallets must fit in the stacking area one pallet at a time, or no
    pallet would ever leave the yard and the block lines would stop for good."""
    yard = scenario.curing_yard
    pallets = {name: product.pallet_t for name, product in scenario.products.blocks.items()}
    if yard.on_pallet_days is None or not pallets:
        return
    name, biggest = max(pallets.items(), key=lambda item: item[1])
    if yard.stack_t < biggest:
        raise ScenarioError(_("{stack} t is less than one pallet of {name} ({biggest} t), so no pallet could "
                              "ever be stacked: give at least {biggest}").format(
                                stack=f"{yard.stack_t:g}", name=name, biggest=f"{biggest:g}"),
                            key="curing_yard.stack_t")


def _check_override_indices(scenario: Scenario) -> None:
    for index in scenario.firms.overrides:
        if not 0 <= index < scenario.firms.count:
            raise ScenarioError(
                _("firm {index} does not exist (firms are numbered 0 to {last})").format(
                    index=index, last=scenario.firms.count - 1),
                key=f"firms.overrides.{index}",
            )


def _firm_key(index: int, firm_field: str, scenario: Scenario) -> str:
    overridden = firm_field.split(".")[0] in scenario.firms.overrides.get(index, {})
    return f"firms.overrides.{index}.{firm_field}" if overridden else f"firms.template.{firm_field}"


def machine_for(scenario: Scenario, firm: FirmConfig, name: str) -> MachineConfig | None:
    """The machine a firm's route name points at: its own machine first, else a shared one."""
    return firm.own_machines.get(name) or scenario.machines.get(name)


def _check_firm(scenario: Scenario, index: int, firm: FirmConfig) -> None:
    products = scenario.products.blocks
    for product, share in firm.product_mix.items():
        if product not in products:
            raise ScenarioError(
                _("unknown product {product!r} (known: {known})").format(product=product,
                                                                         known=_names(products)),
                key=_firm_key(index, f"product_mix.{product}", scenario),
            )
        if share < 0:
            raise ScenarioError(_("shares must be >= 0"), key=_firm_key(index, "product_mix", scenario))
        if share > 0 and product not in firm.route.forming:
            raise ScenarioError(
                _("no forming machine for {product!r}: add route.forming.{name}").format(product=product,
                                                                                         name=product),
                key=_firm_key(index, "route.forming", scenario),
            )
    steps = [(step, getattr(firm.route, step)) for step in _STEPS]
    steps += [
        (f"forming.{p}", name) for p, name in firm.route.forming.items()
        if firm.product_mix.get(p, 0) > 0
    ]
    for step, name in steps:
        _check_machine_use(scenario, index, firm, step, name)
    if firm.active and scenario.process.sorting.workers > _most_people(scenario, firm):
        raise ScenarioError(
            _("sorting needs {needed} workers but firm {index} can have at most {most} ({whose})").format(
                needed=scenario.process.sorting.workers, index=index, most=_most_people(scenario, firm),
                whose=_whose_people(scenario, firm)),
            key=_firm_key(index, "workers", scenario),
        )


def _most_people(scenario: Scenario, firm: FirmConfig) -> int:
    """The most people a firm can have on a shift: its own and every villager."""
    return firm.workers + scenario.labour.village_people


def _whose_people(scenario: Scenario, firm: FirmConfig) -> str:
    return _("{own} of its own and {village} in the village (labour.village_people)").format(
        own=firm.workers, village=scenario.labour.village_people)


def _check_machine_use(
    scenario: Scenario, index: int, firm: FirmConfig, step: str, name: str
) -> None:
    key = _firm_key(index, f"route.{step}", scenario)
    machine = machine_for(scenario, firm, name)
    if machine is None:
        known = sorted({*firm.own_machines, *scenario.machines})
        raise ScenarioError(_("unknown machine {name!r} (known: {known})").format(name=name,
                                                                                  known=", ".join(known)),
                            key=key)
    if machine.count == 0:
        raise ScenarioError(_("machine {name!r} has count 0, so this step could never run").format(name=name),
                            key=key)
    if firm.active and machine.workers > _most_people(scenario, firm) and machine.crew == Crew.firm:
        raise ScenarioError(
            _("machine {name!r} needs {needed} workers but firm {index} can have at most {most} "
              "({whose})").format(
                name=name, needed=machine.workers, index=index, most=_most_people(scenario, firm),
                whose=_whose_people(scenario, firm)),
            key=_firm_key(index, "workers", scenario),
        )


def _check_quota(scenario: Scenario, firms: list[FirmConfig]) -> None:
    if not any(f.active for f in firms):
        raise ScenarioError(_("every firm has 0 workers, so no one would work: give at least one firm "
                              "workers"), key="firms.template.workers")
    if scenario.supply.allocation == "quota" and sum(f.quota_share for f in firms if f.active) <= 0:
        raise ScenarioError(_("with allocation: quota at least one firm with workers needs quota_share > 0"),
                            key="firms.template.quota_share")


def _check_names(scenario: Scenario) -> None:
    """Two firms with one name would be one row in a report: names must differ."""
    seen: dict[str, int] = {}
    for index, name in enumerate(scenario.firms.names):
        if name in seen:
            raise ScenarioError(_("firms {first} and {index} are both named {name!r}: give each firm its own "
                                  "name (or none, for IKM 01, IKM 02, ...)").format(
                                    first=seen[name], index=index, name=name),
                                key=_firm_key(index, "name", scenario))
        seen[name] = index


def _names(mapping: dict) -> str:
    return ", ".join(sorted(mapping)) or _("none")
