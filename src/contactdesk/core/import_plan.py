"""One import, decided before it runs: the plan that the check, the import and the CLI all execute.

A plan is built from a person's choices in three steps, each done once per choice:

- ``read_file``: sniff one file with the read options forced on it (format, header row,
  sample rows). This is the only place a file is read before the import runs.
- ``plan_source``: resolve that file's column targets (``{"CSV column": target}``, None to
  detect) over its sample rows into a ``ColumnMapping``.
- ``assemble_plan``: the files together with the campaign, region, strictness and mode,
  checked; nothing is read again.

``build_plan`` does all three for the command line. Every value is immutable: a changed
choice makes a new plan (``ImportPlan.with_mode``, ``plan_source`` for one file) and keeps
what did not change.
"""

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..store import campaigns as campaign_store
from ..store.connection import is_read_only, read_only_message
from ..store.models import IMPORT_MODES, KEEP_PENDING, REPLACE
from .csv_reader import CsvFileError, CsvFormat, SniffResult, sniff
from .mapping import ColumnMapping, MappingError, resolve_mapping
from .phone import DEFAULT_REGION, UnknownRegion, phone_settings
from .result import BAD_REQUEST, FAILED, NOT_FOUND, ImportFailure

READ_OPTIONS = ("encoding", "delimiter", "has_header", "header_row")
SAMPLE_ROWS = 100  # rows sniffed per file: the preview shows them, detection reads them


def display_name(path: Path) -> str:
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass(frozen=True)
class FileChoice:
    """One file of an import and the person's choices for it (None: detect)."""

    path: str | os.PathLike
    column_targets: Mapping | str | None = None  # {"CSV column": target}, or the same as JSON text
    read_options: Mapping = field(default_factory=dict)  # encoding, delimiter, has_header, header_row


@dataclass(frozen=True)
class FileRead:
    """One file as sniffed with the read options forced on it, or why it cannot be read."""

    path: Path
    read_options: tuple[tuple[str, object], ...]  # only the forced ones, as (name, value)
    sniffed: SniffResult | None
    error: str | None = None

    @property
    def format(self) -> CsvFormat | None:
        return self.sniffed.format if self.sniffed is not None else None

    @property
    def headers(self) -> list[str]:
        return list(self.sniffed.headers) if self.sniffed is not None else []

    @property
    def columns(self) -> tuple:
        """What decides which files share one set of column targets."""
        if self.sniffed is None:
            return ("file", str(self.path))
        return (self.sniffed.format.has_header, *self.sniffed.headers)


def read_file(path: str | os.PathLike, read_options: Mapping | None = None) -> FileRead:
    """Sniff ``path`` once, with the forced read options (None values: detect)."""
    path = Path(path)
    forced = tuple((key, value) for key, value in (read_options or {}).items() if value is not None)
    unknown = [key for key, _ in forced if key not in READ_OPTIONS]
    if unknown:
        raise KeyError(unknown[0])
    try:
        return FileRead(path, forced, sniff(path, sample_size=SAMPLE_ROWS, **dict(forced)))
    except (CsvFileError, ValueError, OSError) as exc:
        return FileRead(path, forced, None, str(exc) or "The file cannot be read.")


@dataclass(frozen=True)
class SourcePlan:
    """One file of a plan: how it is read and what its columns become (or why it cannot be imported)."""

    read: FileRead
    column_targets: Mapping | str | None  # as given; None: detected
    mapping: ColumnMapping | None
    problem: str | None = None
    draft: ColumnMapping | None = None  # with no phone column: what each column was detected as

    @property
    def path(self) -> Path:
        return self.read.path

    @property
    def format(self) -> CsvFormat | None:
        return self.read.format

    @property
    def file_name(self) -> str:
        return display_name(self.path)

    @property
    def warnings(self) -> list[str]:
        found = list(self.read.sniffed.warnings) if self.read.sniffed is not None else []
        return found + (list(self.mapping.warnings) if self.mapping is not None else [])


def plan_source(read: FileRead, column_targets: Mapping | str | None = None, *, region: str) -> SourcePlan:
    """Resolve the file's column targets over its sample rows, once. ``region`` as ``phone_settings`` returns it."""
    if read.sniffed is None:
        return SourcePlan(read, column_targets, None, read.error)
    sniffed = read.sniffed
    try:
        mapping = resolve_mapping(
            sniffed.headers,
            column_targets,
            has_header=sniffed.format.has_header,
            sample_rows=sniffed.sample_rows,
            region=region,
        )
    except MappingError as exc:
        return SourcePlan(read, column_targets, None, str(exc), exc.draft)
    return SourcePlan(read, column_targets, mapping)


@dataclass(frozen=True)
class ImportPlan:
    campaign_id: int
    sources: tuple[SourcePlan, ...]  # the files, in order; one list
    region: str = DEFAULT_REGION
    strict: bool = False
    mode: str = REPLACE
    campaign_name: str = ""
    warnings: tuple[str, ...] = ()
    failure: ImportFailure | None = None

    # The first file's path, format and mapping (the only ones of a one-file import).
    @property
    def path(self) -> Path:
        return self.sources[0].path

    @property
    def format(self) -> CsvFormat | None:
        return self.sources[0].format

    @property
    def mapping(self) -> ColumnMapping | None:
        return self.sources[0].mapping

    @property
    def file_name(self) -> str:
        """The file's name; for several files, their names joined."""
        return ", ".join(source.file_name for source in self.sources)

    @property
    def keep_pending(self) -> bool:
        return self.mode == KEEP_PENDING

    def with_mode(self, mode: str) -> "ImportPlan":
        """The same plan, replacing or keeping the campaign's pending contacts (nothing is read again)."""
        return assemble_plan(self.campaign_id, self.sources, region=self.region, strict=self.strict, mode=mode)


def assemble_plan(
    campaign_id: int,
    sources: Sequence[SourcePlan],
    *,
    region: str | None = DEFAULT_REGION,
    strict: bool = False,
    mode: str = REPLACE,
) -> ImportPlan:
    """The plan of files already read and resolved, with its first failure, if any."""
    sources = tuple(sources)
    plan = ImportPlan(campaign_id, sources, mode=mode)
    try:
        if mode not in IMPORT_MODES:
            raise ImportFailure(BAD_REQUEST, f"Unknown import mode {mode!r}; use one of {', '.join(IMPORT_MODES)}.")
        try:
            region, strict = phone_settings(region, strict)
        except UnknownRegion as exc:
            raise ImportFailure(BAD_REQUEST, str(exc)) from None
        plan = replace(plan, region=region, strict=strict)
        if is_read_only():
            raise ImportFailure(FAILED, f"{read_only_message()} Nothing was imported.")
        campaign = campaign_store.find(campaign_id)
        if campaign is None:
            raise ImportFailure(NOT_FOUND, f"Campaign {campaign_id} was not found.")
        plan = replace(plan, campaign_name=campaign.name)
        warnings: list[str] = []
        for number, source in enumerate(sources, 1):
            # With several files, each message says which file it is about.
            prefix = f"File {number} of {len(sources)} ({source.file_name}): " if len(sources) > 1 else ""
            if source.problem is not None:
                raise ImportFailure(BAD_REQUEST, prefix + source.problem)
            warnings.extend(prefix + warning for warning in source.warnings)
        plan = replace(plan, warnings=tuple(warnings))
    except ImportFailure as failure:
        plan = replace(plan, failure=failure)
    return plan


def build_plan(
    campaign_id: int,
    files: Sequence[FileChoice],
    *,
    region: str | None = DEFAULT_REGION,
    strict: bool = False,
    mode: str = REPLACE,
) -> ImportPlan:
    """Read and resolve every file, then assemble: the plan that imports ``files`` as one list, in order."""
    try:
        region, strict = phone_settings(region, strict)
    except UnknownRegion:
        # Said by assemble_plan, before any file is read.
        return assemble_plan(campaign_id, [_unread(choice) for choice in files], region=region, mode=mode)
    sources = []
    for choice in files:
        read = read_file(choice.path, choice.read_options)
        source = plan_source(read, choice.column_targets, region=region)
        sources.append(source)
        if source.problem is not None:
            break  # the plan fails on it: the files after it are not read
    sources += [_unread(choice) for choice in files[len(sources) :]]
    return assemble_plan(campaign_id, sources, region=region, strict=strict, mode=mode)


def _unread(choice: FileChoice) -> SourcePlan:
    return SourcePlan(FileRead(Path(choice.path), (), None), choice.column_targets, None)


def prepare_import(
    campaign_id: int,
    path: str | os.PathLike,
    column_targets=None,
    *,
    region: str | None = DEFAULT_REGION,
    strict: bool = False,
    encoding: str | None = None,
    delimiter: str | None = None,
    has_header: bool | None = None,
    mode: str = REPLACE,
    header_row: int | None = None,
) -> ImportPlan:
    """The plan of a one-file import (the command line's flags)."""
    options = {"encoding": encoding, "delimiter": delimiter, "has_header": has_header, "header_row": header_row}
    return build_plan(campaign_id, [FileChoice(path, column_targets, options)], region=region, strict=strict, mode=mode)
