package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// The dashboard counts today's figures from facts about every firm kept in memory: the terms it
// is filed under, its sites, its certificates and its key industrial product titles. Before each
// count the facts are brought up to date through the change feed: the firms written since (by
// any process) are read again, so a count is never older than the database it is taken from,
// and a change costs the reading of the firms it touched rather than a count over every table.
// All facts are read again only when the feed cannot say what changed: the reference data
// changed, or the entries since the last update were pruned.

// dashFirm is what the dashboard counts of one firm. Codes and texts are numbers given by
// dashFacts.id, so that counting is indexing.
type dashFirm struct {
	id        uint
	employees int
	ownership uint32
	terms     []uint32
	sites     []dashSite
	certs     []dashCert
	years     []int // one per recognition; 0 when its year is not known
}

type dashSite struct {
	district, zone uint32
	corridors      []uint32
	lat, lon       *float64
}

type dashCert struct {
	standard uint32
	expires  *models.Date
	void     bool // rejected or revoked
	verified bool
}

// dashFacts are the facts of every firm as of change seq under reference list ref, and what
// they last counted.
type dashFacts struct {
	mu    sync.Mutex
	seq   int64
	ref   *models.Reference // nil until the facts are first read
	firms []dashFirm
	at    map[uint]int // where a firm's facts are in firms
	tally *dashTally
	// codes are the texts numbered by id; codes[0] is "".
	codes []string
	ids   map[string]uint32
}

// id numbers a text, the same text always the same number.
func (f *dashFacts) id(s string) uint32 {
	if n, ok := f.ids[s]; ok {
		return n
	}
	if f.ids == nil {
		f.ids, f.codes = map[string]uint32{"": 0}, []string{""}
		if s == "" {
			return 0
		}
	}
	n := uint32(len(f.codes))
	f.codes = append(f.codes, s)
	f.ids[s] = n
	return n
}

// maxFactUpdate is how many changed firms are read again one by one; beyond it all are read.
const maxFactUpdate = 5000

// dashTally brings the facts up to date and returns what they count on day, under the facts'
// lock. What it returns is shared: read only. A reading that fails leaves the sequence number
// (and the reference list) as they were, so the next call reads the same firms again, all of
// them if this one was to.
func (s *Store) dashTally(ctx context.Context, day models.Date) (*dashTally, error) {
	f := &s.dashFacts
	f.mu.Lock()
	defer f.mu.Unlock()
	ref := s.Reference()
	last, err := s.LastChange(ctx)
	if err != nil {
		return nil, err
	}
	if f.ref != ref {
		if err := f.load(ctx, s.db, nil); err != nil {
			return nil, err
		}
		f.seq, f.ref, f.tally = last, ref, nil
	} else if last != f.seq {
		ids, whole, err := s.changedSince(ctx, f.seq, last)
		if err != nil {
			return nil, err
		}
		if whole {
			ids = nil
		}
		if err := f.load(ctx, s.db, ids); err != nil {
			return nil, err
		}
		f.seq, f.tally = last, nil
	}
	if f.tally == nil || f.tally.day != day {
		f.tally = f.count(ref, day)
	}
	return f.tally, nil
}

// changedSince lists the firms written or removed after change from up to change to, or says
// (whole) that the feed cannot tell: reference data changed, entries were pruned, or too many
// firms changed to read them one by one.
func (s *Store) changedSince(ctx context.Context, from, to int64) (ids []uint, whole bool, err error) {
	var rows []changeRow
	if err := s.db.WithContext(ctx).Where("seq > ? AND seq <= ?", from, to).Order("seq").Find(&rows).Error; err != nil {
		return nil, false, err
	}
	seqs := map[int64]bool{}
	seen := map[uint]bool{}
	for _, r := range rows {
		seqs[r.Seq] = true
		if r.Kind == changeReference {
			return nil, true, nil
		}
		if !seen[r.EntityID] {
			seen[r.EntityID] = true
			ids = append(ids, r.EntityID)
		}
	}
	// Every number of the counter is taken by a write that records at least one entry.
	if int64(len(seqs)) != to-from || len(ids) > maxFactUpdate {
		return nil, true, nil
	}
	return ids, false, nil
}

// load reads the facts of the firms ids again, or of every firm when ids is nil, in one read
// transaction. A firm of ids that is no longer in the database is forgotten.
func (f *dashFacts) load(ctx context.Context, db *gorm.DB, ids []uint) error {
	firms := map[uint]*dashFirm{}
	if ids == nil {
		f.codes, f.ids = nil, nil
	}
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, chunk := range chunkIDs(ids) {
			where, firmWhere := "", ""
			var args []any
			if chunk != nil {
				where, firmWhere, args = " WHERE firm_id IN ?", " WHERE id IN ?", []any{chunk}
			}
			err := scanRows(tx, "SELECT id, employees, ownership FROM firms"+firmWhere, args, func(r *sql.Rows) error {
				var id uint
				var emp sql.NullInt64
				var own sql.NullString
				if err := r.Scan(&id, &emp, &own); err != nil {
					return err
				}
				firms[id] = &dashFirm{id: id, employees: int(emp.Int64), ownership: f.id(own.String)}
				return nil
			})
			if err != nil {
				return err
			}
			err = scanRows(tx, "SELECT firm_id, term_code FROM firm_terms"+where, args, func(r *sql.Rows) error {
				var id uint
				var code string
				if err := r.Scan(&id, &code); err != nil {
					return err
				}
				if d := firms[id]; d != nil {
					d.terms = append(d.terms, f.id(code))
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = scanRows(tx, "SELECT firm_id, district, zone, corridors, latitude, longitude FROM sites"+where, args, func(r *sql.Rows) error {
				var id uint
				var district, zone sql.NullString
				var corridors models.StringList
				var st dashSite
				if err := r.Scan(&id, &district, &zone, &corridors, &st.lat, &st.lon); err != nil {
					return err
				}
				st.district, st.zone = f.id(district.String), f.id(zone.String)
				for _, c := range corridors {
					st.corridors = append(st.corridors, f.id(c))
				}
				if d := firms[id]; d != nil {
					d.sites = append(d.sites, st)
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = scanRows(tx, `SELECT firm_id, standard, expires, CASE WHEN c.state IN ('rejected', 'revoked') THEN 1 ELSE 0 END,
				CASE WHEN `+verifiedCert[len(" AND "):]+` THEN 1 ELSE 0 END FROM certificates c`+where, args, func(r *sql.Rows) error {
				var id uint
				var c dashCert
				var standard string
				var void, verified int
				if err := r.Scan(&id, &standard, &c.expires, &void, &verified); err != nil {
					return err
				}
				c.standard, c.void, c.verified = f.id(standard), void == 1, verified == 1
				if d := firms[id]; d != nil {
					d.certs = append(d.certs, c)
				}
				return nil
			})
			if err != nil {
				return err
			}
			err = scanRows(tx, "SELECT firm_id, year FROM recognitions"+where, args, func(r *sql.Rows) error {
				var id uint
				var year sql.NullInt64
				if err := r.Scan(&id, &year); err != nil {
					return err
				}
				if d := firms[id]; d != nil {
					d.years = append(d.years, int(year.Int64))
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	}, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: read the dashboard's facts: %w", err)
	}
	if ids == nil {
		f.firms, f.at = make([]dashFirm, 0, len(firms)), make(map[uint]int, len(firms))
	}
	for id, d := range firms {
		if i, ok := f.at[id]; ok {
			f.firms[i] = *d
		} else {
			f.at[id] = len(f.firms)
			f.firms = append(f.firms, *d)
		}
	}
	for _, id := range ids {
		if i, ok := f.at[id]; ok && firms[id] == nil {
			// The last firm takes the place of the one forgotten.
			last := len(f.firms) - 1
			f.at[f.firms[last].id] = i
			f.firms[i] = f.firms[last]
			f.firms = f.firms[:last]
			delete(f.at, id)
		}
	}
	return nil
}

// chunkIDs cuts ids into lists short enough for one IN clause; nil (every firm) stays one nil.
func chunkIDs(ids []uint) [][]uint {
	if ids == nil {
		return [][]uint{nil}
	}
	var out [][]uint
	for len(ids) > 0 {
		n := min(len(ids), 500)
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	return out
}

// scanRows runs a query and calls each for every row.
func scanRows(db *gorm.DB, q string, args []any, each func(*sql.Rows) error) error {
	rows, err := db.Raw(q, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// dashTally is what the facts count on one day: the figures, and the maps by former district
// and by park.
type dashTally struct {
	day     models.Date
	figures *DashboardFigures
	places  map[string][]MapPoint
}

// place sums the sites of a place on the map.
type place struct {
	firms      int
	lat, lon   float64
	nLat, nLon int
}

func (p *place) add(st dashSite) {
	if st.lat != nil {
		p.lat += *st.lat
		p.nLat++
	}
	if st.lon != nil {
		p.lon += *st.lon
		p.nLon++
	}
}

// count counts the figures of day from the facts, as dashboardCount counts them from the tables,
// and places the firms on the maps, as dashboardMap did from the tables: by former district and
// by park, each at the mean of its sites' coordinates.
func (f *dashFacts) count(ref *models.Reference, day models.Date) *dashTally {
	out := &DashboardFigures{Day: day, By: map[string][]DimCount{}, Firms: len(f.firms)}
	// What each code means under ref: the sector a term implies, the standard a certificate's
	// text counts under (0 for none).
	sectorOf, standardOf := make([]uint32, len(f.codes)), make([]uint32, len(f.codes))
	for i, code := range slices.Clone(f.codes) {
		if t, ok := ref.Term(code); ok {
			if t.Kind == models.KindSector {
				sectorOf[i] = uint32(i)
			} else if p, ok := ref.Term(t.Parent); ok && p.Kind == models.KindSector {
				sectorOf[i] = f.id(p.Code)
			}
		}
		st, ok := ref.Standard(code)
		if !ok {
			st, ok = ref.ResolveStandard(code)
		}
		if ok && code != "" {
			standardOf[i] = f.id(st.Code)
		}
	}
	n := len(f.codes)
	terms, sectors, districts, zones := make([]int, n), make([]int, n), make([]int, n), make([]int, n)
	corridors, owners, certs := make([]int, n), make([]int, n), make([]int, n)
	sizes := map[string]int{}
	yearFirms, yearProducts := map[int]int{}, map[int]int{}
	byDistrict, byZone := make([]place, n), make([]place, n)
	// distinct adds one to counts for each code of keys, counting a code once.
	distinct := func(counts []int, keys []uint32) {
		for i, k := range keys {
			if k != 0 && !slices.Contains(keys[:i], k) {
				counts[k]++
			}
		}
	}
	var keys []uint32
	for i := range f.firms {
		d := &f.firms[i]
		keys = keys[:0]
		for _, t := range d.terms {
			terms[t]++
			keys = append(keys, sectorOf[t])
		}
		distinct(sectors, keys)
		keys = keys[:0]
		for _, st := range d.sites {
			keys = append(keys, st.district)
			byDistrict[st.district].add(st)
		}
		distinct(districts, keys)
		keys = keys[:0]
		for _, st := range d.sites {
			keys = append(keys, st.zone)
			byZone[st.zone].add(st)
		}
		distinct(zones, keys)
		keys = keys[:0]
		for _, st := range d.sites {
			keys = append(keys, st.corridors...)
		}
		distinct(corridors, keys)
		if band := models.SizeBandOf(d.employees); band != models.SizeNone {
			sizes[string(band)]++
		}
		owners[d.ownership]++
		certified, verified := false, false
		keys = keys[:0]
		for _, c := range d.certs {
			code := standardOf[c.standard]
			if code == 0 || c.void || (c.expires != nil && c.expires.Before(day.Time)) {
				continue
			}
			certified = true
			verified = verified || c.verified
			keys = append(keys, code)
		}
		distinct(certs, keys)
		if certified {
			out.Certified++
		}
		if verified {
			out.VerifiedCertified++
		}
		if len(d.years) > 0 {
			out.SPCNCL++
		}
		for i, y := range d.years {
			if y > 0 {
				yearProducts[y]++
				if !slices.Contains(d.years[:i], y) {
					yearFirms[y]++
				}
			}
		}
	}
	// byCode lists the codes counted, in the order of their text.
	byCode := func(counts []int) []DimCount {
		var out []DimCount
		for i, c := range counts {
			if c > 0 && i > 0 {
				out = append(out, DimCount{Key: f.codes[i], Firms: c})
			}
		}
		slices.SortFunc(out, func(a, b DimCount) int { return strings.Compare(a.Key, b.Key) })
		return out
	}
	for _, tc := range byCode(terms) {
		if t, ok := ref.Term(tc.Key); ok && (t.Kind == models.KindProduct || t.Kind == models.KindProcess) {
			out.By[string(t.Kind)] = append(out.By[string(t.Kind)], tc)
		}
	}
	for _, sec := range ref.TermsOfKind(models.KindSector) {
		if id, ok := f.ids[sec.Code]; ok && int(id) < n && sectors[id] > 0 {
			out.By[DimSector] = append(out.By[DimSector], DimCount{Key: sec.Code, Firms: sectors[id]})
		}
	}
	for _, c := range ref.Corridors {
		if id, ok := f.ids[c.Code]; ok && int(id) < n && corridors[id] > 0 {
			out.By[DimCorridor] = append(out.By[DimCorridor], DimCount{Key: c.Code, Firms: corridors[id]})
		}
	}
	out.By[DimDistrict], out.By[DimZone], out.By[DimOwnership], out.By[DimCert] = byCode(districts), byCode(zones), byCode(owners), byCode(certs)
	for _, k := range slices.Sorted(maps.Keys(sizes)) {
		out.By[DimSize] = append(out.By[DimSize], DimCount{Key: k, Firms: sizes[k]})
	}
	for _, y := range slices.Sorted(maps.Keys(yearProducts)) {
		out.Recognitions = append(out.Recognitions, YearCount{Year: y, Firms: yearFirms[y], Products: yearProducts[y]})
	}
	return &dashTally{day: day, figures: out, places: map[string][]MapPoint{
		DimDistrict: f.mapOf(byDistrict, districts), DimZone: f.mapOf(byZone, zones)}}
}

// mapOf is the map of the places summed, with the firms counted at each.
func (f *dashFacts) mapOf(places []place, firms []int) []MapPoint {
	var out []MapPoint
	for k, a := range places {
		if k == 0 || firms[k] == 0 {
			continue
		}
		p := MapPoint{Key: f.codes[k], Firms: firms[k]}
		if a.nLat > 0 {
			lat := a.lat / float64(a.nLat)
			p.Lat = &lat
		}
		if a.nLon > 0 {
			lon := a.lon / float64(a.nLon)
			p.Lon = &lon
		}
		p.HasPlace = p.Lat != nil && p.Lon != nil
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b MapPoint) int { return strings.Compare(a.Key, b.Key) })
	return out
}
