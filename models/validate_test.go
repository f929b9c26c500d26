package models

import (
	"strings"
	"testing"
	"time"
)

func validFirm() *Firm {
	return &Firm{TaxCode: "0101234567", NameVI: "Công ty TNHH Cơ khí Chính xác Đông Anh"}
}

func TestFirmValidate(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	lat, badLat, lng := 21.1, 95.0, 105.8
	tests := []struct {
		name   string
		change func(f *Firm)
		field  string // "" means valid
	}{
		{"Valid", func(*Firm) {}, ""},
		{"ValidBranchTaxCode", func(f *Firm) { f.TaxCode = "0101234567-001" }, ""},
		{"ErrTaxCodeRequired", func(f *Firm) { f.TaxCode = "" }, "tax_code"},
		{"ErrTaxCodeNineDigits", func(f *Firm) { f.TaxCode = "010123456" }, "tax_code"},
		{"ErrTaxCodeLetters", func(f *Firm) { f.TaxCode = "01012345AB" }, "tax_code"},
		{"ErrTaxCodeBadBranch", func(f *Firm) { f.TaxCode = "0101234567-01" }, "tax_code"},
		{"ErrNameRequired", func(f *Firm) { f.NameVI = "  " }, "name_vi"},
		{"ErrNameTooLong", func(f *Firm) { f.NameVI = strings.Repeat("x", maxName+1) }, "name_vi"},
		{"ErrNameControlCharacter", func(f *Firm) { f.NameVI = "Công ty\x00" }, "name_vi"},
		{"ErrNameInvalidUTF8", func(f *Firm) { f.NameEN = "C\xf4ng ty" }, "name_en"},
		{"ValidDescriptionNewlines", func(f *Firm) { f.DescriptionVI = "Dòng một.\nDòng hai." }, ""},
		{"ErrDescriptionTooLong", func(f *Firm) { f.DescriptionEN = strings.Repeat("a", maxDescription+1) }, "description_en"},
		{"ErrFoundedFuture", func(f *Firm) { f.FoundedYear = 2027 }, "founded_year"},
		{"ErrFoundedTooOld", func(f *Firm) { f.FoundedYear = 1800 }, "founded_year"},
		{"ErrEmployeesNegative", func(f *Firm) { f.Employees = -1 }, "employees"},
		{"ErrEmployeesHuge", func(f *Firm) { f.Employees = maxEmployees + 1 }, "employees"},
		{"ErrOwnershipUnknown", func(f *Firm) { f.Ownership = "coop" }, "ownership"},
		{"ErrWebsiteNotURL", func(f *Firm) { f.Website = "javascript:alert(1)" }, "website"},
		{"ErrEmailInvalid", func(f *Firm) { f.Email = "sales at firm.vn" }, "email"},
		{"ErrPhoneLetters", func(f *Firm) { f.Phone = "call us" }, "phone"},
		{"ValidPhone", func(f *Firm) { f.Phone = "+84 24 3881 2345" }, ""},
		{"ErrTooManyMarkets", func(f *Firm) { f.ExportMarkets = make(StringList, maxListItems+1) }, "export_markets"},
		{"ErrLatitudeRange", func(f *Firm) { f.Sites = []Site{{Latitude: &badLat, Longitude: &lng}} }, "latitude"},
		{"ErrLatitudeAlone", func(f *Firm) { f.Sites = []Site{{Latitude: &lat}} }, "latitude"},
		{"ErrSecondSiteLatitude", func(f *Firm) { f.Sites = []Site{{}, {Latitude: &lat}} }, "sites[2].latitude"},
		{"ErrCertificateNoStandard", func(f *Firm) { f.Certificates = []Certificate{{Standard: ""}} }, "certifications[1]"},
		{"ErrCertificateExpiresBeforeIssued", func(f *Firm) {
			f.Certificates = []Certificate{{Standard: "ISO 9001", IssuedOn: DateOf(2024, 1, 1), Expires: DateOf(2023, 1, 1)}}
		}, "certifications[1]"},
		{"ErrCertificateIssuedInFuture", func(f *Firm) {
			f.Certificates = []Certificate{{Standard: "ISO 9001", IssuedOn: DateOf(2027, 1, 1)}}
		}, "certifications[1]"},
		{"ErrEquipmentNoType", func(f *Firm) { f.Equipment = []Equipment{{Count: 2}} }, "equipment[1]"},
		{"ErrEquipmentCountZero", func(f *Firm) { f.Equipment = []Equipment{{MachineType: "Máy dập 100 tấn"}} }, "equipment[1]"},
		{"ErrLeadTimeNegative", func(f *Firm) { f.LeadTimeDays = -3 }, "lead_time_days"},
		{"ErrCapacityScript", func(f *Firm) { f.MonthlyCapacity = strings.Repeat("<script>", 100) }, "monthly_capacity"},
		{"ErrRecognitionYearEarly", func(f *Firm) { f.Recognitions = []Recognition{{Year: 1999, Product: "Khuôn"}} }, "spcncl_years[1]"},
		{"ErrRecognitionYearFuture", func(f *Firm) { f.Recognitions = []Recognition{{Year: 2030, Product: "Khuôn"}} }, "spcncl_years[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validFirm()
			tt.change(f)
			err := f.validate(now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			ve, ok := err.(*ValidationError)
			if !ok {
				t.Fatalf("want a ValidationError naming %s, got %v", tt.field, err)
			}
			if !ve.Has(tt.field) {
				t.Fatalf("want an error on %s, got %v", tt.field, ve)
			}
		})
	}
}

func TestFirmCheckReference(t *testing.T) {
	ref, err := LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tests := []struct {
		name  string
		site  Site
		field string
	}{
		{"ValidDistrict", Site{District: "017"}, ""},
		{"ValidZoneInDistrict", Site{District: "017", Zone: "kcn-thang-long"}, ""},
		{"ErrUnknownDistrict", Site{District: "999"}, "district"},
		{"ErrUnknownZone", Site{District: "017", Zone: "kcn-atlantis"}, "industrial_zone"},
		{"ErrZoneInOtherDistrict", Site{District: "016", Zone: "kcn-thang-long"}, "industrial_zone"},
		{"ErrZoneOutsideHanoi", Site{District: "017", Zone: outsideZone(t, ref)}, "industrial_zone"},
		{"ErrUnknownCorridor", Site{District: "017", Corridors: StringList{"ql99"}, CorridorsSet: true}, "corridors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validFirm()
			f.Sites = []Site{tt.site}
			f.normalize(ref)
			err := f.Check(ref, now)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			ve, ok := err.(*ValidationError)
			if !ok || !ve.Has(tt.field) {
				t.Fatalf("want an error on %s, got %v", tt.field, err)
			}
		})
	}
}

func outsideZone(t *testing.T, ref *Reference) string {
	for _, z := range ref.Zones {
		if !z.InHanoi {
			return z.Code
		}
	}
	t.Fatal("reference data has no park outside Hanoi")
	return ""
}

func TestCertificateStatus(t *testing.T) {
	now := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	verified := now.AddDate(0, -1, 0)
	tests := []struct {
		name string
		cert Certificate
		want CertificateStatus
	}{
		{"ClaimedWithoutExpiry", Certificate{Standard: "ISO 9001"}, CertClaimed},
		{"ClaimedCurrent", Certificate{Standard: "ISO 9001", Expires: DateOf(2027, 6, 30)}, CertClaimed},
		{"VerifiedCurrent", Certificate{Standard: "ISO 9001", Expires: DateOf(2027, 6, 30), VerifiedAt: &verified}, CertVerified},
		{"ExpiredYesterday", Certificate{Standard: "ISO 9001", Expires: DateOf(2026, 11, 20)}, CertExpired},
		{"ValidThroughExpiryDay", Certificate{Standard: "ISO 9001", Expires: DateOf(2026, 11, 21)}, CertClaimed},
		{"VerifiedButExpired", Certificate{Standard: "ISO 9001", Expires: DateOf(2025, 1, 1), VerifiedAt: &verified}, CertExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cert.Status(now); got != tt.want {
				t.Fatalf("Status = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestSizeBandOf(t *testing.T) {
	for _, tt := range []struct {
		employees int
		want      SizeBand
	}{{0, SizeNone}, {1, SizeMicro}, {10, SizeMicro}, {11, SizeSmall}, {100, SizeSmall}, {101, SizeMedium}, {200, SizeMedium}, {201, SizeLarge}} {
		if got := SizeBandOf(tt.employees); got != tt.want {
			t.Errorf("SizeBandOf(%d) = %q, want %q", tt.employees, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	nfd := "Co\u031b khi\u0301 Đo\u0302ng Anh" // "Cơ khí Đông Anh" decomposed
	for _, tt := range []struct{ in, want string }{
		{"Cơ khí Chính xác", "co khi chinh xac"},
		{"CƠ KHÍ", "co khi"},
		{"Đông Anh", "dong anh"},
		{nfd, "co khi dong anh"},
	} {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Slugify("Công ty TNHH Khuôn mẫu Việt-Nhật"); got != "cong-ty-tnhh-khuon-mau-viet-nhat" {
		t.Errorf("Slugify = %q", got)
	}
}
