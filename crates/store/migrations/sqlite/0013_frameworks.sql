-- Several frameworks, not one regulation (issue 12 §1). Each stored version of a document
-- belongs to a framework, named by a key: the built-in 2025 regulation and its later versions
-- are 'regulation-2025' (every version stored before this migration is one of them); a user
-- imports others, such as 《党政领导干部生态环境损害责任追究办法》, under keys of their own.
-- short_name is how citations name the framework (办法 → 《办法》第五条第(七)项); it is empty
-- for the built-in framework, whose citations keep their form (第十七条第二项).
-- The situations (情形) and forms of accountability a version's text lists are read from it
-- at import and stored with the version, append-only. Versions stored before this migration
-- have none recorded. See crates/store/src/regulation.rs and crates/regulation/src/framework.rs.

ALTER TABLE regulation_versions ADD COLUMN framework TEXT NOT NULL DEFAULT 'regulation-2025';
ALTER TABLE regulation_versions ADD COLUMN short_name TEXT NOT NULL DEFAULT '';
CREATE INDEX regulation_versions_by_framework ON regulation_versions (framework, effective_from);

CREATE TABLE framework_situations (
    version_id INTEGER NOT NULL REFERENCES regulation_versions (id),
    article INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    item INTEGER NOT NULL,
    subject TEXT NOT NULL,
    citation TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (version_id, article, paragraph, item)
);

CREATE TABLE framework_forms (
    version_id INTEGER NOT NULL REFERENCES regulation_versions (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    form_group TEXT,
    article INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (version_id, position)
);

CREATE TRIGGER framework_situations_no_update BEFORE UPDATE ON framework_situations
BEGIN SELECT RAISE(ABORT, 'framework_situations is append-only: UPDATE refused'); END;
CREATE TRIGGER framework_situations_no_delete BEFORE DELETE ON framework_situations
BEGIN SELECT RAISE(ABORT, 'framework_situations is append-only: DELETE refused'); END;
CREATE TRIGGER framework_forms_no_update BEFORE UPDATE ON framework_forms
BEGIN SELECT RAISE(ABORT, 'framework_forms is append-only: UPDATE refused'); END;
CREATE TRIGGER framework_forms_no_delete BEFORE DELETE ON framework_forms
BEGIN SELECT RAISE(ABORT, 'framework_forms is append-only: DELETE refused'); END;
