"""buildstate on its own: what a build into a folder leaves for the next build there, and what
the next build takes back."""

from __future__ import annotations

from conftest import plan_of
from glossator.buildstate import BuildMemory, build_file, forget_build, spare_path
from glossator.cache import ResultCache
from glossator.pipeline import build


def keys_of(edition) -> dict[str, str]:
    _, plan = plan_of(edition)
    return dict(zip(plan.slugs, plan.keys))


def test_the_next_build_into_the_same_folder_takes_back_the_results_whose_keys_held(edition):
    output = edition / "_site"
    build(edition, output)
    cache = ResultCache(edition)
    assert build_file(cache, output, "state.json").is_file() and build_file(cache, output, "json").is_file()
    assert BuildMemory(cache, output, "another stamp", keys_of(edition)).unchanged() is None
    reused, previous, spool = BuildMemory(cache, output, "", keys_of(edition)).resume()
    assert list(reused) == ["harbour-pier"] and previous.site.describes(output)
    spool.close()


def test_a_result_whose_key_changed_is_not_taken_back(edition):
    output = edition / "_site"
    build(edition, output)
    reused, previous, spool = BuildMemory(ResultCache(edition), output, "", {"harbour-pier": "changed"}).resume()
    assert reused == {} and previous is not None
    spool.close()


def test_a_folder_changed_by_something_else_is_not_trusted(edition):
    output = edition / "_site"
    build(edition, output)
    cache = ResultCache(edition)
    forget_build(cache, output)
    memory = BuildMemory(cache, output, "", keys_of(edition))
    assert memory.unchanged() is None
    reused, previous, spool = memory.resume()
    assert reused == {} and previous is None
    spool.close()


def test_each_output_folder_has_its_own_files_and_spare(edition, tmp_path):
    cache = ResultCache(edition)
    one, two = edition / "_site", tmp_path / "elsewhere"
    assert build_file(cache, one, "json") != build_file(cache, two, "json")
    assert spare_path(cache, one) != spare_path(cache, two) and spare_path(cache, one).parent.name == "spare"


def test_a_disabled_memory_takes_nothing_back_but_the_build_leaves_its_record(edition):
    output = edition / "_site"
    build(edition, output, use_cache=False)
    cache = ResultCache(edition)
    assert build_file(cache, output, "json").is_file()
    reused, previous, spool = BuildMemory(cache, output, "", keys_of(edition), enabled=False).resume()
    assert reused == {} and previous is None
    spool.close()
