package sample

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// sampleSeed matches the seed the app fills a new database with, so the figures tested here are
// the ones users see.
const sampleSeed = 2026

func builtinRef(t testing.TB) *models.Reference {
	t.Helper()
	ref, err := models.LoadBuiltinReference()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestGenerateSampleDeterministic(t *testing.T) {
	ref := builtinRef(t)
	asOf := time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)

	t.Run("SameSeedSameFirms", func(t *testing.T) {
		a := GenerateAsOf(ref, sampleSeed, 0, 200, asOf)
		b := GenerateAsOf(ref, sampleSeed, 0, 200, asOf)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two runs with the same seed differ")
		}
	})
	t.Run("SameDaySameFirms", func(t *testing.T) {
		a := GenerateAsOf(ref, sampleSeed, 0, 50, asOf)
		b := GenerateAsOf(ref, sampleSeed, 0, 50, asOf.Add(12*time.Hour))
		if !reflect.DeepEqual(a, b) {
			t.Fatal("firms made as of the same day differ")
		}
	})
	t.Run("FirmIndependentOfStart", func(t *testing.T) {
		whole := GenerateAsOf(ref, sampleSeed, 0, 150, asOf)
		tail := GenerateAsOf(ref, sampleSeed, 100, 50, asOf)
		if !reflect.DeepEqual(whole[100:], tail) {
			t.Fatal("firms 100..149 depend on where generation started")
		}
	})
	t.Run("SameAsJSON", func(t *testing.T) {
		day := time.Now().UTC().Format(time.DateOnly)
		a, _ := json.Marshal(Generate(ref, sampleSeed, 0, 20))
		b, _ := json.Marshal(Generate(ref, sampleSeed, 0, 20))
		if time.Now().UTC().Format(time.DateOnly) != day {
			t.Skip("the day changed between the two runs")
		}
		if string(a) != string(b) {
			t.Fatal("Generate is not repeatable within a day")
		}
	})
	t.Run("OtherSeedOtherFirms", func(t *testing.T) {
		a := GenerateAsOf(ref, sampleSeed, 0, 50, asOf)
		b := GenerateAsOf(ref, sampleSeed+1, 0, 50, asOf)
		same := 0
		for i := range a {
			if a[i].NameVI == b[i].NameVI {
				same++
			}
		}
		if same > 5 {
			t.Fatalf("%d of 50 names equal across seeds", same)
		}
	})
	t.Run("EmptyRange", func(t *testing.T) {
		if got := Generate(ref, sampleSeed, 10, 0); len(got) != 0 {
			t.Fatalf("n=0 gave %d firms", len(got))
		}
	})
}

func TestGenerateSampleTaxCodesUnique(t *testing.T) {
	ref := builtinRef(t)
	seen := map[string]int{}
	add := func(code string, i int) {
		t.Helper()
		base, _, _ := strings.Cut(code, "-")
		if !models.ValidTaxCode(code) || !strings.HasPrefix(code, "01") {
			t.Fatalf("firm %d: tax code %q is not a 10-digit Hanoi code", i, code)
		}
		if j, dup := seen[base]; dup {
			t.Fatalf("firms %d and %d share tax code %s", j, i, base)
		}
		seen[base] = i
	}
	// Made in uneven batches, as `sample --count` adds firms after those already stored.
	i := 0
	for _, n := range []int{950, 1, 49, 3000, 7000, 9001} {
		for k, f := range Generate(ref, sampleSeed, i, n) {
			add(f.TaxCode, i+k)
		}
		i += n
	}
	if i != 20001 {
		t.Fatalf("covered %d firms", i)
	}
	// The code depends on the index alone; check across the blocks of ten million too, up to the
	// last index with a code of its own (10^8 - 1).
	for _, start := range []int{9_990_000, 19_990_000, 99_980_000} {
		for i := start; i < start+20_000; i++ {
			add(sampleTaxCode(i), i)
		}
	}
	if !strings.HasPrefix(sampleTaxCode(0), "019") || !strings.HasPrefix(sampleTaxCode(9_999_999), "019") {
		t.Errorf("the first ten million codes should use the 019 block: %s, %s", sampleTaxCode(0), sampleTaxCode(9_999_999))
	}
}

func TestGenerateSampleValid(t *testing.T) {
	ref := builtinRef(t)
	now := time.Now()
	for name, firms := range map[string][]*models.Firm{
		"Today":      Generate(ref, sampleSeed, 0, 950),
		"OtherSeed":  Generate(ref, 7, 5000, 950),
		"AsOfInPast": GenerateAsOf(ref, sampleSeed, 0, 950, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)),
	} {
		t.Run(name, func(t *testing.T) {
			for _, f := range firms {
				if err := f.Check(ref, now); err != nil {
					t.Fatalf("%s %s: %v", f.TaxCode, f.NameVI, err)
				}
				checkSampleFirm(t, ref, f)
			}
		})
	}
}

// checkSampleFirm checks what Check does not: the firm is coherent and fictional.
func checkSampleFirm(t *testing.T, ref *models.Reference, f *models.Firm) {
	t.Helper()
	if !f.Sample {
		t.Fatalf("%s: Sample not set", f.TaxCode)
	}
	if !strings.HasPrefix(f.NameVI, "Công ty ") && !strings.HasPrefix(f.NameVI, "Chi nhánh Công ty ") {
		t.Errorf("%s: name %q has no legal form", f.TaxCode, f.NameVI)
	}
	if strings.HasSuffix(f.TaxCode, "-001") != strings.HasPrefix(f.NameVI, "Chi nhánh") {
		t.Errorf("%s: branch code and name disagree: %q", f.TaxCode, f.NameVI)
	}
	for _, d := range deniedNames {
		if strings.Contains(" "+models.FoldKey(f.NameVI)+" ", " "+models.FoldKey(d)+" ") {
			t.Errorf("%s: name %q uses the real name %q", f.TaxCode, f.NameVI, d)
		}
	}
	if f.DescriptionEN != "" && f.NameEN == "" {
		t.Errorf("%s: English description without an English name", f.TaxCode)
	}
	if f.DescriptionVI == "" || f.ShortName == "" || f.Phone == "" {
		t.Errorf("%s: missing description, short name or phone", f.TaxCode)
	}
	if f.FoundedYear < 1990 || f.FoundedYear > 2024 {
		t.Errorf("%s: founded %d", f.TaxCode, f.FoundedYear)
	}
	sectors := f.TermCodes(models.KindSector)
	if len(sectors) == 0 || len(sectors) > 2 {
		t.Fatalf("%s: sectors %v", f.TaxCode, sectors)
	}
	products := f.TermsOf(models.KindProduct)
	if len(products) == 0 {
		t.Errorf("%s: no products", f.TaxCode)
	}
	for _, p := range products {
		if !slices.Contains(sectors, p.Parent) {
			t.Errorf("%s: product %s belongs to %s, not to the firm's sectors %v", f.TaxCode, p.Code, p.Parent, sectors)
		}
	}
	if len(f.Sites) == 0 {
		t.Fatalf("%s: no site", f.TaxCode)
	}
	for _, s := range f.Sites {
		if s.District == "" || s.Address == "" || s.Ward == "" {
			t.Errorf("%s: incomplete site %+v", f.TaxCode, s)
		}
		if len(s.Corridors) > 0 {
			t.Errorf("%s: corridors should be left to be derived on save", f.TaxCode)
		}
		if s.Zone != "" {
			z, _ := ref.Zone(s.Zone)
			if !z.InHanoi || !zoneOperating(z.Status) {
				t.Errorf("%s: site in %s (in Hanoi %v, %s)", f.TaxCode, z.NameVI, z.InHanoi, z.Status)
			}
		}
	}
	for _, m := range f.ExportMarkets {
		if _, ok := models.ResolveCountry(m); !ok || len(m) != 2 {
			t.Errorf("%s: export market %q is not an ISO code", f.TaxCode, m)
		}
	}
	for _, c := range f.Certificates {
		if _, ok := ref.Standard(c.Standard); !ok {
			t.Errorf("%s: certificate for unknown standard %q", f.TaxCode, c.Standard)
		}
	}
	for _, r := range f.Recognitions {
		if r.Year < 2018 || r.Year > 2025 || r.Product == "" {
			t.Errorf("%s: recognition %+v", f.TaxCode, r)
		}
	}
}

// sampleShares measures a sample the way DESIGN.md describes the real population.
type sampleShares struct {
	n                                   float64
	sector                              map[string]float64 // by main sector
	band                                map[models.SizeBand]float64
	ownership                           map[models.Ownership]float64
	secondSector, currentCert, expired  float64
	verifiedCert, verifiedFirm          float64
	nameEN, descriptionEN, inZone       float64
	secondSite, coordinates, exporting  float64
	recognised, branch, website, certs9 float64
	iatfInAuto                          float64
	autoFirms                           float64
}

func measureSample(firms []*models.Firm, now time.Time) sampleShares {
	s := sampleShares{n: float64(len(firms)), sector: map[string]float64{}, band: map[models.SizeBand]float64{},
		ownership: map[models.Ownership]float64{}}
	share := func(b bool) float64 {
		if b {
			return 1 / s.n
		}
		return 0
	}
	for _, f := range firms {
		sectors := f.TermCodes(models.KindSector)
		s.sector[sectors[0]] += share(true)
		s.secondSector += share(len(sectors) > 1)
		s.band[f.SizeBand()] += share(true)
		s.ownership[f.Ownership] += share(true)
		var current, expired, verified, iso9001, iatf bool
		for _, c := range f.Certificates {
			current = current || c.Current(now)
			expired = expired || !c.Current(now)
			verified = verified || c.Status(now) == models.CertVerified
			iso9001 = iso9001 || (c.Standard == "ISO 9001" && c.Current(now))
			iatf = iatf || c.Standard == "IATF 16949"
		}
		s.currentCert += share(current)
		s.expired += share(expired)
		s.verifiedCert += share(verified)
		s.certs9 += share(iso9001)
		if sectors[0] == "o-to" {
			s.autoFirms++
			if iatf {
				s.iatfInAuto++
			}
		}
		s.verifiedFirm += share(f.VerifiedAt != nil)
		s.nameEN += share(f.NameEN != "")
		s.descriptionEN += share(f.DescriptionEN != "")
		s.inZone += share(f.Sites[0].Zone != "")
		s.secondSite += share(len(f.Sites) > 1)
		s.coordinates += share(f.Sites[0].Latitude != nil)
		s.exporting += share(len(f.ExportMarkets) > 0)
		s.recognised += share(len(f.Recognitions) > 0)
		s.branch += share(strings.Contains(f.TaxCode, "-"))
		s.website += share(f.Website != "")
	}
	return s
}

func TestGenerateSampleDistribution(t *testing.T) {
	ref := builtinRef(t)
	now := time.Now()
	firms := Generate(ref, sampleSeed, 0, 950)
	s := measureSample(firms, now)
	for _, tc := range []struct {
		name    string
		got     float64
		lo, hi  float64
		comment string
	}{
		{"MechanicalEngineering", s.sector["co-khi"], 0.40, 0.50, "mostly mechanical engineering"},
		{"Electronics", s.sector["dien-tu"], 0.18, 0.26, ""},
		{"TextileGarment", s.sector["det-may"], 0.09, 0.15, ""},
		{"LeatherFootwear", s.sector["da-giay"], 0.05, 0.11, ""},
		{"Automobile", s.sector["o-to"], 0.06, 0.12, ""},
		{"HighTech", s.sector["cong-nghe-cao"], 0.02, 0.07, "a few high-tech"},
		{"SecondSector", s.secondSector, 0.12, 0.28, "some firms have a second sector"},
		{"Micro", s.band[models.SizeMicro], 0.21, 0.29, ""},
		{"Small", s.band[models.SizeSmall], 0.45, 0.55, "mostly small firms"},
		{"Medium", s.band[models.SizeMedium], 0.12, 0.18, ""},
		{"Large", s.band[models.SizeLarge], 0.07, 0.13, ""},
		{"Private", s.ownership[models.OwnershipPrivate], 0.72, 0.88, "ownership mostly private"},
		{"State", s.ownership[models.OwnershipState], 0.02, 0.08, ""},
		{"FDI", s.ownership[models.OwnershipFDI], 0.07, 0.16, ""},
		{"JointVenture", s.ownership[models.OwnershipJointVenture], 0.01, 0.07, ""},
		{"CurrentCertificate", s.currentCert, 0.30, 0.45, "a third to two fifths certified"},
		{"ISO9001", s.certs9, 0.25, 0.42, "ISO 9001 the most common"},
		{"SomeExpired", s.expired, 0.03, 0.12, ""},
		{"VerifiedCertificate", s.verifiedCert, 0.08, 0.25, "a share verified by the Department"},
		{"VerifiedFirm", s.verifiedFirm, 0.2, 0.5, ""},
		{"EnglishName", s.nameEN, 0.52, 0.68, "about 60% with an English name"},
		{"EnglishDescription", s.descriptionEN, 0.30, 0.50, "about 40% with an English description"},
		{"InParkOrCluster", s.inZone, 0.38, 0.52, "about 45% in a park or cluster"},
		{"SecondSite", s.secondSite, 0.03, 0.12, "a few firms with a second site"},
		{"Coordinates", s.coordinates, 0.42, 0.58, "about half placed on the map"},
		{"Exporting", s.exporting, 0.28, 0.42, "about 35% export"},
		{"KeyIndustrialProduct", s.recognised, 0.02, 0.08, "about 5% recognised"},
		{"Branch", s.branch, 0.003, 0.05, "a few branches"},
		{"Website", s.website, 0.5, 0.9, ""},
		{"IATFAmongAuto", s.iatfInAuto / s.autoFirms, 0.08, 0.4, "IATF 16949 for auto parts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Logf("%.1f%% %s", 100*tc.got, tc.comment)
			if tc.got < tc.lo || tc.got > tc.hi {
				t.Errorf("%.1f%%, want %.0f%%–%.0f%% (%s)", 100*tc.got, 100*tc.lo, 100*tc.hi, tc.comment)
			}
		})
	}

	t.Run("NamesVary", func(t *testing.T) {
		names, descriptions := map[string]bool{}, map[string]bool{}
		openings := map[string]bool{}
		for _, f := range firms {
			names[f.NameVI] = true
			descriptions[f.DescriptionVI] = true
			openings[strings.Join(strings.Fields(f.DescriptionVI)[:2], " ")] = true
		}
		if len(names) < 900 || len(descriptions) < 940 {
			t.Errorf("%d distinct names and %d distinct descriptions among 950", len(names), len(descriptions))
		}
		if len(openings) < 50 {
			t.Errorf("descriptions start in only %d ways", len(openings))
		}
	})
	t.Run("SpreadOverPlaces", func(t *testing.T) {
		districts, zones := map[string]bool{}, map[string]bool{}
		for _, f := range firms {
			districts[f.Sites[0].District] = true
			if f.Sites[0].Zone != "" {
				zones[f.Sites[0].Zone] = true
			}
		}
		if len(districts) < 20 || len(zones) < 15 {
			t.Errorf("firms sit in only %d districts and %d parks or clusters", len(districts), len(zones))
		}
	})
}

func TestGenerateSampleSaves(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	firms := Generate(s.Reference(), sampleSeed, 0, 950)
	ids, err := s.SaveFirms(ctx, firms)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 950 {
		t.Fatalf("%d firms written, want 950", len(ids))
	}
	if n, _ := s.CountFirms(ctx); n != 950 {
		t.Fatalf("%d firms stored", n)
	}
	if has, err := s.HasSampleData(ctx); err != nil || !has {
		t.Fatal("HasSampleData is false after saving sample firms")
	}
	want := firms[17]
	got, err := s.FirmByTaxCode(ctx, want.TaxCode)
	if err != nil {
		t.Fatal(err)
	}
	if got.NameVI != want.NameVI || len(got.Terms) != len(want.Terms) || len(got.Certificates) != len(want.Certificates) {
		t.Errorf("stored firm differs: %+v", got)
	}
	if len(got.MainSite().Corridors) == 0 && got.MainSite().District != "" {
		if d, _ := s.Reference().District(got.MainSite().District); len(d.Corridors) > 0 {
			t.Errorf("corridors were not derived for %s", d.NameVI)
		}
	}
	// The next firms of the stream go in after these without a clash.
	if _, err := s.SaveFirms(ctx, Generate(s.Reference(), sampleSeed, 950, 50)); err != nil {
		t.Fatal(err)
	}
}

// TestGenerateSampleLarge measures making and storing 100,000 firms. It takes minutes, so it
// runs only with PORTAL_SAMPLE_LARGE=1 (add -timeout 60m).
func TestGenerateSampleLarge(t *testing.T) {
	if os.Getenv("PORTAL_SAMPLE_LARGE") != "1" {
		t.Skip("set PORTAL_SAMPLE_LARGE=1 to generate and store 100,000 firms")
	}
	const total, batch = 100_000, 1000
	ctx := context.Background()
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var genTime, saveTime time.Duration
	for start := 0; start < total; start += batch {
		t0 := time.Now()
		firms := Generate(s.Reference(), sampleSeed, start, batch)
		t1 := time.Now()
		if _, err := s.SaveFirms(ctx, firms); err != nil {
			t.Fatalf("batch at %d: %v", start, err)
		}
		genTime += t1.Sub(t0)
		saveTime += time.Since(t1)
		if (start+batch)%10_000 == 0 {
			t.Logf("%d firms: generate %s, save %s", start+batch, genTime.Round(time.Millisecond), saveTime.Round(time.Millisecond))
		}
	}
	n, err := s.CountFirms(ctx)
	if err != nil || n != total {
		t.Fatalf("%d firms stored (%v)", n, err)
	}
	t.Logf("%d firms: generated in %s (%.0f/s), saved in %s (%.0f/s)", total, genTime.Round(time.Millisecond),
		total/genTime.Seconds(), saveTime.Round(time.Millisecond), total/saveTime.Seconds())
	matches, _ := filepath.Glob(filepath.Join(dir, store.DatabaseFile+"*"))
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil {
			t.Logf("%s: %.1f MB", filepath.Base(m), float64(fi.Size())/1e6)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	ref := builtinRef(b)
	for b.Loop() {
		Generate(ref, sampleSeed, 0, 1000)
	}
}
