"""Briefing files: PNG, SVG, PDF and the slide, the export browser that draws them, and each session's export links."""
