"""The one exception type for mistakes a user can make in their input."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from slagsim.i18n import N_, _

if TYPE_CHECKING:  # pydantic stays off the CLI's start-up path
    from pydantic import ValidationError

MISSING = N_("required key is missing")
# pydantic's own messages as templates of their context: in English they give pydantic's words
# exactly (checked before use), so only the other languages change them
PYDANTIC_MESSAGES = {
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "finite_number": N_("Input should be a finite number"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "bool_type": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
}
_DIST_TAGS = {"constant", "uniform", "triangular", "exponential", "normal", "lognormal", "empirical"}


class ScenarioError(Exception):
    """A user mistake in a scenario file or command-line override.

    Shown to the user as one line ``FILE: KEY: MESSAGE`` with exit code 2.
    """

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.key = key

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.key) if p]
        return ": ".join([*parts, self.message])


class SimulationError(RuntimeError):
    """A scenario that passed validation but cannot be simulated (found only while running)."""


class SimulationStalled(SimulationError):
    """Time stopped moving, or a job never ends: some duration in the scenario is (near) zero."""


def describe_validation_error(exc: ValidationError, root: type | None = None) -> tuple[tuple[str, ...], str]:
    """The key path and a one-line message for the error that explains the others best.

    A misspelt key shows as an unknown key *and* a missing one; the unknown key is reported, with
    the known key it is closest to (``root``: the model the data was validated against). A number
    written as text (``0,9``, ``1.000.000``, ``20%``) gets a hint of what to type."""
    errors = exc.errors()
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    key = tuple(str(part) for part in error["loc"] if str(part) not in _DIST_TAGS)
    key = tuple(part for part in key if not part.startswith("function-"))
    kind = error["type"]
    if kind == "extra_forbidden":
        close = _closest(key[-1], _known_keys(root, key[:-1]) if root else _missing_siblings(errors, key))
        hint = _("did you mean {key!r}?").format(key=close) if close else \
            _("check the spelling; `slagsim show` lists known keys")
        return key, _("unknown key {key!r}; {hint}").format(key=key[-1], hint=hint)
    if kind == "missing":
        return key, _(MISSING)
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag")
        return key, _("unknown distribution {tag!r} (known: {known})").format(
            tag=tag, known=", ".join(sorted(_DIST_TAGS)))
    message = _pydantic_message(error)
    given = error.get("input")
    if isinstance(given, str) and (hint := number_hint(given)):
        return key, _("{given!r} is not a number: {hint}").format(given=given, hint=hint)
    if kind not in {"model_type", "dict_type"} and not isinstance(given, dict | list):
        message += _(" (got {given!r})").format(given=given)
    return key, message


def _pydantic_message(error: dict) -> str:
    """pydantic's message in the current language where a template reproduces it (a value error
    raised by slagsim's own checks is already in the language)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    template = PYDANTIC_MESSAGES.get(error["type"])
    if template is None:
        return message
    context = {k: f"{v:g}" if isinstance(v, float) else v for k, v in (error.get("ctx") or {}).items()}
    try:
        if template.format(**context) != message:
            return message  # another pydantic version words it differently: as pydantic says it
        shown = _(template).format(**context)
    except (KeyError, IndexError, ValueError):
        return message
    return shown.replace("' or '", _("' or '")) if "expected" in context else shown


SPREADSHEET_ERROR = re.compile(r"#[A-Z0-9/]+[!?]?|#N/A|Err:\d{3}")  # #N/A, #DIV/0!, #VALUE!, Err:502


def number_hint(text: str) -> str | None:
    """What to type instead of a number written the way people write it in prose."""
    value = text.strip()
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", value):
        return _("write {number}: no thousands separators").format(number=value.replace(".", ""))
    if re.fullmatch(r"[+-]?\d+,\d+", value):
        return _("write {number}: a decimal point, not a comma").format(number=value.replace(",", "."))
    if match := re.fullmatch(r"([+-]?\d+(?:[.,]\d+)?)\s*%", value):
        number = float(match.group(1).replace(",", "."))
        return _("write {share} for {percent} %: shares are fractions of 1").format(
            share=f"{number / 100:g}", percent=match.group(1))
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", value):
        return _("write {number}: no thousands separators").format(number=value.replace(",", ""))
    if SPREADSHEET_ERROR.fullmatch(value):
        return _("a spreadsheet's error: correct the formula in Excel or LibreOffice, or leave the cell "
                 "empty")
    return None


def _missing_siblings(errors: list, key: tuple[str, ...]) -> list[str]:
    """Keys pydantic says are missing beside ``key`` (what a typo usually stands for)."""
    parent = key[:-1]
    return [str(e["loc"][-1]) for e in errors
            if e["type"] == "missing" and tuple(str(p) for p in e["loc"][:-1]) == parent]


def _known_keys(model: type, path: tuple[str, ...]) -> list[str]:
    """The keys the model accepts at ``path`` (dict entries such as machine names are passed over)."""
    node, name_next = model, False
    for part in path:
        if name_next:  # a machine's, product's or firm's own name
            name_next = False
            continue
        fields = getattr(node, "model_fields", None)
        if fields is None or part not in fields:
            return []
        node, name_next = _model_in(fields[part].annotation)
    fields = getattr(node, "model_fields", None)
    return list(fields) if fields is not None and not name_next else []


def _model_in(annotation: object) -> tuple[object, bool]:
    """The model a field holds (through Optional and list), and whether it is a mapping of names to it."""
    from typing import get_args, get_origin

    for inner in (annotation, *get_args(annotation)):
        if hasattr(inner, "model_fields"):
            return inner, False
        if get_origin(inner) is dict:
            value = get_args(inner)[1]
            return (value, True) if hasattr(value, "model_fields") else (None, False)
        for deeper in get_args(inner):
            if hasattr(deeper, "model_fields"):
                return deeper, False
    return None, False


def _closest(word: str, known: list[str]) -> str | None:
    found = difflib.get_close_matches(word.replace("-", "_").lower(), known, n=1, cutoff=0.6)
    return found[0] if found else None
