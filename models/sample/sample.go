package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Generate returns firms start to start+n-1 of the fictional sample stream for seed. Firm i
// is the same whatever start and n are, so a database can be extended later (start = the number
// already made) without clashes: every i below 100,000,000 has its own tax code, and the first ten
// million use the block 019xxxxxxx, far above the codes Hanoi has issued, so a sample firm never
// takes the tax code of a real one. Dates (certificates, verification) are laid out around today
// (UTC), so a new database looks current whenever it is made; for output that never changes, use
// GenerateAsOf.
func Generate(ref *models.Reference, seed int64, start, n int) []*models.Firm {
	return GenerateAsOf(ref, seed, start, n, time.Now())
}

// GenerateAsOf is Generate with the day the data is made as of; firms made as of the
// same day are identical. asOf must not be in the future, or certificates would be issued after
// the day they are checked.
func GenerateAsOf(ref *models.Reference, seed int64, start, n int, asOf time.Time) []*models.Firm {
	if start < 0 {
		n, start = n+start, 0
	}
	w := newSampleWorld(ref, asOf)
	out := make([]*models.Firm, 0, max(n, 0))
	for i := start; i < start+n; i++ {
		out = append(out, w.firm(seed, i))
	}
	return out
}

// sampleTaxCode maps firm i to a 10-digit Hanoi-style code. Within each block of ten million the
// offset is scrambled by an affine map that is a bijection modulo 10^7 (the multiplier is prime to
// 10), so codes look unordered yet never repeat; the blocks count down from 019 so the first ten
// million firms stay clear of the 010/011 codes in real use.
func sampleTaxCode(i int) string {
	const block = 10_000_000
	b, off := i/block, i%block
	scrambled := (off*7_919_231 + 4_815_162) % block
	return fmt.Sprintf("01%08d", (90_000_000+b*block+scrambled)%100_000_000)
}

// sampleRand gives each firm its own generator, so firm i does not depend on the firms before it.
func sampleRand(seed int64, i int) *rand.Rand {
	s1 := splitmix(uint64(seed) ^ splitmix(uint64(i)))
	s2 := splitmix(uint64(i) + 0x9e3779b97f4a7c15)
	return rand.New(rand.NewPCG(s1, s2))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sampleFirm carries the choices made for one firm while its text is written.
type sampleFirm struct {
	*models.Firm
	r         *rand.Rand
	sector    *sampleSector
	second    *sampleSector
	products  []sampleProduct
	processes []models.Term
	materials []models.Term
	english   bool // writes a description in English
	branch    bool
	trade     phrase
	core      phrase // trade words and distinctive name: "Cơ khí Chính xác Thăng Long"
	place     string // where the main site is, for the text
	placeEN   string
	machines  []phrase
	customers []phrase
	qc        phrase
}

// foreignOwned reports whether foreign capital is behind the firm, which makes it likelier to sit
// in a park, export, hold certificates and write in English.
func (sf *sampleFirm) foreignOwned() bool {
	return sf.Ownership == models.OwnershipFDI || sf.Ownership == models.OwnershipJointVenture
}

// firm makes sample firm i. Each step draws from the firm's own generator, so the steps keep this
// order: moving one would change every firm made after it for the same seed.
func (w *sampleWorld) firm(seed int64, i int) *models.Firm {
	r := sampleRand(seed, i)
	sf := &sampleFirm{Firm: &models.Firm{TaxCode: sampleTaxCode(i), Sample: true}, r: r}
	if len(w.sectors) == 0 {
		sf.NameVI = "Công ty TNHH Mẫu " + sf.TaxCode
		return sf.Firm
	}
	w.chooseSectors(sf)
	w.chooseSize(sf)
	w.chooseTerms(sf)
	w.chooseName(sf)
	w.chooseSites(sf)
	w.chooseCertificates(sf)
	w.chooseCustomers(sf)
	w.chooseContact(sf)
	w.writeDescriptions(sf)
	chooseCapacity(sampleRand(seed^0x5ca1ab1e, i), sf.Firm)
	return sf.Firm
}

func (w *sampleWorld) chooseSectors(sf *sampleFirm) {
	weights := make([]float64, len(w.sectors))
	for i, s := range w.sectors {
		weights[i] = s.profile.share
	}
	sf.sector = w.sectors[pickWeighted(sf.r, weights)]
	if len(sf.sector.partners) > 0 && sf.r.Float64() < 0.2 {
		sf.second = sf.sector.partners[sf.r.IntN(len(sf.sector.partners))]
	}
}

func (w *sampleWorld) chooseSize(sf *sampleFirm) {
	r := sf.r
	u := r.Float64()
	var ownership []float64 // private, state, fdi, jv
	switch {
	case u < 0.25:
		sf.Employees = 3 + r.IntN(8)
		ownership = []float64{95, 1, 3, 1}
	case u < 0.75:
		sf.Employees = 11 + int(90*math.Pow(r.Float64(), 1.7))
		ownership = []float64{85, 4, 8, 3}
	case u < 0.90:
		sf.Employees = 101 + r.IntN(100)
		ownership = []float64{65, 8, 20, 7}
	default:
		sf.Employees = 201 + int(2800*math.Pow(r.Float64(), 3))
		ownership = []float64{45, 12, 35, 8}
	}
	sf.Ownership = models.Ownerships[pickWeighted(r, ownership)]
	last := min(2024, w.asOf.Year())
	switch sf.Ownership {
	case models.OwnershipState:
		sf.FoundedYear = 1990 + r.IntN(16)
	case models.OwnershipFDI, models.OwnershipJointVenture:
		sf.FoundedYear = 1996 + r.IntN(max(last-1996+1, 1))
	default:
		// Most private firms were founded after the 2000 Enterprise Law; a triangular spread
		// centred on the late 2000s.
		sf.FoundedYear = 1993 + int(float64(last-1993+1)*(r.Float64()+r.Float64())/2)
	}
	sf.FoundedYear = min(sf.FoundedYear, last)
}

// shuffled returns a shuffled copy of xs, leaving the profile tables it is given untouched.
func shuffled[T any](r *rand.Rand, xs []T) []T {
	out := append([]T(nil), xs...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// pickWeighted returns an index drawn with the given weights; all-zero weights draw uniformly.
func pickWeighted(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, x := range weights {
		total += x
	}
	if total <= 0 {
		return r.IntN(len(weights))
	}
	u := r.Float64() * total
	for i, x := range weights {
		if u < x {
			return i
		}
		u -= x
	}
	return len(weights) - 1
}

func choose[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func firstN[T any](xs []T, n int) []T { return xs[:min(n, len(xs))] }

func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	idx := r.Perm(len(xs))
	out := make([]T, 0, n)
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

// chooseCapacity gives half the firms a lead time and lot sizes. It draws from its own stream,
// so the rest of each firm stays what it was before firms had capacity.
func chooseCapacity(r *rand.Rand, f *models.Firm) {
	if r.Float64() < 0.5 {
		return
	}
	f.LeadTimeDays = 7 + 7*r.IntN(6)
	f.LotSizes = choose(r, []string{"từ 500 chiếc", "1.000–10.000 chiếc", "từ 100 chiếc", "mẫu thử và loạt nhỏ", "từ 5.000 chiếc"})
}
