package main

// supplierMessageIDs are the message ids the supplier pages build in code (not literal in a
// template or a tr call), so the start-up check and the locale tests know them.
func supplierMessageIDs() []string { return nil }
