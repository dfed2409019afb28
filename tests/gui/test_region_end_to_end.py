"""The default country chosen in Settings reaches the stored numbers through the window's import."""

import pytest
from drag_events import drag_enter_event, drop_event
from PySide6.QtCore import QMimeData, QPointF, QUrl
from PySide6.QtWidgets import QApplication, QWizard

from contactdesk.core.campaigns import create_campaign
from contactdesk.core.contacts import ContactFilter, fetch_contacts
from contactdesk.gui.main_window import MainWindow
from contactdesk.gui.settings import AppSettings
from contactdesk.gui.worker import running_tasks


@pytest.mark.parametrize(
    ("region", "strict", "expected"),
    [
        ("GB", False, ["+442079460018", "+447700900123"]),
        ("DE", False, ["+49301234567"]),
        ("US", True, []),  # strict: none of these is a dialable US number
    ],
)
def test_the_settings_country_decides_how_dropped_numbers_are_stored(
    qtbot, db_path, tmp_path, region, strict, expected
):
    campaign = create_campaign("Abroad")
    path = tmp_path / "abroad.csv"
    numbers = {"GB": ["020 7946 0018", "07700 900123"], "DE": ["030 1234567"], "US": ["020 7946 0018"]}[region]
    path.write_text("name,phone\n" + "".join(f"Person {i},{n}\n" for i, n in enumerate(numbers)))
    settings = AppSettings()
    settings.set_region(region)
    settings.set_strict(strict)
    window = MainWindow(settings, db_path=db_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = QPointF(window.width() * 0.75, window.height() / 2)
    enter = drag_enter_event(where, mime)
    QApplication.sendEvent(window, enter)
    drop = drop_event(where, mime)
    QApplication.sendEvent(window, drop)
    wizard = window.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: not wizard.is_busy())  # the file is read on the worker
    wizard.next()  # preview -> columns
    wizard.next()  # columns -> check
    qtbot.waitUntil(lambda: not wizard.check_page.is_running(), timeout=20_000)
    if expected:
        with qtbot.waitSignal(wizard.imported, timeout=20_000):
            wizard.button(QWizard.WizardButton.NextButton).click()
        stored = [c.phone_number for c in fetch_contacts(ContactFilter(campaign.id), 0, 100, order_by="source_row")]
        assert stored == expected
        if wizard.results_dialog is not None:
            wizard.results_dialog.close()
    else:
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.close()
    window.close()
    qtbot.waitUntil(lambda: running_tasks() == [], timeout=10_000)
