"""``db backup FILE`` and ``db restore FILE``: every row of every table, as gzipped JSON.

The same file restores into SQLite or PostgreSQL (a logical copy, not the database's own
format), at the same migration. A backup reads in one transaction (a consistent picture while
the dashboard and workers go on); a restore writes in one transaction (all or nothing) and only
into an empty database unless told to replace what is there.
"""

from __future__ import annotations

import gzip
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, delete, func, insert, select, text

from planner.data.atomic import write_bytes
from planner.store.access import COMMAND_LINE, Refused, audit
from planner.store.db import Store, UTCDateTime, now
from planner.store.migrate import current_revision
from planner.store.models import Base

FORMAT = "planner-store-backup"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def backup(store: Store, path: Path) -> dict[str, int]:
    """Write every table to ``path`` (gzipped JSON, atomically); returns rows per table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with store.read() as session:
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [{k: _plain(v) for k, v in r._mapping.items()} for r in rows]
    document = {
        "format": FORMAT,
        "revision": revision,
        "created_at": now().isoformat(),
        "tables": tables,
    }
    data = gzip.compress(json.dumps(document, separators=(",", ":")).encode("utf-8"))
    write_bytes(path, data)
    return {name: len(rows) for name, rows in tables.items()}


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for column in table.columns:
        value = out.get(column.name)
        if value is None:
            continue
        if isinstance(column.type, UTCDateTime):
            out[column.name] = datetime.fromisoformat(value)
        elif isinstance(column.type, Date):
            out[column.name] = date.fromisoformat(value)
    return out


def read_backup(path: Path) -> dict[str, Any]:
    """The backup document; :class:`Refused` when the file is not one."""
    try:
        document = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    except FileNotFoundError as error:
        raise Refused(f"{path}: file not found") from error
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(f"{path}: not a planner backup ({error})") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Refused(f"{path}: not a planner backup")
    return document


def restore(
    store: Store, path: Path, *, replace: bool = False, by: str = COMMAND_LINE
) -> dict[str, int]:
    """Load a backup into the (migrated) database in one transaction; returns rows per table.
    The restore itself is the first entry of the audit log after the backup's own (``by``,
    ``db.restore``: the file, when it was taken, and what it replaced)."""
    document = read_backup(path)
    revision = current_revision(store)
    if document.get("revision") != revision:
        raise Refused(
            f"{path} was taken at migration {document.get('revision')}, the database is at "
            f"{revision}: restore into a database at the same migration"
        )
    tables: dict[str, list[dict[str, Any]]] = document["tables"]
    counts = {}
    with store.write() as session:
        present = {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }
        filled = [name for name, n in present.items() if n]
        if filled and not replace:
            raise Refused(
                f"the database is not empty ({', '.join(filled)}): give --replace to replace "
                "everything in it with the backup"
            )
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(delete(table))
        for table in Base.metadata.sorted_tables:
            rows = [_typed(table, r) for r in tables.get(table.name, [])]
            if rows:
                session.execute(insert(table), rows)
            counts[table.name] = len(rows)
        if store.engine.dialect.name == "postgresql":
            # Tables keyed by a serial ``id`` (not calendar_feeds or seen_versions, keyed by
            # their user) continue numbering after the restored rows.
            for table in (t for t in Base.metadata.sorted_tables if "id" in t.c):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
                )
        audit(
            session,
            by,
            "db.restore",
            detail={
                "file": str(path),
                "taken_at": document.get("created_at"),
                "revision": revision,
                "rows": counts,
                "replaced": {name: n for name, n in present.items() if n},
            },
        )
    return counts
