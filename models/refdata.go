package models

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// refdata holds the taxonomy and reference data the portal starts with; staff may edit the
// stored copies later, so seeding only adds rows whose key is not stored yet.
//
//go:embed refdata/*.csv
var refdata embed.FS

// csvRows reads an embedded CSV file into maps keyed by header.
func csvRows(name string) ([]map[string]string, error) {
	f, err := refdata.Open("refdata/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	records, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty", name)
	}
	header := records[0]
	out := make([]map[string]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, h := range header {
			if i < len(rec) {
				row[strings.TrimSpace(h)] = strings.TrimSpace(rec[i])
			}
		}
		out = append(out, row)
	}
	return out, nil
}

func splitBar(s string) StringList {
	var out StringList
	for _, p := range strings.Split(s, "|") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// LoadBuiltinReference reads the reference data shipped with the portal.
func LoadBuiltinReference() (*Reference, error) {
	terms, districts, zones, corridors, standards, wards, err := BuiltinReferenceRows()
	if err != nil {
		return nil, err
	}
	return NewReference(terms, districts, zones, corridors, standards, wards), nil
}

// BuiltinReferenceRows returns the rows of every reference table as shipped, for seeding a new
// database.
func BuiltinReferenceRows() (terms []Term, districts []District, zones []Zone, corridors []Corridor, standards []Standard, wards []Ward, err error) {
	rows, err := csvRows("taxonomy.csv")
	if err != nil {
		return
	}
	for i, r := range rows {
		terms = append(terms, Term{Code: r["code"], Kind: TermKind(r["kind"]), Parent: r["parent"],
			LabelVI: r["label_vi"], LabelEN: r["label_en"], SynonymsVI: splitBar(r["synonyms_vi"]),
			SynonymsEN: splitBar(r["synonyms_en"]), Position: i})
	}
	if rows, err = csvRows("districts.csv"); err != nil {
		return
	}
	for _, r := range rows {
		districts = append(districts, District{Code: r["code"], NameVI: r["name_vi"], PrefixVI: r["prefix_vi"],
			NameEN: r["name_en"], Kind: r["kind"], Corridors: splitBar(r["corridors"])})
	}
	if rows, err = csvRows("zones.csv"); err != nil {
		return
	}
	for _, r := range rows {
		z := Zone{Code: r["code"], Kind: r["kind"], NameVI: r["name_vi"], NameEN: r["name_en"],
			Districts: splitBar(r["districts"]), InHanoi: r["in_hanoi"] == "true", Status: r["status"],
			Verification: r["verification"], Note: r["note"]}
		if a, perr := strconv.ParseFloat(r["area_ha"], 64); perr == nil {
			z.AreaHa = &a
		}
		zones = append(zones, z)
	}
	if rows, err = csvRows("corridors.csv"); err != nil {
		return
	}
	for i, r := range rows {
		corridors = append(corridors, Corridor{Code: r["code"], LabelVI: r["label_vi"], LabelEN: r["label_en"],
			Roads: r["roads"], DescriptionEN: r["description_en"], Verification: r["verification"], Position: i})
	}
	if rows, err = csvRows("standards.csv"); err != nil {
		return
	}
	for i, r := range rows {
		standards = append(standards, Standard{Code: r["code"], NameEN: r["name_en"], NameVI: r["name_vi"],
			CurrentEdition: r["current_edition"], ScopeEN: r["scope_en"], Sectors: splitBar(r["sectors"]),
			Synonyms: splitBar(r["synonyms"]), Position: i})
	}
	if rows, err = csvRows("wards.csv"); err != nil {
		return
	}
	for _, r := range rows {
		wards = append(wards, Ward{Name: r["name"], Kind: r["kind"]})
	}
	return
}
