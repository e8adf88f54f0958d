"""The operator's tools on top of everything: the force-posture command line and serving a team (replicas,
HAProxy, the supervisor)."""
