"""predict_stance: FNC-1-format files in, the same rows out with a predicted Stance. No database:
these tests are not marked django_db, so any query would fail them."""

import csv
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

BODIES = [
    (
        "7",
        "Police in Dallas arrested a man on Tuesday who stole 40 puppies from the city's animal shelter. "
        "The puppies were returned to the shelter unharmed, officers said.",
    ),
    (
        "9",
        "The city council approved a new budget for road repairs on Monday. Work on the bridge starts in May.",
    ),
]
STANCES = [
    ("A man stole 40 puppies from a Dallas animal shelter", "7", "agree"),
    ("A man stole 40 puppies from a Dallas animal shelter", "9", "unrelated"),
    ("Dallas approves budget for road repairs", "9", ""),
]


def write_csv(path: Path, header: list[str], rows: Sequence[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run(*args: str) -> str:
    out = StringIO()
    call_command("predict_stance", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def bodies(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "bodies.csv", ["Body ID", "articleBody"], BODIES)


def test_the_same_rows_come_back_in_order_with_a_predicted_stance(tmp_path: Path, bodies: Path) -> None:
    stances = write_csv(tmp_path / "stances.csv", ["Headline", "Body ID", "Stance"], STANCES)
    out = tmp_path / "pred.csv"
    printed = run(str(stances), str(bodies), "--out", str(out))
    rows = read_csv(out)
    assert [(r["Headline"], r["Body ID"]) for r in rows] == [(h, b) for h, b, _ in STANCES]
    assert [r["Stance"] for r in rows][:2] == ["agree", "unrelated"]
    assert rows[2]["Stance"] in {"agree", "disagree", "discuss", "unrelated"}
    assert "3 pairs over 2 bodies" in printed


def test_a_stances_file_without_a_stance_column_gets_one(tmp_path: Path, bodies: Path) -> None:
    stances = write_csv(tmp_path / "stances.csv", ["Headline", "Body ID"], [(h, b) for h, b, _ in STANCES])
    out = tmp_path / "pred.csv"
    run(str(stances), str(bodies), "--out", str(out))
    rows = read_csv(out)
    assert list(rows[0]) == ["Headline", "Body ID", "Stance"]
    assert rows[1]["Stance"] == "unrelated"


def test_missing_files_columns_and_bodies_are_named(tmp_path: Path, bodies: Path) -> None:
    out = str(tmp_path / "pred.csv")
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.csv"), str(bodies), "--out", out)
    headless = write_csv(tmp_path / "headless.csv", ["Title", "Body ID"], [("x", "7")])
    with pytest.raises(CommandError, match="missing column"):
        run(str(headless), str(bodies), "--out", out)
    stray = write_csv(tmp_path / "stray.csv", ["Headline", "Body ID"], [("x", "404")])
    with pytest.raises(CommandError, match="404"):
        run(str(stray), str(bodies), "--out", out)
    assert not Path(out).exists()
