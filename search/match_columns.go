package search

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/hanoi-cnht/portal/models"
)

// Matching a requirement decides every criterion from the index: the facet columns say which
// firms are filed under a term, hold a certificate, lie in a place, have a size or ownership or
// export somewhere; the match field (fieldMatchFacts) holds the rest a criterion is judged on, read
// into memory once per segment like the facet columns: the concepts a firm's own text names
// (what makes a term partly met), the years of its SPCNCL titles, whether it names any export
// market, its tax code (the last key of the ranking), the coordinates of its sites and the
// machines it lists. Only the page shown is then loaded from the database, for the evidence.

// Values of the match field, each a prefix and what follows it.
const (
	matchMentioned = "m:" // a concept the firm's own text names
	matchYear      = "y:" // the year of a key industrial product title
	matchMarkets   = "x"  // the firm names at least one export market
	matchTaxCode   = "t:"
	matchPoint     = "p:" // a site's "latitude,longitude"
	matchMachine   = "e:" // a machine's type and specification, as EquipmentNeed reads them
)

// addMatchFacts fills the match field. mentioned are the concepts that make a term partly met.
func (d *firmDoc) addMatchFacts(f *models.Firm, mentioned []string) {
	for _, c := range mentioned {
		d.Match = append(d.Match, matchMentioned+c)
	}
	for _, r := range f.Recognitions {
		d.Match = appendUnique(d.Match, matchYear+strconv.Itoa(r.Year))
	}
	if len(f.ExportMarkets) > 0 {
		d.Match = append(d.Match, matchMarkets)
	}
	d.Match = append(d.Match, matchTaxCode+f.TaxCode)
	for _, s := range f.Sites {
		if s.Latitude != nil && s.Longitude != nil {
			d.Match = appendUnique(d.Match, matchPoint+strconv.FormatFloat(*s.Latitude, 'g', -1, 64)+","+
				strconv.FormatFloat(*s.Longitude, 'g', -1, 64))
		}
	}
	for _, m := range f.Equipment {
		d.Match = appendUnique(d.Match, matchMachine+machineKey(m))
	}
}

// machineKey is what EquipmentNeed.Matches and Quantity read of a machine: its type and
// specification.
func machineKey(m models.Equipment) string { return m.MachineType + "\x1f" + m.Spec }

// machineOf reads a machineKey back.
func machineOf(key string) models.Equipment {
	typ, spec, _ := strings.Cut(key, "\x1f")
	return models.Equipment{MachineType: typ, Spec: spec}
}

// matchColumns are the match field of one segment, indexed by the segment's document numbers.
type matchColumns struct {
	mentioned map[string]*roaring.Bitmap
	years     map[int]*roaring.Bitmap
	markets   *roaring.Bitmap
	taxCode   []string
	// Document d's sites are at lat[points[d]:points[d+1]] and lon[…].
	points   []uint32
	lat, lon []float64
	// Document d's machines are machines[machineAt[d]:machineAt[d+1]], indexes into texts.
	machineAt []uint32
	machines  []uint32
	texts     []string

	mu    sync.Mutex
	needs map[string]*machineColumn
}

// machineColumn is how the documents of a segment stand on one kind of machine in one unit.
type machineColumn struct {
	listed *roaring.Bitmap // a machine of the kind is listed
	most   []float64       // the largest amount in the unit a listed one states; NaN when none
}

// maxMachineColumns bounds how many kinds of machine a segment remembers.
const maxMachineColumns = 64

func buildMatchColumns(seg segment.Segment) (*matchColumns, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, fmt.Errorf("search: index segment %T has no doc values", seg)
	}
	n := seg.Count()
	c := &matchColumns{mentioned: map[string]*roaring.Bitmap{}, years: map[int]*roaring.Bitmap{},
		markets: roaring.New(), taxCode: make([]string, n), points: make([]uint32, n+1),
		machineAt: make([]uint32, n+1), needs: map[string]*machineColumn{}}
	textID := map[string]uint32{}
	var (
		doc   uint64
		state segment.DocVisitState
		err   error
	)
	add := func(m map[string]*roaring.Bitmap, k string) {
		b := m[k]
		if b == nil {
			b = roaring.New()
			m[k] = b
		}
		b.Add(uint32(doc))
	}
	visit := func(_ string, term []byte) {
		v := string(term)
		switch {
		case strings.HasPrefix(v, matchMentioned):
			add(c.mentioned, v[len(matchMentioned):])
		case strings.HasPrefix(v, matchYear):
			if y, err := strconv.Atoi(v[len(matchYear):]); err == nil {
				b := c.years[y]
				if b == nil {
					b = roaring.New()
					c.years[y] = b
				}
				b.Add(uint32(doc))
			}
		case v == matchMarkets:
			c.markets.Add(uint32(doc))
		case strings.HasPrefix(v, matchTaxCode):
			c.taxCode[doc] = v[len(matchTaxCode):]
		case strings.HasPrefix(v, matchPoint):
			lat, lon, ok := strings.Cut(v[len(matchPoint):], ",")
			la, err1 := strconv.ParseFloat(lat, 64)
			lo, err2 := strconv.ParseFloat(lon, 64)
			if ok && err1 == nil && err2 == nil {
				c.lat, c.lon = append(c.lat, la), append(c.lon, lo)
			}
		case strings.HasPrefix(v, matchMachine):
			text := v[len(matchMachine):]
			id, ok := textID[text]
			if !ok {
				id = uint32(len(c.texts))
				textID[text] = id
				c.texts = append(c.texts, text)
			}
			c.machines = append(c.machines, id)
		}
	}
	fields := []string{fieldMatchFacts}
	for doc = 0; doc < n; doc++ {
		if state, err = dv.VisitDocValues(doc, fields, visit, state); err != nil {
			return nil, fmt.Errorf("search: read document %d of a segment: %w", doc, err)
		}
		c.points[doc+1] = uint32(len(c.lat))
		c.machineAt[doc+1] = uint32(len(c.machines))
	}
	for _, b := range c.mentioned {
		b.RunOptimize()
	}
	return c, nil
}

// machine returns how the segment's documents stand on need's kind of machine in need's unit.
func (c *matchColumns) machine(need *models.EquipmentNeed) *machineColumn {
	key := need.Machine + "\x00" + need.Unit
	c.mu.Lock()
	defer c.mu.Unlock()
	if mc := c.needs[key]; mc != nil {
		return mc
	}
	kinds := make([]bool, len(c.texts))
	amounts := make([]float64, len(c.texts))
	for i, t := range c.texts {
		m := machineOf(t)
		kinds[i] = need.Matches(m)
		amounts[i] = math.NaN()
		if kinds[i] && need.Unit != "" {
			if q, ok := need.Quantity(m, need.Unit); ok {
				amounts[i] = q
			}
		}
	}
	n := len(c.machineAt) - 1
	mc := &machineColumn{listed: roaring.New(), most: make([]float64, n)}
	for d := range n {
		mc.most[d] = math.NaN()
		for _, id := range c.machines[c.machineAt[d]:c.machineAt[d+1]] {
			if !kinds[id] {
				continue
			}
			mc.listed.Add(uint32(d))
			if q := amounts[id]; !math.IsNaN(q) && (math.IsNaN(mc.most[d]) || q > mc.most[d]) {
				mc.most[d] = q
			}
		}
	}
	if len(c.needs) >= maxMachineColumns {
		clear(c.needs)
	}
	c.needs[key] = mc
	return mc
}

// matchColumnCache keeps the match columns of the segments being matched, as columnCache keeps
// the facet columns.
type matchColumnCache struct {
	mu      sync.Mutex
	entries map[segment.Segment]*matchColumnEntry
	views   uint64
}

type matchColumnEntry struct {
	once     sync.Once
	cols     *matchColumns
	err      error
	lastUsed uint64
}

// of returns the match columns of each segment of v, building those not seen before.
func (cc *matchColumnCache) of(v *view) ([]*matchColumns, error) {
	cc.mu.Lock()
	if cc.entries == nil {
		cc.entries = map[segment.Segment]*matchColumnEntry{}
	}
	cc.views++
	entries := make([]*matchColumnEntry, len(v.segs))
	for i, sv := range v.segs {
		sg := sv.snap.Segment()
		e := cc.entries[sg]
		if e == nil {
			e = &matchColumnEntry{}
			cc.entries[sg] = e
		}
		e.lastUsed, entries[i] = cc.views, e
	}
	for sg, e := range cc.entries {
		if cc.views-e.lastUsed > columnsKeptFor {
			delete(cc.entries, sg)
		}
	}
	cc.mu.Unlock()

	out := make([]*matchColumns, len(v.segs))
	for i, e := range entries {
		sg := v.segs[i].snap.Segment()
		e.once.Do(func() { e.cols, e.err = buildMatchColumns(sg) })
		if e.err != nil {
			cc.mu.Lock()
			delete(cc.entries, sg)
			cc.mu.Unlock()
			return nil, e.err
		}
		out[i] = e.cols
	}
	return out, nil
}

// criterionSets are the documents of one segment that meet a criterion and those that partly
// meet it; the rest do not meet it or the profile does not say.
type criterionSets struct {
	met, partly *roaring.Bitmap
}

// setsOf decides criterion c for the documents of segment sv, exactly as evaluator.judge
// would from the firms (TestMatchIndexAgreesWithProfiles checks that they agree).
func setsOf(sv segmentView, mc *matchColumns, c models.Criterion) criterionSets {
	facet := func(field string, values ...string) *roaring.Bitmap { return sv.anyOf(field, values) }
	empty := roaring.New()
	switch c.Kind {
	case models.CriterionSector, models.CriterionProduct, models.CriterionProcess, models.CriterionMaterial:
		met := facet(string(c.Kind), c.Code)
		partly := empty
		if b := mc.mentioned[c.Code]; b != nil {
			partly = roaring.AndNot(b, met)
		}
		return criterionSets{met, partly}
	case models.CriterionCert:
		if c.Verified {
			met := facet(fieldCertVerified, c.Code)
			return criterionSets{met, roaring.AndNot(facet(fieldCert, c.Code), met)}
		}
		return criterionSets{facet(fieldCert, c.Code), empty}
	case models.CriterionCorridor, models.CriterionDistrict, models.CriterionZone, models.CriterionOwnership:
		return criterionSets{facet(string(c.Kind), c.Code), empty}
	case models.CriterionSize:
		var next []string
		for i, b := range models.SizeBands {
			if string(b) == c.Code {
				if i > 0 {
					next = append(next, string(models.SizeBands[i-1]))
				}
				if i+1 < len(models.SizeBands) {
					next = append(next, string(models.SizeBands[i+1]))
				}
			}
		}
		return criterionSets{facet(fieldSize, c.Code), facet(fieldSize, next...)}
	case models.CriterionSPCNCL:
		titled := facet(fieldSPCNCL, "yes")
		if c.Year == 0 {
			return criterionSets{titled, empty}
		}
		met := empty
		if b := mc.years[c.Year]; b != nil {
			met = b
		}
		return criterionSets{met, roaring.AndNot(titled, met)}
	case models.CriterionMarket:
		met := facet(fieldMarket, c.Code)
		return criterionSets{met, roaring.AndNot(mc.markets, met)}
	case models.CriterionNear:
		return mc.near(c.Near)
	case models.CriterionEquipment:
		if c.Equipment == nil {
			return criterionSets{empty, empty}
		}
		m := mc.machine(c.Equipment)
		if c.Equipment.Unit == "" {
			return criterionSets{m.listed, empty}
		}
		met := roaring.New()
		it := m.listed.Iterator()
		for it.HasNext() {
			d := it.Next()
			if q := m.most[d]; !math.IsNaN(q) && q >= c.Equipment.Min {
				met.Add(d)
			}
		}
		return criterionSets{met, empty}
	}
	return criterionSets{empty, empty}
}

// near: met by a site within the distance, partly by one within partlyNearFactor as far.
func (c *matchColumns) near(n *models.Near) criterionSets {
	out := criterionSets{roaring.New(), roaring.New()}
	if n == nil {
		return out
	}
	far := n.Km * partlyNearFactor
	// A degree of latitude is never shorter than 110 km: sites further north or south than
	// that are out of reach without computing the distance.
	span := far/110 + 1e-6
	for d := 0; d+1 < len(c.points); d++ {
		best := math.Inf(1)
		for i := c.points[d]; i < c.points[d+1]; i++ {
			if math.Abs(c.lat[i]-n.Lat) > span {
				continue
			}
			best = min(best, distanceKm(n.Lat, n.Lon, c.lat[i], c.lon[i]))
		}
		switch {
		case best <= n.Km:
			out.met.Add(uint32(d))
		case best <= far:
			out.partly.Add(uint32(d))
		}
	}
	return out
}
