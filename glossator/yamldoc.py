"""Reading YAML files and front matter with the position of every field, and checking them
against the JSON Schemas in `glossator/schemas/`."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema
import yaml

from .diagnostics import Diagnostic, UserError

if TYPE_CHECKING:
    import jsonschema

MAX_FILE_BYTES = 2_000_000
SCHEMA_DIR = Path(__file__).parent / "schemas"


# libyaml's parser when PyYAML has it (several times faster); both give the same marks.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    """Safe loader that keeps dates as text: the project validates them itself."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML data with the node tree, to point diagnostics at the right line."""

    path: str
    data: Any
    node: yaml.Node | None
    first_line: int

    def position(self, *keys: str | int, of_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at `keys`, or of its key with `of_key`."""
        node = self.node
        key_node = None
        for key in keys:
            found = _child(node, key)
            if found is None:
                break
            key_node, node = found
        target = key_node if of_key and key_node is not None else node
        if target is None:
            return self.first_line, 1
        return self.first_line + target.start_mark.line, target.start_mark.column + 1


def _child(node: yaml.Node | None, key: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return None, node.value[key]
    return None


def read_source(path: Path, shown_path: str) -> str:
    """Read a UTF-8 text file; tolerate a byte-order mark and CRLF, refuse binary or huge files."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError([Diagnostic(shown_path, 1, 1, "file not found", "check the path")])
    except OSError as exc:
        raise UserError([Diagnostic(shown_path, 1, 1, f"cannot read file: {exc.strerror}")])
    if len(raw) > MAX_FILE_BYTES:
        raise UserError([Diagnostic(
            shown_path, 1, 1, f"file is too large ({len(raw):,} bytes)",
            f"files of content, notes and configuration must stay under {MAX_FILE_BYTES:,} bytes",
        )])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError([Diagnostic(
            shown_path, line, col, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file with UTF-8 encoding",
        )])
    if "\x00" in text:
        raise UserError([Diagnostic(shown_path, 1, 1, "file is binary, not text")])
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(text: str, shown_path: str) -> tuple[str, str, int]:
    """Split `---` front matter from the body: (yaml text, body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise UserError([Diagnostic(
            shown_path, 1, 1, "missing front matter",
            "the file must start with a line '---', then YAML fields, then another '---'",
        )])
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise UserError([Diagnostic(
        shown_path, 1, 1, "front matter is not closed",
        "add a line '---' after the last field of the front matter",
    )])


def parse_yaml(text: str, shown_path: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document, refusing duplicate keys; errors point at the file's own lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_duplicate_keys(node, shown_path, first_line)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise UserError([_yaml_error(exc, text, shown_path, first_line)])
    except yaml.YAMLError as exc:
        raise UserError([Diagnostic(shown_path, first_line, 1, f"invalid YAML: {exc}")])
    finally:
        loader.dispose()
    return YamlDoc(shown_path, data, node, first_line)


def _refuse_duplicate_keys(node: yaml.Node, shown_path: str, first_line: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = first_line + key_node.start_mark.line
            if key in seen:
                raise UserError([Diagnostic(
                    shown_path, line, key_node.start_mark.column + 1,
                    f"duplicate field '{key}' (first given on line {seen[key]})",
                    "keep one of the two lines",
                )])
            seen[key] = line
            _refuse_duplicate_keys(value_node, shown_path, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_duplicate_keys(item, shown_path, first_line)


def yaml_scalar(text: str) -> str:
    """`text` written as a one-line YAML value that reads back as exactly that string: bare
    when YAML allows it and no quote mark in it could make a reader wonder, else in single
    quotes (a quote inside doubled), else, for characters only an escape can write, in double
    quotes."""
    if text and text == text.strip() and text.isprintable() and not set(text) & {'"', "'"}:
        try:
            if yaml.load(f"value: {text}", Loader=_Loader) == {"value": text}:
                return text
        except yaml.YAMLError:
            pass
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escaped(ch) for ch in text) + '"'


def _escaped(ch: str) -> str:
    """One character inside a double-quoted YAML value."""
    if ch in '"\\':
        return "\\" + ch
    if ch.isprintable():
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_KEY_LINE = re.compile(r"^(?P<indent>\s*(?:- +)?)(?P<key>[A-Za-z_][\w-]*):(?P<space>\s*)(?P<value>.*)$")


def _yaml_error(exc: yaml.MarkedYAMLError, text: str, shown_path: str, first_line: int) -> Diagnostic:
    """Say what went wrong in words a contributor can act on, at the line that causes it: the
    parser's own message often names a symptom a line or two later."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    row = min(mark.line, len(lines) - 1) if mark else 0
    col = (mark.column + 1) if mark else 1
    problem = exc.problem or exc.context or "malformed YAML"
    found = (_tab_indent(lines, row) or _missing_space(lines, row)
             or _unclosed_quote(exc) or _list_depth(lines, row, problem, first_line)
             or _needs_quotes(lines, row, col, problem) or _under_a_value(lines, row, problem, first_line))
    if found:
        row, col, message, hint = found
    else:
        message, hint = f"invalid YAML: {problem}", "check the indentation and quoting of this line"
    return Diagnostic(shown_path, first_line + row, col, message, hint)


def _tab_indent(lines: list[str], row: int):
    """A tab in the indentation of the failing line or of a line above it."""
    for index, line in enumerate(lines[:row + 1]):
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return (index, indent.index("\t") + 1, "invalid YAML: this line is indented with a tab",
                    "YAML indents with spaces only: replace the tab with spaces")
    return None


def _missing_space(lines: list[str], row: int):
    """`key:value`: without a space after the colon YAML reads one word, not a field."""
    for index in range(row, max(-1, row - 2), -1):
        match = _KEY_LINE.match(lines[index])
        if match and not match["space"] and match["value"] and not match["value"].startswith("//"):
            colon = match.end("key") + 1
            return (index, colon, f"invalid YAML: no space after the colon of '{match['key']}'",
                    f"put a space after the colon: {match['key']}: {yaml_scalar(match['value'].strip())}")
    return None


def _unclosed_quote(exc: yaml.MarkedYAMLError):
    if "quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        mark = exc.context_mark  # where the unclosed quote opens, not the end of the file
        return (mark.line, mark.column + 1, "invalid YAML: this quoted value is never closed",
                "end the value with the same quote mark it starts with, on this line")
    return None


def _list_depth(lines: list[str], row: int, problem: str, first_line: int):
    """A list item, or a field of one, not lined up with the item above it: the first such
    line from that item down to where the parser stopped."""
    if not any(words in problem for words in ("expected key", "'-' indicator", "expected <block end>")):
        return None
    above = next((index for index in range(row - 1, -1, -1) if lines[index].lstrip().startswith("- ")), None)
    if above is None:
        return None
    item_indent = _indent(lines[above])
    holds_fields = bool(_KEY_LINE.match(lines[above].lstrip()[2:]))
    item = f"the list item on line {first_line + above}"
    for index in range(above + 1, row + 1):
        line, indent = lines[index], _indent(lines[index])
        if not line.strip():
            continue
        if line.lstrip().startswith("- "):
            if indent != item_indent:
                return (index, indent + 1, f"invalid YAML: this list item is indented by {_spaces(indent)}, "
                                           f"{item} by {_spaces(item_indent)}",
                        f"start every '- ' of one list at the same depth: {_spaces(item_indent)}")
        elif holds_fields and indent != item_indent + 2:
            return (index, indent + 1, f"invalid YAML: this field is not lined up with the fields of {item}",
                    f"indent it by {_spaces(item_indent + 2)}, like the first field after '- '")
        elif not holds_fields:
            return (index, indent + 1, f"invalid YAML: this line is not lined up with {item} nor with a field",
                    f"start a field where the field holding the list starts, or an item with '- ' "
                    f"at {_spaces(item_indent)}")
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _under_a_value(lines: list[str], row: int, problem: str, first_line: int):
    """A field indented under one that already has a value on its own line."""
    match = _KEY_LINE.match(lines[row])
    above = next((index for index in range(row - 1, -1, -1) if lines[index].strip()), None)
    field = _KEY_LINE.match(lines[above]) if above is not None else None
    if "mapping values are not allowed" not in problem or not match or not field or not field["value"] \
            or _indent(lines[row]) <= _indent(lines[above]):
        return None
    return (row, _indent(lines[row]) + 1,
            f"invalid YAML: '{match['key']}' is indented under '{field['key']}' (line {first_line + above}), "
            "which already has a value",
            f"start it in the same column as '{field['key']}:'")


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _needs_quotes(lines: list[str], row: int, col: int, problem: str):
    """A value YAML reads as syntax: one holding ': ', or starting with '@', '`', '- ', '%'..."""
    match = _KEY_LINE.match(lines[row])
    if not match or not match["value"] or col <= match.start("value"):
        return None
    if "mapping values are not allowed" in problem:
        message = f"invalid YAML: the value of '{match['key']}' contains ': ', which YAML reads as another field"
    elif "cannot start any token" in problem or "not allowed in this context" in problem:
        message = f"invalid YAML: the value of '{match['key']}' starts with a character YAML reserves"
    else:
        return None
    fixed = f"{match['key']}: {yaml_scalar(match['value'].strip())}"
    return row, match.start("value") + 1, message, f"put the value in quotes: {fixed}"


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load a JSON Schema shipped with the package by name (`note`, `article`, `site`)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def fast_check(name: str):
    """The schema compiled to Python by fastjsonschema: a hundred times quicker than jsonschema
    at saying yes, which is the answer for nearly every one of 150,000 notes; jsonschema then
    explains the rare no, field by field."""
    return fastjsonschema.compile(load_schema(name), use_default=False)


def validate(doc: YamlDoc, schema_name: str) -> list[Diagnostic]:
    """Check a document against its schema; one diagnostic per problem, at the field's line."""
    schema = load_schema(schema_name)
    if not isinstance(doc.data, dict):
        line, col = doc.position()
        return [Diagnostic(doc.path, line, col, "expected a mapping of fields (`name: value`)",
                           "write one field per line, such as `title: ...`")]
    try:
        fast_check(schema_name)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    import jsonschema  # only to explain a no: it takes a tenth of a second to import

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(doc.data), key=lambda e: [str(p) for p in e.absolute_path])
    return [_schema_diagnostic(doc, schema, error) for error in errors]


def _schema_diagnostic(doc: YamlDoc, schema: dict[str, Any], error: jsonschema.ValidationError) -> Diagnostic:
    path = list(error.absolute_path)
    field = ".".join(str(p) for p in path) or "front matter"
    line, col = doc.position(*path)
    description = _description(schema, path)
    if error.validator == "additionalProperties":
        parent = error.instance if isinstance(error.instance, dict) else {}
        known = sorted(error.schema.get("properties", {}))
        unknown = sorted(k for k in parent if k not in known)
        name = unknown[0] if unknown else "?"
        line, col = doc.position(*path, str(name), of_key=True)
        close = difflib.get_close_matches(str(name), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return Diagnostic(doc.path, line, col, f"unknown field '{name}'",
                          hint + "known fields: " + ", ".join(known))
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        sub = _description(schema, path + [name])
        return Diagnostic(doc.path, line, col, f"missing required field '{name}'",
                          sub or f"add a line `{name}: ...`")
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        message = f"field '{field}' must be {_article(expected)}, not {_type_name(error.instance)}"
    elif error.validator in ("minLength", "minItems"):
        message = f"field '{field}' must not be empty"
    elif error.validator == "enum":
        message = f"field '{field}' must be one of: " + ", ".join(map(str, error.validator_value))
    elif error.validator == "pattern":
        message = f"field '{field}' is not in the expected form: {error.instance!r}"
    elif error.validator in ("minimum", "exclusiveMinimum"):
        message = f"field '{field}' must be at least {error.validator_value}"
    else:
        message = f"field '{field}': {error.message}"
    return Diagnostic(doc.path, line, col, message, description)


def _description(schema: dict[str, Any], path: list[str | int]) -> str:
    node: Any = schema
    for part in path:
        if not isinstance(node, dict):
            return ""
        if isinstance(part, int):
            node = node.get("items", {})
        else:
            node = node.get("properties", {}).get(part, {})
    return node.get("description", "") if isinstance(node, dict) else ""


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind


def _type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a mapping", type(None): "empty"}
    return names.get(type(value), type(value).__name__)
