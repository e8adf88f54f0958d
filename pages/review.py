"""Review: the proposed changes to the record waiting for an editor, each beside what the record says
now, and your own proposals with their decisions (edit and resubmit one sent back for changes)."""

from force_posture.ui import proposals

proposals.review_page()
