package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/search"
)

// The public API's responses that are not their own Go types.
type (
	errorResponse struct {
		Error apiError `json:"error"`
	}
	suggestResponse struct {
		Suggestions []search.Suggestion `json:"suggestions"`
	}
)

// filterParams are the search filters, each repeatable, taking a code or a label in either
// language.
var filterParams = []struct{ name, about string }{
	{"sector", "sector code or label"}, {"product", "product group code or label"}, {"process", "process code or label"},
	{"material", "material code or label"}, {"cert", "standard, such as ISO 9001"}, {"corridor", "industrial corridor code"},
	{"district", "former district: GSO code or name"}, {"zone", "industrial park or cluster code or name"},
	{"size", "micro, small, medium or large"}, {"ownership", "private, state, fdi or jv"}, {"market", "export market: ISO country code"},
}

// openAPIDocument describes the public JSON API in OpenAPI 3.1. The response schemas are made
// from the handlers' own response types, so the document cannot drift from what they answer.
func openAPIDocument() map[string]any {
	param := func(name, in, about string, schema map[string]any) map[string]any {
		p := map[string]any{"name": name, "in": in, "description": about, "schema": schema}
		if in == "path" {
			p["required"] = true
		}
		return p
	}
	str := map[string]any{"type": "string"}
	lang := param("lang", "query", "language of labels and URLs", map[string]any{"type": "string", "enum": []string{"vi", "en"}})
	searchParams := []any{
		param("q", "query", "what to find, in Vietnamese (with or without diacritics) or English; a tax code finds its firm", str),
		lang,
		param("sort", "query", "order of results", map[string]any{"type": "string", "enum": []string{search.SortRelevance, search.SortName, search.SortSize, search.SortUpdated}}),
		param("page", "query", "page number", map[string]any{"type": "integer", "minimum": 1}),
		param("per_page", "query", "results a page", map[string]any{"type": "integer", "minimum": 1, "maximum": search.MaxPerPage}),
		param("verified", "query", "only firms with a certificate the Department verified and that is current", map[string]any{"type": "boolean"}),
		param("spcncl", "query", "only firms with a key industrial product title", map[string]any{"type": "boolean"}),
	}
	for _, f := range filterParams {
		p := param(f.name, "query", f.about+"; repeat for several", map[string]any{"type": "array", "items": str})
		p["style"], p["explode"] = "form", true
		searchParams = append(searchParams, p)
	}
	ok := func(about string, v any) map[string]any {
		return map[string]any{"description": about, "content": map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(v))}}}
	}
	errResp := func(about string) map[string]any { return ok(about, errorResponse{}) }
	get := func(summary string, params []any, responses map[string]any) map[string]any {
		return map[string]any{"get": map[string]any{"summary": summary, "parameters": params, "responses": responses}}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Hanoi supporting-industry supplier portal API", "version": "1",
			"description": "Search Hanoi's supporting-industry firms in Vietnamese or English, and rank them for a requirement. Read-only; no account needed."},
		"paths": map[string]any{
			"/api/v1/suppliers": get("Search suppliers, with facet counts", searchParams, map[string]any{
				"200": ok("one page of results with facets", suppliersResponse{}),
				"400": errResp("a parameter is invalid; error.param names it")}),
			"/api/v1/suppliers/{id}": get("One supplier's profile", []any{
				param("id", "path", "tax code or slug", str), lang}, map[string]any{
				"200": ok("the profile", supplierProfile{}),
				"404": errResp("no such firm")}),
			"/api/v1/taxonomy": get("The taxonomy and reference data", nil, map[string]any{
				"200": ok("terms, standards, corridors, districts, parks and clusters", taxonomyResponse{})}),
			"/api/v1/suggest": get("Type-ahead suggestions", []any{
				param("q", "query", "what was typed", str), lang}, map[string]any{
				"200": ok("up to 8 suggestions", suggestResponse{}),
				"400": errResp("a parameter is invalid")}),
			"/api/v1/match": map[string]any{"post": map[string]any{
				"summary": "Rank suppliers for a requirement, with a per-criterion explanation",
				"description": "Suppliers meeting every required criterion are ranked by score: each preferred criterion " +
					"counts its weight, in full when met and half when partly met, and the text counts as one more " +
					"preferred criterion of weight 1, met as far as the supplier's text relevance reaches the best " +
					"candidate's; the score is the weighted share earned, 0 to 1. Unknown (the profile does not say) " +
					"never meets a criterion. Reads public data only: no session or token is needed, and nothing changes.",
				"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{
					"schema": schemaOf(reflect.TypeOf(matchRequestJSON{}))}}},
				"responses": map[string]any{
					"200": ok("one page of ranked suppliers", matchResponse{}),
					"400": errResp("the requirement is invalid; error.param names the first field at fault and error.fields all of them, in the requested language"),
					"413": errResp("the body is larger than 64 KiB"),
					"415": errResp("the body is not application/json")}}},
			"/api/v1/openapi.json": get("This document", nil, map[string]any{
				"200": map[string]any{"description": "the OpenAPI document"}}),
		},
	}
}

// schemaOf is the JSON Schema of a Go type as encoding/json writes it.
func schemaOf(t reflect.Type) map[string]any {
	if t == reflect.TypeOf(json.RawMessage{}) {
		// A criterion's value.
		return map[string]any{"description": "a code or label in either language, a machine with a threshold " +
			"(\"press ≥ 250 t\"), a year or true for spcncl; for near an object {lat, lon, km} or \"lat, lon, km\"",
			"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "number"}, map[string]any{"type": "boolean"},
				map[string]any{"type": "object", "properties": map[string]any{"lat": map[string]any{"type": "number"},
					"lon": map[string]any{"type": "number"}, "km": map[string]any{"type": "number"}}, "required": []string{"lat", "lon", "km"}}}}
	}
	if t == reflect.TypeOf(time.Time{}) {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := schemaOf(t.Elem())
		if typ, ok := s["type"].(string); ok {
			s["type"] = []string{typ, "null"}
		}
		return s
	case reflect.Slice:
		return map[string]any{"type": []string{"array", "null"}, "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Float64, reflect.Float32:
		return map[string]any{"type": "number"}
	case reflect.Struct:
		props, required := map[string]any{}, []string{}
		for _, f := range reflect.VisibleFields(t) {
			if !f.IsExported() || f.Anonymous {
				continue
			}
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
		}
		return map[string]any{"type": "object", "properties": props, "required": required}
	}
	return map[string]any{}
}

func (s *Server) apiOpenAPI(c echo.Context) error {
	return c.JSON(http.StatusOK, openAPIDocument())
}
