package models

import "testing"

func TestReferenceResolve(t *testing.T) {
	ref, err := LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Đông Anh", "Huyện Đông Anh", "Dong Anh", "dong anh district", "017"} {
		if d, ok := ref.ResolveDistrict(text); !ok || d.Code != "017" {
			t.Errorf("ResolveDistrict(%q) = %v, %v", text, d, ok)
		}
	}
	for _, text := range []string{"ISO 9001", "iso9001", "ISO-9001"} {
		if s, ok := ref.ResolveStandard(text); !ok || s.Code != "ISO 9001" {
			t.Errorf("ResolveStandard(%q) = %v, %v", text, s.Code, ok)
		}
	}
	for _, text := range []string{"KCN Thăng Long", "Thang Long Industrial Park (TLIP)", "Thang Long Industrial Park"} {
		if z, ok := ref.ResolveZone(text); !ok || z.Code != "kcn-thang-long" {
			t.Errorf("ResolveZone(%q) = %v, %v", text, z.Code, ok)
		}
	}
	for _, text := range []string{"mould", "mold", "khuôn", "khuôn mẫu", "KHUON MAU"} {
		if _, ok := ref.ResolveTerm(KindProduct, text); !ok {
			if _, ok := ref.ResolveTerm(KindProcess, text); !ok {
				t.Errorf("%q resolves to no product or process", text)
			}
		}
	}
	if c, ok := ResolveCountry("Nhật Bản"); !ok || c.Code != "JP" {
		t.Errorf("ResolveCountry = %v", c)
	}
}
