package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/exchange"
)

// TestImportMessagesMatchEnglish: en.toml says what models/exchange says in English, so the
// command line, logs and the page agree.
func TestImportMessagesMatchEnglish(t *testing.T) {
	en := messageFile(t, "en")
	args := models.Args{"Value": "V", "Free": "“F”"}
	for _, key := range exchange.MessageKeys() {
		texts, ok := en[key]
		if !ok {
			t.Errorf("%s is not in en.toml", key)
			continue
		}
		var b strings.Builder
		if err := template.Must(template.New(key).Parse(texts[0])).Execute(&b, args); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), exchange.MessageEN(key, args); got != want {
			t.Errorf("%s: en.toml says %q, exchange says %q", key, got, want)
		}
	}
}

// cellsCSV has one cell naming two concepts of two kinds with words left over, and one cell
// naming nothing.
const cellsCSV = "tax_code,name_vi,processes,products\n" +
	"0109990001,Công ty TNHH Nhựa Kỹ thuật Thử nghiệm,Ép phun nhựa kỹ thuật 50-500 tấn,Gia công đặc biệt\n"

func TestImportCommandReportsCellMappings(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "cells.csv")
	if err := os.WriteFile(file, []byte(cellsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"mapped  row 2, processes: “Ép phun nhựa kỹ thuật 50-500 tấn” → Injection moulding (process), Engineering plastics (material); kept as free text: “50-500 tấn”",
			"warning row 2, processes: “50-500 tấn” matched no taxonomy term; kept as free text",
			"warning row 2, products: “Gia công đặc biệt” is not in the taxonomy; it was kept as free text",
			"1 cells mapped",
		}},
		{"vi", []string{
			"mapped  dòng 2, cột processes: “Ép phun nhựa kỹ thuật 50-500 tấn” → Ép phun nhựa (công nghệ), Nhựa kỹ thuật (vật liệu); giữ dạng văn bản tự do: “50-500 tấn”",
			"warning dòng 2, cột processes: “50-500 tấn” không khớp thuật ngữ nào trong danh mục",
			"warning dòng 2, cột products: “Gia công đặc biệt” không có trong danh mục",
		}},
	} {
		t.Run(strings.ToUpper(tc.lang), func(t *testing.T) {
			var out strings.Builder
			if err := runCLI(ctx, []string{"import", "--data-dir", data, "--sample=false", "--dry-run", "--lang", tc.lang, file}, &out); err != nil {
				t.Fatalf("import: %v\n%s", err, out.String())
			}
			for _, want := range tc.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("the report lacks %q:\n%s", want, out.String())
				}
			}
		})
	}
	var out strings.Builder
	if err := runCLI(ctx, []string{"import", "--data-dir", data, "--lang", "fr", file}, &out); err == nil {
		t.Error("--lang fr was accepted")
	}
}

func TestStaffImportShowsCellMappings(t *testing.T) {
	fx := newAuthzFixture(t)
	staff := fx.as(t, "staff")
	for _, tc := range []struct {
		path, mapped, free, warning string
	}{
		{"/en/staff/import", "Injection moulding (process), Engineering plastics (material)", "“50-500 tấn”",
			"“50-500 tấn” matched no taxonomy term; kept as free text"},
		{"/staff/import", "Ép phun nhựa (công nghệ), Nhựa kỹ thuật (vật liệu)", "“50-500 tấn”",
			"“50-500 tấn” không khớp thuật ngữ nào trong danh mục; được giữ lại dưới dạng văn bản tự do"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := staff.upload(tc.path, "cells.csv", []byte(cellsCSV))
			expectStatus(t, r, http.StatusOK)
			rows := r.Doc.Find("#mappings tbody tr")
			if rows.Length() != 1 {
				t.Fatalf("%d rows of mappings, want 1:\n%s", rows.Length(), r.Doc.Find("#mappings").Text())
			}
			text := func(s *goquery.Selection, class string) string { return strings.TrimSpace(s.Find(class).Text()) }
			for class, want := range map[string]string{".row": "2", ".column": "processes",
				".value": "Ép phun nhựa kỹ thuật 50-500 tấn", ".mapped": tc.mapped, ".free": tc.free} {
				if got := text(rows, class); got != want {
					t.Errorf("%s = %q, want %q", class, got, want)
				}
			}
			found := false
			r.Doc.Find("#warnings tbody tr").Each(func(_ int, s *goquery.Selection) {
				if text(s, ".row") == "2" && text(s, ".column") == "processes" && strings.Contains(s.Text(), tc.warning) {
					found = true
				}
			})
			if !found {
				t.Errorf("no warning %q at row 2, processes:\n%s", tc.warning, r.Doc.Find("#warnings").Text())
			}
		})
	}
}
