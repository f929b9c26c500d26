package exchange

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Certificate entries: "ISO 9001:2015 (2027-06-30, issued 2024-06-30, no. QMS-1, by QUACERT,
// scope TEXT, verified 2025-01-10)"; every part inside the parentheses is optional.
type certDetail int

const (
	detailNone certDetail = iota
	detailExpires
	detailIssued
	detailNumber
	detailIssuer
	detailScope
	detailVerified
	detailAccreditation
	detailVerifiedBy
	detailMethod
	detailNote
	detailState
)

// certKeywords start the parts inside a certificate's parentheses, in English and Vietnamese;
// longer keywords are tried first so "cấp bởi" (issuer) wins over "cấp" (issued).
var certKeywords = func() []struct {
	words  int
	key    string
	detail certDetail
} {
	var out []struct {
		words  int
		key    string
		detail certDetail
	}
	for d, kws := range map[certDetail][]string{
		detailExpires:       {"expires", "expiry", "valid until", "hết hạn", "hiệu lực đến", "có hiệu lực đến"},
		detailIssued:        {"issued", "issued on", "cấp", "cấp ngày", "ngày cấp"},
		detailNumber:        {"no.", "number", "số", "số hiệu"},
		detailIssuer:        {"by", "issuer", "issued by", "bởi", "cấp bởi", "tổ chức cấp", "đơn vị cấp"},
		detailScope:         {"scope", "phạm vi"},
		detailVerified:      {"verified", "xác minh", "đã xác minh", "verified on"},
		detailAccreditation: {"accredited by", "công nhận bởi"},
		detailVerifiedBy:    {"verified by", "xác minh bởi"},
		detailMethod:        {"method", "cách xác minh"},
		detailNote:          {"note", "ghi chú"},
		detailState:         {"status", "trạng thái"},
	} {
		for _, k := range kws {
			key := models.FoldKey(k)
			out = append(out, struct {
				words  int
				key    string
				detail certDetail
			}{len(strings.Fields(key)), key, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].words != out[j].words {
			return out[i].words > out[j].words
		}
		return out[i].key < out[j].key
	})
	return out
}()

var dateLike = regexp.MustCompile(`^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}$`)

// parseCellDate reads YYYY-MM-DD, or DD/MM/YYYY as Vietnamese papers write dates.
func parseCellDate(s string) (*models.Date, error) {
	for _, layout := range []string{"2006-1-2", "2/1/2006", "2-1-2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &models.Date{Time: t}, nil
		}
	}
	return nil, fmt.Errorf("%q is not a date; write YYYY-MM-DD", s)
}

// cutWords splits s after its first n space-separated words.
func cutWords(s string, n int) (head, rest string, ok bool) {
	i := 0
	for w := 0; w < n; w++ {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == len(s) {
			return "", "", false
		}
		for i < len(s) && s[i] != ' ' {
			i++
		}
	}
	return s[:i], strings.TrimSpace(s[i:]), true
}

// classifyPart says which detail a part inside the parentheses gives, and its value.
func classifyPart(p string) (certDetail, string) {
	if dateLike.MatchString(p) {
		return detailExpires, p
	}
	for _, kw := range certKeywords {
		head, rest, ok := cutWords(p, kw.words)
		if ok && models.FoldKey(head) == kw.key && rest != "" {
			return kw.detail, rest
		}
	}
	return detailNone, ""
}

type parsedCert struct {
	cert  models.Certificate
	given map[certDetail]bool
}

var editionPattern = regexp.MustCompile(`^[0-9][0-9A-Za-z+./-]*$`)

// certificate reads one entry of the certifications cell.
func (imp *rowImporter) certificate(ir *importRow, entry string) (parsedCert, bool) {
	pc := parsedCert{given: map[certDetail]bool{}}
	base := entry
	var parts []string
	if open := matchingOpen(entry); open >= 0 {
		parts = splitTopLevel(entry[open+1:len(entry)-1], ',')
		if d, _ := classifyPart(strings.TrimSpace(parts[0])); d != detailNone {
			base = strings.TrimSpace(entry[:open])
		} else {
			if _, known := imp.resolveStandard(strings.TrimSpace(entry[:open])); known {
				imp.unclearCertPart(ir, entry, strings.TrimSpace(parts[0]))
				return pc, false
			}
			parts = nil
		}
	}
	std, known := imp.resolveStandard(base)
	pc.cert.Standard, pc.cert.Edition = std.Code, std.CurrentEdition
	if !known && base != "" {
		imp.found.warn(ir.num, "certifications", entry, "%q is not a known standard; it was kept as written", pc.cert.Label())
	}

	ok := true
	var last certDetail
	values := map[certDetail]string{}
	for _, raw := range parts {
		p := strings.TrimSpace(raw)
		d, v := classifyPart(p)
		if d == detailNone || pc.given[d] {
			// Text after a comma belongs to the part before it when that part is text
			// ("by TÜV Rheinland Vietnam Co., Ltd.").
			if last == detailNumber || last == detailIssuer || last == detailScope {
				values[last] += "," + raw
				continue
			}
			imp.unclearCertPart(ir, entry, p)
			ok = false
			continue
		}
		pc.given[d], values[d], last = true, v, d
	}
	for d, v := range values {
		v = strings.TrimSpace(v)
		switch d {
		case detailNumber:
			pc.cert.Number = v
		case detailIssuer:
			pc.cert.Issuer = v
		case detailScope:
			pc.cert.Scope = v
		case detailAccreditation:
			pc.cert.AccreditationBody = v
		case detailVerifiedBy:
			pc.cert.VerifiedBy = v
		case detailMethod:
			pc.cert.VerificationMethod = v
		case detailNote:
			pc.cert.DecisionNote = v
		case detailState:
			switch st := models.CertificateStatus(strings.ToLower(v)); st {
			case models.CertRejected, models.CertRevoked, models.CertVerified, models.CertClaimed:
				pc.cert.State = st
			default:
				imp.found.problem(ir.num, "certifications", entry, "status %q must be claimed, verified, rejected or revoked", v)
				ok = false
			}
		case detailVerified:
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				t = t.UTC()
				pc.cert.VerifiedAt = &t
				continue
			}
			fallthrough
		case detailExpires, detailIssued:
			date, err := parseCellDate(v)
			if err != nil {
				imp.found.problem(ir.num, "certifications", entry, "%v", err)
				ok = false
				continue
			}
			switch d {
			case detailExpires:
				pc.cert.Expires = date
			case detailIssued:
				pc.cert.IssuedOn = date
			default:
				t := date.Time
				pc.cert.VerifiedAt = &t
			}
		}
	}
	return pc, ok
}

// unclearCertPart reports a part inside a certificate's parentheses that names no detail, with
// the forms the parts may take.
func (imp *rowImporter) unclearCertPart(ir *importRow, entry, part string) {
	imp.found.problem(ir.num, "certifications", entry, "%q in parentheses is not understood; write a date (the expiry), "+
		"\"issued YYYY-MM-DD\", \"no. NUMBER\", \"by ISSUER\", \"scope TEXT\" or \"verified YYYY-MM-DD\", separated by commas", part)
}

// resolveStandard reads "ISO 9001:2015" as a standard and edition. An unknown standard comes back
// as written (split from its edition) with known false.
func (imp *rowImporter) resolveStandard(text string) (models.Standard, bool) {
	name, edition := text, ""
	if i := strings.LastIndex(text, ":"); i > 0 && editionPattern.MatchString(strings.TrimSpace(text[i+1:])) {
		name, edition = strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:])
	}
	if s, ok := imp.ref.ResolveStandard(name); ok {
		return models.Standard{Code: s.Code, CurrentEdition: edition}, true
	}
	if s, ok := imp.ref.ResolveStandard(text); ok && edition != "" {
		return models.Standard{Code: s.Code, CurrentEdition: edition}, true
	}
	return models.Standard{Code: name, CurrentEdition: edition}, false
}

// matchingOpen returns the index of the "(" that the ")" ending s closes, or -1.
func matchingOpen(s string) int {
	if !strings.HasSuffix(s, ")") {
		return -1
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// certificates reads the certifications cell. A stored certificate of the same standard (and
// edition, when both name one) keeps its number, issuer, issue date, scope, verification and
// evidence where the file does not give them; expiry and edition are what the file says.
func (imp *rowImporter) certificates(ir *importRow, v string, olds []models.Certificate) ([]models.Certificate, []string) {
	certs := []models.Certificate{}
	var texts []string
	used := make([]bool, len(olds))
	for _, entry := range splitTopLevel(v, ';') {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		pc, ok := imp.certificate(ir, entry)
		if !ok {
			continue
		}
		c := pc.cert
		for i, o := range olds {
			if used[i] || o.Standard != c.Standard || (o.Edition != c.Edition && o.Edition != "" && c.Edition != "") {
				continue
			}
			used[i] = true
			if !pc.given[detailNumber] {
				c.Number = o.Number
			}
			if !pc.given[detailIssuer] {
				c.Issuer = o.Issuer
			}
			if !pc.given[detailIssued] {
				c.IssuedOn = o.IssuedOn
			}
			if !pc.given[detailScope] {
				c.Scope = o.Scope
			}
			// A verification date in the file that matches the stored one keeps its time of day.
			if !pc.given[detailVerified] || (o.VerifiedAt != nil && o.VerifiedAt.UTC().Format(time.DateOnly) == c.VerifiedAt.Format(time.DateOnly)) {
				c.VerifiedAt = o.VerifiedAt
			}
			c.ID, c.Evidence, c.AccreditationBody = o.ID, o.Evidence, o.AccreditationBody
			// The Department's decision stays with the certificate it was made on.
			if ptrTime(c.VerifiedAt).Equal(ptrTime(o.VerifiedAt)) {
				c.State, c.VerifiedBy, c.VerificationMethod, c.DecisionNote = o.State, o.VerifiedBy, o.VerificationMethod, o.DecisionNote
			}
			break
		}
		certs = append(certs, c)
		texts = append(texts, entry)
	}
	return certs, texts
}

func ptrTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
