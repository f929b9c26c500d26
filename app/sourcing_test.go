package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func init() {
	authzTables["sourcing"] = map[string]authzCase{
		// Form-encoded, as the matrix posts: the route answers 415 itself, whoever asks.
		"POST /api/v1/match":  {Want: "aaaaaa"},
		"GET /find-suppliers": {Path: "/find-suppliers?k1=process&v1=stamping&n1=required", Want: "aaaaaa"},
	}
}

// postMatch sends a requirement to POST /api/v1/match as an API client does: no cookie, no token.
func postMatch(t *testing.T, h http.Handler, body string, headers ...string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/match", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func TestAPIMatch(t *testing.T) {
	f := sharedUI(t)
	t.Run("AnswersTheIssueExample", func(t *testing.T) {
		status, body := postMatch(t, f.srv, `{"lang": "en", "text": "brackets for air conditioners",
			"criteria": [{"kind": "process", "value": "stamping", "required": true},
			             {"kind": "cert", "value": "ISO 9001", "required": true},
			             {"kind": "corridor", "value": "Hà Nội – Hải Phòng", "required": false, "weight": 2},
			             {"kind": "near", "value": {"lat": 21.03, "lon": 105.85, "km": 40}}],
			"page": 1, "per_page": 5}`)
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		var got matchResponse
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		if got.Total == 0 || len(got.Results) == 0 || len(got.Results) > 5 {
			t.Fatalf("total %d, %d results", got.Total, len(got.Results))
		}
		var any map[string]any
		json.Unmarshal([]byte(body), &any)
		var schema openAPISchema
		b, _ := json.Marshal(schemaOf(typeOf(matchResponse{})))
		json.Unmarshal(b, &schema)
		conforms(t, "match", schema, any)
		prev := 2.0
		for _, r := range got.Results {
			if !r.RequiredMet || r.NearMiss || r.Score > prev || !strings.HasPrefix(r.URL, "/en/suppliers/") || len(r.Criteria) != 4 {
				t.Errorf("%s: required met %v, near %v, score %v after %v, url %s, %d criteria", r.NameVI, r.RequiredMet, r.NearMiss, r.Score, prev, r.URL, len(r.Criteria))
			}
			prev = r.Score
			for _, c := range r.Criteria[:2] {
				if c.Status != "met" || c.Evidence == "" || c.Label == "" {
					t.Errorf("%s: required %s %s: %s %q", r.NameVI, c.Kind, c.Value, c.Status, c.Evidence)
				}
			}
			if c := r.Criteria[1]; !strings.Contains(c.Evidence, "ISO 9001") {
				t.Errorf("certificate evidence %q", c.Evidence)
			}
			if c := r.Criteria[2]; c.Label != "Hanoi – Hai Phong" || c.Weight != 2 {
				t.Errorf("corridor criterion %+v", c)
			}
		}
	})
	t.Run("NearMissesMarked", func(t *testing.T) {
		status, body := postMatch(t, f.srv, `{"lang": "vi", "near_misses": true, "per_page": 100,
			"criteria": [{"kind": "process", "value": "dập", "required": true},
			             {"kind": "cert", "value": "IATF 16949", "required": true, "verified": true}]}`)
		var got matchResponse
		if err := json.Unmarshal([]byte(body), &got); err != nil || status != 200 {
			t.Fatalf("%d %v", status, err)
		}
		if got.NearMissTotal == 0 {
			t.Fatal("no near misses")
		}
		seenNear := false
		for _, r := range got.Results {
			if r.NearMiss {
				seenNear = true
				if r.RequiredMetCount != 1 || r.RequiredCount != 2 {
					t.Errorf("near miss %s: %d of %d", r.NameVI, r.RequiredMetCount, r.RequiredCount)
				}
			} else if seenNear {
				t.Errorf("%s meets all but comes after a near miss", r.NameVI)
			}
		}
	})
	for _, tc := range []struct {
		name, lang, body, param, says string
	}{
		{"ErrKind", "en", `{"criteria": [{"kind": "colour", "value": "red"}]}`, "criteria[1].kind", "is not a kind of criterion"},
		{"ErrKindVietnamese", "vi", `{"criteria": [{"kind": "colour", "value": "red"}]}`, "criteria[1].kind", "không phải loại tiêu chí"},
		{"ErrValue", "en", `{"criteria": [{"kind": "process", "value": "teleportation"}]}`, "criteria[1].value", "is not a taxonomy term"},
		{"ErrValueVietnamese", "vi", `{"criteria": [{"kind": "cert", "value": "ISO 99999"}]}`, "criteria[1].value", "không phải tiêu chuẩn"},
		{"ErrWeightZero", "en", `{"criteria": [{"kind": "process", "value": "stamping", "weight": 0}]}`, "criteria[1].weight", "must be between"},
		{"ErrWeightTooHigh", "vi", `{"criteria": [{"kind": "process", "value": "stamping", "weight": 50}]}`, "criteria[1].weight", "phải nằm trong khoảng"},
		{"ErrNearKm", "en", `{"criteria": [{"kind": "near", "value": {"lat": 21, "lon": 105.8, "km": 9000}}]}`, "criteria[1].value.km", "must be between"},
		{"ErrNearShape", "vi", `{"criteria": [{"kind": "near", "value": {"lat": 21}}]}`, "criteria[1].value", "không phải vị trí"},
		{"ErrUnknownField", "en", `{"lang": "en", "criterion": []}`, "criterion", "not the JSON expected"},
		{"ErrWrongType", "en", `{"lang": "en", "page": "one"}`, "page", "not the JSON expected"},
		{"ErrLang", "xx", `{"lang": "fr", "text": "x"}`, "lang", "không phải vi hoặc en"},
		{"ErrPerPage", "en", `{"text": "x", "per_page": 1000}`, "per_page", "must be between"},
		{"ErrEmpty", "en", `{}`, "criteria", "is required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if tc.lang != "xx" && !strings.Contains(body, `"lang"`) {
				body = `{"lang": "` + tc.lang + `", ` + strings.TrimPrefix(body, "{")
				if strings.HasSuffix(body, ", }") {
					body = strings.TrimSuffix(body, ", }") + "}"
				}
			}
			status, got := postMatch(t, f.srv, body)
			var resp errorResponse
			json.Unmarshal([]byte(got), &resp)
			if status != http.StatusBadRequest || resp.Error.Param != tc.param || !strings.Contains(resp.Error.Message, tc.says) {
				t.Fatalf("%d %s; want 400 naming %s saying %q", status, got, tc.param, tc.says)
			}
		})
	}
	t.Run("ErrCrossSiteBrowser", func(t *testing.T) {
		status, _ := postMatch(t, f.srv, `{"text": "khuôn"}`, "Sec-Fetch-Site", "cross-site", "Origin", "https://elsewhere.example")
		if status != http.StatusForbidden {
			t.Fatalf("a browser request from another site: %d", status)
		}
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		status, _ := postMatch(t, f.srv, `{"text": "khuôn"}`, "Content-Type", "text/plain")
		if status != http.StatusUnsupportedMediaType {
			t.Fatalf("text/plain: %d", status)
		}
	})
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		status, _ := postMatch(t, f.srv, `{"text": "`+strings.Repeat("a", maxMatchBody)+`"}`)
		if status != http.StatusRequestEntityTooLarge {
			t.Fatalf("a large body: %d", status)
		}
	})
}

func TestSourcingPage(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range []string{"vi", "en"} {
		t.Run("Empty_"+lang, func(t *testing.T) {
			path := localPath(lang, "/find-suppliers")
			r := uiGet(t, f.srv, path)
			if r.Status != 200 {
				t.Fatalf("%s: %d", path, r.Status)
			}
			checkCommonPage(t, r, lang, path)
			if n := r.Doc.Find("fieldset.criterion-row").Length(); n != sourcingRows {
				t.Errorf("%d rows", n)
			}
			if r.Doc.Find(".sourcing-formula p").Length() != 3 {
				t.Error("the ranking is not explained")
			}
		})
		t.Run("Results_"+lang, func(t *testing.T) {
			path := localPath(lang, "/find-suppliers") + "?q=khu%C3%B4n&k1=process&v1=stamping&n1=required&k2=cert&v2=ISO+9001&n2=preferred&w2=3&near_misses=yes"
			r := uiGet(t, f.srv, path)
			if r.Status != 200 {
				t.Fatalf("%s: %d", path, r.Status)
			}
			checkCommonPage(t, r, lang, path)
			cards := r.Doc.Find(".match-card")
			if cards.Length() == 0 {
				t.Fatal("no results")
			}
			if n := cards.First().Find(".criteria-standing li").Length(); n != 2 {
				t.Errorf("first card: %d criteria", n)
			}
			if s := cards.First().Find(".standing-met .standing-evidence").Text(); s == "" {
				t.Error("no evidence for a met criterion")
			}
			if v, _ := r.Doc.Find("#v2").Attr("value"); v != "ISO 9001" {
				t.Errorf("the form forgot the value: %q", v)
			}
		})
		t.Run("ErrBadValue_"+lang, func(t *testing.T) {
			path := localPath(lang, "/find-suppliers") + "?k1=process&v1=teleportation"
			r := uiGet(t, f.srv, path)
			if r.Status != http.StatusBadRequest || r.Doc.Find("fieldset.has-error #v1[aria-invalid=true]").Length() != 1 ||
				r.Doc.Find(".error-summary li").Length() != 1 {
				t.Fatalf("%d: the row with the bad value is not marked", r.Status)
			}
		})
	}
	t.Run("MoreRows", func(t *testing.T) {
		r := uiGet(t, f.srv, "/find-suppliers?rows=4&more=1")
		if n := r.Doc.Find("fieldset.criterion-row").Length(); n != sourcingRows+sourcingMoreRows {
			t.Errorf("%d rows", n)
		}
	})
	t.Run("LinkedFromSearchAndNav", func(t *testing.T) {
		r := uiGet(t, f.srv, "/en/search?q=mould")
		if r.Doc.Find(`a[href="/en/find-suppliers"]`).Length() < 2 {
			t.Error("the search page does not link the requirement page")
		}
	})
}

func typeOf(v any) reflect.Type { return reflect.TypeOf(v) }
