"""Timestamps as news pages print them become ISO 8601 with their UTC offset."""

import pytest

from glossator.timestamps import looks_like_timestamp, parse_timestamp


@pytest.mark.parametrize("line, iso", [
    ("updated 9:54 PM EDT, Mon October 21, 2013", "2013-10-21T21:54:00-04:00"),
    ("updated 10:25 AM EST, Sun June 23, 2013", "2013-06-23T10:25:00-05:00"),
    ("updated 12:05 AM EDT, Tue October 22, 2013", "2013-10-22T00:05:00-04:00"),
    ("updated 12:30 PM GMT, Tue October 22, 2013", "2013-10-22T12:30:00+00:00"),
    ("updated 1535 GMT (2335 HKT) October 21, 2013", "2013-10-21T15:35:00+00:00"),
    ("October 22, 2013 -- Updated 0154 GMT (0954 HKT)", "2013-10-22T01:54:00+00:00"),
    ("Updated 9:54 PM ET, Mon October 21, 2013", "2013-10-21T21:54:00-04:00"),
    ("Updated 9:54 PM ET, Sat December 21, 2013", "2013-12-21T21:54:00-05:00"),
    ("updated 4:05 PM PDT, Thu August 29, 2013", "2013-08-29T16:05:00-07:00"),
    ("updated 11:00 AM CET, Fri 8 November 2013", "2013-11-08T11:00:00+01:00"),
])
def test_printed_times_become_iso_with_offset(line, iso):
    stamp = parse_timestamp(line)
    assert stamp is not None and stamp.iso == iso and stamp.has_offset
    assert looks_like_timestamp(line)


def test_posted_is_a_publication_time():
    assert parse_timestamp("POSTED: 7:05 a.m. EST, Tue December 10, 2013").kind == "published"
    assert parse_timestamp("updated 7:05 AM EST, Tue December 10, 2013").kind == "updated"


def test_time_without_zone_has_no_offset():
    stamp = parse_timestamp("updated 9:54 PM, Mon October 21, 2013")
    assert stamp.iso == "2013-10-21T21:54:00" and not stamp.has_offset


@pytest.mark.parametrize("line", [
    "The intercepts took place from December 10, 2012, to January 8, 2013, the article reported.",
    "updated on a date that does not exist, February 30, 2013",
    "Millions of calls intercepted",
])
def test_sentences_and_impossible_dates_are_not_timestamps(line):
    assert not looks_like_timestamp(line)
