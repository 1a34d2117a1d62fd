"""yamldoc on its own: values written so that YAML reads them back, and YAML mistakes explained."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from glossator.diagnostics import UserError
from glossator.yamldoc import parse_yaml, yaml_scalar


@pytest.mark.parametrize("text, written", [
    ("expressed", "expressed"),
    ('his "deep disapproval with regard to these practices', "'his \"deep disapproval with regard to these practices'"),
    ("it's here", "'it''s here'"),
    ("'quoted'", "'''quoted'''"),
    ("Le Monde: The NSA", "'Le Monde: The NSA'"),
    ("- the deal", "'- the deal'"),
    ("@tester", "'@tester'"),
    ("yes", "'yes'"),
    ("12", "'12'"),
    ("number #1 pick", "'number #1 pick'"),
    ("number#1", "number#1"),
    ("a # comment", "'a # comment'"),
    (" padded ", "' padded '"),
    ("", "''"),
    ("line\nbreak", '"line\\x0abreak"'),
    ("del\x7f", '"del\\x7f"'),
])
def test_values_are_written_bare_or_quoted_as_yaml_needs(text, written):
    assert yaml_scalar(text) == written
    assert yaml.safe_load(f"quote: {written}") == {"quote": text}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_every_string_reads_back_as_itself(text):
    assert yaml.safe_load(f"quote: {yaml_scalar(text)}") == {"quote": text}


def yaml_problem(text: str):
    with pytest.raises(UserError) as raised:
        parse_yaml(text, "note.md", first_line=2)
    (problem,) = raised.value.diagnostics
    return problem


def test_a_hint_to_quote_a_value_can_be_pasted_back():
    problem = yaml_problem("type: context\nquote: Le Monde: The NSA's \"spying\"\n")
    line = problem.hint.split("put the value in quotes: ", 1)[1]
    assert yaml.safe_load(line) == {"quote": "Le Monde: The NSA's \"spying\""}
    assert (problem.line, problem.col) == (3, 8)
