"""What the import wizard holds: the person's choices so far, and the one plan they make.

Every page reads the session; none reads a file or resolves a mapping of its own. The
preview page reads the files on the worker (``read_work``) and hands the results back
with ``set_source``; a change on the mapping page goes through ``set_column_targets``;
the check and the import run ``plan()``, the same object as long as nothing changed.

Several files are one list: each file has its own read options and preview; files with
the same columns share one set of column targets. The pages work on the *current* file.
"""

from pathlib import Path

from ...core.import_plan import FileRead, ImportPlan, SourcePlan, assemble_plan, plan_source, read_file
from ...core.importer import run_import
from ...core.invalid_rows import write_invalid_rows
from ...core.phone import DEFAULT_REGION, UnknownRegion, phone_settings
from ...store.models import REPLACE


class ImportSession:
    def __init__(
        self,
        campaign_id: int,
        paths: list,
        region: str | None = DEFAULT_REGION,
        strict: bool = False,
        *,
        caller: str | None = None,
    ) -> None:
        self.campaign_id = campaign_id
        self.caller = caller  # who imports (Settings > Team); None: the user name
        self.paths = [Path(path) for path in paths]
        try:
            self.region, self.strict = phone_settings(region, strict)
            self.detection_region = self.region
        except UnknownRegion:
            # The check says so in plain words (the plan fails); detection still needs a region.
            self.region, self.strict, self.detection_region = str(region), bool(strict), DEFAULT_REGION
        self.campaign_name = ""
        self.mode = REPLACE  # or KEEP_PENDING: add to the campaign
        self.current = 0  # the file the preview and mapping pages show
        # Per file: only the values the person forced on the preview page; the rest is detected.
        self.read_options_by_file: list[dict] = [{} for _ in self.paths]
        self.sources: list[SourcePlan | None] = [None for _ in self.paths]  # None: not read yet
        # The person's column targets per set of columns (None: as detected): files with the same columns share them.
        self.targets_by_columns: dict[tuple, dict | None] = {}
        self._plan: ImportPlan | None = None

    # -- the current file --------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.paths[self.current]

    @property
    def read_options(self) -> dict:
        return self.read_options_by_file[self.current]

    @property
    def source(self) -> SourcePlan | None:
        return self.sources[self.current]

    @property
    def read(self) -> FileRead | None:
        source = self.sources[self.current]
        return source.read if source is not None else None

    @property
    def column_targets(self) -> dict | None:
        return self.targets_by_columns.get(self.columns_of(self.current))

    # -- the files together ------------------------------------------------------------------

    @property
    def several(self) -> bool:
        return len(self.paths) > 1

    def file_label(self, index: int) -> str:
        """'File 1 of 3: name.csv', or the name alone for a single file."""
        name = self.paths[index].name
        return f"File {index + 1} of {len(self.paths)}: {name}" if self.several else name

    def files_text(self) -> str:
        """The file's name, or 'N files' for several."""
        return f"{len(self.paths)} files" if self.several else self.paths[0].name

    def columns_of(self, index: int) -> tuple:
        source = self.sources[index]
        return source.read.columns if source is not None and source.read.sniffed is not None else ("file", index)

    def column_groups(self) -> list[list[int]]:
        """The files' indexes, grouped by their set of columns, in file order."""
        groups: dict[tuple, list[int]] = {}
        for index in range(len(self.paths)):
            groups.setdefault(self.columns_of(index), []).append(index)
        return list(groups.values())

    def all_read(self) -> bool:
        return all(source is not None and source.read.sniffed is not None for source in self.sources)

    # -- changing a choice -------------------------------------------------------------------

    def read_work(self, indexes: list[int]):
        """``work(report, cancelled)`` for a task slot: read and resolve the files ``indexes`` with
        the choices made so far; returns {index: SourcePlan} for ``set_source``."""
        jobs = [(index, self.paths[index], dict(self.read_options_by_file[index])) for index in indexes]
        targets = {columns: dict(chosen) for columns, chosen in self.targets_by_columns.items() if chosen is not None}
        region = self.detection_region

        def work(report, cancelled) -> dict[int, SourcePlan]:
            sources = {}
            for index, path, options in jobs:
                if cancelled():
                    break
                read = read_file(path, options)
                sources[index] = plan_source(read, targets.get(read.columns), region=region)
            return sources

        return work

    def set_source(self, index: int, source: SourcePlan) -> None:
        self.sources[index] = source
        self._plan = None

    def set_column_targets(self, targets: dict) -> None:
        """The person's targets for the current file's columns: each file with these columns is resolved
        again, unless its plan already maps its columns so."""
        columns = self.columns_of(self.current)
        self.targets_by_columns[columns] = dict(targets)
        for index in range(len(self.paths)):
            source = self.sources[index]
            if source is None or self.columns_of(index) != columns or _maps_as(source, targets):
                continue
            self.sources[index] = plan_source(source.read, dict(targets), region=self.detection_region)
            self._plan = None

    def detect_columns(self) -> SourcePlan:
        """Forget the targets chosen for the current file's columns: detect them again; returns the current file's plan."""
        columns = self.columns_of(self.current)
        self.targets_by_columns[columns] = None
        for index, source in enumerate(self.sources):
            if source is not None and self.columns_of(index) == columns and source.column_targets is not None:
                self.sources[index] = plan_source(source.read, None, region=self.detection_region)
                self._plan = None
        return self.sources[self.current]

    def problem_of(self, index: int) -> str | None:
        source = self.sources[index]
        return source.problem if source is not None else "The file has not been read yet."

    def set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self.mode = mode
            self._plan = self._plan.with_mode(mode) if self._plan is not None else None

    # -- the plan ----------------------------------------------------------------------------

    def plan(self) -> ImportPlan:
        """The plan of the choices made so far; the same object until a choice changes."""
        if self._plan is None:
            assert all(source is not None for source in self.sources), "the preview page reads every file first"
            self._plan = assemble_plan(
                self.campaign_id, self.sources, region=self.region, strict=self.strict, mode=self.mode
            )
        return self._plan

    def import_work(self, plan: ImportPlan, *, dry_run: bool):
        """``work(report, cancelled)`` for a task slot: run the plan (a dry run for the check)."""
        caller = self.caller

        def work(report, cancelled) -> dict:
            return run_import(plan, report, cancelled, dry_run=dry_run, caller=caller).to_dict()

        return work

    def invalid_rows_writer(self):
        """``write(path) -> count``: the plan's rows with an unusable number, whole, with the reason."""
        plan = self.plan()
        return lambda path: write_invalid_rows(plan, path)


def _maps_as(source: SourcePlan, targets: dict) -> bool:
    """Whether the file's plan already maps its columns to ``targets`` (resolving again would change nothing)."""
    if source.column_targets is not None and dict(source.column_targets) == targets:
        return True
    return source.mapping is not None and source.mapping.as_json_dict() == targets
