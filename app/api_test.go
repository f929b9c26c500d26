package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

func TestAPISuppliersShape(t *testing.T) {
	f := sharedUI(t)
	r := uiGet(t, f.srv, "/api/v1/suppliers?lang=en&per_page=3&sector="+url.QueryEscape(f.sector.Code))
	if r.Status != 200 {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var body struct {
		Total   int                          `json:"total"`
		Page    int                          `json:"page"`
		PerPage int                          `json:"per_page"`
		Results []map[string]json.RawMessage `json:"results"`
		Facets  map[string][]map[string]any  `json:"facets"`
	}
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	if body.Total == 0 || body.Page != 1 || body.PerPage != 3 || len(body.Results) != 3 {
		t.Fatalf("total %d page %d per_page %d results %d", body.Total, body.Page, body.PerPage, len(body.Results))
	}
	for _, key := range []string{"tax_code", "slug", "name_vi", "name_en", "score", "highlights", "sectors", "certifications", "district", "zone", "url"} {
		if _, ok := body.Results[0][key]; !ok {
			t.Errorf("result has no %q", key)
		}
	}
	var u string
	json.Unmarshal(body.Results[0]["url"], &u)
	if !strings.HasPrefix(u, "/en/suppliers/") {
		t.Errorf("url %q is not the English profile path", u)
	}
	for _, facet := range []string{"sector", "cert", "corridor", "district", "zone", "product", "process", "size"} {
		values, ok := body.Facets[facet]
		if !ok {
			t.Errorf("no %s facet", facet)
			continue
		}
		for _, v := range values {
			if _, ok := v["value"].(string); !ok {
				t.Fatalf("%s facet value without \"value\": %v", facet, v)
			}
			if _, ok := v["count"].(float64); !ok {
				t.Fatalf("%s facet value without \"count\": %v", facet, v)
			}
		}
	}
	// Every facet value is exactly what its filter parameter accepts.
	for _, facet := range []string{"sector", "cert", "district", "zone", "size"} {
		if len(body.Facets[facet]) == 0 {
			continue
		}
		v := body.Facets[facet][0]["value"].(string)
		r := uiGet(t, f.srv, "/api/v1/suppliers?"+facet+"="+url.QueryEscape(v))
		if r.Status != 200 {
			t.Errorf("the %s facet's value %q is refused as a filter: %s", facet, v, r.Body)
		}
	}
}

func TestAPIBadInput(t *testing.T) {
	f := sharedUI(t)
	tests := []struct {
		name, query string
		status      int
		param       string
	}{
		{"PerPageZero", "per_page=0", 400, "per_page"},
		{"PerPageHuge", "per_page=10000", 400, "per_page"},
		{"PageNegative", "page=-1", 400, "page"},
		{"UnknownSector", "sector=spaceships", 400, "sector"},
		{"UnknownSort", "sort=random", 400, "sort"},
		{"BadLang", "lang=fr", 400, "lang"},
		{"LongText", "q=" + url.QueryEscape(strings.Repeat("khuôn ", 1000)), 200, ""},
		{"UnbalancedQuote", "q=" + url.QueryEscape(`"khuôn mẫu`), 200, ""},
		{"QuerySyntax", "q=" + url.QueryEscape(`+name:x^9`), 200, ""},
		{"ScriptTag", "q=" + url.QueryEscape(`<script>alert(1)</script>`), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := uiGet(t, f.srv, "/api/v1/suppliers?"+tt.query)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.Status, tt.status, r.Body)
			}
			if tt.param == "" {
				return
			}
			var body struct {
				Error apiError `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.Body), &body); err != nil || body.Error.Param != tt.param {
				t.Fatalf("error %+v (%v), want one naming %s", body.Error, err, tt.param)
			}
		})
	}
	if r := uiGet(t, f.srv, "/api/v1/suppliers/no-such-firm"); r.Status != 404 {
		t.Fatalf("unknown slug: %d", r.Status)
	}
	if r := uiGet(t, f.srv, "/api/v1/suggest?q="+strings.Repeat("a", 101)); r.Status != 400 {
		t.Fatalf("overlong suggest: %d", r.Status)
	}
}

func TestAPITaxonomyAndSuggest(t *testing.T) {
	f := sharedUI(t)
	r := uiGet(t, f.srv, "/api/v1/taxonomy")
	var tax taxonomyResponse
	if err := json.Unmarshal([]byte(r.Body), &tax); err != nil || len(tax.Sectors) != 6 || len(tax.Products) == 0 || len(tax.Districts) != 30 {
		t.Fatalf("taxonomy: %v, %d sectors, %d districts", err, len(tax.Sectors), len(tax.Districts))
	}
	r = uiGet(t, f.srv, "/api/v1/suggest?q=khuon&lang=en")
	var sg struct {
		Suggestions []struct{ Text, Kind, Value string } `json:"suggestions"`
	}
	if err := json.Unmarshal([]byte(r.Body), &sg); err != nil || len(sg.Suggestions) == 0 {
		t.Fatalf("suggest khuon: %v %s", err, r.Body)
	}
}

func TestAPISupplierProfileShape(t *testing.T) {
	f := sharedUI(t)
	ctx := context.Background()
	// A firm with several sites and a certificate that has expired shows both as a buyer may read
	// them, and nothing meant for staff.
	var firm *models.Firm
	err := f.store.EachFirm(ctx, 200, func(batch []*models.Firm) error {
		for _, x := range batch {
			if firm != nil || len(x.Sites) < 2 {
				continue
			}
			for _, c := range x.Certificates {
				if c.Status(time.Now()) == models.CertExpired {
					firm = x
				}
			}
		}
		return nil
	})
	if err != nil || firm == nil {
		t.Fatalf("no sample firm with several sites and an expired certificate (%v)", err)
	}
	r := uiGet(t, f.srv, "/api/v1/suppliers/"+firm.TaxCode+"?lang=en")
	if r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"certificates", "owner_user_id", "sample", "evidence", "Certificates"} {
		if _, ok := body[key]; ok {
			t.Errorf("profile has %q", key)
		}
	}
	var profile struct {
		Sites          []siteJSON        `json:"sites"`
		Certifications []certificateJSON `json:"certifications"`
		URL            string            `json:"url"`
	}
	if err := json.Unmarshal([]byte(r.Body), &profile); err != nil {
		t.Fatal(err)
	}
	if len(profile.Sites) != len(firm.Sites) {
		t.Errorf("%d sites in the profile, %d stored", len(profile.Sites), len(firm.Sites))
	}
	if len(profile.Certifications) != len(firm.Certificates) {
		t.Fatalf("%d certifications in the profile, %d stored", len(profile.Certifications), len(firm.Certificates))
	}
	for i, c := range firm.Certificates {
		if got, want := profile.Certifications[i].Status, string(c.Status(time.Now())); got != want {
			t.Errorf("certification %d (%s) has status %q, want %q", i+1, c.Standard, got, want)
		}
	}
	if !strings.HasPrefix(profile.URL, "/en/suppliers/") {
		t.Errorf("url %q", profile.URL)
	}
}

// TestMatchExplanations: every hit says why it matched, in the request's language, on the API
// and on the results page.
func TestMatchExplanations(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		r := uiGet(t, f.srv, "/api/v1/suppliers?q=zyxwidget&lang="+lang)
		var body struct {
			Results []struct {
				Matched []matchJSON `json:"matched"`
			} `json:"results"`
		}
		if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Results) == 0 || len(body.Results[0].Matched) == 0 {
			t.Fatalf("%s: no explanation: %s", lang, r.Body)
		}
		for _, m := range body.Results[0].Matched {
			if (m.Kind != "concept" && m.Kind != "word") || m.Label == "" || m.Field == "" || m.Source == "" {
				t.Errorf("%s: explanation %+v", lang, m)
			}
		}
		page := uiGet(t, f.srv, localPath(lang, "/search")+"?q=zyxwidget")
		if txt := page.Doc.Find(".card .matched").First().Text(); !strings.Contains(txt, "zyxwidget") {
			t.Errorf("%s results page explains %q", lang, txt)
		}
	}
}

// TestEnglishGistOfVietnameseOnlyProfile: the English page of a firm that wrote only Vietnamese
// lists, in English, the concepts found in its text, marked as derived; the Vietnamese page and
// firms with an English description do not.
func TestEnglishGistOfVietnameseOnlyProfile(t *testing.T) {
	f := sharedUI(t)
	en := uiGet(t, f.srv, "/en/suppliers/"+f.viOnlyFirm)
	gist := en.Doc.Find(".key-terms")
	if gist.Length() != 1 || !strings.Contains(gist.Text(), "derived from the Vietnamese text") || !strings.Contains(strings.ToLower(gist.Text()), "precision") {
		t.Errorf("English gist: %q", gist.Text())
	}
	if vi := uiGet(t, f.srv, "/suppliers/"+f.viOnlyFirm); vi.Doc.Find(".key-terms").Length() != 0 {
		t.Error("the Vietnamese page shows an English gist")
	}
	if both := uiGet(t, f.srv, "/en/suppliers/"+f.scriptFirm); both.Doc.Find(".key-terms").Length() != 0 {
		t.Error("a firm with an English description shows a derived gist")
	}
}
