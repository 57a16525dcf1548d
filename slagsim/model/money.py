"""Every price the simulation uses, derived once from a scenario: what a ton sells for and costs.

The engine charges costs and books sales as things happen (cement when a batch is mixed, energy
when a machine runs, a sale on a market day); the metrics add the costs that belong to the
whole year (wages, maintenance); slag is priced lot by lot, by its metal content, on arrival.
Both take their prices from one :class:`Tariff`, so a price is turned into Rupiah per ton in one
place only.
"""

from __future__ import annotations

from dataclasses import dataclass

from slagsim.model.vocabulary import INGOT
from slagsim.scenario.schema import MachineConfig, Scenario

KG_PER_T = 1000.0


@dataclass(frozen=True)
class Tariff:
    """Prices in Rupiah per ton, kWh, worker-day or year."""

    sale_rp_per_t: dict[str, float]  # product -> price of a ton sold
    electricity_rp_per_kwh: float
    cement_rp_per_t: float
    sand_rp_per_t: float
    flux_rp_per_t: float  # per ton charged into a furnace
    disposal_rp_per_t: float  # residue (or slag at the B3 limit) sent to a licensed processor
    iron_rp_per_t: float  # scrap iron sorted out of the slag
    wage_rp_per_worker_day: float
    maintenance_rp_per_year: float  # every machine, shared and the firms' own

    @classmethod
    def of(cls, scenario: Scenario) -> Tariff:
        products, materials, process = scenario.products, scenario.materials, scenario.process
        sale = {INGOT: products.ingot.price_rp_per_kg * KG_PER_T}
        sale |= {name: block.price_rp_per_piece * KG_PER_T / block.piece_kg
                 for name, block in products.blocks.items()}
        return cls(
            sale_rp_per_t=sale, electricity_rp_per_kwh=materials.electricity_rp_per_kwh,
            cement_rp_per_t=materials.cement_rp_per_t, sand_rp_per_t=materials.sand_rp_per_t,
            flux_rp_per_t=process.melting.flux_rp_per_t, disposal_rp_per_t=process.residue.disposal_rp_per_t,
            iron_rp_per_t=process.sorting.iron_price_rp_per_t,
            wage_rp_per_worker_day=scenario.labour.wage_rp_per_worker_day,
            maintenance_rp_per_year=maintenance_per_year(scenario),
        )


def flux_rp_per_t(tariff: Tariff, furnace: MachineConfig) -> float:
    """Salt flux per ton charged into ``furnace``: its technology's own, else the plant-wide price."""
    return furnace.melting.flux_rp_per_t if furnace.melting else tariff.flux_rp_per_t


def maintenance_per_year(scenario: Scenario) -> float:
    """Yearly maintenance of every machine: the shared ones and each firm's own."""
    total = sum(m.count * m.maintenance_rp_per_year for m in scenario.machines.values())
    for firm in scenario.firms.resolved:
        if not firm.active:  # a member firm with no workers keeps no tools in use
            continue
        total += sum(m.count * m.maintenance_rp_per_year for m in firm.own_machines.values())
    return total
