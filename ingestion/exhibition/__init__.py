"""dlt source for trade-show badge-scan files dropped into a landing folder.

Tables in ``raw_exhibition`` (see README.md for the data contract):

* ``badge_scans`` — one row per scan (key ``scan_key``: hash of exhibition, badge
  or normalised phone/e-mail, and scan time, so a re-export merges onto itself).
* ``files`` — one row per landed file, loaded or not (key ``file_id``, a content hash).
* ``rejected_rows`` — rows and whole files that break the contract.

Both tables come from one hidden resource, ``parsed_files``, which parses each new
file once. A file's content hash goes into that resource's dlt state in the same load
package as its rows, so a re-run skips it and a crashed run reads it again.

``badge_scans`` is loaded insert-only: a scan_key already in the table (a re-export
of the same scans, or a file read again after a crash) adds nothing, and the first
delivery of a scan stays as it was loaded. Within one run the parser drops keys an
earlier file of the run delivered (dlt's insert-only merge does not deduplicate its
staging rows).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa
from dlt.sources import DltResource

from ingestion.common.rejects import as_rejected, rejected_row
from ingestion.exhibition.helpers import is_supported, landed_files
from ingestion.exhibition.parser import ParsedFile, content_id, parse_file
from ingestion.exhibition.settings import (
    BADGE_TABLE,
    FILES_COLUMNS,
    FILES_TABLE,
    INSERT_ONLY,
    PARSED_FILES,
    SCHEMA_CONTRACT,
    SOURCE_NAME,
    SOURCE_SYSTEM,
    STATE_KEY,
)
from ingestion.exhibition.timestamps import CHINA_UTC_OFFSET_HOURS

__all__ = ["ParsedFile", "exhibition_source", "parse_file"]

log = logging.getLogger(__name__)


def _unsupported(path: Path, data: bytes) -> ParsedFile:
    parsed = ParsedFile(file_id=content_id(data), name=path.name, size_bytes=len(data))
    parsed.error = f"{path.name} has an unsupported file type; expected CSV or XLSX"
    parsed.rejects.append(
        rejected_row(
            BADGE_TABLE, parsed.error, {"file_name": path.name, "size_bytes": len(data)}, path.name
        )
    )
    return parsed


@dlt.resource(name=PARSED_FILES, selected=False)
def parsed_files(
    landing_dir: Path, utc_offset_hours: int = CHINA_UTC_OFFSET_HOURS
) -> Iterator[ParsedFile]:
    """Every landed file not read before, parsed once (feeds badge_scans and files)."""
    loaded: dict[str, dict[str, str]] = dlt.current.resource_state().setdefault(STATE_KEY, {})
    delivered: set[str] = set()  # scan keys of this run's earlier files
    for path in landed_files(landing_dir):
        data = path.read_bytes()
        file_id = content_id(data)
        if file_id in loaded:
            log.debug("%s: already loaded as %s", path.name, loaded[file_id]["name"])
            continue
        if is_supported(path):
            parsed = parse_file(path, data=data, utc_offset_hours=utc_offset_hours)
        else:
            parsed = _unsupported(path, data)
        log.info(
            "%s: %d rows, %d rejected (%s)",
            path.name,
            parsed.table.num_rows,
            len(parsed.rejects),
            parsed.status,
        )
        _drop_delivered(parsed, delivered)
        yield parsed
        # In the same package as the file's rows: a crash before it loads forgets both.
        loaded[file_id] = {"name": path.name, "status": parsed.status}


def _drop_delivered(parsed: ParsedFile, delivered: set[str]) -> None:
    """Leave out the scans an earlier file of this run delivered (a re-export)."""
    keys = parsed.table.column("scan_key").to_pylist()
    if delivered.isdisjoint(keys):
        delivered.update(keys)
        return
    new = [key not in delivered for key in keys]
    parsed.delivered_before = new.count(False)
    parsed.table = parsed.table.filter(pa.array(new, pa.bool_()))
    delivered.update(keys)


@dlt.transformer(
    name=BADGE_TABLE,
    write_disposition=INSERT_ONLY,
    primary_key="scan_key",
    schema_contract=SCHEMA_CONTRACT,
)
def badge_scans(parsed: ParsedFile) -> Iterator[Any]:
    """The good rows of a parsed file, and its rejected rows."""
    if parsed.table.num_rows:
        yield parsed.table
    if parsed.rejects:
        yield as_rejected(parsed.rejects)


@dlt.transformer(
    name=FILES_TABLE,
    write_disposition="merge",
    primary_key="file_id",
    columns=FILES_COLUMNS,
    schema_contract=SCHEMA_CONTRACT,
)
def files(parsed: ParsedFile) -> Iterator[dict[str, Any]]:
    """One row per landed file: how it was read and what became of its rows."""
    record = parsed.file_record()
    record["loaded_at"] = dt.datetime.now(dt.UTC)
    record["_source_system"] = SOURCE_SYSTEM
    yield record


@dlt.source(name=SOURCE_NAME)
def exhibition_source(
    landing_dir: str = dlt.config.value,
    utc_offset_hours: int = CHINA_UTC_OFFSET_HOURS,
) -> list[DltResource]:
    """Badge-scan files in a landing folder.

    Args:
        landing_dir: The folder organisers' exports are dropped into
            (``SOURCES__EXHIBITION__LANDING_DIR``).
        utc_offset_hours: Offset of the exhibitions' local time from UTC (China: 8).

    Returns:
        The ``badge_scans`` (with ``rejected_rows``) and ``files`` resources; both read
        one hidden ``parsed_files`` resource, so each file is parsed once.
    """
    landed = parsed_files(Path(landing_dir), utc_offset_hours)
    return [landed | badge_scans, landed | files]
