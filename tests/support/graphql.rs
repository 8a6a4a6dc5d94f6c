//! Checks GraphQL documents against GitHub's published schema.

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use std::sync::OnceLock;

pub fn schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let text = std::fs::read_to_string("tests/fixtures/github/schema.graphql").unwrap();
        // GitHub's schema has flaws of its own (a duplicated field); load it
        // leniently and validate our documents against it.
        let schema = match Schema::parse(text, "schema.graphql") {
            Ok(s) => s,
            Err(e) => e.partial,
        };
        Valid::assume_valid(schema)
    })
}

/// Panics unless `doc` validates against GitHub's schema.
pub fn assert_valid(doc: &str, name: &str) {
    if let Err(e) = ExecutableDocument::parse_and_validate(schema(), doc, name) {
        panic!(
            "{name} does not validate against GitHub's schema:\n{}\n{doc}",
            e.errors
        );
    }
}
