"""What a change does to a year's books, line by line, so "why" is arithmetic a planner can check.

The plant's gross margin is turnover less every cost category, so the change in margin splits
exactly into: extra sales, less extra materials and energy (cement, sand, flux, slag bought,
electricity, fuel and consumables), less extra disposal (residue and slag sent to a licensed
processor: negative when blocks take up residue that was paid to send away), less extra labour
(the firms' wages and the cooperative's machine crews), less extra upkeep (maintenance: the fixed
yearly cost a purchased machine brings whether or not it works). The parts are means of paired
differences, so they add up to the mean change in margin.

The per-piece view divides the variable parts (materials and energy, disposal, labour) by the extra
pieces made, and sets it beside the price of the block that grew, when one block product makes
nearly all of them (a paving block and a brick have different prices); otherwise the same per ton
of blocks against their price a ton. A piece that costs more to make than it sells for loses money
however many are made. Pieces made
but not sold cost their materials and labour and earn nothing in the year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from slagsim.analysis import kpis as K
from slagsim.i18n import _, number, rupiah, signed, signed_rupiah
from slagsim.model.vocabulary import Cost

MATERIALS = (Cost.cement, Cost.sand, Cost.flux, Cost.slag, Cost.energy, Cost.running)
DISPOSAL = (Cost.residue_disposal, Cost.slag_disposal)
LABOUR = (Cost.wages, Cost.cooperative_crew)
UPKEEP = (Cost.maintenance,)


@dataclass(frozen=True)
class ExtraBooks:
    """A year's books after a change less the baseline's (Rupiah and tons a year)."""

    sales_rp: float
    materials_rp: float  # materials, energy, fuel and consumables
    disposal_rp: float  # B3 residue and slag sent away (negative: disposal avoided)
    labour_rp: float
    upkeep_rp: float  # the machines' maintenance: fixed a year, worked or idle
    margin_rp: float
    made_t: float  # block products made
    sold_t: float  # block products sold
    pieces: float  # block pieces made
    product: str | None  # the block product whose output grew most
    price_rp_per_piece: float | None  # its price
    product_share: float = 1.0  # its share of the extra pieces
    price_rp_per_t: float | None = None  # the extra blocks' price a ton, weighted by the tons made

    @property
    def variable_rp(self) -> float:
        """Costs that grow with what is made: materials and energy, disposal, labour."""
        return self.materials_rp + self.disposal_rp + self.labour_rp

    @property
    def unsold_t(self) -> float:
        """Extra blocks made but not sold in the year."""
        return self.made_t - self.sold_t

    @property
    def parts_rp(self) -> float:
        """The parts summed: equals :attr:`margin_rp` (up to rounding)."""
        return self.sales_rp - self.variable_rp - self.upkeep_rp

    def per_piece_rp(self, part_rp: float) -> float | None:
        """A part of the books per extra block piece made, when more pieces are made."""
        return part_rp / self.pieces if self.pieces > 0 else None

    def per_t_rp(self, part_rp: float) -> float | None:
        """A part of the books per extra ton of blocks made, when more are made."""
        return part_rp / self.made_t if self.made_t > 0 else None

    @property
    def one_product(self) -> bool:
        """Whether one block product makes (nearly) all the extra pieces, so a piece has one price."""
        return self.product is not None and self.product_share >= 0.9


def extra_books(before: dict[str, float], after: dict[str, float], blocks: dict[str, dict]
                ) -> ExtraBooks:
    """The change in a year's books from ``before`` to ``after`` (KPI means, or one replication's
    KPIs); ``blocks`` are the scenario's block products (``products.blocks``, as plain dicts)."""
    def delta(name: str) -> float:
        return after.get(name, 0.0) - before.get(name, 0.0)

    def costs(categories: tuple[Cost, ...]) -> float:
        return math.fsum(delta(K.COST.key(category)) for category in categories)

    grown = {p: delta(K.OUTPUT.key(p)) for p in blocks}
    product = max(grown, key=grown.get, default=None)
    if product is not None and grown[product] <= 0:
        product = None
    pieces = {p: delta(K.PIECES.key(p)) for p in blocks}
    more = math.fsum(v for v in pieces.values() if v > 0)
    made_more = {p: t for p, t in grown.items() if t > 0}
    per_t = (math.fsum(blocks[p]["price_rp_per_piece"] / blocks[p]["piece_kg"] * 1000 * t
                       for p, t in made_more.items()) / math.fsum(made_more.values()) if made_more else None)
    return ExtraBooks(
        sales_rp=delta(K.TURNOVER.name), materials_rp=costs(MATERIALS), disposal_rp=costs(DISPOSAL),
        labour_rp=costs(LABOUR), upkeep_rp=costs(UPKEEP), margin_rp=delta(K.GROSS_MARGIN.name),
        made_t=math.fsum(grown.values()), sold_t=math.fsum(delta(K.SOLD.key(p)) for p in blocks),
        pieces=math.fsum(pieces.values()), product=product,
        price_rp_per_piece=blocks[product]["price_rp_per_piece"] if product else None,
        product_share=max(pieces[product], 0.0) / more if product and more else 1.0, price_rp_per_t=per_t)


def why_text(books: ExtraBooks, per_piece: bool = True) -> str:
    """The books in words: the per-piece clause when more blocks are made (and ``per_piece``), then
    the year's sum."""
    text = ""
    if per_piece and books.one_product and books.pieces > 0:
        text = _("{made} t more blocks made a year, {unsold} t of them not sold; each extra piece costs "
                 "Rp {variable} to make (materials and energy {materials}, labour {labour}, disposal "
                 "{disposal}) and {product} sells for Rp {price}; ").format(
            made=number(books.made_t, 0), unsold=number(max(books.unsold_t, 0.0), 0),
            variable=number(books.per_piece_rp(books.variable_rp), 0),
            materials=number(books.per_piece_rp(books.materials_rp), 0),
            labour=number(books.per_piece_rp(books.labour_rp), 0),
            disposal=signed(books.per_piece_rp(books.disposal_rp), 0), product=_(books.product),
            price=number(books.price_rp_per_piece, 0))
    elif per_piece and books.made_t > 0 and books.price_rp_per_t is not None:
        text = _("{made} t more blocks made a year, {unsold} t of them not sold; each extra ton costs "
                 "{variable} to make (materials and energy {materials}, labour {labour}, disposal "
                 "{disposal}) and sells for about {price}; ").format(
            made=number(books.made_t, 0), unsold=number(max(books.unsold_t, 0.0), 0),
            variable=rupiah(books.per_t_rp(books.variable_rp)),
            materials=rupiah(books.per_t_rp(books.materials_rp)),
            labour=rupiah(books.per_t_rp(books.labour_rp)),
            disposal=signed_rupiah(books.per_t_rp(books.disposal_rp)), price=rupiah(books.price_rp_per_t))
    return text + _("a year: sales {sales}, materials and energy {materials}, disposal {disposal}, "
                    "labour {labour}, the machines' upkeep {upkeep}; margin {margin}").format(
        sales=signed_rupiah(books.sales_rp), materials=signed_rupiah(-books.materials_rp),
        disposal=signed_rupiah(-books.disposal_rp), labour=signed_rupiah(-books.labour_rp),
        upkeep=signed_rupiah(-books.upkeep_rp), margin=signed_rupiah(books.margin_rp))
