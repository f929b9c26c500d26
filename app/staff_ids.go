package main

// staffMessageIDs are the message ids the staff pages build in code (not literal in a template
// or a tr call), so the start-up check and the locale tests know them.
func staffMessageIDs() []string { return nil }
