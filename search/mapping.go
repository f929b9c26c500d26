package search

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// MappingVersion names the shape of the index: the mapping, the analyzers and what a firm's
// document holds. Bump it whenever any of them changes; an index built with another version is
// rebuilt from the database when the portal opens it. (A change to the mapping's fields is also
// caught by a hash of the mapping, but a change inside an analyzer or in docBuilder.doc is not.)
const MappingVersion = 9

// Index field names. Text fields come in a Vietnamese flavour (folded, shingled) and an English
// one (stemmed); keyword fields hold codes for filters, facets and sorting.
const (
	fieldTaxCode       = "tax_code"
	fieldNames         = "names"         // every name of the firm, Vietnamese analyzer: folded, shingles, prefixes
	fieldNameVI        = "name_vi"       // stored only, for type-ahead
	fieldNameEN        = "name_en"       // stored only, for type-ahead
	fieldNameENWords   = "name_en_words" // English name without its legal form, English analyzer
	fieldNameExact     = "name_exact"    // folded keys of every name, for exact-name matches
	fieldNameSort      = "name_sort"
	fieldNameSortEN    = "name_sort_en"
	fieldDescriptionVI = "description_vi"
	fieldDescriptionEN = "description_en"
	fieldTerms         = "terms"       // labels and synonyms of the firm's taxonomy terms, both languages
	fieldTermsEN       = "terms_en"    // their English labels and synonyms, stemmed
	fieldFree          = "free"        // what the firm wrote that matched no term
	fieldConcepts      = "concepts"    // words of concepts and lexicon entries found in the firm's text
	fieldConceptsEN    = "concepts_en" // their English words, stemmed
	fieldLexicon       = "lexicon"     // both sides of the lexicon entries found in the firm's text
	fieldLexiconEN     = "lexicon_en"  // their English sides, stemmed
	fieldFound         = "found"       // codes of concepts found, bare and as code:where (see foundTerm)
	fieldEntries       = "entries"     // keys of the lexicon entries found (see entryKeyOf)
	fieldSector        = "sector"
	fieldProduct       = "product"
	fieldProcess       = "process"
	fieldMaterial      = "material"
	fieldCert          = "cert"          // standards of current (unexpired) certificates
	fieldCertVerified  = "cert_verified" // standards of verified and current certificates
	fieldVerified      = "verified"      // "yes" when any certificate is verified and current
	fieldCorridor      = "corridor"
	fieldDistrict      = "district"
	fieldZone          = "zone"
	fieldSize          = "size"
	fieldOwnership     = "ownership"
	fieldSPCNCL        = "spcncl"
	fieldMarket        = "market"
	fieldUpdated       = "updated"
	fieldEmployees     = "employees"
	fieldValidUntil    = "valid_until" // when the certificate fields next change by date alone
	fieldFacets        = "facets"      // every facet value as "field:value", the one field facets count
	fieldStamp         = "stamp"       // the firm's updated_at in Unix nanoseconds, for repair
	fieldSlug          = "slug"
	// fieldMatchFacts holds what matching a requirement reads beside the facets (see match_columns.go).
	fieldMatchFacts = "match_facts"
)

// newMapping returns the index mapping. It is a pure function of the code: the same version
// always yields the same mapping.
func newMapping() *mapping.IndexMappingImpl {
	text := func(name, analyzer string, store, vectors bool) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = analyzer
		fm.Store = store
		fm.IncludeTermVectors = vectors
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	// Keyword fields filter by term; only those sorted or counted keep doc values.
	kw := func(name string, docValues bool) *mapping.FieldMapping {
		fm := mapping.NewKeywordFieldMapping()
		fm.Name = name
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = docValues
		return fm
	}
	stored := func(name string) *mapping.FieldMapping {
		fm := mapping.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = keyword.Name
		fm.Index = false
		fm.Store = true
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}

	doc := mapping.NewDocumentStaticMapping()
	add := func(property string, fms ...*mapping.FieldMapping) { doc.AddFieldMappingsAt(property, fms...) }

	add(fieldTaxCode, kw(fieldTaxCode, false))
	// Names are stored so type-ahead can show them without a database round trip; they carry no
	// term vectors because names are short and are not highlighted.
	// One field for all names keeps a query word to one clause for names.
	add(fieldNames, text(fieldNames, AnalyzerVI, false, false))
	add(fieldNameVI, stored(fieldNameVI))
	add(fieldNameEN, stored(fieldNameEN))
	add(fieldNameENWords, text(fieldNameENWords, AnalyzerEN, false, false))
	add(fieldNameExact, kw(fieldNameExact, false))
	add(fieldNameSort, kw(fieldNameSort, true))
	add(fieldNameSortEN, kw(fieldNameSortEN, true))
	// Descriptions are stored for their snippets, which are marked by analysing them again (see
	// highlight.go). The English one keeps term vectors for phrase queries; Vietnamese phrases
	// are matched as adjacent pairs (shingles), which need none.
	add(fieldDescriptionVI, text(fieldDescriptionVI, AnalyzerVI, true, false))
	add(fieldDescriptionEN, text(fieldDescriptionEN, AnalyzerEN, true, true))
	add(fieldTerms, text(fieldTerms, AnalyzerVISet, false, false))
	add(fieldTermsEN, text(fieldTermsEN, AnalyzerENSet, false, false))
	add(fieldFree, text(fieldFree, AnalyzerVI, false, false))
	add(fieldConcepts, text(fieldConcepts, AnalyzerVISet, false, false))
	add(fieldConceptsEN, text(fieldConceptsEN, AnalyzerENSet, false, false))
	add(fieldLexicon, text(fieldLexicon, AnalyzerVISet, false, false))
	add(fieldLexiconEN, text(fieldLexiconEN, AnalyzerENSet, false, false))
	add(fieldFound, kw(fieldFound, false))
	add(fieldEntries, kw(fieldEntries, false))
	// Filters match terms; facets are counted from the columns search keeps in memory (see
	// columns.go), which are read from the doc values of the facets field, verified and spcncl.
	for _, f := range []string{fieldSector, fieldProduct, fieldProcess, fieldMaterial, fieldCert, fieldCertVerified,
		fieldCorridor, fieldDistrict, fieldZone, fieldSize, fieldOwnership, fieldMarket} {
		add(f, kw(f, false))
	}
	add(fieldVerified, kw(fieldVerified, true))
	add(fieldSPCNCL, kw(fieldSPCNCL, true))
	// Every facet value as "field:value": one field is read far faster than eleven.
	add(fieldFacets, kw(fieldFacets, true))
	add(fieldMatchFacts, kw(fieldMatchFacts, true))

	updated := mapping.NewDateTimeFieldMapping()
	updated.Name, updated.Store, updated.IncludeInAll = fieldUpdated, false, false
	add(fieldUpdated, updated)
	validUntil := mapping.NewDateTimeFieldMapping()
	validUntil.Name, validUntil.Store, validUntil.IncludeInAll = fieldValidUntil, true, false
	add(fieldValidUntil, validUntil)
	employees := mapping.NewNumericFieldMapping()
	employees.Name, employees.Store, employees.IncludeInAll = fieldEmployees, false, false
	add(fieldEmployees, employees)

	add(fieldStamp, stored(fieldStamp))
	add(fieldSlug, stored(fieldSlug))

	// No "_all" field: every query names its fields, and composing it costs indexing time.
	doc.AddSubDocumentMapping("_all", mapping.NewDocumentDisabledMapping())

	im := mapping.NewIndexMapping()
	im.DefaultMapping = doc
	im.DefaultAnalyzer = AnalyzerVI
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}
