package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"text/template"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/hanoi-cnht/portal/locales"
	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/templates"
)

// messageFile reads one language's messages: id → every text of the message (plural forms too).
func messageFile(t *testing.T, lang string) map[string][]string {
	t.Helper()
	names, err := localeFiles(locales.FS, lang)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, name := range names {
		b, err := fs.ReadFile(locales.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		file, err := i18n.ParseMessageFileBytes(b, name, map[string]i18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, m := range file.Messages {
			for _, text := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
				if text != "" {
					out[m.ID] = append(out[m.ID], text)
				}
			}
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestMessagesInBothLanguages fails when a message is in one language only, is empty, or names
// different template fields in the two languages.
func TestMessagesInBothLanguages(t *testing.T) {
	files := map[string]map[string][]string{}
	for _, lang := range languages {
		files[lang] = messageFile(t, lang)
		if len(files[lang]) == 0 {
			t.Fatalf("%s.toml has no messages", lang)
		}
	}
	field := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	fieldsOf := func(texts []string) []string {
		var out []string
		for _, text := range texts {
			for _, m := range field.FindAllStringSubmatch(text, -1) {
				if !slices.Contains(out, m[1]) {
					out = append(out, m[1])
				}
			}
		}
		sort.Strings(out)
		return out
	}
	for _, lang := range languages {
		for _, id := range sortedKeys(files[lang]) {
			for _, other := range languages {
				if _, ok := files[other][id]; !ok {
					t.Errorf("%s is in %s.toml but not in %s.toml", id, lang, other)
				}
			}
			for _, text := range files[lang][id] {
				if strings.TrimSpace(text) == "" {
					t.Errorf("%s:%s is empty", lang, id)
				}
			}
		}
	}
	for _, id := range sortedKeys(files["vi"]) {
		if en, ok := files["en"][id]; ok {
			if a, b := fieldsOf(files["vi"][id]), fieldsOf(en); !slices.Equal(a, b) {
				t.Errorf("%s uses fields %v in Vietnamese but %v in English", id, a, b)
			}
		}
	}
}

// TestTemplatesUseKnownMessages scans the templates for {{ t LANG "id" }} and checks each id,
// together with the ids the Go code builds, exists in both languages, and that no message is
// left unused.
func TestTemplatesUseKnownMessages(t *testing.T) {
	used, err := templateMessageIDs(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message ids in the templates; is the scan broken?", len(used))
	}
	all := append(append(used, codeMessageIDs()...), goMessageIDs(t)...)
	for _, lang := range languages {
		msgs := messageFile(t, lang)
		for _, id := range all {
			if _, ok := msgs[id]; !ok {
				t.Errorf("%s.toml lacks %q, which the templates or handlers use", lang, id)
			}
		}
		for _, id := range sortedKeys(msgs) {
			if !slices.Contains(all, id) {
				t.Errorf("%s.toml has %q, which nothing uses", lang, id)
			}
		}
	}
	// Every call to t in a template passes a literal id the scan can see.
	call := regexp.MustCompile(`\{\{-?\s*t\s`)
	names, _ := fs.Glob(templates.FS, "*.html")
	for _, name := range names {
		b, _ := fs.ReadFile(templates.FS, name)
		calls := len(call.FindAll(b, -1)) + strings.Count(string(b), "(t ")
		// Ids built in a template from a list the Go code names in codeMessageIDs.
		calls -= len(dynamicCall.FindAll(b, -1))
		if found := len(messageCall.FindAll(b, -1)); found != calls {
			t.Errorf("%s: %d calls to t, but only %d with a literal message id", name, calls, found)
		}
	}
}

func TestMissingMessageFailsAtStart(t *testing.T) {
	c, err := loadCatalog(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.require([]string{"home.title"}); err != nil {
		t.Errorf("a present message was reported missing: %v", err)
	}
	err = c.require([]string{"home.title", "no.such_message"})
	if err == nil || !strings.Contains(err.Error(), "vi:no.such_message") || !strings.Contains(err.Error(), "en:no.such_message") {
		t.Errorf("a missing message was not reported in both languages: %v", err)
	}
	if got := c.tr("en", "no.such_message"); got != "no.such_message" {
		t.Errorf("an unknown id translated to %q", got)
	}
}

func TestTranslate(t *testing.T) {
	c, err := loadCatalog(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, id string
		args     []any
		want     string
	}{
		{"en", "search.count", []any{"Count", 1}, "1 supplier"},
		{"en", "search.count", []any{"Count", 1234}, "1,234 suppliers"},
		{"vi", "search.count", []any{"Count", 1234}, "1.234 nhà cung cấp"},
		{"vi", "search.count", []any{"Count", 1}, "1 nhà cung cấp"},
		{"en", "search.title_query", []any{"Query", "<b>"}, "Suppliers for “<b>”"},
		{"vi", "nav.search", nil, "Tìm kiếm"},
	} {
		if got := c.tr(tc.lang, tc.id, tc.args...); got != tc.want {
			t.Errorf("tr(%s, %s, %v) = %q, want %q", tc.lang, tc.id, tc.args, got, tc.want)
		}
	}
}

func TestNewViewsParsesEveryPage(t *testing.T) {
	v, err := newViews()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := pageTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(pages, fragmentTemplates...) {
		if v.pages[name] == nil {
			t.Errorf("no template set for %s", name)
		}
	}
	if v.pages["search"].Lookup("results_region") == nil {
		t.Error("the search page has no results_region partial")
	}
}

// TestValidationMessagesMatchEnglish: the English locale says what models says in English, so a
// page and an import report never disagree.
func TestValidationMessagesMatchEnglish(t *testing.T) {
	en := messageFile(t, "en")
	for _, key := range models.MessageKeys() {
		texts, ok := en[key]
		if !ok {
			t.Errorf("%s is not in en.toml", key)
			continue
		}
		args := models.Args{"Value": "V", "Min": 1, "Max": 2, "Length": 3, "Count": 4, "Char": "U+0000",
			"Expires": "E", "Issued": "I", "Zone": "Z", "District": "D", "Domain": "example.vn"}
		tmpl := template.Must(template.New(key).Parse(texts[0]))
		var b strings.Builder
		if err := tmpl.Execute(&b, args); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), models.MessageEN(key, args); got != want {
			t.Errorf("%s: en.toml says %q, models says %q", key, got, want)
		}
	}
}

// dynamicCall is a template call of t whose id comes from a list that codeMessageIDs covers: the
// notice after a redirect, the names of roles, and the states and sides of the event pages.
var dynamicCall = regexp.MustCompile(`\bt\s+\$?[\w.]*\s+(\.DoneKey|\(printf "(?:role|events\.(?:status|state|side|priority|direction|change|outcome|meeting_status))\.%s")`)

var titleKey = regexp.MustCompile(`"([a-z0-9_]+\.title)"`)

// goMessageIDs are the literal ids the handlers translate: s.tr(c, "id") and tr(lang, "id").
func goMessageIDs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\btr\([^,()]+,\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(b, -1) {
			out = append(out, string(m[1]))
		}
		// Page titles handed to a render helper by key.
		for _, m := range titleKey.FindAllSubmatch(b, -1) {
			out = append(out, string(m[1]))
		}
	}
	if len(out) == 0 {
		t.Fatal("found no message ids in the Go code; is the scan broken?")
	}
	return out
}

func TestChangeLabels(t *testing.T) {
	c, err := loadCatalog(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, field, want string }{
		{"en", "name_en", "Name in English"},
		{"vi", "sites[2]", "Cơ sở 2"},
		{"en", "certificates[1]", "Certificate 1"},
		{"en", "password", "password"},
	} {
		if got := c.changeLabel(tc.lang, tc.field); got != tc.want {
			t.Errorf("changeLabel(%s, %s) = %q, want %q", tc.lang, tc.field, got, tc.want)
		}
	}
	// Every field a firm's change can name has a label.
	for _, ch := range models.FirmChanges(nil, &models.Firm{TaxCode: "0101234567", Sites: []models.Site{{}},
		Certificates: []models.Certificate{{}}, Equipment: []models.Equipment{{}}, Recognitions: []models.Recognition{{}}}) {
		if got := c.changeLabel("vi", ch.Field); got == ch.Field {
			t.Errorf("%s has no label", ch.Field)
		}
	}
}
