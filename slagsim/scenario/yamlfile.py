"""Reading YAML that a user wrote, safely: bounded in size, strict about keys, no alias bombs.

PyYAML's safe loader still lets a file (or a ``--set`` value) do harm or mislead:

- nested aliases ("billion laughs") expand an 836-byte file into billions of values, and a
  self-referencing alias (``&x [*x]``) makes a structure that recursion never leaves;
- a key given twice silently takes the last value;
- ``1e-12`` (no dot) is read as a string, so ``--set x=1e-12`` fails with a puzzling message.

:func:`load_text` composes the document first, checks its node graph (cycles, expanded size,
duplicate keys) without expanding anything, and only then builds Python objects. A problem is a
:class:`YamlProblem` with a line number; callers turn it into a ScenarioError naming their file.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from slagsim.errors import ScenarioError
from slagsim.i18n import _
from slagsim.scenario.limits import MAX_FILE_BYTES, MAX_YAML_VALUES

MERGE_TAG = "tag:yaml.org,2002:merge"
FLOAT_TAG = "tag:yaml.org,2002:float"
# YAML 1.2 floats that YAML 1.1 (PyYAML) reads as strings: 1e-12, 2E6, -3e+4
_EXPONENT_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?[eE][-+]?[0-9]+$")


class YamlProblem(Exception):
    """A YAML text that cannot be read safely; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return _("line {line}: {message}").format(line=self.line, message=self.message) if self.line \
            else self.message


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, reading ``1e-12`` as a number like YAML 1.2 does. libyaml's parser when
    PyYAML has it (ten times faster: a report reads every scenario file of every candidate);
    the nodes, their checks and the constructed values are the same."""


_Loader.add_implicit_resolver(FLOAT_TAG, _EXPONENT_FLOAT, list("-+0123456789"))


def load_text(text: str) -> Any:
    """Parse one YAML document; raise :class:`YamlProblem` for anything unsafe or misleading."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as exc:  # a character YAML does not allow
        raise YamlProblem(f"YAML syntax error: {exc}".splitlines()[0]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        where = _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1) \
            if mark else _("somewhere")
        raise YamlProblem(_("YAML syntax error at {where}: {plain} (YAML said: {problem})").format(
            where=where, plain=_plain(problem, text, mark), problem=problem)) from None
    finally:
        loader.dispose()


def _plain(problem: str, text: str, mark: object) -> str:
    """What a YAML syntax error means for someone editing a scenario, and what to type."""
    line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    if "\t" in problem or "\t" in line[: len(line) - len(line.lstrip())]:
        return _("a tab is used for indenting; indent with spaces only (two per level)")
    if any(words in problem for words in ("block end", "mapping values are not allowed", "block mapping",
                                          "did not find expected key")):
        return _("the indentation does not line up: every key of a section starts in the same column, "
                 "two spaces further in than its section's name")
    if "could not find expected ':'" in problem:
        return _("a key without its colon: write key: value")
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return _("a [ or {{ is not closed: end the list with ] or the mapping with }}").format()
    return _("the file is not valid YAML")


def _check_plus_signs(node: Node) -> None:
    """Refuse ``+20``: YAML reads it as 20, while the writer usually meant "20 more"."""
    if isinstance(node, ScalarNode) and not node.style and re.match(r"^\+\d", node.value or ""):
        message = _("{written} is read as {number}, not as {number} more: write the total (for 80 + 20, "
                    "write 100)")
        raise YamlProblem(message.format(written=node.value, number=node.value[1:]), node.start_mark.line + 1)


def _check_graph(root: Node) -> None:
    """Refuse cycles, more than MAX_YAML_VALUES values once aliases are expanded, and repeated keys.

    Sizes are memoised per node, so a billion-laughs file is measured in microseconds, never
    expanded.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlProblem("an alias refers to the value that contains it (&name ... *name inside "
                              "it); write the values out instead", node.start_mark.line + 1)
        open_nodes.add(key)
        _check_plus_signs(node)
        total = 1
        if isinstance(node, MappingNode):
            _check_unique_keys(node)
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, SequenceNode):
            total += sum(size(item) for item in node.value)
        open_nodes.discard(key)
        sizes[key] = total
        if total > MAX_YAML_VALUES:
            raise YamlProblem(f"more than {MAX_YAML_VALUES:,} values once its aliases (*name) are "
                              "expanded; a scenario needs a few hundred: write the values out",
                              node.start_mark.line + 1)
        return total

    size(root)


def _check_unique_keys(node: MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _value in node.value:
        if not isinstance(key, ScalarNode) or key.tag == MERGE_TAG:
            continue
        line = key.start_mark.line + 1
        if key.value in seen:
            raise YamlProblem(f"key {key.value!r} appears twice (also on line {seen[key.value]}); "
                              "the second would silently replace the first: keep one", line)
        seen[key.value] = line


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


def read_text_file(path: Path, shown: str, key: str | None = None) -> str:
    """The text of a regular file of at most ``MAX_FILE_BYTES``; else a ScenarioError."""
    try:
        if not path.is_file():
            problem = _("not a regular file") if path.exists() else _("file not found")
            raise ScenarioError(problem, file=shown, key=key)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(_("the file is larger than {kb} kB; a scenario needs a few kB (is it the "
                                  "right file?)").format(kb=f"{MAX_FILE_BYTES // 1000:,}"),
                                file=shown, key=key)
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(_("cannot read the file ({why})").format(why=exc.__class__.__name__), file=shown,
                            key=key) from None
