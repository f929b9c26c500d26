package main

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"testing"
)

type openAPISchema struct {
	Type       any                      `json:"type"`
	Properties map[string]openAPISchema `json:"properties"`
	Required   []string                 `json:"required"`
	Items      *openAPISchema           `json:"items"`
}

// TestOpenAPIDocument checks the served document against the real routes and real answers:
// every API route is described, every described path is a route, and the keys of sample
// responses are exactly the properties the document gives them (required ones present).
func TestOpenAPIDocument(t *testing.T) {
	f := sharedUI(t)
	r := uiGet(t, f.srv, "/api/v1/openapi.json")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			Parameters []struct {
				Name string `json:"name"`
			} `json:"parameters"`
			Responses map[string]struct {
				Content map[string]struct {
					Schema openAPISchema `json:"schema"`
				} `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("document: %v, version %q", err, doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, rt := range f.srv.routeTable {
		if strings.HasPrefix(rt.Path, "/api/") && (rt.Method == "GET" || rt.Method == "POST") {
			p := rt.Path
			if i := strings.Index(p, ":"); i >= 0 {
				p = p[:i] + "{" + p[i+1:] + "}"
			}
			routes[p] = true
			if _, ok := doc.Paths[p][strings.ToLower(rt.Method)]; !ok {
				t.Errorf("%s %s is not in the document", rt.Method, p)
			}
		}
	}
	for p := range doc.Paths {
		if !routes[p] {
			t.Errorf("the document describes %s, which is not a route", p)
		}
	}
	// Every search parameter the document lists is one the search reads: an unknown value of
	// each answers 400 naming it, or is taken.
	for _, prm := range doc.Paths["/api/v1/suppliers"]["get"].Parameters {
		if prm.Name == "q" {
			continue
		}
		res := uiGet(t, f.srv, "/api/v1/suppliers?"+prm.Name+"="+url.QueryEscape("zz-not-a-value"))
		if res.Status != 400 || !strings.Contains(res.Body, `"param":"`+prm.Name+`"`) {
			t.Errorf("parameter %s: status %d %s", prm.Name, res.Status, res.Body)
		}
	}
	schema := func(path, status string) openAPISchema {
		return doc.Paths[path]["get"].Responses[status].Content["application/json"].Schema
	}
	samples := []struct {
		path, url, status string
		pick              func(any) map[string]any
	}{
		{"/api/v1/suppliers", "/api/v1/suppliers?q=parts&lang=en", "200", nil},
		{"/api/v1/suppliers/{id}", "/api/v1/suppliers/" + f.viOnlyFirm + "?lang=en", "200", nil},
		{"/api/v1/suppliers/{id}", "/api/v1/suppliers/0000000000", "404", nil},
		{"/api/v1/suppliers", "/api/v1/suppliers?sort=sideways", "400", nil},
		{"/api/v1/taxonomy", "/api/v1/taxonomy", "200", nil},
		{"/api/v1/suggest", "/api/v1/suggest?q=khuon", "200", nil},
	}
	for _, sm := range samples {
		res := uiGet(t, f.srv, sm.url)
		var body any
		if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
			t.Fatalf("%s: %v", sm.url, err)
		}
		conforms(t, sm.url, schema(sm.path, sm.status), body)
	}
}

// conforms checks that an object's keys are the schema's properties, required ones present,
// through nested objects and arrays.
func conforms(t *testing.T, at string, s openAPISchema, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if s.Properties == nil {
			return // a map of any keys (facets)
		}
		var keys []string
		for k, val := range x {
			keys = append(keys, k)
			p, ok := s.Properties[k]
			if !ok {
				t.Errorf("%s: %q is not in the document", at, k)
				continue
			}
			conforms(t, at+"."+k, p, val)
		}
		sort.Strings(keys)
		for _, req := range s.Required {
			if _, ok := x[req]; !ok {
				t.Errorf("%s: required %q missing (has %v)", at, req, keys)
			}
		}
	case []any:
		if s.Items != nil && len(x) > 0 {
			conforms(t, at+"[0]", *s.Items, x[0])
		}
	}
}
