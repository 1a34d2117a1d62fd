"""Search in a real browser, under a subpath: a word found only in a note finds the article
with the note as a sub-result, which leads to the note."""

from __future__ import annotations

from conftest import ARTIFACTS, serve_folder


def test_a_word_only_in_a_note_finds_the_note_under_the_subpath(browser, demo_under_subpath):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(demo_under_subpath + "search/")
    page.locator(".pagefind-ui__search-input").fill("Booz")
    article = page.locator(".pagefind-ui__result-link").first
    article.wait_for(timeout=10_000)
    assert article.get_attribute("href") == "/glossator-demo/nsa-france-phone-calls/"
    result = page.locator(".pagefind-ui__result-nested .pagefind-ui__result-link").first
    assert result.get_attribute("href") == "/glossator-demo/nsa-france-phone-calls/#note-snowden"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-1280.png"))
    result.click()
    page.wait_for_url("**/glossator-demo/nsa-france-phone-calls/#note-snowden")
    assert page.locator("#note-snowden").is_visible()
    context.close()


def test_without_javascript_the_search_page_says_so_and_links_to_the_notes(browser, demo_under_subpath):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_under_subpath + "search/")
    assert "Search needs JavaScript" in page.locator("main").inner_text()
    assert page.locator("main a", has_text="notes page").get_attribute("href") == "/glossator-demo/notes/"
    context.close()


def test_a_sharded_index_finds_records_in_every_shard(browser, tmp_path, monkeypatch):
    """A large edition's index is split in shards (here, of 30 records) that the search page
    merges: a word found in one article only is found whichever shard holds it."""
    from bench.generate import generate
    from glossator import search
    from glossator.pipeline import build

    edition = generate(6, tmp_path / "edition")
    monkeypatch.setattr(search, "SHARD_RECORDS", 30)
    build(edition, edition / "_site")
    bundles = search.bundles_in(edition / "_site")
    assert len(bundles) >= 3 and bundles[0] == "pagefind"
    server, address = serve_folder(edition / "_site")
    try:
        page = browser.new_context().new_page()
        page.goto(f"{address}/search/")
        for number in range(6):
            page.locator(".pagefind-ui__search-input").fill(f"a{number:05d}-9")
            page.locator(f".pagefind-ui__result-link[href='/story-{number:05d}/']").first.wait_for(timeout=10_000)
        page.context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_an_edit_changes_one_shard_and_shards_stay_under_their_size(monkeypatch):
    from glossator import search

    monkeypatch.setattr(search, "SHARD_RECORDS", 100)
    articles = [(f"story-{n:04d}", f"digest-{n}", 16) for n in range(200)]
    before = search.plan_shards(articles, "en")
    articles[57] = ("story-0057", "edited", 16)
    after = search.plan_shards(articles, "en")
    assert [s.bundle for s in before] == [s.bundle for s in after]
    assert sum(a.key != b.key for a, b in zip(before, after)) == 1
    assert sorted(p for s in after for p in s.articles) == list(range(200))
    assert [s.records for s in after] == [16 * len(s.articles) for s in after]
    assert max(len(s.articles) * 16 for s in after) < 2.5 * 100, "hashing spreads articles evenly enough"


def test_a_large_index_has_larger_shards_rather_than_more_of_them(monkeypatch):
    from glossator import search

    monkeypatch.setattr(search, "SHARD_RECORDS", 100)
    monkeypatch.setattr(search, "MAX_SHARDS", 8)
    assert len(search.plan_shards([(f"s{n}", "d", 16) for n in range(40)], "en")) == 7  # 640 records
    assert len(search.plan_shards([(f"s{n}", "d", 16) for n in range(400)], "en")) == 8


def test_an_edit_changes_the_key_of_one_shard_only():
    """Shards are planned from each article's slug, so an edited article re-indexes its shard alone."""
    from glossator.search import BUNDLE, plan_shards

    articles = [(f"article-{number}", f"digest-{number}", 2_500) for number in range(40)]
    shards = plan_shards(articles, "en")
    assert shards[0].bundle == BUNDLE and len(shards) > 1
    assert sorted(position for shard in shards for position in shard.articles) == list(range(40))
    edited = list(articles)
    edited[7] = ("article-7", "digest-7-edited", 2_500)
    changed = [old.bundle for old, new in zip(shards, plan_shards(edited, "en")) if old.key != new.key]
    assert changed == [next(shard.bundle for shard in shards if 7 in shard.articles)]
