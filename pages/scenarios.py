"""Scenarios: upload, build or load drawdown paths, see them over the record, compare them."""

from force_posture.ui import scenarios

scenarios.scenarios_page()
