"""The ingest command on PostgreSQL, tasks in-process."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from factcheck.crosscheck.text import normalize_text, split_passages
from factcheck.documents import read_document
from factcheck.models import Outlet, Passage, Source
from tests.conftest import REPO_ROOT, SEEDS_ARTICLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

GOOD_ARTICLE = (
    "---\noutlet: Valley Ledger\npublished: 2025-05-02\n---\nThe dam held. Officials said 12 homes were evacuated.\n"
)
OTHER_ARTICLE = "The river fell by two metres overnight. Residents returned on Sunday.\n"


def run_ingest(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_ingests_files_and_splits_them(tmp_path: Path, django_capture_on_commit_callbacks) -> None:
    (tmp_path / "a.md").write_text(GOOD_ARTICLE)
    (tmp_path / "b.txt").write_text(OTHER_ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run_ingest(str(tmp_path), "--outlet-from-filename")
    assert "2 ingested, 0 already present (unchanged), 0 skipped" in out
    assert sorted(Outlet.objects.values_list("name", flat=True)) == ["a", "b"]
    source = Source.objects.get(outlet__name="b")
    assert source.split_at is not None
    assert [p.text for p in source.passages.order_by("position")] == [
        "The river fell by two metres overnight.",
        "Residents returned on Sunday.",
    ]


def test_file_metadata_gives_outlet_and_date_unless_overridden(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(GOOD_ARTICLE)
    run_ingest(str(tmp_path / "a.md"))
    source = Source.objects.get()
    assert source.outlet.name == "Valley Ledger"
    assert source.published_at is not None
    assert source.published_at.date().isoformat() == "2025-05-02"
    (tmp_path / "b.txt").write_text(OTHER_ARTICLE)
    run_ingest(
        str(tmp_path / "b.txt"),
        "--outlet",
        "Hill Gazette",
        "--published",
        "2025-05-03",
        "--url",
        "https://hill.example/r",
    )
    other = Source.objects.get(url="https://hill.example/r")
    assert (other.outlet.name, other.outlet.domain) == ("Hill Gazette", "hill.example")
    assert other.published_at is not None
    assert other.published_at.date().isoformat() == "2025-05-03"


def test_ingesting_again_changes_nothing_and_says_so(tmp_path: Path, django_capture_on_commit_callbacks) -> None:
    (tmp_path / "a.md").write_text(GOOD_ARTICLE)
    (tmp_path / "b.txt").write_text(OTHER_ARTICLE)
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(tmp_path), "--outlet", "Valley Ledger")
    counts = (Outlet.objects.count(), Source.objects.count(), Passage.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        out, _ = run_ingest(str(tmp_path), "--outlet", "Valley Ledger")
    assert "0 ingested, 2 already present (unchanged), 0 skipped" in out
    assert f"unchanged {tmp_path / 'a.md'}: already ingested as source" in out
    assert callbacks == []
    assert (Outlet.objects.count(), Source.objects.count(), Passage.objects.count()) == counts


def test_the_same_text_with_other_whitespace_is_the_same_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    (tmp_path / "b.txt").write_text(OTHER_ARTICLE.replace("\n", "\r\n") + "\n\n")
    out, _ = run_ingest(str(tmp_path), "--outlet", "X")
    assert "1 ingested, 1 already present" in out
    assert Source.objects.count() == 1


def test_a_known_url_with_new_text_keeps_the_stored_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    (tmp_path / "b.txt").write_text(GOOD_ARTICLE)
    run_ingest(str(tmp_path / "a.txt"), "--outlet", "X", "--url", "https://x.example/1")
    err = StringIO()
    with pytest.raises(CommandError, match="1 not stored"):
        call_command("ingest", str(tmp_path / "b.txt"), "--outlet", "X", "--url", "https://x.example/1", stderr=err)
    # Said, not silently dropped: the new text was not stored, and why.
    assert "this URL is already stored as source" in err.getvalue()
    assert "the stored text was kept" in err.getvalue()
    assert Source.objects.get().text == normalize_text(OTHER_ARTICLE)


def test_the_same_text_from_another_outlet_is_reported_not_stored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    run_ingest(str(tmp_path / "a.txt"), "--outlet", "Wire Service")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "a.txt"), "--outlet", "Local Echo", stdout=StringIO(), stderr=err)
    assert "the same text is already stored as source" in err.getvalue()
    assert "from Wire Service" in err.getvalue()
    assert Source.objects.count() == 1


BAD_FILES = {
    "empty.txt": b"",
    "binary.txt": b"\x00\x01\x02\x03" * 100,
    "huge.txt": b"A sentence. " * 600_000,
    "broken.md": b"---\noutlet: [\n---\ntext\n",
}


def test_bad_files_are_named_and_skipped_while_the_rest_go_in(tmp_path: Path, settings) -> None:
    settings.FACTCHECK_MAX_SOURCE_BYTES = 5 * 1024 * 1024
    (tmp_path / "good.txt").write_text(OTHER_ARTICLE)
    for name, content in BAD_FILES.items():
        (tmp_path / name).write_bytes(content)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="5 file\\(s\\) skipped"):
        call_command(
            "ingest",
            str(tmp_path / "good.txt"),
            str(tmp_path / "dangling.txt"),
            *(str(tmp_path / n) for n in BAD_FILES),
            "--outlet",
            "X",
            stdout=out,
            stderr=err,
        )
    assert "1 ingested, 0 already present (unchanged), 5 skipped" in out.getvalue()
    for name, reason in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("huge.txt", "too large"),
        ("broken.md", "unreadable front matter"),
        ("dangling.txt", "unreadable"),
    ]:
        assert f"skipped {tmp_path / name}: {reason}" in err.getvalue()
    assert Source.objects.get().text == normalize_text(OTHER_ARTICLE)


def test_a_folder_contributes_only_supported_files(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "a.txt").write_text(OTHER_ARTICLE)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("Hidden editor backup. Not an article.")
    out, _ = run_ingest(str(tmp_path), "--outlet", "X")
    assert "1 ingested" in out
    assert Source.objects.get().file_name.endswith("nested/a.txt")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "02/05/2025"], "--published: takes a real date as YYYY-MM-DD"),
        (["--published", "2025-02-30"], "--published: takes a real date as YYYY-MM-DD"),
        (["--url", "https://x.example/1"], "--url names one article"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_ingested(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    (tmp_path / "b.txt").write_text(GOOD_ARTICLE)
    with pytest.raises(CommandError, match=message):
        run_ingest(str(tmp_path), "--outlet", "X", *args)
    assert Source.objects.count() == 0


def test_a_file_without_any_outlet_is_skipped_with_advice(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(tmp_path / "a.txt"), stdout=StringIO(), stderr=err)
    assert "no outlet: give one (--outlet, --outlet-from-filename)" in err.getvalue()
    assert Source.objects.count() == 0


def test_an_invalid_url_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(OTHER_ARTICLE)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "ingest",
            str(tmp_path / "a.txt"),
            "--outlet",
            "X",
            "--url",
            "javascript:alert(1)",
            stdout=StringIO(),
            stderr=err,
        )
    assert "invalid URL" in err.getvalue()


def test_the_seed_articles_from_shared_ingest_with_one_outlet_each(django_capture_on_commit_callbacks) -> None:
    seeds = SEEDS_ARTICLES
    if not seeds.is_dir():
        pytest.skip(f"no seeds articles at {seeds} (../shared/seeds, or FACTCHECK_SEEDS_DIR)")
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(seeds), "--outlet-from-filename")
    files = sorted(seeds.glob("*.txt"))
    assert Outlet.objects.count() == Source.objects.count() == len(files)
    expected = sum(len(split_passages(read_document(f, max_bytes=10**7).text)) for f in files)
    assert Passage.objects.count() == expected


def test_an_impossible_published_date_is_a_usage_error_not_a_traceback() -> None:
    day = "2025-13-01"
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", "article.md", "--published", day],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert f"argument --published: takes a real date as YYYY-MM-DD, got '{day}'" in done.stderr


def test_an_undated_file_is_said_so_and_its_claims_stay_undated(
    tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    from factcheck.models import Claim

    (tmp_path / "dated.md").write_text(GOOD_ARTICLE)
    (tmp_path / "undated.txt").write_text(
        "Officials in Karsk said 40 people were evacuated when the river burst its banks.\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        out, err = run_ingest(str(tmp_path), "--outlet-from-filename")
    assert f"no publication date in {tmp_path / 'undated.txt'}" in err
    assert "dated.md" not in err
    assert "1 with no publication date (their claims left undated)" in out
    undated = Claim.objects.get(origin_source__outlet__name="undated")
    assert undated.claim_date is None
    assert undated.appearances.get().appeared_at is None
    dated = Claim.objects.filter(origin_source__outlet__name="dated").first()
    assert dated is not None
    assert dated.claim_date is not None
