"""The left side of the window: the "Campaigns" heading with "+ New", the campaign list, and the key to its bars."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .campaign_list import CampaignListView, legend_html


class CampaignSidebar(QWidget):
    def __init__(self, campaign_view: CampaignListView, parent=None):
        super().__init__(parent)
        self.setObjectName("campaignPanel")
        heading = QLabel("Campaigns")
        heading.setObjectName("campaignsHeading")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.new_button = QToolButton()
        self.new_button.setObjectName("newCampaignButton")
        self.new_button.setText("+ New")
        self.new_button.setAccessibleName("New campaign")
        self.new_button.setToolTip("Create a campaign (Ctrl+N)")
        self.new_button.setAutoRaise(True)
        self.legend = QLabel(legend_html())
        self.legend.setObjectName("statusLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.legend.setToolTip("The bar under each campaign shows how its contacts divide by status")

        head = QHBoxLayout()
        head.addWidget(heading, 1)
        head.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 4, 8)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(campaign_view, 1)
        layout.addWidget(self.legend)
        self.setMinimumWidth(240)
