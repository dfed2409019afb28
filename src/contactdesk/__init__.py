"""ContactDesk: offline calling-campaign manager."""


def __getattr__(name: str) -> str:
    # The version is read from the installed package's metadata when first asked for: importing
    # importlib.metadata costs every command a tenth of its start-up.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("contactdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found
    return found
