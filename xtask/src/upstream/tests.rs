//! The comparison on small document pairs: one difference of each kind, marked and not, and
//! markers that cover nothing.

use serde_json::{Value, json};

use super::*;

/// Our side: a spec with a component schema, referred to from two operations.
const OURS: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: get-thing
      security: [{oauth: [things.read]}, {bearer: [things.read]}]
      parameters:
        - $ref: '#/components/parameters/Id'
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
    put:
      operationId: put-thing
      parameters:
        - $ref: '#/components/parameters/Id'
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '204': {description: done}
components:
  parameters:
    Id: {name: id, in: path, required: true, schema: {type: string}}
  schemas:
    Kind: {type: string, enum: [a, b]}
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer, format: int64}
        kind:
          allOf: [{$ref: '#/components/schemas/Kind'}]
          description: Which kind.
        tags: {type: array, items: {type: string}}
"#;

/// Upstream: the same API, in JSON, with other schema names, the body schema inline, the
/// parameter declared on the path item and a path parameter named differently.
fn upstream() -> Value {
    let thing = json!({
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "size": {"type": "integer", "format": "int64"},
            "kind": {"type": "string", "enum": ["b", "a"]},
            "tags": {"type": "array", "items": {"type": "string"}}
        }
    });
    json!({
        "openapi": "3.0.0",
        "info": {"title": "u", "version": "1"},
        "paths": {
            "/things/{thingId}": {
                "parameters": [{"name": "thingId", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {
                    "security": [{"bearer": ["things.read"]}],
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": {"description": "OK", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/ThingDTO"}
                    }}}}
                },
                "put": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": thing.clone()}}},
                    "responses": {"204": {"description": "No content"}}
                }
            }
        },
        "components": {"schemas": {"ThingDTO": thing}}
    })
}

/// Our spec changed by `ours`, upstream by `theirs`, compared.
fn compare_pair(ours: impl FnOnce(&mut Value), theirs: impl FnOnce(&mut Value)) -> Report {
    let mut our_doc = generator::document_value("spec.yaml", OURS).unwrap();
    ours(&mut our_doc);
    let mut up = upstream();
    theirs(&mut up);
    let mut our_docs = Documents::default();
    our_docs.insert("spec.yaml", our_doc);
    let mut up_docs = Documents::default();
    up_docs.insert("api.json", up);
    let inputs = Inputs {
        ours_file: "spec.yaml".to_owned(),
        ours: our_docs,
        upstream: up_docs,
        editions: vec![Edition {
            label: "v1".to_owned(),
            file: "api.json".to_owned(),
        }],
    };
    compare(&inputs).unwrap()
}

/// Upstream changed by `theirs`, compared with our spec as it is.
fn drift(theirs: impl FnOnce(&mut Value)) -> Report {
    compare_pair(|_| {}, theirs)
}

fn at<'v>(value: &'v mut Value, pointer: &str) -> &'v mut Value {
    value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
}

/// A difference as (place, key, upstream, ours).
type Row = (String, String, Value, Value);

/// A change to upstream and the differences it must make.
type Case = (fn(&mut Value), Vec<Row>);

/// The unmarked differences.
fn unmarked(report: &Report) -> Vec<Row> {
    report
        .unmarked
        .iter()
        .map(|d| {
            (
                d.place.clone(),
                d.key.clone(),
                d.upstream.clone(),
                d.ours.clone(),
            )
        })
        .collect()
}

fn one(
    place: &str,
    key: &str,
    upstream: Value,
    ours: Value,
) -> Vec<(String, String, Value, Value)> {
    vec![(place.to_owned(), key.to_owned(), upstream, ours)]
}

const GET: &str = "/paths/~1things~1{thingId}/get";
const PUT: &str = "/paths/~1things~1{thingId}/put";
const OUR_GET: &str = "#/paths/~1things~1{id}/get";
const OUR_PUT: &str = "#/paths/~1things~1{id}/put";
const THING: &str = "/components/schemas/ThingDTO";

#[test]
fn the_same_api_under_other_names_and_shapes_has_no_difference() {
    let report = drift(|_| {});
    assert_eq!(unmarked(&report), []);
    assert!(report.is_clean());
}

#[test]
fn an_operation_upstream_has_and_one_only_ours_has() {
    let report = drift(|up| {
        let get = at(up, GET).clone();
        at(up, "/paths")
            .as_object_mut()
            .unwrap()
            .insert("/others".to_owned(), json!({"get": get}));
        at(up, "/paths/~1things~1{thingId}")
            .as_object_mut()
            .unwrap()
            .remove("put");
    });
    assert_eq!(
        unmarked(&report),
        [
            (
                "#".to_owned(),
                "operation GET /others".to_owned(),
                json!("present"),
                json!("absent")
            ),
            (
                OUR_PUT.to_owned(),
                "operation".to_owned(),
                json!("absent"),
                json!("present")
            ),
        ]
    );
    assert!(!report.is_clean());
}

#[test]
fn scopes_deprecation_parameters_bodies_and_statuses() {
    let cases: Vec<Case> = vec![
        (
            |up| *at(up, &format!("{GET}/security/0/bearer")) = json!([]),
            one(OUR_GET, "scopes", json!([]), json!(["things.read"])),
        ),
        (
            |up| {
                at(up, GET).as_object_mut().unwrap().remove("security");
            },
            one(OUR_GET, "scopes", Value::Null, json!(["things.read"])),
        ),
        (
            |up| {
                at(up, GET)
                    .as_object_mut()
                    .unwrap()
                    .extend([("deprecated".to_owned(), json!(true))])
            },
            one(OUR_GET, "deprecated", json!(true), json!(false)),
        ),
        (
            |up| {
                at(up, &format!("{GET}/parameters")).as_array_mut().unwrap().push(json!({"name": "Authorization", "in": "header", "schema": {"type": "string"}}))
            },
            one(
                OUR_GET,
                "parameter header:Authorization",
                json!("present"),
                json!("absent"),
            ),
        ),
        (
            |up| {
                at(up, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .clear()
            },
            one(
                OUR_GET,
                "parameter query:limit",
                json!("absent"),
                json!("present"),
            ),
        ),
        (
            |up| {
                at(up, &format!("{GET}/parameters/0"))
                    .as_object_mut()
                    .unwrap()
                    .extend([("required".to_owned(), json!(true))])
            },
            one(
                &format!("{OUR_GET}/parameters/1"),
                "required",
                json!(true),
                json!(false),
            ),
        ),
        (
            |up| *at(up, &format!("{GET}/parameters/0/schema/type")) = json!("string"),
            one(
                &format!("{OUR_GET}/parameters/1/schema"),
                "type",
                json!("string"),
                json!("integer"),
            ),
        ),
        (
            |up| {
                at(up, PUT).as_object_mut().unwrap().remove("requestBody");
            },
            one(OUR_PUT, "request-body", json!("absent"), json!("present")),
        ),
        (
            |up| *at(up, &format!("{PUT}/requestBody/required")) = json!(false),
            one(
                &format!("{OUR_PUT}/requestBody"),
                "required",
                json!(false),
                json!(true),
            ),
        ),
        (
            |up| {
                let content = at(up, &format!("{PUT}/requestBody/content"))
                    .as_object_mut()
                    .unwrap();
                let body = content.remove("application/json").unwrap();
                content.insert("application/xml".to_owned(), body);
            },
            vec![
                (
                    format!("{OUR_PUT}/requestBody"),
                    "media-type application/json".to_owned(),
                    json!("absent"),
                    json!("present"),
                ),
                (
                    format!("{OUR_PUT}/requestBody"),
                    "media-type application/xml".to_owned(),
                    json!("present"),
                    json!("absent"),
                ),
            ],
        ),
        (
            |up| {
                at(up, &format!("{GET}/responses"))
                    .as_object_mut()
                    .unwrap()
                    .extend([("404".to_owned(), json!({"description": "gone"}))])
            },
            one(OUR_GET, "status 404", json!("present"), json!("absent")),
        ),
    ];
    for (i, (change, expected)) in cases.into_iter().enumerate() {
        assert_eq!(unmarked(&drift(change)), expected, "case {i}");
    }
}

#[test]
fn schema_keywords_fields_and_requiredness() {
    let thing = "#/components/schemas/Thing";
    let cases: Vec<Case> = vec![
        (
            |up| *at(up, &format!("{THING}/properties/size/type")) = json!("number"),
            one(
                &format!("{thing}/properties/size"),
                "type",
                json!("number"),
                json!("integer"),
            ),
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties/size"))
                    .as_object_mut()
                    .unwrap()
                    .remove("format");
            },
            one(
                &format!("{thing}/properties/size"),
                "format",
                Value::Null,
                json!("int64"),
            ),
        ),
        (
            // The enum is ours through an allOf; the difference is about the property.
            |up| {
                at(up, &format!("{THING}/properties/kind/enum"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("c"))
            },
            one(
                &format!("{thing}/properties/kind"),
                "enum",
                json!(["b", "a", "c"]),
                json!(["a", "b"]),
            ),
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties/name"))
                    .as_object_mut()
                    .unwrap()
                    .extend([("nullable".to_owned(), json!(true))])
            },
            one(
                &format!("{thing}/properties/name"),
                "nullable",
                json!(true),
                json!(false),
            ),
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties/size"))
                    .as_object_mut()
                    .unwrap()
                    .extend([
                        ("default".to_owned(), json!(1)),
                        ("minimum".to_owned(), json!(0)),
                    ])
            },
            vec![
                (
                    format!("{thing}/properties/size"),
                    "default".to_owned(),
                    json!(1),
                    Value::Null,
                ),
                (
                    format!("{thing}/properties/size"),
                    "minimum".to_owned(),
                    json!(0),
                    Value::Null,
                ),
            ],
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties/tags"))
                    .as_object_mut()
                    .unwrap()
                    .extend([("maxItems".to_owned(), json!(5))])
            },
            one(
                &format!("{thing}/properties/tags"),
                "maxItems",
                json!(5),
                Value::Null,
            ),
        ),
        (
            |up| *at(up, &format!("{THING}/properties/tags/items/type")) = json!("integer"),
            one(
                &format!("{thing}/properties/tags/items"),
                "type",
                json!("integer"),
                json!("string"),
            ),
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties"))
                    .as_object_mut()
                    .unwrap()
                    .extend([("colour".to_owned(), json!({"type": "string"}))])
            },
            one(thing, "property colour", json!("present"), json!("absent")),
        ),
        (
            |up| {
                at(up, &format!("{THING}/properties"))
                    .as_object_mut()
                    .unwrap()
                    .remove("tags");
            },
            one(thing, "property tags", json!("absent"), json!("present")),
        ),
        (
            |up| *at(up, &format!("{THING}/required")) = json!(["name", "size"]),
            one(thing, "required size", json!(true), json!(false)),
        ),
        (
            |up| *at(up, THING) = json!({"type": "object"}),
            one(
                thing,
                "properties",
                json!([]),
                json!(["name", "size", "kind", "tags"]),
            ),
        ),
        (
            |up| {
                at(up, THING)
                    .as_object_mut()
                    .unwrap()
                    .extend([("additionalProperties".to_owned(), json!(false))])
            },
            one(thing, "additionalProperties", json!(false), json!(true)),
        ),
        (
            |up| {
                *at(up, &format!("{THING}/properties/name")) =
                    json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
            },
            vec![
                (
                    format!("{thing}/properties/name"),
                    "oneOf".to_owned(),
                    json!(2),
                    json!(0),
                ),
                (
                    format!("{thing}/properties/name"),
                    "type".to_owned(),
                    Value::Null,
                    json!("string"),
                ),
            ],
        ),
    ];
    for (i, (change, expected)) in cases.into_iter().enumerate() {
        assert_eq!(unmarked(&drift(change)), expected, "case {i}");
    }
}

#[test]
fn a_difference_is_reported_once_with_every_site() {
    // Both operations use `Thing`; upstream's copies differ in one place.
    let report = drift(|up| *at(up, &format!("{THING}/properties/size/type")) = json!("number"));
    let sites: Vec<_> = report.unmarked[0].sites.iter().cloned().collect();
    assert_eq!(
        sites,
        [
            "v1 GET /things/{thingId}: response 200 application/json size",
            // The body schema is inline upstream: its own copy is unchanged.
        ]
    );
    let report = drift(|up| {
        *at(up, &format!("{THING}/properties/size/type")) = json!("number");
        *at(
            up,
            &format!("{PUT}/requestBody/content/application~1json/schema/properties/size/type"),
        ) = json!("number");
    });
    assert_eq!(report.unmarked.len(), 1);
    assert_eq!(report.unmarked[0].sites.len(), 2);
}

/// Adds a marker to the object at `pointer` of our spec.
fn mark(ours: &mut Value, pointer: &str, marker: Value) {
    at(ours, pointer)
        .as_object_mut()
        .unwrap()
        .insert(EXTENSION.to_owned(), marker);
}

#[test]
fn a_marker_covers_its_difference_and_is_listed_apart() {
    let report = compare_pair(
        |ours| {
            mark(
                ours,
                "/components/schemas/Thing/properties/size",
                json!({"diff": "type", "upstream": "number", "why": "a count"}),
            )
        },
        |up| *at(up, &format!("{THING}/properties/size/type")) = json!("number"),
    );
    assert_eq!(unmarked(&report), []);
    assert_eq!(report.marked.len(), 1);
    assert_eq!(report.marked[0].1.why, "a count");
    assert!(report.stale.is_empty());
    assert!(report.is_clean());
}

#[test]
fn markers_for_presence_and_on_what_a_reference_leads_to() {
    let report = compare_pair(
        |ours| {
            mark(
                ours,
                &OUR_GET[1..],
                json!([
                    {"diff": "status 404", "upstream": "present", "why": "no body; dropped"},
                    {"diff": "scopes", "upstream": [], "why": "scopes from the docs"},
                ]),
            );
            // The property refers to `Kind` through an allOf: a marker there covers it.
            mark(
                ours,
                "/components/schemas/Kind",
                json!({"diff": "enum", "upstream": ["b", "a", "c"], "why": "c is gone"}),
            );
        },
        |up| {
            at(up, &format!("{GET}/responses"))
                .as_object_mut()
                .unwrap()
                .extend([("404".to_owned(), json!({"description": "gone"}))]);
            *at(up, &format!("{GET}/security/0/bearer")) = json!([]);
            at(up, &format!("{THING}/properties/kind/enum"))
                .as_array_mut()
                .unwrap()
                .push(json!("c"));
        },
    );
    assert_eq!(unmarked(&report), []);
    assert_eq!(report.marked.len(), 3);
    assert!(report.is_clean());
}

#[test]
fn a_marker_whose_upstream_changed_again_is_stale_and_the_difference_unmarked() {
    let report = compare_pair(
        |ours| {
            mark(
                ours,
                "/components/schemas/Thing/properties/size",
                json!({"diff": "type", "upstream": "number", "why": "a count"}),
            )
        },
        |up| *at(up, &format!("{THING}/properties/size/type")) = json!("string"),
    );
    assert_eq!(
        unmarked(&report),
        one(
            "#/components/schemas/Thing/properties/size",
            "type",
            json!("string"),
            json!("integer")
        )
    );
    assert_eq!(report.stale.len(), 1);
    assert_eq!(
        report.stale[0].at,
        "#/components/schemas/Thing/properties/size"
    );
    assert!(!report.is_clean());
}

#[test]
fn a_marker_on_another_object_covers_nothing() {
    let report = compare_pair(
        |ours| {
            mark(
                ours,
                "/components/schemas/Thing/properties/name",
                json!({"diff": "type", "upstream": "number", "why": "w"}),
            )
        },
        |up| *at(up, &format!("{THING}/properties/size/type")) = json!("number"),
    );
    assert_eq!(report.unmarked.len(), 1);
    assert_eq!(report.stale.len(), 1);
}

#[test]
fn the_newest_edition_that_has_an_operation_is_the_one_compared() {
    let mut our_docs = Documents::default();
    our_docs.insert(
        "spec.yaml",
        generator::document_value("spec.yaml", OURS).unwrap(),
    );
    let mut old = upstream();
    *at(&mut old, &format!("{THING}/properties/size/type")) = json!("number");
    let mut up_docs = Documents::default();
    up_docs.insert("old.json", old);
    up_docs.insert("new.json", upstream());
    let edition = |label: &str, file: &str| Edition {
        label: label.to_owned(),
        file: file.to_owned(),
    };
    let inputs = Inputs {
        ours_file: "spec.yaml".to_owned(),
        ours: our_docs,
        upstream: up_docs,
        editions: vec![edition("old", "old.json"), edition("new", "new.json")],
    };
    let report = compare(&inputs).unwrap();
    assert_eq!(unmarked(&report), []);
    assert_eq!(
        report.editions.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [2, 2]
    );
}

/// Files in memory.
struct Files(Vec<(&'static str, String)>);

impl generator::Loader for Files {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.clone())
            .ok_or_else(|| "there is no such file".to_owned())
    }
}

#[test]
fn referenced_files_are_read_and_a_missing_one_is_reported_not_compared() {
    let mut up = upstream();
    at(&mut up, &format!("{GET}/responses")).as_object_mut().unwrap().extend([
        ("400".to_owned(), json!({"description": "bad", "content": {"application/json": {"schema": {"$ref": "../common/errors.json#/components/schemas/Bad"}}}})),
        ("401".to_owned(), json!({"description": "no", "content": {"application/json": {"schema": {"$ref": "../nowhere.json#/components/schemas/No"}}}})),
    ]);
    let errors = json!({"components": {"schemas": {"Bad": {"type": "object", "properties": {"message": {"type": "string"}}}}}});
    let mut ours = generator::document_value("spec.yaml", OURS).unwrap();
    let error_response = json!({"description": "e", "content": {"application/json": {"schema": {"type": "object", "properties": {"message": {"type": "integer"}}}}}});
    at(&mut ours, &format!("{}/responses", &OUR_GET[1..]))
        .as_object_mut()
        .unwrap()
        .extend([
            ("400".to_owned(), error_response.clone()),
            ("401".to_owned(), error_response),
        ]);
    let files = Files(vec![
        ("apps/api.json", up.to_string()),
        ("common/errors.json", errors.to_string()),
    ]);
    let editions = vec![Edition {
        label: "v1".to_owned(),
        file: "apps/api.json".to_owned(),
    }];
    let inputs = Inputs::load("spec.yaml", ours, editions, &files).unwrap();
    let report = compare(&inputs).unwrap();
    assert_eq!(
        unmarked(&report),
        one(
            &format!("{OUR_GET}/responses/400/content/application~1json/schema/properties/message"),
            "type",
            json!("string"),
            json!("integer")
        )
    );
    assert_eq!(
        report.unresolved,
        [
            "apps/api.json: `$ref: ../nowhere.json#/components/schemas/No` leads to `nowhere.json`, \
          which cannot be read (there is no such file)"
        ]
    );

    let err = Inputs::load(
        "spec.yaml",
        json!({}),
        vec![Edition {
            label: "x".to_owned(),
            file: "gone.json".to_owned(),
        }],
        &files,
    )
    .err()
    .unwrap();
    assert_eq!(err, "cannot read gone.json: there is no such file");
}

#[test]
fn the_report_puts_unmarked_differences_first_then_marked_then_stale() {
    let report = compare_pair(
        |ours| {
            mark(
                ours,
                "/components/schemas/Thing/properties/size",
                json!({"diff": "type", "upstream": "number", "why": "a count"}),
            );
            mark(
                ours,
                "/components/schemas/Thing/properties/name",
                json!({"diff": "format", "upstream": "email", "why": "gone"}),
            );
        },
        |up| {
            *at(up, &format!("{THING}/properties/size/type")) = json!("number");
            at(up, &format!("{THING}/properties/kind/enum"))
                .as_array_mut()
                .unwrap()
                .push(json!("c"));
        },
    );
    let text = report.render();
    let expected = r#"Upstream drift of spec.yaml
  v1: api.json (2 operations)
  ours: 2 operations. An operation is compared with the newest edition that has it.

1 unmarked differences, 1 marked, 1 stale markers.

== Unmarked differences (1): curate them into the spec, or mark the chosen ones on the object named with `x-upstream: {diff: …, upstream: …, why: …}`

#/components/schemas/Thing/properties/kind
  enum: upstream ["b","a","c"], ours ["a","b"]; only upstream: "c"
    v1 GET /things/{thingId}: response 200 application/json kind

== Marked differences (1): chosen on purpose (x-upstream)

#/components/schemas/Thing/properties/size
  type: upstream "number", ours "integer" (1 site; marked at #/components/schemas/Thing/properties/size)
    why: a count

== Stale markers (1): they match no difference (upstream changed, or the marker is wrong)

#/components/schemas/Thing/properties/name
  diff: format, upstream: "email"
    why: gone
"#;
    assert_eq!(text, expected);
}

#[test]
fn a_malformed_marker_fails_the_comparison_with_its_place() {
    let mut our_doc = generator::document_value("spec.yaml", OURS).unwrap();
    mark(
        &mut our_doc,
        "/components/schemas/Thing",
        json!({"diff": "colour", "upstream": 1, "why": "w"}),
    );
    let mut our_docs = Documents::default();
    our_docs.insert("spec.yaml", our_doc);
    let mut up_docs = Documents::default();
    up_docs.insert("api.json", upstream());
    let inputs = Inputs {
        ours_file: "spec.yaml".to_owned(),
        ours: our_docs,
        upstream: up_docs,
        editions: vec![Edition {
            label: "v1".to_owned(),
            file: "api.json".to_owned(),
        }],
    };
    let err = compare(&inputs).unwrap_err();
    assert!(
        err.starts_with("spec.yaml#/components/schemas/Thing/x-upstream: `diff: colour`"),
        "{err}"
    );
}

#[test]
fn one_success_under_another_status_is_still_compared() {
    let report = drift(|up| {
        let responses = at(up, &format!("{GET}/responses")).as_object_mut().unwrap();
        let ok = responses.remove("200").unwrap();
        responses.insert("201".to_owned(), ok);
        *at(up, &format!("{THING}/properties/size/type")) = json!("number");
    });
    let keys: Vec<_> = unmarked(&report)
        .into_iter()
        .map(|(_, key, _, _)| key)
        .collect();
    assert_eq!(keys, ["type", "status 200", "status 201"]);
    let sites: Vec<_> = report.unmarked[0].sites.iter().cloned().collect();
    assert_eq!(
        sites,
        ["v1 GET /things/{thingId}: response 200 (upstream 201) application/json size"]
    );
}
