"""The domain, pure: the record's files and their rules, the view and its addresses, the record as known on
a day, the headline figures, tables, changes to the record, scenarios, the palette. Imports only settings
(no drawing, no server, no database)."""
