"""``slagsim menu add``: one's own option on the purchase menu in one command."""

from __future__ import annotations

from pathlib import Path

import click

from slagsim.cli.errors import user_errors
from slagsim.cli.options import FiniteFloat, lang_option


@click.group()
def menu() -> None:
    """Edit a purchase menu (the file `slagsim appraise` reads)."""


@menu.command()
@click.argument("menu_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", required=True,
              help="The item's name (its results folder): letters, digits and - _ ., e.g. second-mill.")
@click.option("--set", "changes", multiple=True, required=True, metavar="KEY=VALUE",
              help="What the item changes in the baseline, as `run --set` (repeatable), "
              "e.g. machines.mill.count=2.")
@click.option("--price", required=True, type=FiniteFloat(),
              help="Purchase price in Rupiah, paid in year 0 (0: nothing to buy).")
@click.option("--paid-by", required=True, type=click.Choice(["dak", "cooperative", "firm"]),
              help="Who pays the price: dak (the grant), cooperative or firm.")
@click.option("--yearly-cost", type=FiniteFloat(),
              help="Rupiah a year the simulation does not count (a fee, upkeep) [0].")
@click.option("--install-months", type=FiniteFloat(), help="Months from purchase until it works [0].")
@click.option("--life-years", type=int, help="Years it lasts [the menu's horizon_years].")
@click.option("--salvage", type=FiniteFloat(), help="Rupiah it fetches at the end of its life [0].")
@click.option("--description", default="", help="One line saying what it is.")
@click.option("--label", default="", help="A short name for reports, e.g. 'second mill'.")
@click.option("--label-id", default="", help="The short name in Bahasa Indonesia, e.g. 'mesin giling kedua'.")
@click.option("--description-id", default="", help="The line saying what it is, in Bahasa Indonesia.")
@click.option("--source", metavar="TEXT",
              help="Where the numbers come from (a quote, a supplier): the comment on each number "
              "[`# estimate`].")
@lang_option
@user_errors
def add(menu_file: Path, name: str, changes: tuple[str, ...], price: float, paid_by: str,
        yearly_cost: float | None, install_months: float | None, life_years: int | None,
        salvage: float | None, description: str, label: str, label_id: str, description_id: str,
        source: str | None) -> None:
    """Add an item to MENU_FILE, checked as `appraise` checks the menu before anything is written.

    The rest of the file, comments included, stays as it is; each number of the new item
    carries a `# estimate` comment (or --source). A mistake is one line, exit 2, nothing written.

    \b
    Example:
        slagsim menu add scenarios/purchases/menu.yaml --name second-mill \\
            --set machines.mill.count=2 --price 150000000 --paid-by dak
    """
    from slagsim.appraisal.menu_edit import NewItem, add_item
    from slagsim.i18n import _

    item = NewItem(name, paid_by, list(changes), price, install_months, yearly_cost, life_years, salvage,
                   description, source, label, label_id, description_id)
    added = add_item(menu_file, item)
    click.echo(_("added {name} to {file}:").format(name=name, file=menu_file))
    click.echo(added, nl=False)
    click.echo(_("appraise it with: slagsim appraise {file} --budget RP").format(file=menu_file))


COMMANDS = [menu]
