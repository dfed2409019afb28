"""A deprecated call in ContactDesk's code or tests fails the suite; one inside another package does not."""

import warnings

import pytest


def _deprecation_from(module: str) -> None:
    warnings.warn_explicit("this call is deprecated", DeprecationWarning, f"{module}.py", 1, module=module)


@pytest.mark.parametrize("module", ["contactdesk", "contactdesk.gui.worker", "test_main_window", "drag_events"])
def test_a_deprecated_call_in_our_own_code_is_an_error(module):
    with pytest.raises(DeprecationWarning):
        _deprecation_from(module)


@pytest.mark.parametrize("module", ["shiboken6", "peewee", "contactdesk_plugin_of_someone_else"])
def test_a_deprecation_inside_another_package_stays_a_warning(module):
    with warnings.catch_warnings(record=True) as caught:  # keeps the suite's filters
        _deprecation_from(module)
    assert [warning.category for warning in caught] == [DeprecationWarning]
