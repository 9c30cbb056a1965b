"""A team's data sets: the contract files, checked by the same readers as the command line,
kept as imported, and read back the same way for every run that uses them."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.data.config import load_config
from planner.data.io import CONTRACT_FILES, DataSet, load_dataset
from planner.data.problems import InputError, Problems
from planner.domain import Config
from planner.store.models import DataSetFile, DataSetRow

STORED_FILES = CONTRACT_FILES
"""The files a data set may hold (``config.toml`` and ``agents.csv`` required)."""


def _text(name: str, content: bytes | str, problems: Problems) -> str | None:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.add(name, None, None, "cannot read the file as text (UTF-8 or Windows-1252)")
    return None


def _cell(value: object) -> str:
    """A workbook cell as the CSV text the contract's readers expect."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0):
            return value.date().isoformat()  # Excel keeps a date as midnight of that day
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def excel_as_csv(name: str, content: bytes, problems: Problems) -> str | None:
    """The first sheet of an Excel workbook (``.xlsx``) as CSV text (``None``: unreadable)."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only for a workbook: a slow import

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        problems.add(name, None, None, f"cannot read the Excel workbook: {error}")
        return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in book.worksheets[0].iter_rows(values_only=True):
        cells = [_cell(v) for v in row]
        if any(cells):
            writer.writerow(cells)
    book.close()
    return out.getvalue()


def uploads(files: Mapping[str, bytes | str], problems: Problems) -> dict[str, bytes | str]:
    """Uploaded files under their contract names: ``agents.xlsx`` becomes ``agents.csv``."""
    named: dict[str, bytes | str] = {}
    for name, content in files.items():
        if name.lower().endswith(".xlsx") and isinstance(content, bytes):
            text = excel_as_csv(name, content, problems)
            if text is not None:
                named[name[: -len(".xlsx")] + ".csv"] = text
        else:
            named[name] = content
    return named


def check_files(files: Mapping[str, bytes | str]) -> dict[str, str]:
    """The files as text, after every check of ``validate``; :class:`InputError` with every
    problem (unknown file names included) when any is wrong."""
    problems = Problems()
    texts: dict[str, str] = {}
    files = uploads(files, problems)
    for name, content in files.items():
        if name not in STORED_FILES:
            problems.add(name, None, None, f"not a data set file ({', '.join(STORED_FILES)})")
            continue
        text = _text(name, content, problems)
        if text is not None:
            texts[name] = text
    if "config.toml" not in files:
        problems.add("config.toml", None, None, "file not found: a data set needs config.toml")
    problems.raise_if_errors()
    with tempfile.TemporaryDirectory(prefix="planner-data-") as folder:
        _write(Path(folder), texts)
        load_dataset(Path(folder), need_agents=True)
    return texts


def files_of_folder(directory: Path) -> dict[str, bytes]:
    """The contract files present in ``directory``, as bytes."""
    if not directory.is_dir():
        problems = Problems()
        problems.add(str(directory), None, None, "folder not found")
        raise InputError(list(problems))
    return {n: (directory / n).read_bytes() for n in STORED_FILES if (directory / n).is_file()}


def add_dataset(
    session: Session, team_id: int, texts: Mapping[str, str], user_id: int | None, note: str = ""
) -> DataSetRow:
    """Store checked files as the team's next data set version."""
    last = session.scalar(select(func.max(DataSetRow.version)).where(DataSetRow.team_id == team_id))
    row = DataSetRow(team_id=team_id, version=(last or 0) + 1, note=note, created_by=user_id)
    session.add(row)
    session.flush()
    for name, content in sorted(texts.items()):
        session.add(DataSetFile(dataset_id=row.id, name=name, content=content))
    session.flush()
    return row


def latest_dataset(session: Session, team_id: int) -> DataSetRow | None:
    return session.scalar(
        select(DataSetRow)
        .where(DataSetRow.team_id == team_id)
        .order_by(DataSetRow.version.desc())
        .limit(1)
    )


def dataset_texts(session: Session, dataset_id: int) -> dict[str, str]:
    rows = session.scalars(select(DataSetFile).where(DataSetFile.dataset_id == dataset_id))
    return {row.name: row.content for row in rows}


def _write(folder: Path, texts: Mapping[str, str]) -> None:
    for name, content in texts.items():
        (folder / name).write_text(content, encoding="utf-8")


def load_texts(texts: Mapping[str, str]) -> DataSet:
    """The data set of stored files, read by the contract's readers."""
    with tempfile.TemporaryDirectory(prefix="planner-data-") as folder:
        _write(Path(folder), texts)
        return load_dataset(Path(folder), need_agents=True)


def dataset_config(session: Session, dataset_id: int) -> Config:
    """The config of a stored data set (it was checked when imported)."""
    text = session.scalar(
        select(DataSetFile.content).where(
            DataSetFile.dataset_id == dataset_id, DataSetFile.name == "config.toml"
        )
    )
    with tempfile.TemporaryDirectory(prefix="planner-data-") as folder:
        path = Path(folder) / "config.toml"
        path.write_text(text or "", encoding="utf-8")
        return load_config(path)
