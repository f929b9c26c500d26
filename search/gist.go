package search

import "github.com/hanoi-cnht/portal/models"

// maxKeyTerms bounds the English gist: a line a buyer reads at a glance.
const maxKeyTerms = 12

// KeyTermsEN is the English gist of a firm's Vietnamese text: the taxonomy concepts and lexicon
// entries found in it, by their English names, each once, in the order the text names them. A
// profile with no English description shows it, so a buyer reading English learns what the firm
// does from what it wrote in Vietnamese.
func (ix *Index) KeyTermsEN(text string) []string {
	b := ix.builderFor(ix.store.Reference())
	var out []string
	seen := map[string]bool{}
	for _, h := range b.matcher.MatchLang(text, "vi") {
		var label string
		switch t, ok := b.ref.Term(h.Concept); {
		case h.Entry != nil:
			label = h.Entry.EN
		case ok:
			label = t.LabelEN
		}
		key := models.FoldKey(label)
		if label == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, label)
		if len(out) == maxKeyTerms {
			break
		}
	}
	return out
}
