"""The main window's menu bar and toolbar, and the actions that belong to no other part of it
(Import, Settings, Quit, About): one place that says which command sits in which menu."""

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QStyle, QToolBar, QToolButton

from .campaign_actions import window_action
from .help_menu import HelpMenu
from .team_mode import grey_out


def _fill(menu: QMenu, items) -> None:
    """``items``: actions, submenus, and None for a separator."""
    for item in items:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QAction):
            menu.addAction(item)
        else:
            menu.addMenu(item)


class WindowMenus:
    """Builds the menus and toolbar of ``window`` from its parts (campaigns, contacts, backups, lists)."""

    def __init__(self, window):
        self.window = window
        contacts, campaigns = window.contacts, window.campaigns
        self.import_action = window_action(
            window,
            "&Import Contacts…",
            window.choose_and_import,
            "Ctrl+I",
            "Import a CSV file into the selected campaign",
            QStyle.StandardPixmap.SP_DialogOpenButton,
        )
        contacts.export_action.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton))
        self.settings_action = window_action(
            window,
            "&Settings…",
            window.show_settings,
            "Ctrl+,",
            "Default country for numbers, validation, where your data is",
        )
        # Ctrl+Q everywhere (the platform's Quit key is empty on some), as Help lists it.
        self.quit_action = window_action(window, "&Quit", window.close, "Ctrl+Q")

        bar = window.menuBar()
        _fill(
            bar.addMenu("&File"),
            (
                campaigns.new_action,
                self.import_action,
                window.dnc.import_list_action,
                window.dnc.list_action,
                None,
                contacts.export_action,
                contacts.export_filtered_action,
                None,
                window.backups.backup_action,
                window.backups.restore_action,
                None,
                self.settings_action,
                None,
                self.quit_action,
            ),
        )
        _fill(
            bar.addMenu("&Campaign"),
            (
                campaigns.new_action,
                campaigns.rename_action,
                campaigns.delete_action,
                None,
                campaigns.hours_action,
                window.dnc.history_action,
            ),
        )
        _fill(bar.addMenu("C&ontacts"), contacts.actions_for_menu())
        self.help = HelpMenu(window, bar.addMenu("&Help"), window.log_path, window.db_path)
        # Shortcuts of actions that live only in menus still work when the menu is closed;
        # the panel's own actions need the window to know them too.
        window.addActions([contacts.find_action, contacts.next_action, *contacts.marking.selected_actions.values()])
        self.toolbar = self._toolbar()
        window.addToolBar(self.toolbar)
        grey_out("import", self.import_action)
        grey_out("dnc", window.dnc.import_list_action, window.dnc.list_action)
        grey_out("history", window.dnc.history_action)
        grey_out("backup", window.backups.backup_action, window.backups.restore_action)

    def _toolbar(self) -> QToolBar:
        window, contacts = self.window, self.window.contacts
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addAction(window.campaigns.new_action)
        toolbar.addAction(self.import_action)
        toolbar.addAction(contacts.export_action)
        toolbar.addSeparator()
        mark = QToolButton()
        mark.setObjectName("markSelectedButton")
        mark.setAccessibleName("Mark the selected contacts as")
        # Bound to the menu's own action: enabled exactly when contacts are selected.
        contacts.marking.selected_menu.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton))
        mark.setDefaultAction(contacts.marking.selected_menu.menuAction())
        mark.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        mark.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addWidget(mark)
        toolbar.addSeparator()
        toolbar.addAction(self.settings_action)
        return toolbar
