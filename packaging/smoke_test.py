"""Smoke-test a frozen ContactDesk: the window's import path, the CLI, and what the bundle holds.

    python packaging/smoke_test.py dist/ContactDesk/contactdesk [--system-libs]

Run by packaging/build.sh with the build venv's Python (which has contactdesk and phonenumbers
installed: the frozen results are compared with that unfrozen install). Exit 0 when every check
passes, 1 otherwise. Every frozen run uses a temporary database and temporary XDG folders,
so nothing touches the person's own data, settings or logs.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

SELFTEST_TIMEOUT_S = 300
COMMAND_TIMEOUT_S = 120
# A UK file imported with --region GB: national formats only work with GB's metadata loaded;
# +49 loads Germany's. Row 5 cannot be dialled.
GB_CSV = (
    "Name,Phone,Company\n"
    "London office,020 7946 0958,Acme Ltd\n"
    "Berlin office,+49 30 1234567,Beispiel GmbH\n"
    "Mobile,07700 900123,Acme Ltd\n"
    "Bad,12345,Nobody\n"
)
GB_EXPECTED = {"+442079460958", "+49301234567", "+447700900123"}
# Modules that must not be in the bundle, and files that must not be in _internal. The
# time-zone data stays: calling hours need each number's zone.
UNWANTED_MODULES = (
    "phonenumbers.geodata",
    "phonenumbers.carrierdata",
    "phonenumbers.geocoder",
    "phonenumbers.carrier",
    "tkinter",
)
# 07700 900xxx is a range set aside for drama: phonenumbers knows no zone for it.
GB_ZONES = {"+442079460958": "Europe/London", "+447700900123": None, "+49301234567": "Europe/Berlin"}
UNWANTED_FILES = re.compile(
    r"(translations/.*\.qm$|libQt6(Quick|Qml|Pdf|VirtualKeyboard|WebEngine)"
    r"|plugins/(qmltooling|sqldrivers|printsupport|egldeviceintegrations)/)"
)
BUNDLED_LIB = re.compile(r"^(libQt6|libpyside6|libshiboken6|libpython3|libicu)")


class Checks:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def ok(self, name: str, detail: str = "") -> None:
        print(f"  [ok] {name}" + (f": {detail}" if detail else ""), flush=True)

    def fail(self, name: str, detail: str) -> None:
        print(f"  [FAILED] {name}: {detail}", flush=True)
        self.failures.append(name)

    def check(self, condition: bool, name: str, detail: str) -> bool:
        (self.ok if condition else self.fail)(name, detail)
        return condition


def run(app: Path, *args: str, env: dict, timeout: float = COMMAND_TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(app), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def json_of(proc: subprocess.CompletedProcess):
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError:
        return None


def tail(text: str, lines: int = 15) -> str:
    return "\n      ".join((text or "").strip().splitlines()[-lines:])


def isolated_env(folder: Path) -> dict:
    env = dict(os.environ)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = folder / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env["CONTACTDESK_DB"] = str(folder / "smoke.sqlite3")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONPATH", None)
    return env


def check_version(app: Path, env: dict, checks: Checks) -> None:
    want = f"ContactDesk {version('contactdesk')}"
    proc = run(app, "--version", env=env)
    got = proc.stdout.strip() or proc.stderr.strip()
    checks.check(proc.returncode == 0 and got == want, "--version", f"{got!r} (expected {want!r})")
    proc = run(app, "--help", env=env)
    checks.check(
        proc.returncode == 0 and "import" in proc.stdout,
        "--help",
        f"exit {proc.returncode}, {len(proc.stdout.splitlines())} lines",
    )


def check_selftest(app: Path, env: dict, checks: Checks) -> None:
    started = time.monotonic()
    try:
        proc = run(app, "selftest", "--json", env=env, timeout=SELFTEST_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        checks.fail("selftest", f"no answer in {SELFTEST_TIMEOUT_S} s")
        return
    report = json_of(proc) or {}
    steps = ", ".join(f"{step['name']}{'' if step['ok'] else ' FAILED'}" for step in report.get("steps", []))
    detail = (
        f"exit {proc.returncode}, success={report.get('success')}, frozen={report.get('frozen')}, "
        f"Qt {report.get('qt')} on {report.get('result', {}).get('platform')}, "
        f"{report.get('result', {}).get('contacts_in_database')} contacts imported, "
        f"{time.monotonic() - started:.1f} s; steps: {steps}"
    )
    if not checks.check(
        proc.returncode == 0 and report.get("success") is True and report.get("frozen") is True,
        "selftest --json (QT_QPA_PLATFORM=offscreen)",
        detail,
    ):
        print(
            f"      message: {report.get('message')}\n      stderr: {tail(proc.stderr)}\n"
            f"      stdout: {tail(proc.stdout)}"
        )


def check_gb_import(app: Path, env: dict, folder: Path, checks: Checks) -> None:
    csv_path = folder / "uk and de numbers.csv"
    csv_path.write_text(GB_CSV, encoding="utf-8")
    created = json_of(run(app, "campaign", "create", "Smoke GB", "--json", env=env)) or {}
    campaign = created.get("id")
    if not checks.check(isinstance(campaign, int), "campaign create --json", f"{created}"):
        return
    proc = run(app, "import", str(campaign), str(csv_path), "--region", "GB", "--json", env=env)
    result = json_of(proc) or {}
    good = (
        proc.returncode == 0
        and result.get("success") is True
        and result.get("imported_count") == 3
        and result.get("invalid_count") == 1
        and [e.get("row") for e in result.get("errors", [])] == [5]
    )
    if not checks.check(
        good, "import --region GB --json", f"exit {proc.returncode}: {result.get('message') or tail(proc.stderr)}"
    ):
        return
    listed = json_of(run(app, "contacts", "list", str(campaign), "--json", env=env)) or []
    phones = {row.get("phone_number") for row in listed}
    checks.check(phones == GB_EXPECTED, "contacts list --json", f"{sorted(phones)}")
    zones = {row.get("phone_number"): row.get("time_zone") for row in listed}
    checks.check(zones == GB_ZONES, "time zones from the bundled data", f"{zones}")


def every_region_csv(path: Path) -> int:
    """One example number per region and per non-geographic code, in +E.164; how many are unique."""
    import phonenumbers

    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        example = phonenumbers.example_number(region)
        if example is not None:
            numbers.append((region, phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        example = phonenumbers.example_number_for_non_geo_entity(code)
        if example is not None:
            numbers.append((f"+{code}", phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)))
    path.write_text("Region,Phone\n" + "".join(f"{region},{number}\n" for region, number in numbers), encoding="utf-8")
    return len({number for _, number in numbers})


def check_every_region(app: Path, env: dict, folder: Path, checks: Checks) -> None:
    """The frozen import of a number from every region matches the unfrozen one: all metadata is there."""
    csv_path = folder / "every region.csv"
    unique = every_region_csv(csv_path)
    unfrozen = shutil.which("contactdesk", path=str(Path(sys.executable).parent))
    results = {}
    for label, program in (("frozen", app), ("unfrozen", unfrozen)):
        if program is None:
            checks.fail("every region", f"no unfrozen contactdesk beside {sys.executable}")
            return
        run_env = dict(env, CONTACTDESK_DB=str(folder / f"regions-{label}.sqlite3"))
        created = json_of(run(Path(program), "campaign", "create", "Every region", "--json", env=run_env)) or {}
        proc = run(Path(program), "import", str(created.get("id")), str(csv_path), "--json", env=run_env)
        result = json_of(proc) or {}
        results[label] = {
            key: result.get(key)
            for key in ("imported_count", "invalid_count", "duplicates_in_file", "unassigned_count")
        }
    frozen, unfrozen_result = results["frozen"], results["unfrozen"]
    checks.check(
        frozen == unfrozen_result and frozen["imported_count"] == unique and frozen["invalid_count"] == 0,
        "every region's metadata",
        f"{unique} example numbers; frozen {frozen}, unfrozen {unfrozen_result}",
    )


def bundled_modules(app: Path) -> set[str]:
    from PyInstaller.archive.readers import CArchiveReader

    names: set[str] = set()
    archive = CArchiveReader(str(app))
    for name in archive.toc:
        if name.startswith("PYZ"):
            names.update(archive.open_embedded_archive(name).toc)
    pyz = app.parent / "_internal" / "PYZ.pyz"
    if not names and pyz.exists():  # newer layouts keep the PYZ beside the executable
        from PyInstaller.archive.readers import ZlibArchiveReader

        names.update(ZlibArchiveReader(str(pyz)).toc)
    return names


def check_contents(app: Path, checks: Checks) -> None:
    internal = app.parent / "_internal"
    try:
        modules = bundled_modules(app)
    except Exception as exc:  # noqa: BLE001 (PyInstaller's internal reader: report, do not crash)
        checks.fail("bundled modules", f"cannot read the archive: {exc.__class__.__name__}: {exc}")
        modules = set()
    if modules:
        regions = sorted(m for m in modules if m.startswith("phonenumbers.data.region_"))
        import phonenumbers

        wanted = len(phonenumbers.SUPPORTED_REGIONS) + len(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS)
        checks.check(
            len(regions) >= wanted,
            "phonenumbers metadata modules",
            f"{len(regions)} region modules bundled, {wanted} regions known",
        )
        unwanted = sorted(m for m in modules if m.startswith(UNWANTED_MODULES))
        checks.check(
            not unwanted,
            "no geocoder or carrier data",
            f"{len(unwanted)} unwanted modules" + (f": {unwanted[:5]}" if unwanted else ""),
        )
    files = [path.relative_to(internal).as_posix() for path in internal.rglob("*") if path.is_file()]
    unwanted_files = [name for name in files if UNWANTED_FILES.search(name)]
    checks.check(
        not unwanted_files,
        "no Qt translations, QML or PDF libraries",
        f"{len(files)} files in _internal" + (f"; unwanted: {unwanted_files[:5]}" if unwanted_files else ""),
    )
    assets = (
        "contactdesk/resources/icons/contactdesk.svg",
        "contactdesk/resources/icons/contactdesk-256.png",
        "contactdesk/resources/linux/io.contactdesk.ContactDesk.desktop",
    )
    absent = [asset for asset in assets if asset not in files]
    checks.check(not absent, "resources", f"missing: {absent}" if absent else "icons and desktop files bundled")
    metadata = [name for name in files if re.match(r"contactdesk-[^/]+\.dist-info/METADATA$", name)]
    checks.check(bool(metadata), "package metadata", ", ".join(metadata) or "no contactdesk dist-info")


def ldd_report(app: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For each ELF in the bundle: libraries not found anywhere, and those found outside the bundle."""
    internal = app.parent / "_internal"
    elves = [app] + [path for path in internal.rglob("*.so*") if path.is_file()]
    lib_dirs = sorted({str(path.parent) for path in elves})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(lib_dirs))
    missing: dict[str, set[str]] = {}
    system: dict[str, set[str]] = {}
    root = str(app.parent.resolve())
    for elf in elves:
        proc = subprocess.run(["ldd", str(elf)], capture_output=True, text=True, env=env, check=False)
        for line in proc.stdout.splitlines():
            match = re.match(r"\s*(\S+) => (not found|(\S+))", line)
            if not match:
                continue
            name, where = match.group(1), match.group(3)
            owner = elf.relative_to(app.parent).as_posix()
            if where is None:
                missing.setdefault(name, set()).add(owner)
            elif not str(Path(where).resolve()).startswith(root):
                system.setdefault(name, set()).add(owner)
    return missing, system


def check_libraries(app: Path, checks: Checks, list_system: bool) -> None:
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return
    missing, system = ldd_report(app)
    broken = {name: owners for name, owners in missing.items() if BUNDLED_LIB.match(name)}
    checks.check(
        not broken,
        "bundled libraries resolve (ldd)",
        "; ".join(f"{name} needed by {sorted(owners)[:3]}" for name, owners in broken.items())
        or f"{len(system)} system libraries used",
    )
    absent = {name: owners for name, owners in missing.items() if name not in broken}
    for name, owners in sorted(absent.items()):
        print(f"  [note] {name} is not on this machine; needed by {', '.join(sorted(owners)[:4])}")
    if list_system:
        print("  system libraries the bundle links to (name: first users):")
        for name, owners in sorted(system.items()):
            print(f"    {name}: {', '.join(sorted(owners)[:3])}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the frozen executable, e.g. dist/ContactDesk/contactdesk")
    parser.add_argument("--system-libs", action="store_true", help="list the system libraries the bundle uses")
    args = parser.parse_args()
    app = args.app.resolve()
    if not app.is_file():
        print(f"no frozen app at {app}", file=sys.stderr)
        return 1
    checks = Checks()
    folder = Path(tempfile.mkdtemp(prefix="contactdesk-smoke-"))
    try:
        env = isolated_env(folder)
        print(f"Smoke tests of {app}")
        check_version(app, env, checks)
        check_selftest(app, env, checks)
        check_gb_import(app, env, folder, checks)
        check_every_region(app, env, folder, checks)
        check_contents(app, checks)
        check_libraries(app, checks, args.system_libs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if checks.failures:
        print(f"Smoke tests FAILED: {', '.join(checks.failures)}")
        return 1
    print("Smoke tests passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
