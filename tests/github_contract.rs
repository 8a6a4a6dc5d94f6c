//! The GitHub contract: every GraphQL document the program sends validates
//! against GitHub's published schema (shared/reference/github/schema.graphql,
//! copied to tests/fixtures/github/).

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use oncall::github::queries::{HANDOVER_STATE, Mutation, mutation_document};

fn schema() -> Valid<Schema> {
    let text = std::fs::read_to_string("tests/fixtures/github/schema.graphql").unwrap();
    // GitHub's schema has known flaws of its own (a duplicated field); load
    // it leniently and validate our documents against it.
    let schema = match Schema::parse(text, "schema.graphql") {
        Ok(s) => s,
        Err(e) => e.partial,
    };
    Valid::assume_valid(schema)
}

fn validate(schema: &Valid<Schema>, doc: &str, name: &str) {
    if let Err(e) = ExecutableDocument::parse_and_validate(schema, doc, name) {
        panic!(
            "{name} does not validate against GitHub's schema:\n{}",
            e.errors
        );
    }
}

#[test]
fn the_state_query_validates() {
    validate(&schema(), HANDOVER_STATE, "HandoverState");
}

#[test]
fn every_mutation_document_validates() {
    let schema = schema();
    for m in Mutation::ALL {
        validate(&schema, &mutation_document(&[m]), &format!("{m:?}"));
    }
    validate(&schema, &mutation_document(&Mutation::ALL), "all mutations");
}

#[test]
fn a_document_with_an_unknown_field_is_refused() {
    // The check can fail: a misspelt field does not validate.
    let bad = HANDOVER_STATE.replace("isTruncated", "isTruncatd");
    let schema = schema();
    assert!(ExecutableDocument::parse_and_validate(&schema, bad, "bad").is_err());
}
