"""Scenario keys in a planner's words: ``firms.template.attendance`` -> "share of a firm's workers
present on a day".

Tornado bars, sensitivity rankings and the estimates' tables name inputs by their dotted key, which
is exact but reads like code. Each known last part of a key has words here; the parts before it
that name a thing (a machine, a product, the supply) go in front ("press: price"). Unknown keys
fall back to their parts with the underscores and unit suffixes spelt out, so nothing is ever
shown blank. The key itself stays in every table beside these words.
"""

from __future__ import annotations

from slagsim.i18n import N_, _, thing

WORDS = {  # the last part of a key: its words (translated when shown)
    "attendance": N_("share of a firm's workers present on a day"),
    "reach": N_("share of the region's smelters that sell to the centre"),
    "lots_per_year_each": N_("dross lots a smelter sells a year"),
    "lot_t": N_("size of a dross lot"),
    "growth_per_year": N_("growth of dross supply a year"),
    "price_rp_per_t": N_("price per ton"),
    "price_rp_per_t_metal": N_("dross price per ton of metal in it"),
    "max_backlog_t": N_("dross that can wait for the store"),
    "volume_factor": N_("slag deliveries (times today's)"),
    "capacity_t": N_("capacity in tons"),
    "capacity_t_per_cycle": N_("tons per cycle"),
    "shifts_per_day": N_("shifts a day"),
    "first_shift_start_hour": N_("hour the first shift starts"),
    "cement_rp_per_t": N_("cement price per ton"),
    "sand_rp_per_t": N_("sand price per ton"),
    "electricity_rp_per_kwh": N_("electricity price per kWh"),
    "flux_rp_per_t": N_("flux price per ton"),
    "disposal_rp_per_t": N_("licensed disposal fee per ton"),
    "discount_rate": N_("discount rate"),
    "metal_recovery": N_("share of the metal recovered"),
    "fume_loss_share": N_("share lost as fume"),
    "metal_to_oversize": N_("share of metal caught as oversize"),
    "nonmetal_to_oversize": N_("share of non-metal caught as oversize"),
    "iron_share": N_("share of scrap iron in the slag"),
    "iron_price_rp_per_t": N_("scrap iron price per ton"),
    "pallets": N_("pallet places"),
    "pieces_per_pallet": N_("pieces per pallet"),
    "piece_kg": N_("weight of a piece (kg)"),
    "stock_cap_t": N_("unsold stock a firm keeps before pausing"),
    "stock_cap_t_per_firm": N_("residue a firm can keep"),
    "pooled_cap_t": N_("residue the cooperative can keep"),
    "pooling": N_("who keeps the residue"),
    "booking": N_("how the press is booked"),
    "short_crew": N_("what a short crew does"),
    "workers": N_("workers"),
    "count": N_("number"),
    "price_rp": N_("price"),
    "salvage_rp": N_("resale value at the end"),
    "life_years": N_("working life (years)"),
    "install_months": N_("months to install"),
    "maintenance_rp_per_year": N_("maintenance a year"),
    "yearly_cost_rp": N_("yearly cost"),
    "running_cost_rp_per_h": N_("running cost per hour"),
    "energy_kwh_per_h": N_("energy per hour (kWh)"),
    "cycle_h": N_("hours per cycle"),
    "setup_h": N_("changeover hours"),
    "charge_t": N_("tons per melt"),
    "time_between_h": N_("hours between breakdowns"),
    "repair_h": N_("hours to repair"),
    "rate_t_per_worker_h": N_("tons per worker-hour"),
    "loading_worker_h_per_t": N_("worker-hours to load a ton"),
    "quota_share": N_("share of the quota"),
    "product_mix": N_("mix of products"),
    "t_per_month": N_("tons a month"),
    "per_year": N_("orders a year"),
    "months": N_("months"),
    "factor": N_("demand factor"),
    "share": N_("share"),
    "holidays": N_("holidays"),
    "warmup_days": N_("warm-up days"),
    "block_months": N_("months per resampled price block"),
    "age_rule": N_("what happens to slag near the storage limit"),
    "allocation": N_("how lots are shared among firms"),
    "campaign_h": N_("hours a firm holds the machine"),
    "cement": N_("share of cement in the mix"),
    "sand": N_("share of sand in the mix"),
    "water": N_("share of water in the mix"),
    "residue": N_("share of residue in the mix"),
    "max_residue_share": N_("largest share of residue allowed"),
    "cleaning_worker_h_per_day": N_("worker-hours of cleaning a day"),
    "watering_worker_h_per_day": N_("worker-hours of watering a day"),
    "stacking_worker_h_per_t": N_("worker-hours to stack a ton"),
    "flux_t_per_t": N_("tons of flux per ton charged"),
    "stack_t": N_("tons the curing stack holds"),
    "on_pallet_days": N_("days on the production pallet"),
    "curing_days": N_("days to cure"),
    "days_per_week": N_("working days a week"),
    "shift_hours": N_("hours a shift"),
    "deliver_within_months": N_("months to deliver an order"),
    "dispose_at_limit": N_("sent away at the storage limit"),
    "storage_limit_days": N_("storage limit (days)"),
    "stop_buying_after_days": N_("days after which no slag is bought"),
    "duration_h": N_("hours an outage lasts"),
    "per_quarter": N_("outages a quarter"),
    "interarrival_h": N_("hours between deliveries"),
    "licensed": N_("licensed smelters"),
    "metal_fraction": N_("share of metal in the dross"),
    "overtime_pay_factor": N_("overtime pay (times an ordinary hour)"),
    "pay_basis": N_("what wages are paid for"),
    "permit": N_("B3 permit"),
    "price_rp_per_kg": N_("price per kg"),
    "price_rp_per_piece": N_("price per piece"),
    "scope": N_("one store or one per firm"),
    "second_shift": N_("who works a second shift"),
    "helpers": N_("which helpers are called first"),
    "village_availability": N_("chance a villager can come"),
    "village_people": N_("villagers who take slag work"),
    "volatility_per_month": N_("price swing a month"),
    "wage_rp_per_worker_day": N_("day wage"),
    "crew": N_("whose crew runs it"),
    "powered": N_("runs on electricity"),
    "continuous": N_("a job never pauses"),
    "scales_with_load": N_("cycle shortens with a part load"),
}
CHOICES = {  # values a key takes from a list: as typed in the file, in words when shown
    "cooperative": N_("cooperative"), "firm": N_("firm"), "campaign": N_("campaign"),
    "round_robin": N_("round_robin"), "fcfs": N_("fcfs"), "priority": N_("priority"),
    "send_away": N_("send_away"), "stop_buying": N_("stop_buying"), "hold": N_("hold"),
    "quota": N_("quota"), "most_free_storage": N_("most_free_storage"), "per_firm": N_("per_firm"),
    "shared": N_("shared"), "wait": N_("wait"), "borrow": N_("borrow"), "own_people": N_("own_people"),
    "overtime": N_("overtime"), "same": N_("same"), "take_turns": N_("take_turns"),
    "attendance": N_("attendance"), "work_done": N_("work_done"),
}
SECTIONS = (  # the parts of a key that name a thing: shown through i18n.thing (a machine by its label)
    N_("supply"), N_("smelters"), N_("dross types"), N_("black"), N_("white"), N_("b3 store"),
    N_("curing yard"), N_("failures"), N_("outages"), N_("sorting"), N_("sieving"), N_("melting"),
    N_("recipe"), N_("price path"), N_("projects"), N_("wet"), N_("lebaran"), N_("route"), N_("forming"),
    N_("tasks"), N_("dips"),
)
CONTAINERS = {"machines", "products", "process", "template", "blocks", "items", "firms", "calendar",
              "materials", "run", "labour", "market", "demand", "seasons", "economics", "money", "sweep",
              "parameters", "set"}
SUFFIXES = (("_rp_per_t", " (Rp/t)"), ("_rp_per_year", " (Rp/yr)"), ("_rp", " (Rp)"), ("_t", " (t)"),
            ("_h", " (h)"), ("_days", " (days)"), ("_share", " (share)"))


def plain_key(key: str) -> str:
    """``machines.press.price_rp`` -> "press: price"; the key's own parts when it has no words."""
    parts = [part for part in key.split(".") if part != "*"]
    if not parts:
        return key
    leaf = parts[-1]
    words = _(WORDS[leaf]) if leaf in WORDS else _spelt(leaf)
    things = [thing(part) for part in parts[:-1] if part not in CONTAINERS]
    things = [thing for thing in things if thing not in words]  # not "residue: residue a firm can keep"
    return f"{' '.join(things)}: {words}" if things else words


def _spelt(part: str) -> str:
    for suffix, unit in SUFFIXES:
        if part.endswith(suffix) and len(part) > len(suffix):
            return part.removesuffix(suffix).replace("_", " ") + unit
    return part.replace("_", " ")


def plain_choice(value: object) -> str:
    """A value chosen from a list (``cooperative``, ``round_robin``) in the current language's words;
    anything else as written."""
    text = str(value)
    return _(CHOICES[text]) if text in CHOICES else text
