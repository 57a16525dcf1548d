"""Planner-facing words and numbers in English or Bahasa Indonesia.

The centre's users are an Indonesian cooperative and district officers, so every report can speak
Indonesian: words come from a gettext catalogue (``slagsim/locale/id/LC_MESSAGES/slagsim.po``, compiled
in memory with Babel when first used, so no binary file is kept in git), numbers from Babel's
locale data (532,3 t/tahun; 84 %; Rp 1,69 miliar). The language is ``--lang``, else the
``SLAGSIM_LANG`` environment variable, else the system locale (``LC_ALL``/``LANG`` starting with
``id``), else English.

Strings are marked ``_("...")`` where they are shown, or ``N_("...")`` where they are defined
before a language is chosen (the KPI registry) and translated when shown.

Words a user writes (a scenario's description, a machine's or menu item's label) cannot be in the
catalogue: their files carry both languages (``label`` and ``label_id``, ``description`` and
``description_id``) and :func:`localized` picks one. Machines and products are named by their keys
everywhere (``press``, ``paving``); :func:`thing` gives the label a loaded scenario gave the key,
so a bottleneck or a figure says "mesin press paving" without the scenario being passed down.
"""

from __future__ import annotations

import gettext
import io
import math
import os
from pathlib import Path

LANGUAGES = ("en", "id")
LOCALES = {"en": "en_US", "id": "id_ID"}
CATALOGUE = Path(__file__).parent / "locale" / "{lang}" / "LC_MESSAGES" / "slagsim.po"
DOMAIN = "slagsim"

_state: dict[str, object] = {"lang": "en", "translations": gettext.NullTranslations()}
_things: dict[str, tuple[str | None, str | None]] = {}  # a machine's or product's key: (label, label_id)


def default_language() -> str:
    """SLAGSIM_LANG, else the system locale, else English."""
    chosen = os.environ.get("SLAGSIM_LANG", "").strip().lower()
    if chosen:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").lower()
        if value:
            return "id" if value.startswith("id") else "en"
    return "en"


def use(lang: str | None) -> str:
    """Speak ``lang`` (None: the default) from now on; returns the language chosen."""
    lang = (lang or default_language()).lower()
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    _state["lang"] = lang
    _state["translations"] = catalogue(lang)
    _things.clear()  # a new command: the labels come from the scenarios it loads
    return lang


def catalogue(lang: str) -> gettext.NullTranslations:
    """The language's translations (English: the words as written)."""
    path = Path(str(CATALOGUE).format(lang=lang))
    if lang == "en" or not path.is_file():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # Babel only when a catalogue is needed
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        messages = read_po(handle, locale=LOCALES[lang], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def language() -> str:
    return str(_state["lang"])


def in_every_language(message: str) -> list[str]:
    """``message`` in each language slagsim speaks: a workbook written in one language is read
    back whatever the language of the command that reads it (its sheet names are translated)."""
    return list(dict.fromkeys(catalogue(lang).gettext(message) for lang in LANGUAGES))


def _(message: str) -> str:
    """``message`` in the current language."""
    return _state["translations"].gettext(message)  # type: ignore[attr-defined]


def N_(message: str) -> str:  # the gettext convention's name
    """Mark ``message`` for translation where it is defined; :func:`_` translates it when shown."""
    return message


def number(value: float, digits: int = 1) -> str:
    """``value`` with thousands separators and ``digits`` decimals in the current language;
    "—" for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float) and math.isinf(value):
        return _("never") if value > 0 else "—"
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _minus(format_decimal(value, format=pattern, locale=LOCALES[language()]))


def decimal(value: float) -> str:
    """A value as written in a file, in the current language: only the decimals it has (up to
    four), thousands grouped: 0,25; 250.000; 1,41 (a "—" for a missing one)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return number(value)
    from babel.numbers import format_decimal

    return _minus(format_decimal(value, format="#,##0.####", locale=LOCALES[language()]))


def minus() -> str:
    """The minus sign of the current language's numbers: Indonesian writes one sign everywhere
    (−4,5 as in −Rp 4,5 juta); English keeps the hyphen its tables and scripts have always read."""
    return "−" if language() == "id" else "-"


def _minus(text: str) -> str:
    return minus() + text[1:] if text.startswith("-") else text


def signed(value: float, digits: int = 1) -> str:
    """``number`` with its sign always shown (+3,4; −0,9)."""
    text = number(abs(value), digits)
    return ("−" if value < 0 else "+") + text


def percent(share: float, digits: int = 0) -> str:
    """A share as a percentage: 84 % (id: 84%)."""
    if share is None or math.isnan(share):
        return "—"
    return number(100 * share, digits) + ("%" if language() == "id" else " %")


def rupiah(value: float) -> str:
    """Money as a planner reads it: Rp 742.3 million / Rp 742,3 juta; Rp 1.55 billion / Rp 1,55 miliar."""
    if value is None or math.isnan(value):
        return "—"
    sign = "−" if value < 0 else ""
    size = abs(value)
    if size >= 1e9:
        return _("{sign}Rp {amount} billion").format(sign=sign, amount=number(size / 1e9, 2))
    if size >= 1e6:
        return _("{sign}Rp {amount} million").format(sign=sign, amount=number(size / 1e6, 1))
    return f"{sign}Rp {number(size, 0)}"


def signed_rupiah(value: float) -> str:
    return ("+" if value >= 0 else "") + rupiah(value)


def localized(text: str | None, text_id: str | None = None) -> str:
    """A user's words in the current language: ``text_id`` in Indonesian when the file gives it,
    else ``text`` (a file in one language is shown as written)."""
    if language() == "id" and text_id:
        return text_id
    return text or text_id or ""


def learn_things(labels: dict[str, tuple[str | None, str | None]]) -> None:
    """Remember what a scenario calls its machines and products (key: (label, label_id)); the first
    scenario a command loads names them (the baseline, in a batch), later ones only add keys."""
    for key, (label, label_id) in labels.items():
        if (label or label_id) and key not in _things:
            _things[key] = (label, label_id)


def thing(key: str) -> str:
    """A machine's or product's name in the current language: its label, else its words in the
    catalogue, else the key with spaces (``brick_mould`` -> "brick mould")."""
    label, label_id = _things.get(key, (None, None))
    if label or label_id:
        return localized(label, label_id)
    spelt = key.replace("_", " ")
    return _(spelt)
