//! What both sides of a comparison share: the synthetic spec, once as a cloudspec YAML spec
//! and once as the equivalent OpenAPI 3 document the generator anchor (progenitor) reads.
//!
//! The benchmarks themselves are in `benches/` (wall time with criterion, instruction
//! counts with iai-callgrind) and are run by `cargo xtask bench --compare`, which prints the
//! ratio of every figure to its anchor. Nothing here is timed by `cargo test`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt::Write as _;

use serde_json::{Value, json};

/// Where the synthetic spec claims to live (the generated files name it in their header).
pub const SYNTHETIC_PATH: &str = "specs/alibaba-bench.yaml";

/// A cloudspec spec with `operations` operations shaped like SWAS `DeleteCustomImages`:
/// three query parameters (a required region, a required JSON-in-string list of 1 to 15 ids,
/// an optional ASCII token of at most 64 characters), one response field and three
/// documented errors (two exact codes, one `%s` template).
pub fn synthetic_spec(operations: usize) -> String {
    let mut text = String::from(
        "provider: alibaba\nservice: bench\ntitle: Bench\napi_version: \"2020-01-01\"\nprotocol: alibaba-rpc\n\
         source:\n  title: synthetic\n  seed: none\n  note: synthetic benchmark spec\n\
         endpoints:\n  global: bench.example.com\noperations:\n",
    );
    for index in 0..operations {
        // Writing to a String cannot fail.
        let _ = write!(
            text,
            "  - name: DeleteThing{index}\n    action: DeleteThing{index}\n    description: Deletes thing {index}.\n    http: {{ method: GET, path: / }}\n\
             \x20   parameters:\n\
             \x20     - {{ name: RegionId, in: query, type: string, required: true, description: The region. }}\n\
             \x20     - {{ name: ThingIds, in: query, type: string-list, list_style: json-in-string, required: true, description: Ids., limits: {{ min_items: 1, max_items: 15, quote: up to 15 }} }}\n\
             \x20     - {{ name: ClientToken, in: query, type: string, required: false, description: Token., limits: {{ max_length: 64, charset: ascii, quote: at most 64 ASCII }} }}\n\
             \x20   response:\n      fields:\n        - {{ name: RequestId, type: string, description: The request ID. }}\n\
             \x20   errors:\n\
             \x20     - {{ code: ThingInShare, status: 400, message: shared, description: The thing is shared. }}\n\
             \x20     - {{ code: InvalidThingId.NotFound, status: 404, message: missing, description: No such thing. }}\n\
             \x20     - {{ code: InvalidParameter.%s, status: 400, message: bad, description: Bad parameter. }}\n"
        );
    }
    text
}

/// The OpenAPI 3.0 document equivalent to [`synthetic_spec`]: the same operations (an RPC
/// action has no path of its own, so each gets `/DeleteThing{i}`), the same three query
/// parameters with the same limits, the same response field, and the same errors (OpenAPI
/// keys responses by status, so the two 400 rows share one response whose description
/// names both codes). Serialised as JSON text, which is what a user feeds progenitor.
pub fn synthetic_openapi(operations: usize) -> String {
    let mut paths = serde_json::Map::with_capacity(operations);
    for index in 0..operations {
        let name = format!("DeleteThing{index}");
        paths.insert(
            format!("/{name}"),
            json!({
                "get": {
                    "operationId": name,
                    "description": format!("Deletes thing {index}."),
                    "parameters": [
                        {
                            "name": "RegionId", "in": "query", "required": true,
                            "description": "The region.",
                            "schema": { "type": "string" }
                        },
                        {
                            "name": "ThingIds", "in": "query", "required": true,
                            "description": "Ids.",
                            "schema": {
                                "type": "array", "items": { "type": "string" },
                                "minItems": 1, "maxItems": 15
                            }
                        },
                        {
                            "name": "ClientToken", "in": "query", "required": false,
                            "description": "Token.",
                            "schema": { "type": "string", "maxLength": 64, "pattern": "^[\\x00-\\x7F]*$" }
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Success.",
                            "content": { "application/json": { "schema": {
                                "type": "object",
                                "properties": {
                                    "RequestId": { "type": "string", "description": "The request ID." }
                                }
                            } } }
                        },
                        "400": {
                            "description": "ThingInShare: the thing is shared. InvalidParameter.%s: bad parameter.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
                        },
                        "404": {
                            "description": "InvalidThingId.NotFound: no such thing.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
                        }
                    }
                }
            }),
        );
    }
    let document: Value = json!({
        "openapi": "3.0.3",
        "info": { "title": "Bench", "version": "2020-01-01" },
        "servers": [ { "url": "https://bench.example.com" } ],
        "paths": paths,
        "components": { "schemas": { "Error": {
            "type": "object",
            "properties": {
                "Code": { "type": "string" },
                "Message": { "type": "string" },
                "RequestId": { "type": "string" }
            }
        } } }
    });
    document.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_specs_have_every_operation() {
        assert_eq!(
            synthetic_spec(3).matches("  - name: DeleteThing").count(),
            3
        );
        let openapi: Value = serde_json::from_str(&synthetic_openapi(3)).unwrap();
        assert_eq!(openapi["paths"].as_object().unwrap().len(), 3);
    }
}
