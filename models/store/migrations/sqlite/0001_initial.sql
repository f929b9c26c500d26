-- The schema of the first release: firms with their sites, certificates, key-product titles and
-- taxonomy links, and the reference tables.
CREATE TABLE meta (key text, value text, PRIMARY KEY (key));
CREATE TABLE terms (code text, kind text NOT NULL, parent text, label_vi text NOT NULL, label_en text NOT NULL,
  synonyms_vi text, synonyms_en text, position integer, PRIMARY KEY (code));
CREATE INDEX idx_terms_kind ON terms(kind);
CREATE TABLE districts (code text, name_vi text NOT NULL, prefix_vi text, name_en text, kind text, corridors text,
  PRIMARY KEY (code));
CREATE TABLE zones (code text, kind text, name_vi text NOT NULL, name_en text, districts text, in_hanoi numeric,
  area_ha real, status text, verification text, note text, PRIMARY KEY (code));
CREATE TABLE corridors (code text, label_vi text NOT NULL, label_en text, roads text, description_en text,
  verification text, position integer, PRIMARY KEY (code));
CREATE TABLE standards (code text, name_en text, name_vi text, current_edition text, scope_en text, sectors text,
  synonyms text, position integer, PRIMARY KEY (code));
CREATE TABLE wards (name text, kind text, PRIMARY KEY (name));
CREATE TABLE firms (id integer PRIMARY KEY AUTOINCREMENT, tax_code text NOT NULL, slug text NOT NULL,
  name_vi text NOT NULL, name_en text, short_name text, description_vi text, description_en text,
  founded_year integer, employees integer, ownership text, website text, email text, phone text,
  contact_name text, free_terms text, key_customers text, export_markets text, owner_user_id integer,
  verified_at datetime, created_at datetime, updated_at datetime, sample numeric);
CREATE INDEX idx_firms_sample ON firms(sample);
CREATE INDEX idx_firms_updated_at ON firms(updated_at);
CREATE UNIQUE INDEX idx_firms_slug ON firms(slug);
CREATE UNIQUE INDEX idx_firms_tax_code ON firms(tax_code);
CREATE TABLE sites (id integer PRIMARY KEY AUTOINCREMENT, firm_id integer NOT NULL, position integer,
  address text, ward text, district text, zone text, corridors text, corridors_set numeric, latitude real,
  longitude real,
  CONSTRAINT fk_firms_sites FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_sites_zone ON sites(zone);
CREATE INDEX idx_sites_district ON sites(district);
CREATE INDEX idx_sites_firm_id ON sites(firm_id);
CREATE TABLE certificates (id integer PRIMARY KEY AUTOINCREMENT, firm_id integer NOT NULL, position integer,
  standard text NOT NULL, edition text, number text, issuer text, scope text, issued_on date, expires date,
  verified_at datetime, evidence text,
  CONSTRAINT fk_firms_certificates FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_certificates_standard ON certificates(standard);
CREATE INDEX idx_certificates_firm_id ON certificates(firm_id);
CREATE TABLE recognitions (id integer PRIMARY KEY AUTOINCREMENT, firm_id integer NOT NULL, year integer,
  product text,
  CONSTRAINT fk_firms_recognitions FOREIGN KEY (firm_id) REFERENCES firms(id) ON DELETE CASCADE);
CREATE INDEX idx_recognitions_firm_id ON recognitions(firm_id);
CREATE TABLE firm_terms (firm_id integer, term_code text, position integer, PRIMARY KEY (firm_id, term_code));
CREATE INDEX idx_firm_terms_term_code ON firm_terms(term_code);
