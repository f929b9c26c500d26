package models

import (
	"strings"
)

// Limits of the reference data staff edit.
const (
	maxSynonyms  = 200 // synonyms of one term in one language
	maxRefLabel  = 300
	maxRefNote   = 4000
	maxDistricts = 40
)

// TermUpdate is what staff may change in a taxonomy term: its labels and synonyms in both
// languages. The code, kind and place in the tree stay.
type TermUpdate struct {
	LabelVI, LabelEN       string
	SynonymsVI, SynonymsEN []string
}

// Validate trims and checks the update; synonyms lose blanks and repeats.
func (u *TermUpdate) Validate() error {
	var p problems
	u.LabelVI, u.LabelEN = strings.TrimSpace(u.LabelVI), strings.TrimSpace(u.LabelEN)
	requiredText(&p, "label_vi", u.LabelVI, maxRefLabel)
	requiredText(&p, "label_en", u.LabelEN, maxRefLabel)
	u.SynonymsVI = cleanList(&p, "synonyms_vi", u.SynonymsVI, maxSynonyms)
	u.SynonymsEN = cleanList(&p, "synonyms_en", u.SynonymsEN, maxSynonyms)
	return p.err()
}

// ZoneUpdate is what staff may change in an industrial park or cluster: its names, the districts
// it lies in (GSO codes), its status and a note.
type ZoneUpdate struct {
	NameVI, NameEN string
	Districts      []string
	Status, Note   string
}

// Validate trims and checks the update against the reference data in force.
func (u *ZoneUpdate) Validate(ref *Reference) error {
	var p problems
	u.NameVI, u.NameEN = strings.TrimSpace(u.NameVI), strings.TrimSpace(u.NameEN)
	u.Status, u.Note = strings.TrimSpace(u.Status), strings.TrimSpace(u.Note)
	requiredText(&p, "name_vi", u.NameVI, maxRefLabel)
	checkText(&p, "name_en", u.NameEN, maxRefLabel, false)
	checkText(&p, "status", u.Status, maxShortText, false)
	checkText(&p, "note", u.Note, maxRefNote, true)
	u.Districts = checkDistricts(&p, ref, u.Districts)
	return p.err()
}

// CorridorUpdate is what staff may change in an industrial corridor: its names, roads, its
// description and the districts it runs through (GSO codes).
type CorridorUpdate struct {
	LabelVI, LabelEN string
	Roads            string
	Description      string
	Districts        []string
}

// Validate trims and checks the update against the reference data in force.
func (u *CorridorUpdate) Validate(ref *Reference) error {
	var p problems
	u.LabelVI, u.LabelEN = strings.TrimSpace(u.LabelVI), strings.TrimSpace(u.LabelEN)
	u.Roads, u.Description = strings.TrimSpace(u.Roads), strings.TrimSpace(u.Description)
	requiredText(&p, "label_vi", u.LabelVI, maxRefLabel)
	checkText(&p, "label_en", u.LabelEN, maxRefLabel, false)
	checkText(&p, "roads", u.Roads, maxShortText, false)
	checkText(&p, "description", u.Description, maxRefNote, true)
	u.Districts = checkDistricts(&p, ref, u.Districts)
	return p.err()
}

func requiredText(p *problems, field, value string, max int) {
	if value == "" {
		p.add(field, "validation.required", nil)
		return
	}
	checkText(p, field, value, max, false)
}

// cleanList trims every entry, drops blanks and repeats (ignoring case), and checks each entry
// and the count.
func cleanList(p *problems, field string, list []string, max int) []string {
	var out []string
	seen := map[string]bool{}
	before := len(*p)
	for _, s := range list {
		s = strings.TrimSpace(s)
		k := strings.ToLower(s)
		if s == "" || seen[k] {
			continue
		}
		seen[k] = true
		if len(*p) == before {
			checkText(p, field, s, maxRefLabel, false)
		}
		out = append(out, s)
	}
	if len(out) > max {
		p.add(field, "validation.too_many", Args{"Count": len(out), "Max": max})
	}
	return out
}

func checkDistricts(p *problems, ref *Reference, codes []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if _, ok := ref.District(c); !ok {
			p.add("districts", "validation.unknown_district", Args{"Value": quoted(c)})
			return out
		}
		out = append(out, c)
	}
	if len(out) > maxDistricts {
		p.add("districts", "validation.too_many", Args{"Count": len(out), "Max": maxDistricts})
	}
	return out
}
