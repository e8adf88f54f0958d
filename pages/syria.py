"""Syria: its series, milestones and deadlines, the acknowledged-vs-disclosed story, its data."""

from force_posture import ui

ui.country_page("Syria")
