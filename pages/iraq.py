"""Iraq: its series, milestones and deadlines, the acknowledged-vs-disclosed story, its data."""

from force_posture.ui import country

country.country_page("Iraq")
