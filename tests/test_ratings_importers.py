"""Raters' files become rating rows with the documented scores, and bad files fail on one line."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from newsprism.errors import InputError
from newsprism.registry import scales
from newsprism.registry.importers import RatingRow, read_ratings
from newsprism.registry.ratings import store_ratings
from newsprism.store.database import Database

RATINGS = Path(__file__).with_name("fixtures") / "ratings"


def by_domain(provider: str, name: str) -> dict[str | None, object]:
    return {row.domain: row for row in read_ratings(provider, RATINGS / name)}


def test_mbfc_extension_json_keeps_labels_scores_urls_and_date() -> None:
    rows = read_ratings("mbfc", RATINGS / "mbfc_extension.json")
    assert len([r for r in rows if not r.alias_of]) == 7
    left = next(r for r in rows if r.domain == "leftpaper.com")
    assert (left.bias_label, left.bias_score) == ("Left", -2.0)
    assert (left.factuality_label, left.factuality_score) == ("High", 4.0)
    assert left.url == "https://mediabiasfactcheck.com/left-paper/"
    assert left.rated_at == "2026-08-19"
    junk = next(r for r in rows if r.domain == "junk.news")
    assert junk.bias_label == "Questionable Sources"
    assert junk.bias_score is None  # questionable is not a political lean
    assert junk.factuality_score == 0.0
    alias = next(r for r in rows if r.alias_of)
    assert (alias.domain, alias.alias_of, alias.bias_score) == ("bbc.co.uk", "bbc.com", -1.0)


def test_mbfc_csv_layout_reads_extreme_and_conspiracy_labels() -> None:
    rows = read_ratings("mbfc", RATINGS / "mbfc_idiap.csv")
    assert len(rows) == 4
    extreme = next(r for r in rows if r.domain == "amp.rightdaily.com")
    assert extreme.bias_score == 3.0 and extreme.factuality_score == 1.0
    conspiracy = next(r for r in rows if r.domain == "conspiracy.net")
    assert conspiracy.bias_score == 2.0  # "right conspiracy-pseudoscience" names a side
    assert conspiracy.factuality_score == 0.0
    empty = next(r for r in rows if not r.domain)
    assert empty.skip_reason == "empty domain"


def test_allsides_rows_other_than_news_are_marked_not_outlets() -> None:
    rows = read_ratings("allsides", RATINGS / "allsides.csv")
    assert len(rows) == 5
    left = next(r for r in rows if r.name == "Left Paper")
    assert (left.bias_label, left.bias_score, left.factuality_score) == ("Left", -2.0, None)
    assert left.url == "https://www.allsides.com/news-source/left-paper"
    assert next(r for r in rows if r.name == "Right Daily").bias_score == 1.0
    assert next(r for r in rows if r.name == "Unlisted Gazette").bias_score is None  # Mixed
    author = next(r for r in rows if r.name == "Some Columnist")
    assert author.skip_reason and "Authors" in author.skip_reason


def test_adfontes_scores_follow_the_chart_bands_and_the_file_date() -> None:
    rows = {r.name: r for r in read_ratings("adfontes", RATINGS / "mrdevs_adfontes_2022-01-17.csv")}
    assert rows["Left Paper"].bias_score == -1.0  # -12 is "skews left"
    assert rows["The Center Wire"].bias_score == pytest.approx(0.05)
    assert rows["Right Daily"].bias_score == pytest.approx(20.5 / 12, abs=1e-3)
    assert rows["The Center Wire"].factuality_score == 4.5  # 52 is between High and Very High
    assert rows["Daily News"].factuality_score == 3.0  # 40 is Ad Fontes' acceptability line
    assert all(r.domain is None for r in rows.values())
    assert rows["Left Paper"].rated_at == "2022-01-17"


def test_wikipedia_statuses_become_factuality_steps() -> None:
    rows = {r.domain: r for r in read_ratings("wikipedia-rsp", RATINGS / "wikipedia_rsp.json")}
    assert rows["leftpaper.com"].factuality_score == 4.0
    assert rows["centerwire.org"].factuality_label == "no consensus"
    assert rows["rightdaily.com"].factuality_score == 1.0
    assert rows["junk.news"].factuality_score == 0.0
    assert all(r.bias_score is None for r in rows.values())


def test_generic_csv_takes_numbers_or_labels(tmp_path: Path) -> None:
    rows = {r.domain: r for r in read_ratings("csv", RATINGS / "generic.csv")}
    assert rows["https://www.leftpaper.com/news"].bias_score == -2.0
    assert rows["https://www.leftpaper.com/news"].factuality_score == 4.0
    assert rows["https://www.leftpaper.com/news"].rated_at == "2025-03-01"
    assert rows["centerwire.org"].bias_score == 0.0 and rows["centerwire.org"].factuality_score == 5
    assert rows["rightdaily.com"].bias_score == 1.0 and rows["rightdaily.com"].factuality_score == 3


def test_a_rater_link_that_is_not_a_web_address_is_dropped_and_the_rating_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "links.csv"
    path.write_text(
        "domain,bias,factuality,url,date\n"
        "a.example,left,high,javascript:alert(1),2024-01-03\n"
        "b.example,right,mixed,https://rater.example/b,\n"
        "c.example,center,high,rater.example/c,\n",
        encoding="utf-8",
    )
    rows = {r.domain: r for r in read_ratings("csv", path)}
    assert rows["a.example"].url is None and rows["a.example"].bias_score == -2.0
    assert rows["b.example"].url == "https://rater.example/b"
    assert rows["c.example"].url is None


def test_gzipped_files_are_read_like_plain_ones(tmp_path: Path) -> None:
    packed = tmp_path / "generic.csv.gz"
    packed.write_bytes(gzip.compress((RATINGS / "generic.csv").read_bytes()))
    assert len(read_ratings("csv", packed)) == 3


@pytest.mark.parametrize(
    ("label", "score"),
    [
        ("Least Biased", 0.0),
        ("left-center", -1.0),
        ("Right-Center", 1.0),
        ("far-right", 3.0),
        ("extreme left", -3.0),
        ("left conspiracy-pseudoscience", -2.0),
        ("pro-science", None),
        ("satire", None),
        ("", None),
    ],
)
def test_bias_labels_map_to_the_scale(label: str, score: float | None) -> None:
    assert scales.bias_score(label) == score


def test_adfontes_band_edges_fall_on_half_steps() -> None:
    assert scales.adfontes_bias(6) == 0.5
    assert scales.adfontes_bias(-18) == -1.5
    assert scales.adfontes_bias(42) == 3.0
    assert scales.adfontes_factuality(16) == 0.0
    assert scales.adfontes_factuality(64) == 5.0


# ------------------------------------------------------------------------------- errors


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_missing_columns_name_the_file_and_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "wrong.csv", "name,lean\nx,1\n")
    with pytest.raises(InputError) as info:
        read_ratings("csv", path)
    message = str(info.value)
    assert str(path) in message and "domain" in message and "factuality" in message


def test_bad_bias_value_names_the_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "domain,bias,factuality\na.com,0,High\nb.com,7,High\n")
    with pytest.raises(InputError, match=r"r\.csv: line 3: field 'bias': 7 is outside"):
        read_ratings("csv", path)


def test_bad_factuality_label_names_the_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "domain,bias,factuality\na.com,0,trustworthy-ish\n")
    with pytest.raises(InputError, match=r"line 2: field 'factuality': 'trustworthy-ish'"):
        read_ratings("csv", path)


def test_a_csv_given_as_mbfc_json_is_a_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "mbfc.json", '{"sources": [{"name": "no domain"}]}')
    with pytest.raises(InputError, match=r"sources\[0\]: no 'domain'"):
        read_ratings("mbfc", path)


def test_broken_json_reports_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "rsp.json", '{"a.com": 1,\n "b.com": }')
    with pytest.raises(InputError, match=r"rsp\.json: not the Wikipedia.*line 2 column"):
        read_ratings("wikipedia-rsp", path)


def test_unknown_wikipedia_status_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "rsp.json", '{"a.com": 5}')
    with pytest.raises(InputError, match=r"entry 'a.com': status 5"):
        read_ratings("wikipedia-rsp", path)


def test_adfontes_out_of_scale_values_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "af.csv", "source,reliability,bias\nX,70,0\n")
    with pytest.raises(InputError, match=r"line 2: reliability 70"):
        read_ratings("adfontes", path)


def test_non_utf8_and_missing_files_are_named(tmp_path: Path) -> None:
    path = write(
        tmp_path, "latin.csv", "domain,bias,factuality\ncaf\xe9.fr,0,High\n".encode("latin-1")
    )
    with pytest.raises(InputError, match=r"latin\.csv: not UTF-8"):
        read_ratings("csv", path)
    with pytest.raises(InputError, match=r"nope\.csv: no such file"):
        read_ratings("csv", tmp_path / "nope.csv")


def test_empty_or_headerless_allsides_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = write(tmp_path, "allsides.csv", "")
    with pytest.raises(InputError, match=r"allsides\.csv: not the AllSides CSV layout"):
        read_ratings("allsides", empty)
    wrong = write(tmp_path, "other.csv", "source,reliability,bias\nX,40,0\n")
    with pytest.raises(InputError, match=r"missing column\(s\) type, allsides_url, url"):
        read_ratings("allsides", wrong)


def test_multibyte_names_anywhere_in_the_file_are_read() -> None:
    data = (RATINGS / "allsides.csv").read_text(encoding="utf-8")
    padded = data.replace("Unlisted Gazette", "Gazeta Ñandú " + "é" * 3000)
    rows = read_ratings_bytes("allsides", padded.encode("utf-8"))
    assert any(r.name and r.name.startswith("Gazeta Ñandú") for r in rows)


def read_ratings_bytes(provider: str, data: bytes) -> list[RatingRow]:
    from newsprism.registry.importers import READERS

    return READERS[provider](data, "memory.csv")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            '{"sources":[{"domain":"a.com","name":5,"bias":"left"}]}',
            r"sources\[0\] \('a.com'\): field 'name': expected a string, got int",
        ),
        (
            '{"sources":[{"domain":"b.com","url":5}]}',
            r"sources\[0\] \('b.com'\): field 'url': expected a string, got int",
        ),
        (
            '{"sources":[{"domain":"b.com","bias":["left"]}]}',
            r"sources\[0\] \('b.com'\): field 'bias': expected a string, got list",
        ),
        (
            '{"sources":[{"domain":"c.com"}],"aliases":{"x.com":["c.com"]}}',
            r"aliases\['x.com'\]: expected a domain string, got list",
        ),
        ('{"sources":[{"domain":"d.com"}],"biases":5}', r"field 'biases': expected a list"),
        (
            '{"sources":[],"reporting":[{"reporting":"HIGH","pretty":{}}]}',
            r"reporting\[0\]: field 'pretty': expected a string, got dict",
        ),
    ],
)
def test_mbfc_json_fields_of_the_wrong_type_name_the_entry_and_field(
    document: str, expected: str, tmp_path: Path
) -> None:
    path = write(tmp_path, "mbfc.json", document)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: {expected}") as info:
        read_ratings("mbfc", path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("status", "shown"), [("[1]", r"\[1\]"), ('{"x": 1}', r'\{"x": 1\}'), ("true", "true")]
)
def test_wikipedia_status_that_is_not_a_code_or_label_is_refused(
    status: str, shown: str, tmp_path: Path
) -> None:
    # `true` is an int to Python: it must not pass as code 1, "generally reliable".
    path = write(tmp_path, "rsp.json", f'{{"ok.com": 1, "a.com": {status}}}')
    with pytest.raises(InputError, match=rf"rsp\.json: entry 'a.com': status {shown} is not"):
        read_ratings("wikipedia-rsp", path)


@pytest.mark.parametrize("domain", ["http://[::1", "http://", "https:///path"])
def test_generic_csv_malformed_domain_names_the_line_and_field(tmp_path: Path, domain: str) -> None:
    path = write(
        tmp_path, "r.csv", f'domain,bias,factuality,url,date\na.com,0,2,,\n"{domain}",1,2\n'
    )
    expected = rf"r\.csv: line 3: field 'domain': {re.escape(repr(domain))} is not a domain"
    with pytest.raises(InputError, match=expected):
        read_ratings("csv", path)


def test_a_rater_domain_no_parser_takes_counts_as_no_usable_domain(db: Database) -> None:
    rows = [
        RatingRow(line=0, domain="http://[::1", name=None, bias_score=1.0),
        RatingRow(line=1, domain="good.example.com", name=None, bias_score=-1.0),
        RatingRow(line=2, domain="[::1", name=None, alias_of="good.example.com"),
    ]
    with db.write() as conn:
        report = store_ratings(conn, "mbfc", rows)
    assert (report.rows, report.unknown, report.stored) == (2, 2, 1)
    assert report.reasons["no usable domain"] == 1


def test_a_rater_file_nested_thousands_deep_is_refused_as_invalid_json(tmp_path: Path) -> None:
    path = write(tmp_path, "rsp.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match=r"rsp\.json: not the .* JSON: nested too deeply"):
        read_ratings("wikipedia-rsp", path)
