"""The spool on its own: fragments written, read back, kept between builds, and checked."""

from __future__ import annotations

import pytest

from glossator.diagnostics import UserError
from glossator.spool import Spool


def test_fragments_come_back_as_written_and_join_into_one_value(tmp_path):
    spool = Spool()
    first = spool.put_all(["<li>a</li>", "<li>é</li>"])
    second = spool.put_all(["<li>c</li>"])
    assert list(first) == [0, 1] and list(second) == [2] and len(spool) == 3
    assert spool.get(1) == "<li>é</li>"
    assert str(spool.join([2, 0])) == "<li>c</li><li>a</li>"
    assert spool.digests_hex([0]) != spool.digests_hex([1])


def test_a_kept_spool_is_appended_to_by_the_next_build(tmp_path):
    path = tmp_path / "spool"
    spool = Spool(path)
    spool.put_all(["one", "two"])
    spool.close()
    again = Spool(path, fresh=False)
    assert len(again) == 2 and again.get(1) == "two"
    (third,) = again.put_all(["three"])
    assert again.get(third) == "three" and again.get(0) == "one"
    again.close()
    assert len(Spool(path, fresh=False)) == 3
    assert len(Spool(path)) == 0, "a fresh spool starts empty"


def test_a_damaged_fragment_stops_the_build_with_one_diagnostic(tmp_path):
    path = tmp_path / "spool"
    spool = Spool(path)
    spool.put_all(["fragment"])
    spool.close()
    path.write_bytes(b"frAgment")
    with pytest.raises(UserError) as raised:
        Spool(path, fresh=False).get(0)
    (problem,) = raised.value.diagnostics
    assert problem.message == "the build cache is damaged" and problem.path == str(path)
