"""Sources: every data point, milestone, disagreement and correction with its source; filters, CSV
downloads, and the method."""

from force_posture.ui import sources

sources.sources_page()
