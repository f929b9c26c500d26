package lexicon

import (
	"encoding/csv"
	"errors"
	"os"
	"strings"
	"testing"
)

// minEntries keeps the lexicon from quietly shrinking, say by a bad merge that drops a block of
// rows; the file holds well over this.
const minEntries = 2500

// priorityItems is the number of product lines counted in the national priority list the
// portal's reference notes give (shared/reference/priority_products.md, outside this repository):
// Decree 205/2025 sections I (4 rows), II (5 rows) and the heading of III (1); Decree 111/2015
// sections I (7 entries), II (7), III (9), IV (6 named by VOV and the 14 groups of Decision
// 1483/2011), V (5 groups of Decision 1483/2011 and 5 from Resolution 115) and VI (4).
const priorityItems = 67

const taxonomyPath = "../../models/refdata/taxonomy.csv"

func taxonomyCodes(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open(taxonomyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", taxonomyPath, err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "code" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("%s: no code column in %v", taxonomyPath, recs[0])
	}
	codes := map[string]bool{}
	for _, r := range recs[1:] {
		codes[r[col]] = true
	}
	if len(codes) == 0 {
		t.Fatalf("%s: no codes", taxonomyPath)
	}
	return codes
}

func TestLexicon(t *testing.T) {
	entries, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("has enough entries", func(t *testing.T) {
		if len(entries) < minEntries {
			t.Errorf("%d entries, want at least %d", len(entries), minEntries)
		}
	})
	t.Run("passes every check", func(t *testing.T) {
		for _, err := range Check(entries, taxonomyCodes(t)) {
			t.Error(err)
		}
	})
	t.Run("covers every kind", func(t *testing.T) {
		n := map[string]int{}
		for _, e := range entries {
			n[e.Kind]++
		}
		for _, k := range Kinds {
			if n[k] == 0 {
				t.Errorf("no %s entries", k)
			}
		}
	})
}

func TestPriority(t *testing.T) {
	entries, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	items, err := Priority()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("every row is a lexicon entry", func(t *testing.T) {
		have := map[[2]string]bool{}
		for _, e := range entries {
			have[[2]string{e.VI, e.EN}] = true
		}
		for _, it := range items {
			if !have[[2]string{it.VI, it.EN}] {
				t.Errorf("item %s: %q/%q is not in lexicon.csv", it.Item, it.VI, it.EN)
			}
		}
	})
	t.Run("covers every counted item", func(t *testing.T) {
		labels := map[string]bool{}
		for _, it := range items {
			if it.Item == "" {
				t.Errorf("row %q/%q has no item", it.VI, it.EN)
			}
			labels[it.Item] = true
		}
		if len(labels) < priorityItems {
			t.Errorf("%d items, want at least %d", len(labels), priorityItems)
		}
	})
}

// TestCheck feeds Check one bad entry per problem, so that a check that stops working fails
// here instead of passing the real file vacuously.
func TestCheck(t *testing.T) {
	concepts := map[string]bool{"fastener-spring": true}
	const good = "part,bu lông,bolt,fastener-spring\n"
	tests := []struct {
		name string
		rows string
		want error
	}{
		{"duplicate pair reported", good + "part,Bu lông,BOLT,\n", ErrDuplicate},
		{"duplicate pair in other composition reported", good + "part,bu lo\u0302ng,bolt,\n", ErrDuplicate},
		{"empty vietnamese reported", `part,"",bolt,` + "\n", ErrEmpty},
		{"empty english reported", "part,bu lông,,\n", ErrEmpty},
		{"decomposed vietnamese reported", "part,o\u0302\u0309 bi,bearing,\n", ErrNotNFC},
		{"unknown kind reported", "widget,bu lông,bolt,\n", ErrKind},
		{"unknown concept reported", "part,bu lông,bolt,no-such-code\n", ErrConcept},
		{"leading space reported", `part," bu lông",bolt,` + "\n", ErrSpace},
		{"trailing space reported", `part,bu lông,"bolt ",` + "\n", ErrSpace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, err := parse(strings.NewReader("kind,vi,en,concept\n"+tc.rows), "test.csv")
			if err != nil {
				t.Fatal(err)
			}
			errs := Check(entries, concepts)
			found := false
			for _, err := range errs {
				found = found || errors.Is(err, tc.want)
			}
			if !found {
				t.Errorf("Check(%q) = %v, want a %v", tc.rows, errs, tc.want)
			}
		})
	}
	t.Run("good entry passes", func(t *testing.T) {
		entries, err := parse(strings.NewReader("kind,vi,en,concept\n"+good+"part,bu lông,hexagon bolt,\n"), "test.csv")
		if err != nil {
			t.Fatal(err)
		}
		if errs := Check(entries, concepts); len(errs) != 0 {
			t.Errorf("Check = %v, want none", errs)
		}
	})
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"wrong header refused", "vi,kind,en,concept\npart,bu lông,bolt,\n", "test.csv:1: header"},
		{"short record names its line", "kind,vi,en,concept\npart,bu lông,bolt,\npart,đai ốc\n", "line 3"},
		{"bare quote names its line", "kind,vi,en,concept\npart,bu lông,bolt,\npart,\"đai ốc\"x,nut,\n", "line 3"},
		{"empty file refused", "", "no header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(strings.NewReader(tc.text), "test.csv")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parse error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	t.Run("quoted comma kept", func(t *testing.T) {
		got, err := parse(strings.NewReader("kind,vi,en,concept\nindustry,cơ điện lạnh,\"mechanical, electrical and refrigeration\",\n"), "test.csv")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].EN != "mechanical, electrical and refrigeration" {
			t.Errorf("parse = %+v", got)
		}
	})
}
