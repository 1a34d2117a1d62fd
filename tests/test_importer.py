"""`build.py import`: scraped pages and saved HTML become clean article files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO, run_cli
from glossator.articles import load_article
from glossator.diagnostics import Report
from glossator.importer import escape_markdown, parse_scraped_text

PAGES = FIXTURES / "pages"
CLUTTER = ["Skip to main content", "HIDE CAPTION", "Photos:", "ADVERTISEMENT", "Part of complete coverage",
           "updated ", "JUST WATCHED", "MUST WATCH", "\n<<", "\n>>", "\n<\n", "STORY HIGHLIGHTS"]


def import_page(tmp_path: Path, page: str, *extra: str) -> tuple[dict, str, str]:
    """Import a fixture page into a fresh folder; return front matter, body and stderr."""
    result = run_cli("import", str(PAGES / page), *extra, cwd=tmp_path)
    assert result.code == 0, result.stderr
    written = Path(result.stdout.split("wrote ", 1)[1].strip())
    text = (tmp_path / written).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body, result.stderr


def paragraphs(body: str) -> list[str]:
    return [b for b in body.split("\n\n") if b.strip() and not b.startswith(("#", "<figure"))]


def paragraph_texts(body: str) -> list[str]:
    return [p.strip() for p in paragraphs(body)]


def test_seed_front_matter_is_exact(tmp_path):
    meta, _, stderr = import_page(tmp_path, "cnn-seed.txt", "--slug", "seed")
    assert meta == {
        "title": "Report: U.S. intercepts French phone calls on a 'massive scale'",
        "authors": ["Ed Payne", "Khushbu Shah"],
        "byline": "By Ed Payne and Khushbu Shah, CNN",
        "outlet": "CNN",
        "updated": "2013-10-21T21:54:00-04:00",
        "highlights": [
            "Presidents of two nations talk about the report, White House statement says",
            "U.S. ambassador meets with French diplomats over spying allegations",
            "Le Monde: The NSA intercepted more than 70 million French phone calls over 30 days",
            'A weekend report said the NSA "systematically" eavesdropped on the Mexican government',
        ],
        "rights": "© 2013 Cable News Network",
        "related": [
            "Risky business for whistleblowers",
            "Who saw Snowden's documents?",
            "Whistleblower: Snowden settling in well",
            "NSA leaker Snowden deserves a Nobel Prize, his father says",
            "Mexico lashes out against report of U.S. spying",
            "Glenn Greenwald to join media venture backed by eBay founder Omidyar",
            "Opinion: Your life, under constant surveillance",
        ],
        "topics": ["Data mining & privacy"],
    }
    assert "warning" not in stderr


def test_seed_body_keeps_the_story_and_drops_the_clutter(tmp_path):
    meta, body, _ = import_page(tmp_path, "cnn-seed.txt", "--slug", "seed")
    for clutter in CLUTTER:
        assert clutter not in body, clutter
    for title in meta["related"]:
        assert title not in body
    assert body.startswith("\n(CNN) -- The U.S. ambassador to France met")
    assert len(paragraphs(body)) == 27
    assert re.findall(r"^## (.+)$", body, re.M) == ["Millions of calls intercepted", "Other spying allegations"]
    assert body.count("poses with German Green party parliamentarian") == 1
    assert body.count("<figcaption") == 1
    assert "he expresed his" in body and "Rivkin would would continue" in body
    assert body.rstrip().endswith('they are celebrating their spying successes."')


def test_committed_demo_article_is_the_importers_output(tmp_path):
    import_page(tmp_path, "cnn-seed.txt", "--slug", "nsa-france-phone-calls")
    written = (tmp_path / "content" / "nsa-france-phone-calls.md").read_bytes()
    assert written == (REPO / "content" / "nsa-france-phone-calls.md").read_bytes()


def test_three_authors_est_time_video_block_and_curly_quotes(tmp_path):
    meta, body, _ = import_page(tmp_path, "three-authors-video.txt")
    assert meta["authors"] == ["Dana Whitfield", "Omar Haddad", "Lucia Brenner"]
    assert meta["updated"] == "2014-01-14T07:12:00-05:00"
    assert meta["title"] == "Storm closes coastal roads as ‘king tide’ floods harbor towns"
    assert meta["related"] == ["Flooded streets in harbor towns", "READ: How king tides work",
                               "Town braces for second high tide tonight"]
    assert meta["topics"] == ["Extreme weather"]
    assert "“We have not seen water this high in a decade,”" in body
    assert re.findall(r"^## (.+)$", body, re.M) == ["Road closures"]
    assert len(paragraphs(body)) == 5
    for clutter in CLUTTER + ["01:45", "Forecasters warn"]:
        assert clutter not in body, clutter


def test_gmt_time_gallery_before_the_story_and_copyright_line(tmp_path):
    meta, body, _ = import_page(tmp_path, "gmt-gallery-first.txt")
    assert meta["authors"] == ["Priya Natarajan"]
    assert meta["updated"] == "2014-03-04T15:35:00+00:00"
    assert meta["rights"] == "© 2014 Cable News Network. Turner Broadcasting System, Inc. All Rights Reserved."
    assert meta["related"] == ["Unions and the pay dispute", "What commuters can do"]
    assert body.count("Commuters wait for buses outside the central station on March 6.") == 1
    assert "Rail strike\n" not in body and "Menu" not in body and "©" not in body
    assert "‘We asked for very little,’" in body


def test_oxford_comma_pdt_source_url_and_gallery_at_the_end(tmp_path):
    meta, body, _ = import_page(tmp_path, "oxford-comma-gallery-last.txt")
    assert meta["authors"] == ["Alan Pierce", "Grace Liu", "Samuel Ortiz"]
    assert meta["updated"] == "2013-08-29T16:05:00-07:00"
    assert meta["source"] == "http://www.cnn.com/2013/08/29/tech/data-requests/index.html"
    assert meta["related"] == ["Opinion: Transparency reports are only a start", "Inside the cloud"]
    assert body.count("The server rooms of a data center in Oregon") == 1
    assert "http://" not in body and "Data centers" not in body
    # Markdown characters in the text are escaped, so the page shows them as printed.
    assert r"with \*no\* names" in body


def test_saved_html_page(tmp_path):
    meta, body, _ = import_page(tmp_path, "saved-page.html")
    assert meta["title"] == "Library extends opening hours for exam season"
    assert meta["authors"] == ["Hana Sato"]
    assert meta["outlet"] == "Example Gazette"
    assert meta["published"] == "2024-05-02T09:15:00+02:00"
    assert meta["source"] == "https://gazette.example.org/2024/05/02/library-hours"
    assert "## More seats, fewer lamps" in body
    assert "Home" not in body and "Privacy" not in body and "ADVERTISEMENT" not in body
    assert len(paragraphs(body)) == 4


def test_round_trip_loads_the_same_metadata(tmp_path):
    meta, body, _ = import_page(tmp_path, "three-authors-video.txt", "--slug", "storm")
    report = Report()
    article = load_article(tmp_path / "content" / "storm.md", "content/storm.md", report)
    assert report.diagnostics == []
    assert article.title == meta["title"] and list(article.authors) == meta["authors"]
    assert article.updated == meta["updated"] and list(article.highlights) == meta["highlights"]
    assert list(article.related) == meta["related"] and article.rights == meta["rights"]


def test_import_is_deterministic(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        assert run_cli("import", str(PAGES / "cnn-seed.txt"), cwd=folder).code == 0
    assert [p.read_bytes() for p in (first / "content").iterdir()] == [p.read_bytes() for p in (second / "content").iterdir()]


def test_existing_file_is_never_overwritten_without_force(tmp_path):
    import_page(tmp_path, "cnn-seed.txt", "--slug", "seed")
    target = tmp_path / "content" / "seed.md"
    target.write_text("edited by hand", encoding="utf-8")
    refused = run_cli("import", str(PAGES / "cnn-seed.txt"), "--slug", "seed", cwd=tmp_path)
    assert refused.code == 1 and "already exists" in refused.stderr and "--force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "edited by hand"
    forced = run_cli("import", str(PAGES / "cnn-seed.txt"), "--slug", "seed", "--force", cwd=tmp_path)
    assert forced.code == 0 and target.read_text(encoding="utf-8").startswith("---\ntitle:")


@pytest.mark.parametrize("content, message", [
    (None, "file not found"),
    (b"", "file is empty"),
    (b"  \n\n \n", "file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"\xff\xfe not utf-8 \xff", "not valid UTF-8"),
    ("Just some words.\n\nAnd a second paragraph without any header.\n".encode(), "no recognisable title, byline or date"),
    ("By Someone, CNN\nupdated 9:54 PM EDT, Mon October 21, 2013\n\nText.\n".encode(), "no recognisable title"),
])
def test_bad_pages_fail_with_a_message_and_write_nothing(tmp_path, content, message):
    page = tmp_path / "page.txt"
    if content is not None:
        page.write_bytes(content)
    result = run_cli("import", str(page), cwd=tmp_path)
    assert result.code == 1
    assert message in result.stderr
    assert re.match(r"^\S+:\d+:\d+: error: ", result.stderr)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "content").exists() or not any((tmp_path / "content").iterdir())


def test_missing_date_writes_the_article_and_warns(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("A headline without a date\n\nBy Jo Bloggs, CNN\n\n(CNN) -- A first paragraph of the story.\n",
                    encoding="utf-8")
    result = run_cli("import", str(page), "--slug", "no-date", cwd=tmp_path)
    assert result.code == 0
    assert "warning: no date found on the page" in result.stderr
    assert "warning: no byline" not in result.stderr
    meta = yaml.safe_load((tmp_path / "content" / "no-date.md").read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == "A headline without a date" and "updated" not in meta


def test_bad_slug_is_refused(tmp_path):
    result = run_cli("import", str(PAGES / "cnn-seed.txt"), "--slug", "../escape", cwd=tmp_path)
    assert result.code == 1 and "bad slug" in result.stderr
    assert not (tmp_path.parent / "escape.md").exists()


def test_gallery_spread_over_blocks_and_teasers_without_a_coverage_header(tmp_path):
    meta, body, _ = import_page(tmp_path, "spread-gallery-teasers.txt")
    assert meta["updated"] == "2013-07-17T11:20:00-05:00"
    assert body.count("A rancher checks a dry stock pond near his barn on July 15.") == 1
    assert re.findall(r"^## (.+)$", body, re.M) == ["Hay and water"]
    assert "Dry summer" not in body and "Wildfires" not in body and "Corn harvest" not in body
    assert body.rstrip().endswith('said rancher Ellen Marsh.')


def test_a_video_block_spread_over_blank_lines_stays_out_of_the_body(tmp_path):
    meta, body, _ = import_page(tmp_path, "video-spread-out.txt")
    assert meta["updated"] == "2013-08-23T15:40:00+00:00"
    assert meta["authors"] == ["Mei Lin", "Oscar Reyes"]
    assert meta["related"] == ["Watch the panda cubs"]
    assert "panda cubs\n" not in body and "01:12" not in body and "REPLAY" not in body
    assert re.findall(r"^## (.+)$", body, re.M) == ["Healthy so far"]
    assert len(paragraphs(body)) == 3


def test_question_shaped_links_go_and_the_storys_own_questions_stay(tmp_path):
    meta, body, stderr = import_page(tmp_path, "question-links.txt")
    assert meta["related"] == ["Flu season: Should you get the shot?", "Opinion: Is a vaccine mandate fair?",
                               "Analysis: Can U.S. clinics keep up?", "Data mining & privacy: Who sees your records?"]
    page = (PAGES / "question-links.txt").read_text(encoding="utf-8").split("\n")
    for link in meta["related"]:  # each one said, at its line, so that a line of the story can be put back
        line = next(number for number, text in enumerate(page, 1) if text.strip() == link)
        assert f"question-links.txt:{line}:1: warning: read as a link to another story, not as text: {link}" in stderr
    assert paragraph_texts(body) == [
        "(CNN) -- Clinics in five states said Wednesday that demand for flu shots has reached its highest level "
        "in years, weeks before the season usually peaks.",
        '"Who is going to pay for the extra nurses?" asked clinic director Paul Haines.',
        "Officials said the early rush was welcome, but warned that some clinics could run short of doses by "
        "the middle of November.",
        "“Why now?”",
        "That was the question many nurses heard this week. Most had no answer beyond the news reports of an "
        "early outbreak in the South.",
        "One mother in line said she had asked her son whether he minded the needle.",
        "Her answer: Why not?",
        "Dr. Reyes asked: Who decides which strain goes in the shot?",
        "The sign taped to the clinic door put it plainly:",
        "Flu shots today: Are you protected?",  # goes on from the paragraph before
        "And the cost: Who pays?",
        "Insurers cover the shot in most plans, officials said, but people without insurance may pay up to $30.",
        "What happens if the virus changes in the middle of the season?",
        '"We have seen this before," said nurse Ana Patel. "Every autumn people wait, and every winter they '
        "regret it.",
        "Next winter: Will they listen?",  # inside the quotation the paragraph before opened
        'It is the same story every year," she said.',
        "The upshot: Supply is tight. Will it last?",
        "Health officials said they would publish weekly counts of doses on hand.",
    ]


def test_questions_of_a_q_and_a_or_an_interview_stay(tmp_path):
    meta, body, _ = import_page(tmp_path, "qa-interview.txt")
    assert meta["related"] == ["Analysis: Is the hearing just theater?", "Analysis: What the records show"]
    assert paragraph_texts(body) == [
        "(CNN) -- A former analyst who worked on the phone records program spoke to CNN on Thursday about what "
        "the agency keeps and for how long.",
        "Q: What does the agency keep?",
        "A: The numbers, the times and the length of each call, not the calls themselves.",
        "Q: For how long?",
        "A: Five years, under the rules as they stand.",
        "The analyst, Maya Marsh, left the agency last year. CNN's Luis Reyes asked her about the hearing.",
        "Reyes: Will you testify again?",
        "Marsh: If I am asked, yes.",
        "Reyes: Who else has seen the records?",  # a speaker's label: it starts other lines too
        '"Fewer people than you would think," Marsh said.',
        "Viewer: Do you regret leaving?",  # answered on the next line
        "Marsh: Not for a day.",
        "Lawmakers are expected to call more witnesses next week.",
    ]


QUESTION_PAGE = ("Skip to main content\n\nA headline for the test\n\nBy Jo Bloggs, CNN\n"
                 "updated 9:54 PM EDT, Mon October 21, 2013\n\n(CNN) -- The first paragraph of the story.\n\n"
                 "{line}\n\nThe last paragraph of the story.\n")


@pytest.mark.parametrize("line", [
    "Flu season: Should you get the shot?",
    "Opinion: Is the NSA out of control?",
    "Analysis: Can Obama repair ties?",
    "READ: Who saw Snowden's documents?",
    "Spying on allies: Can U.S. repair ties with Europe?",
    "Data mining & privacy: Who sees your records?",
    "Syria crisis: What would a strike achieve?",
])
def test_a_question_shaped_link_between_paragraphs_is_a_related_story(line):
    article = parse_scraped_text(QUESTION_PAGE.format(line=line))
    assert article.meta["related"] == [line]
    assert paragraph_texts(article.body) == ["(CNN) -- The first paragraph of the story.",
                                        "The last paragraph of the story."]


@pytest.mark.parametrize("line", [
    '"Who is listening?" he asked.',
    "“Why now?”",
    "Her answer: Why not?",
    "Her answer: “Why not?”",
    'Reporters pressed one point: Did "national security" cover allies?',
    "Senator Ruiz asked: Who approved it?",
    "And the cost: Who pays?",
    "Who saw the documents?",
    "Q: Is the program legal?",
    "The verdict: it failed, so why try again?",
    "The upshot: Supply is tight. Will it last?",
    "Policy: Should the agency keep the phone records of every American for five years or for much less?",
])
def test_a_question_of_the_story_stays_a_paragraph(line):
    article = parse_scraped_text(QUESTION_PAGE.format(line=line))
    assert "related" not in article.meta
    assert paragraph_texts(article.body) == ["(CNN) -- The first paragraph of the story.", line,
                                        "The last paragraph of the story."]


OTHER_OUTLET_TOP = ("Home | World | Sport\nSkip to main content\n\nCouncil approves the new bridge\n\n"
                    "By Hana Sato, Example Times\nUpdated 10:15 AM EDT, Tue May 7, 2024\n\n")
WORDS = st.sampled_from(["council", "Bridge", "said", "the", "river", "U.S.", "votes", "“quoted”", "on", "Monday",
                         "by", "from", "Photos:", "Read:", "Opinion:", "JUST", "12", "&", "*", "<b>"])
SENTENCE = st.builds(lambda words, end: " ".join(words) + end, st.lists(WORDS, min_size=1, max_size=12),
                     st.sampled_from([".", "?", "!", ":", "…", '."']))
LINE_OF_ANOTHER_OUTLET = st.one_of(
    SENTENCE,
    st.sampled_from(["Flu season: Should you get the shot?", "Opinion: Is a vaccine mandate fair?",
                     "From the start, officials said the bridge would open in May.",
                     "By the end of the day, the vote was over.", "Photos: The flood in pictures.",
                     "Read more: The council's last vote.", "Next", "ADVERTISEMENT", "3", "Traffic plans",
                     "Updated 11:30 AM EDT, Tue May 7, 2024", "Part of complete coverage on"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(LINE_OF_ANOTHER_OUTLET, min_size=1, max_size=3), min_size=1, max_size=12))
def test_a_page_of_another_outlet_keeps_every_sentence_in_order(blocks):
    page = OTHER_OUTLET_TOP + "\n\n".join("\n".join(block) for block in blocks) + "\n"
    article = parse_scraped_text(page)
    sentences = [line for block in blocks for line in block if line.endswith(tuple(".?!:…\""))]
    position = 0
    for sentence in sentences:
        found = article.body.find(escape_markdown(sentence, at_line_start=False), position)
        assert found >= 0, (sentence, article.body)
        position = found + 1
    assert not set(sentences) & set(article.meta.get("related", []))


def test_the_outlets_rules_are_for_its_pages_only():
    story = ("The council met on Monday.\n\nFlu season: Should you get the shot?\n\n"
             "updated 11:30 AM EDT, Tue May 7, 2024\nA second paragraph follows the time.\n\n"
             "The vote was close.\n\nPart of complete coverage on\nBridges\n")
    other = parse_scraped_text(OTHER_OUTLET_TOP + story)
    assert paragraph_texts(other.body) == ["The council met on Monday.", "Flu season: Should you get the shot?",
                                           "A second paragraph follows the time.", "The vote was close."]
    assert "topics" not in other.meta and other.meta["rights"] == "© 2024 Example Times"
    outlets_own = parse_scraped_text(OTHER_OUTLET_TOP.replace("Example Times", "CNN") + story)
    assert paragraph_texts(outlets_own.body) == ["The council met on Monday.", "The vote was close."]
    assert outlets_own.meta["related"] == ["Flu season: Should you get the shot?"]
    assert outlets_own.meta["topics"] == ["Bridges"] and outlets_own.meta["rights"] == "© 2024 Cable News Network"


def test_sentences_above_or_inside_the_header_of_another_outlet_stay():
    page = ("The newsletter everyone reads.\n\nCouncil approves the new bridge\n\nBy Hana Sato, Example Times\n"
            "The vote came after a long night of debate in the council chamber, with residents watching.\n"
            "Updated 10:15 AM EDT, Tue May 7, 2024\n\nThe bridge opens in May.\n")
    article = parse_scraped_text(page)
    assert article.meta["title"] == "Council approves the new bridge"
    assert paragraph_texts(article.body) == [
        "The newsletter everyone reads.",
        "The vote came after a long night of debate in the council chamber, with residents watching.",
        "The bridge opens in May."]


def test_a_line_that_only_looks_like_an_address_is_no_trouble():
    article = parse_scraped_text(OTHER_OUTLET_TOP + "https://[oops/story\n\nThe council met on Monday.\n")
    assert paragraph_texts(article.body) == ["The council met on Monday."]
