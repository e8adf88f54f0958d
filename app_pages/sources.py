"""Sources: every data point and milestone with its source, filters, a CSV download, the method."""

from force_posture import ui

ui.sources_page()
