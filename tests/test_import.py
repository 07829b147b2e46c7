"""``newsprism import``: JSON Lines in, idempotent, resumable after kill -9, messy data reported."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsprism.config import Settings
from newsprism.ingest.importer import import_file
from newsprism.store.database import Database
from newsprism.store.schema import articles, imports, outlets

_WORDS = [
    "senate",
    "budget",
    "vote",
    "climate",
    "court",
    "ruling",
    "election",
    "campaign",
    "governor",
    "mayor",
    "police",
    "economy",
    "inflation",
    "jobs",
    "report",
    "market",
    "trade",
    "tariff",
    "health",
    "vaccine",
    "school",
    "border",
]


def _article(i: int, **fields: object) -> dict[str, object]:
    words = [_WORDS[(i * 7 + j * 3 + j // 5) % len(_WORDS)] + str((i + j) % 97) for j in range(80)]
    record: dict[str, object] = {
        "url": f"https://www.outlet{i % 5}.com/news/{i}?utm_source=feed",
        "title": f"Story number {i} about the {_WORDS[i % len(_WORDS)]}",
        "content": " ".join(words),
        "date": "2019-03-0" + str(1 + i % 9),
        "source_url": f"www.outlet{i % 5}.com",
        "source": f"Outlet {i % 5}",
        "topic": "politics",
        "bias": i % 3,
    }
    record.update(fields)
    return record


def _write(path: Path, records: list[object], *, compress: bool = False) -> Path:
    lines = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    if compress:
        path.write_bytes(gzip.compress(lines.encode()))
    else:
        path.write_text(lines, encoding="utf-8")
    return path


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())


def test_import_is_idempotent_and_keeps_extra_fields(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path / "a.jsonl.gz", [_article(i) for i in range(30)], compress=True)
    first = import_file(db, settings, path, workers=1, batch_lines=7)
    assert (first.lines, first.added, first.duplicates, first.rejected) == (30, 30, 0, 0)
    second = import_file(db, settings, path, workers=1, batch_lines=7)
    assert (second.added, second.duplicates) == (0, 30)
    assert _count(db) == 30
    with db.read() as conn:
        row = conn.execute(select(articles).order_by(articles.c.id)).first()
        assert row is not None
        assert row.extra == {"topic": "politics", "bias": 0}
        assert row.url == "https://outlet0.com/news/0"
        assert row.source_name == "Outlet 0"
        assert row.extraction_status == "imported"
        runs = conn.execute(select(imports.c.added).order_by(imports.c.id)).scalars().all()
    assert runs == [30, 0]


def test_messy_lines_are_reported_with_line_numbers_and_the_rest_imported(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    records: list[object] = [
        _article(0),
        "{not json",
        _article(1, url=""),
        _article(2, title=None),
        _article(3, content=""),
        [1, 2, 3],
        _article(4, date=""),
        _article(5, date="0001-11-30"),
        _article(6, date="2050-06-01"),
        _article(7, date="7/23/17"),
        _article(0),  # the same URL again
        _article(8, url="mailto:desk@outlet.com", date=""),  # refused: its date not counted
        "",
        _article(9, content=None, text="A text field " * 20, published="2020-01-02T03:04:05Z"),
    ]
    report = import_file(db, settings, _write(tmp_path / "m.jsonl", records), workers=1)
    assert report.lines == 13  # the blank line is not a line of data
    assert report.added == 6 and report.duplicates == 1 and report.rejected == 6
    assert report.problems == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 3: missing field 'url'",
        "line 4: missing field 'title'",
        "line 5: missing field 'text' (or 'content')",
        "line 6: expected a JSON object, got list",
        "line 12: url: not an absolute http(s) URL: 'mailto:desk@outlet.com'",
    ]
    assert (report.dates_missing, report.dates_dropped, report.dates_fixed) == (1, 2, 1)
    with db.read() as conn:
        notes = dict(conn.execute(select(articles.c.title, articles.c.date_note)).all())
        dates = dict(conn.execute(select(articles.c.title, articles.c.published_at)).all())
    assert "implausible date '0001-11-30' dropped" in notes[_article(5)["title"]]
    assert dates[_article(5)["title"]] is None
    assert "future date" in notes[_article(6)["title"]]
    assert "month/day/year" in notes[_article(7)["title"]]
    assert dates[_article(7)["title"]].year == 2017


def test_fields_of_the_wrong_kind_are_refused_by_name_and_the_rest_imported(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    records: list[object] = [
        _article(0),
        _article(1, date=[1, 2]),
        _article(2, source_url={"a": 1}),
        _article(3, language=["en", "fr"]),
        _article(4, title="Broken \ud800 escape"),
        _article(5, title=7),
        _article(6, authors=["A. Writer", "B. Writer"], date=1577934245),
    ]
    path = _write(tmp_path / "kinds.jsonl", records)
    # A byte order mark before the first line is no part of it.
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    report = import_file(db, settings, path, workers=1)
    assert report.added == 2 and report.rejected == 5
    assert report.problems == [
        "line 2: field 'date' must be a date (text or a number), not list",
        "line 3: field 'source_url' must be text, not dict",
        "line 4: field 'language' must be text, not list",
        "line 5: field 'title' holds a lone surrogate code point (a broken \\u escape)",
        "line 6: field 'title' must be text, not int",
    ]
    # Only the stored lines' dates are counted; a Unix time is read from an unusual form.
    assert (report.dates_fixed, report.dates_dropped, report.dates_missing) == (1, 0, 0)
    with db.read() as conn:
        stored = dict(conn.execute(select(articles.c.title, articles.c.author)).all())
    assert stored[_article(6)["title"]] == "A. Writer, B. Writer"


def test_cli_import_prints_a_report_and_json(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "c.jsonl", [_article(i) for i in range(5)] + ["oops"])
    result = run_cli("import", str(path), "--no-process")
    assert result.exit_code == 0, result.stderr
    assert "5 added" in result.stdout and "line 6: not valid JSON" in result.stdout
    again = run_cli("import", str(path), "--no-process", "--json")
    report = json.loads(again.stdout)
    assert report["added"] == 0 and report["duplicates"] == 5 and report["rejected"] == 1


@pytest.mark.parametrize("as_json", [False, True])
def test_cli_import_of_a_file_with_no_usable_line_fails_after_its_report(
    run_cli, tmp_path: Path, as_json: bool
) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "wrong.jsonl", ["oops", {"url": "https://a.com/x"}])
    result = run_cli("import", str(path), *(["--json"] if as_json else []))
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"newsprism: error: {path}: none of its 2 lines could be imported"
    )
    if as_json:
        assert json.loads(result.stdout)["rejected"] == 2
    else:
        assert "line 1: not valid JSON" in result.stdout


def test_cli_import_of_a_directory_or_a_pipe_says_what_it_is(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    folder = run_cli("import", str(tmp_path), "--no-process")
    assert folder.exit_code == 2 and "is a directory" in folder.stderr
    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    piped = run_cli("import", str(pipe), "--no-process")
    assert piped.exit_code == 1
    assert "not a regular file (a pipe or device)" in piped.stderr


def test_cli_import_of_a_missing_file_is_one_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("import", str(tmp_path / "nope.jsonl"), "--no-process")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"newsprism: error: {tmp_path / 'nope.jsonl'}: no such file"


def test_damaged_gzip_keeps_what_was_read_and_says_where(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    data = gzip.compress("".join(json.dumps(_article(i)) + "\n" for i in range(400)).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    from newsprism.errors import InputError

    with pytest.raises(InputError, match="file is damaged after line"):
        import_file(db, settings, path, workers=1, batch_lines=50)
    assert _count(db) > 0


def test_a_failed_commit_stops_the_import_at_its_first_hole(
    db: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsprism.ingest.importer as importer

    path = _write(tmp_path / "a.jsonl", [_article(i) for i in range(250)])
    real = importer.store_prepared
    calls = 0

    def failing_second_batch(conn, prepared):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("disk full")
        return real(conn, prepared)

    monkeypatch.setattr(importer, "store_prepared", failing_second_batch)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(db, settings, path, workers=1, batch_lines=50)
    # The first batch is stored; nothing after the failed one was written.
    assert _count(db) == 50
    assert calls == 2
    monkeypatch.setattr(importer, "store_prepared", real)
    report = import_file(db, settings, path, workers=1, batch_lines=50)
    assert (report.added, report.duplicates, _count(db)) == (200, 50, 250)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_import_killed_mid_way_resumes_without_duplicates_or_holes(
    settings: Settings, tmp_path: Path, workers: int
) -> None:
    total = 3000  # three batches of 1,000: killed after the first commits
    path = _write(tmp_path / "big.jsonl", [_article(i) for i in range(total)])
    env = {**os.environ, "NEWSPRISM_DB": settings.db_url}
    command = [
        sys.executable,
        "-m",
        "newsprism",
        "import",
        str(path),
        "--no-process",
        "--workers",
        str(workers),
    ]
    # A session of its own, so that the kill takes the workers too, as a crash or an
    # out-of-memory kill would.
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    db = Database(settings.db_url)
    try:
        # Kill once some batches are committed and before the end.
        deadline = time.monotonic() + 120
        while _count(db) < 300 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None, "the import finished before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        stored_before = _count(db)
        assert 0 < stored_before < total
        rerun = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        assert rerun.returncode == 0, rerun.stderr
        with db.read() as conn:
            urls = conn.execute(select(articles.c.original_url)).scalars().all()
        assert len(urls) == total == len(set(urls))
        assert sorted(int(u.split("/")[-1].split("?")[0]) for u in urls) == list(range(total))
        assert f"{total - stored_before} added" in rerun.stdout
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        db.dispose()


def test_worker_turns_commit_in_file_order_and_stop_at_the_first_failure() -> None:
    import multiprocessing
    import threading

    from newsprism.ingest.importer import ImportAborted, _Turns

    turns = _Turns(multiprocessing.get_context("spawn"))
    committed: list[int] = []
    outcomes: dict[int, str] = {}

    def batch(seq: int, fails: bool) -> None:
        ok = False
        try:
            turns.wait(seq)
            if fails:
                raise RuntimeError("disk full")
            committed.append(seq)
            ok = True
            outcomes[seq] = "written"
        except ImportAborted:
            outcomes[seq] = "aborted"
        except RuntimeError:
            outcomes[seq] = "failed"
        finally:
            turns.done(seq, ok)

    # Started last first: each still waits for the batch before it.
    threads = [threading.Thread(target=batch, args=(seq, seq == 3)) for seq in reversed(range(6))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert committed == [0, 1, 2]
    assert outcomes == {
        0: "written",
        1: "written",
        2: "written",
        3: "failed",
        4: "aborted",
        5: "aborted",
    }


def test_import_with_worker_processes_matches_in_process(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    records: list[object] = [_article(i) for i in range(40)]
    records.insert(17, "{broken")
    path = _write(tmp_path / "w.jsonl", records)
    report = import_file(db, settings, path, workers=2, batch_lines=10)
    assert (report.lines, report.added, report.rejected) == (41, 40, 1)
    assert report.problems == [
        "line 18: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    ]
    again = import_file(db, settings, path, workers=2, batch_lines=10)
    assert (again.added, again.duplicates) == (0, 40)


def test_a_line_nested_thousands_deep_is_refused_by_line_and_the_rest_imported(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    deep = '{"url": "https://outlet.com/deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path = tmp_path / "deep.jsonl"
    path.write_text(
        json.dumps(_article(0)) + "\n" + deep + "\n" + json.dumps(_article(1)) + "\n",
        encoding="utf-8",
    )
    report = import_file(db, settings, path, workers=1)
    assert report.added == 2 and report.rejected == 1
    assert report.problems == ["line 2: not valid JSON (nested too deeply at column 1)"]


def test_a_reader_that_goes_away_does_not_stop_the_clustering(tmp_path: Path) -> None:
    # `newsprism import FILE | head -1`: the report cannot be written, the work still finishes.
    import subprocess
    import sys

    from sqlalchemy import func

    path = _write(tmp_path / "p.jsonl", [_article(i) for i in range(3)])
    db_path = tmp_path / "piped.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "newsprism", "--db", str(db_path), "import", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # before anything is written
    _out, err = process.communicate(timeout=120)
    assert b"Traceback" not in err
    db = Database(str(db_path))
    try:
        with db.read() as conn:
            unclustered = conn.execute(
                select(func.count()).select_from(articles).where(articles.c.story_id.is_(None))
            ).scalar_one()
            stored = conn.execute(select(func.count()).select_from(articles)).scalar_one()
    finally:
        db.dispose()
    assert (stored, unclustered) == (3, 0)


@pytest.mark.parametrize("given", ["javascript:alert(1)", "mailto:desk@x.com", "Fox News"])
def test_an_outlet_that_is_no_address_gives_way_to_the_articles_own_site(
    db: Database, settings: Settings, tmp_path: Path, given: str
) -> None:
    path = _write(tmp_path / "o.jsonl", [_article(0, source_url=given)])
    report = import_file(db, settings, path, workers=1)
    assert report.added == 1
    with db.read() as conn:
        row = conn.execute(
            select(outlets.c.domain, articles.c.extraction_note).join(
                outlets, outlets.c.id == articles.c.outlet_id
            )
        ).one()
    assert row.domain == "outlet0.com"
    assert f"outlet {given!r} is no web address or host" in row.extraction_note


def test_an_overlong_title_is_cut_with_a_note(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    path = _write(tmp_path / "t.jsonl", [_article(0, title="word " * 40_000)])
    assert import_file(db, settings, path, workers=1).added == 1
    with db.read() as conn:
        title, note = conn.execute(select(articles.c.title, articles.c.extraction_note)).one()
    assert len(title) == 1000 and title.endswith("…")
    assert "overlong title cut" in note


@pytest.mark.parametrize(
    ("host", "named"),
    [
        ("outlet.com", True),
        ("127.0.0.1", True),
        ("[::1]", True),
        ("localhost", True),
        ("javascript", False),
        ("fox news", False),
        ("xn--.com", False),
    ],
)
def test_host_names_an_outlet_may_have(host: str, named: bool) -> None:
    from newsprism.domains import is_host_name

    assert is_host_name(host) is named
