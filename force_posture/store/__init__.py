"""What is kept: the team's database, the saved scenario library, the living record (proposals, decisions,
versions), the record a process shows, one analyst's workspace. The only layer that speaks SQL."""
