package models

import (
	"testing"
)

func TestRequirementResolve(t *testing.T) {
	ref, err := LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ResolvesCodesAndLabels", func(t *testing.T) {
		r := Requirement{Text: " brackets ", Criteria: []Criterion{
			{Kind: CriterionProcess, Value: "dập", Required: true},
			{Kind: CriterionCert, Value: "iatf16949", Verified: true},
			{Kind: CriterionCorridor, Value: "Hà Nội – Hải Phòng", Weight: 2},
			{Kind: CriterionDistrict, Value: "Dong Anh"},
			{Kind: CriterionSize, Value: "vừa"},
			{Kind: CriterionOwnership, Value: "liên doanh"},
			{Kind: CriterionMarket, Value: "Nhật Bản"},
			{Kind: CriterionSPCNCL, Value: "2023"},
			{Kind: CriterionEquipment, Value: "press ≥ 250 t"},
			{Kind: CriterionNear, Value: "21.03, 105.85, 30"},
		}}
		if err := r.Resolve(ref); err != nil {
			t.Fatal(err)
		}
		want := []string{"stamping", "IATF 16949", "ql5-hai-phong", "017", "medium", "jv", "JP", "", "", ""}
		for i, c := range r.Criteria {
			if c.Code != want[i] {
				t.Errorf("criterion %d (%s %q): code %q, want %q", i+1, c.Kind, c.Value, c.Code, want[i])
			}
		}
		if r.Text != "brackets" || r.Criteria[0].Weight != 1 || r.Criteria[2].Weight != 2 {
			t.Errorf("text %q, weights %v %v", r.Text, r.Criteria[0].Weight, r.Criteria[2].Weight)
		}
		if r.Criteria[7].Year != 2023 {
			t.Errorf("spcncl year %d", r.Criteria[7].Year)
		}
		if e := r.Criteria[8].Equipment; e == nil || e.Min != 250 || e.Unit != "t" || e.Machine != "press" {
			t.Errorf("equipment %+v", e)
		}
		if n := r.Criteria[9].Near; n == nil || n.Lat != 21.03 || n.Lon != 105.85 || n.Km != 30 {
			t.Errorf("near %+v", n)
		}
	})
	for _, tc := range []struct {
		name  string
		c     Criterion
		field string
		key   string
	}{
		{"ErrUnknownKind", Criterion{Kind: "colour", Value: "red"}, "criteria[1].kind", "validation.criterion_kind"},
		{"ErrEmptyValue", Criterion{Kind: CriterionProcess}, "criteria[1].value", "validation.required"},
		{"ErrUnknownTerm", Criterion{Kind: CriterionProcess, Value: "teleportation"}, "criteria[1].value", "validation.unknown_term"},
		{"ErrUnknownStandard", Criterion{Kind: CriterionCert, Value: "ISO 99999"}, "criteria[1].value", "validation.unknown_standard"},
		{"ErrWeightTooHigh", Criterion{Kind: CriterionProcess, Value: "stamping", Weight: 11}, "criteria[1].weight", "validation.number_range"},
		{"ErrWeightNegative", Criterion{Kind: CriterionProcess, Value: "stamping", Weight: -1}, "criteria[1].weight", "validation.number_range"},
		{"ErrNearText", Criterion{Kind: CriterionNear, Value: "near Hanoi"}, "criteria[1].value", "validation.near"},
		{"ErrNearKm", Criterion{Kind: CriterionNear, Near: &Near{Lat: 21, Lon: 105.8, Km: 0}}, "criteria[1].value.km", "validation.number_range"},
		{"ErrNearLat", Criterion{Kind: CriterionNear, Near: &Near{Lat: 95, Lon: 105.8, Km: 10}}, "criteria[1].value.lat", "validation.number_range"},
		{"ErrEquipment", Criterion{Kind: CriterionEquipment, Value: "≥ 250 t"}, "criteria[1].value", "validation.equipment"},
		{"ErrSize", Criterion{Kind: CriterionSize, Value: "huge"}, "criteria[1].value", "validation.size"},
		{"ErrMarket", Criterion{Kind: CriterionMarket, Value: "Atlantis"}, "criteria[1].value", "validation.unknown_market"},
		{"ErrSPCNCL", Criterion{Kind: CriterionSPCNCL, Value: "often"}, "criteria[1].value", "validation.spcncl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Requirement{Criteria: []Criterion{tc.c}}
			err := r.Resolve(ref)
			verr, ok := err.(*ValidationError)
			if !ok || len(verr.Fields) != 1 || verr.Fields[0].Field != tc.field || verr.Fields[0].Key != tc.key {
				t.Fatalf("got %v, want %s %s", err, tc.field, tc.key)
			}
		})
	}
	t.Run("ErrEmpty", func(t *testing.T) {
		r := Requirement{}
		if err := r.Resolve(ref); err == nil || !err.(*ValidationError).Has("criteria") {
			t.Fatalf("an empty requirement: %v", err)
		}
	})
	t.Run("ErrTooManyCriteria", func(t *testing.T) {
		r := Requirement{Criteria: make([]Criterion, MaxCriteria+1)}
		if err := r.Resolve(ref); err == nil || !err.(*ValidationError).Has("criteria") {
			t.Fatalf("too many criteria: %v", err)
		}
	})
}

func TestEquipmentNeed(t *testing.T) {
	for _, tc := range []struct {
		need    string
		machine Equipment
		match   bool
		unit    string
		amount  float64
		stated  bool
	}{
		{"press ≥ 250 t", Equipment{MachineType: "máy dập từ 60 đến 300 tấn"}, true, "t", 300, true},
		{"máy dập >= 250 tấn", Equipment{MachineType: "Presses", Spec: "200 t, bed 1,200 mm"}, true, "t", 200, true},
		{"press 250t", Equipment{MachineType: "CNC press brakes", Spec: "300 t"}, false, "t", 300, true},
		{"CNC ≥ 5 axes", Equipment{MachineType: "trung tâm gia công CNC 3–5 trục"}, true, "axes", 5, true},
		{"CNC 5-axis", Equipment{MachineType: "Máy tiện CNC", Spec: "phôi Ø 65 mm"}, true, "axes", 0, false},
		{"injection moulding machine ≥ 450 t", Equipment{MachineType: "máy ép nhựa từ 50 đến 450 tấn"}, true, "t", 450, true},
		{"laser cutter", Equipment{MachineType: "máy cắt laser fiber", Spec: "6 kW"}, true, "", 0, false},
		{"máy khoan", Equipment{MachineType: "Máy khoan cần"}, true, "", 0, false},
		{"máy khoan", Equipment{MachineType: "máy hút chân không"}, false, "", 0, false},
		{"press brake", Equipment{MachineType: "máy chấn thủy lực CNC"}, true, "", 0, false},
	} {
		n, ok := ParseEquipmentNeed(tc.need)
		if !ok {
			t.Errorf("%q: not understood", tc.need)
			continue
		}
		if n.Unit != tc.unit {
			t.Errorf("%q: unit %q, want %q", tc.need, n.Unit, tc.unit)
		}
		if got := n.Matches(tc.machine); got != tc.match {
			t.Errorf("%q matches %+v: %v, want %v", tc.need, tc.machine, got, tc.match)
		}
		if tc.unit != "" {
			if q, ok := n.Quantity(tc.machine, tc.unit); ok != tc.stated || q != tc.amount {
				t.Errorf("%q in %+v: %v %v, want %v %v", tc.need, tc.machine, q, ok, tc.amount, tc.stated)
			}
		}
	}
}
