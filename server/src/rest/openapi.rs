//! The OpenAPI 3.1 document of `/api/v1`, generated from the code that serves it: one
//! pair of paths per entry of the kind registry ([`saha_core::kinds::KIND_INFO`]), and
//! each kind's schema from the form fields its type declares ([`FieldSpec`]s), so a
//! field added to a record type appears in the document by itself. Served at
//! `/api/v1/openapi.json`; `/api/v1/docs` renders it for people.

use axum::Json;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use saha_core::kinds::{KIND_INFO, Record};
use saha_core::record::EditContext;
use saha_core::record::form::{FieldSpec, Input};
use serde_json::{Map, Value, json};

use crate::rest::actions::Action;
use crate::rest::records::{DEFAULT_LIMIT, MAX_LIMIT, SORTS};

/// A field's schema as the API writes it (form text) and, for input, what it takes.
fn field_schema(spec: &FieldSpec, input: bool) -> Value {
    // Empty text is a field without a value, so formats are told, not declared.
    let described = |description: &str| json!({ "type": "string", "description": description });
    let mut schema = match spec.input {
        Input::Choice(codes) if input => {
            let mut codes: Vec<&str> = codes.to_vec();
            if !spec.required {
                codes.push("");
            }
            json!({ "type": "string", "enum": codes })
        }
        Input::Choice(codes) => {
            json!({ "type": "string", "description": format!("one of: {}", codes.join(", ")) })
        }
        Input::Email => json!({ "type": "string", "description": "an e-mail address" }),
        Input::Phone => described("written any common way; stored as E.164 (+90…)"),
        Input::Date => described("YYYY-MM-DD, or empty"),
        Input::DateTime => described("YYYY-MM-DDTHH:MM (wall clock)"),
        Input::Decimal => json!({
            "type": "string",
            "description": "a non-negative decimal, `1234.56` or `1.234,56`"
        }),
        Input::Duration => json!({ "type": "string", "description": "m:ss, h:mm:ss or minutes" }),
        Input::Link(kind) => {
            json!({ "type": "string", "description": format!("the ID of a {kind} record") })
        }
        Input::LinkList(kind) => json!({
            "type": "string",
            "description": format!("comma-separated IDs of {kind} records")
        }),
        Input::AnyLink => json!({ "type": "string", "description": "the ID of any record" }),
        Input::Team => {
            json!({ "type": "string", "description": "a team ID; empty: shared by the workspace" })
        }
        Input::Member => json!({ "type": "string", "description": "a member's user ID" }),
        Input::MemberList => json!({ "type": "string", "description": "comma-separated user IDs" }),
        Input::Tags => json!({ "type": "string", "description": "comma-separated words" }),
        Input::TimeZone => {
            json!({ "type": "string", "description": "an IANA time zone, e.g. Europe/Istanbul" })
        }
        Input::Recurrence => json!({ "type": "string", "description": "an RFC 5545 RRULE" }),
        Input::Text | Input::LongText => json!({ "type": "string" }),
    };
    if input && let Some(map) = schema.as_object_mut() {
        // Numbers and booleans are taken and written out as text; null clears.
        if !matches!(spec.input, Input::Choice(_)) {
            map.insert(
                "type".into(),
                json!(["string", "number", "boolean", "null"]),
            );
        }
    }
    schema
}

fn schema_name(section: &str) -> String {
    let mut chars = section.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn is_sales(kind: &str) -> bool {
    matches!(kind, "quote" | "order" | "invoice")
}

fn line_schema(input: bool) -> Value {
    let text = if input {
        json!({ "type": ["string", "number", "null"] })
    } else {
        json!({ "type": "string" })
    };
    let mut properties = Map::new();
    for name in [
        "id",
        "description",
        "quantity",
        "unit_price",
        "discount",
        "vat",
        "unit_cost",
    ] {
        properties.insert(name.into(), text.clone());
    }
    if !input {
        properties.insert("product".into(), json!({ "type": "string" }));
    }
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if !input {
        schema["required"] = json!([
            "id",
            "description",
            "quantity",
            "unit_price",
            "discount",
            "vat",
            "unit_cost",
            "product"
        ]);
    }
    schema
}

/// The record and input schemas of one kind.
fn kind_schemas(kind: &str, schemas: &mut Map<String, Value>, name: &str) {
    let ctx = EditContext::new("", 0);
    let Some(blank) = Record::blank(kind, &ctx) else {
        return;
    };
    let specs = blank.fields();
    let output_fields: Map<String, Value> = specs
        .iter()
        .map(|s| (s.name.to_owned(), field_schema(s, false)))
        .collect();
    let input_fields: Map<String, Value> = specs
        .iter()
        .map(|s| (s.name.to_owned(), field_schema(s, true)))
        .collect();
    let required: Vec<&str> = specs.iter().map(|s| s.name).collect();
    let nullable_time =
        json!({ "type": ["integer", "null"], "description": "ms since the Unix epoch" });
    let mut record = json!({
        "type": "object",
        "required": ["id", "kind", "title", "status", "team", "owner", "createdAt", "createdBy",
                     "updatedAt", "archivedAt", "deletedAt", "fields", "record"],
        "properties": {
            "id": { "type": "string" },
            "kind": { "type": "string", "const": kind },
            "title": { "type": "string" },
            "status": { "type": ["string", "null"] },
            "team": { "type": "string" },
            "owner": { "type": "string" },
            "createdAt": { "type": "integer" },
            "createdBy": { "type": "string" },
            "updatedAt": { "type": "integer" },
            "archivedAt": nullable_time,
            "deletedAt": nullable_time,
            "fields": {
                "type": "object",
                "properties": output_fields,
                "required": required,
                "additionalProperties": false,
            },
            "record": { "type": "object", "description": "the record as stored (read-only)" },
        },
    });
    let mut input = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "fields": {
                "type": "object",
                "properties": input_fields,
                "additionalProperties": false,
            },
        },
    });
    if is_sales(kind) {
        record["properties"]["lines"] = json!({ "type": "array", "items": line_schema(false) });
        record["properties"]["totals"] = json!({
            "type": ["object", "null"],
            "properties": {
                "currency": { "type": "string" },
                "net": { "type": "string" },
                "vat": { "type": "string" },
                "gross": { "type": "string" },
            },
        });
        input["properties"]["lines"] = json!({
            "type": "array",
            "description": "replaces the lines: a line with a known id is changed, one without is added, lines left out are removed",
            "items": line_schema(true),
        });
    }
    schemas.insert(name.to_owned(), record);
    schemas.insert(format!("{name}Input"), input);
    schemas.insert(
        format!("{name}Page"),
        json!({
            "type": "object",
            "required": ["data", "nextCursor"],
            "properties": {
                "data": { "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } },
                "nextCursor": { "type": ["string", "null"], "description": "pass as `cursor` for the next page; null on the last" },
            },
        }),
    );
}

fn problem_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } },
    })
}

fn problems(codes: &[(&str, &str)]) -> Map<String, Value> {
    codes
        .iter()
        .map(|(status, description)| ((*status).to_owned(), problem_response(description)))
        .collect()
}

const COMMON_PROBLEMS: [(&str, &str); 5] = [
    ("400", "malformed request"),
    ("401", "no valid token or session"),
    (
        "403",
        "the token's scopes or the member's role do not allow it",
    ),
    ("429", "over the token's request rate; see Retry-After"),
    ("500", "the server failed"),
];

fn responses(ok: (&str, Value), more: &[(&str, &str)]) -> Value {
    let mut map = problems(&COMMON_PROBLEMS);
    map.extend(problems(more));
    map.insert(ok.0.to_owned(), ok.1);
    Value::Object(map)
}

fn json_body(schema: &str, description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } },
    })
}

/// The privacy request log (`/api/v1/privacy/requests`) and access requests'
/// answers (`/api/v1/privacy/access/{person}`), [`crate::privacy::handlers`].
fn privacy_paths(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    use saha_core::privacy::request::{Channel, RequestKind, Status};
    let codes = |all: Vec<&'static str>| json!(all);
    let kinds = codes(RequestKind::ALL.iter().map(|k| k.code()).collect());
    let channels = codes(Channel::ALL.iter().map(|c| c.code()).collect());
    let statuses = codes(Status::ALL.iter().map(|s| s.code()).collect());
    let text = |max: usize, about: &str| json!({ "type": "string", "maxLength": max, "description": about });
    use saha_core::privacy::request::{MAX_LONG_CHARS as LONG, MAX_SHORT_CHARS as SHORT};
    let input_properties = json!({
        "kind": { "type": "string", "enum": kinds, "description": "what the person asks for (KVKK art. 11)" },
        "status": { "type": ["string", "null"], "enum": statuses.as_array().cloned().unwrap_or_default().into_iter().chain([Value::Null]).collect::<Vec<_>>(), "description": "absent when logging (received); answered and refused close it and need an answer" },
        "person": { "type": "string", "description": "the person's contact, lead or account ID, or empty" },
        "personName": text(SHORT, "the person's name as they gave it (required)"),
        "contact": text(SHORT, "where the answer goes"),
        "channel": { "type": "string", "enum": channels, "description": "how the request arrived" },
        "receivedOn": { "type": "string", "format": "date", "description": "the day it arrived (YYYY-MM-DD, Turkey time; not after today)" },
        "description": text(LONG, "what they ask"),
        "answer": text(LONG, "what they were told"),
        "evidence": text(SHORT, "where the proof is kept"),
    });
    schemas.insert(
        "PrivacyRequestInput".into(),
        json!({
            "type": "object",
            "required": ["kind", "personName", "channel", "receivedOn"],
            "properties": input_properties,
        }),
    );
    schemas.insert(
        "PrivacyRequest".into(),
        json!({
            "type": "object",
            "description": "a logged request with its deadline (receivedOn + 30 days)",
            "properties": {
                "id": { "type": "string" },
                "kind": { "type": "string", "enum": kinds },
                "status": { "type": "string", "enum": statuses },
                "person": { "type": "string" },
                "personName": { "type": "string" },
                "contact": { "type": "string" },
                "channel": { "type": "string", "enum": channels },
                "receivedOn": { "type": "string", "format": "date" },
                "dueOn": { "type": "string", "format": "date" },
                "closedOn": { "type": ["string", "null"], "format": "date" },
                "description": { "type": "string" },
                "answer": { "type": "string" },
                "evidence": { "type": "string" },
                "createdBy": { "type": "string" },
                "createdAt": { "type": "integer" },
                "updatedBy": { "type": "string" },
                "updatedAt": { "type": "integer" },
            },
        }),
    );
    schemas.insert(
        "PrivacyRequests".into(),
        json!({
            "type": "object",
            "properties": { "data": { "type": "array", "items": { "$ref": "#/components/schemas/PrivacyRequest" } } },
        }),
    );
    let body = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PrivacyRequestInput" } } } });
    let id =
        json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }]);
    let who = "Owners, admins and privacy officers; a token needs a `privacy:` scope (`*` does not include it).";
    paths.insert(
        "/api/v1/privacy/requests".into(),
        json!({
            "get": {
                "tags": ["privacy"],
                "operationId": "list_privacy_requests",
                "summary": format!("The KVKK request log: open requests soonest due first, then closed ones. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("PrivacyRequests", "the requests")), &[]),
            },
            "post": {
                "tags": ["privacy"],
                "operationId": "log_privacy_request",
                "summary": format!("Logs a request; its deadline is 30 days after it arrived. {who} Scope privacy:write."),
                "requestBody": body,
                "responses": responses(("201", json_body("PrivacyRequest", "the logged request")), &[("413", "body too large"), ("415", "not JSON"), ("422", "a field is wrong")]),
            },
        }),
    );
    paths.insert(
        "/api/v1/privacy/requests/{id}".into(),
        json!({
            "parameters": id,
            "get": {
                "tags": ["privacy"],
                "operationId": "get_privacy_request",
                "summary": format!("One logged request. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("PrivacyRequest", "the request")), &[("404", "no such request")]),
            },
            "put": {
                "tags": ["privacy"],
                "operationId": "change_privacy_request",
                "summary": format!("The request as it now stands: its status, answer and evidence with the rest. {who} Scope privacy:write."),
                "requestBody": body,
                "responses": responses(("200", json_body("PrivacyRequest", "the changed request")), &[("404", "no such request"), ("413", "body too large"), ("415", "not JSON"), ("422", "a field is wrong")]),
            },
        }),
    );
    schemas.insert(
        "Disclosure".into(),
        json!({
            "type": "object",
            "description": "everything held about one person: the answer to an access request (KVKK art. 11)",
            "required": ["person", "kind", "name", "madeAt", "records", "messages"],
            "properties": {
                "person": { "type": "string", "description": "the person's record ID" },
                "kind": { "type": "string", "description": "contact, lead or account" },
                "name": { "type": "string" },
                "madeAt": { "type": "integer", "description": "ms since the epoch" },
                "records": { "type": "array", "description": "their own record first, then every record that refers to them (archived and deleted ones too), oldest first", "items": {
                    "type": "object",
                    "required": ["id", "kind", "title", "own", "data"],
                    "properties": {
                        "id": { "type": "string" },
                        "kind": { "type": "string" },
                        "title": { "type": "string" },
                        "own": { "type": "boolean", "description": "the person's own record" },
                        "data": { "type": "object", "description": "the record as stored" },
                    },
                } },
                "messages": { "type": "array", "description": "what campaigns sent them: only their part of each", "items": {
                    "type": "object",
                    "required": ["campaign", "name", "channel", "subject", "template"],
                    "properties": {
                        "campaign": { "type": "string" },
                        "name": { "type": "string" },
                        "channel": { "type": "string", "description": "the İYS channel code" },
                        "subject": { "type": "string" },
                        "template": { "type": "string" },
                        "delivery": { "description": "what the outbox did, when it got to them" },
                        "surveyAnswer": { "description": "their survey answer, if any" },
                    },
                } },
            },
        }),
    );
    paths.insert(
        "/api/v1/privacy/access/{person}".into(),
        json!({
            "parameters": [{ "name": "person", "in": "path", "required": true, "schema": { "type": "string" }, "description": "the person's contact, lead or account ID" }],
            "get": {
                "tags": ["privacy"],
                "operationId": "disclose_person",
                "summary": format!("Everything held about a person, as the JSON file an access request is answered with (the app saves the same file). Audited as a disclosure. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("Disclosure", "what is held about them")), &[("404", "no contact, lead or account of this workspace has this ID")]),
            },
        }),
    );
    schemas.insert(
        "EraseInput".into(),
        json!({
            "type": "object",
            "required": ["person"],
            "additionalProperties": false,
            "properties": {
                "person": { "type": "string", "description": "the person's contact, lead or account ID" },
                "request": { "type": "string", "description": "the privacy request this answers (its ID), or empty" },
                "eraseWhole": { "type": "array", "items": { "type": "string" }, "description": "records that refer to the person to erase whole instead of anonymising" },
            },
        }),
    );
    let treatment = json!({ "type": "string", "enum": ["erase", "anonymise"] });
    schemas.insert(
        "ErasurePlan".into(),
        json!({
            "type": "object",
            "description": "what erasing a person would do: their own record is erased, every record that refers to them is rebuilt under a new ID without them (or erased whole, when asked)",
            "required": ["person", "kind", "name", "records", "suppressed"],
            "properties": {
                "person": { "type": "string" },
                "kind": { "type": "string" },
                "name": { "type": "string" },
                "records": { "type": "array", "items": {
                    "type": "object",
                    "required": ["id", "kind", "title", "own", "treatment"],
                    "properties": {
                        "id": { "type": "string" },
                        "kind": { "type": "string" },
                        "title": { "type": "string" },
                        "own": { "type": "boolean" },
                        "treatment": treatment,
                    },
                } },
                "suppressed": { "type": "integer", "description": "addresses and numbers that go on the suppression list" },
            },
        }),
    );
    schemas.insert(
        "Destruction".into(),
        json!({
            "type": "object",
            "description": "the record an erasure leaves (kept at least 3 years): IDs, kinds, who, when and which request; no personal data",
            "required": ["id", "at", "by", "request", "person", "records", "suppressed"],
            "properties": {
                "id": { "type": "string" },
                "at": { "type": "integer", "description": "ms since the epoch" },
                "by": { "type": "string" },
                "request": { "type": "string" },
                "person": { "type": "string", "description": "the erased record's ID" },
                "records": { "type": "array", "items": {
                    "type": "object",
                    "required": ["id", "kind"],
                    "properties": {
                        "id": { "type": "string" },
                        "kind": { "type": "string" },
                        "replacedBy": { "type": ["string", "null"], "description": "the anonymised record that took its place; null when erased whole" },
                    },
                } },
                "suppressed": { "type": "integer" },
            },
        }),
    );
    schemas.insert(
        "Destructions".into(),
        json!({
            "type": "object",
            "properties": { "data": { "type": "array", "items": { "$ref": "#/components/schemas/Destruction" } } },
        }),
    );
    let erase_body = json!({ "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/EraseInput" } } } });
    let unknown = "no contact, lead or account of this workspace has this ID";
    paths.insert(
        "/api/v1/privacy/erasures".into(),
        json!({
            "get": {
                "tags": ["privacy"],
                "operationId": "list_erasures",
                "summary": format!("The destruction records of past erasures, newest first. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("Destructions", "the destruction records")), &[]),
            },
            "post": {
                "tags": ["privacy"],
                "operationId": "erase_person",
                "summary": format!("Erases a person: their record and every stored byte of its history are destroyed, records that refer to them are rebuilt without them under new IDs, their addresses go on the suppression list. Cannot be undone. {who} Scope privacy:write."),
                "requestBody": erase_body,
                "responses": responses(("201", json_body("Destruction", "the destruction record")), &[("404", unknown), ("413", "body too large"), ("415", "not JSON"), ("422", "a field is wrong")]),
            },
        }),
    );
    paths.insert(
        "/api/v1/privacy/erasures/preview".into(),
        json!({
            "post": {
                "tags": ["privacy"],
                "operationId": "preview_erasure",
                "summary": format!("What erasing a person would do, changing nothing. {who} Scope privacy:read."),
                "requestBody": erase_body,
                "responses": responses(("200", json_body("ErasurePlan", "what would be erased and anonymised")), &[("404", unknown), ("413", "body too large"), ("415", "not JSON"), ("422", "a field is wrong")]),
            },
        }),
    );
}

/// The retention policy (`/api/v1/privacy/retention…`),
/// [`crate::privacy::retention_handlers`].
fn retention_paths(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    use saha_core::privacy::retention::{MAX_INTERVAL_DAYS, MAX_MONTHS, Rule};
    let who = "Owners, admins and privacy officers; a token needs a `privacy:` scope (`*` does not include it).";
    let rules = json!(Rule::ALL.iter().map(|r| r.code()).collect::<Vec<_>>());
    let months = |about: &str| json!({ "type": ["integer", "null"], "minimum": 1, "maximum": MAX_MONTHS, "description": format!("{about}; null or absent: the rule is off") });
    schemas.insert(
        "RetentionPolicy".into(),
        json!({
            "type": "object",
            "description": "what a retention run erases, and how often it runs by itself",
            "required": ["intervalDays"],
            "additionalProperties": false,
            "properties": {
                (Rule::IdleLeads.field()): months("leads not converted and untouched (nor any record that refers to them) for this many months"),
                (Rule::FormerCustomers.field()): months("accounts of the former-customer type, and their contacts, with no activity for this many months"),
                (Rule::CallLogs.field()): months("calls older than this many months"),
                "intervalDays": { "type": "integer", "minimum": 1, "maximum": MAX_INTERVAL_DAYS, "description": "days between two scheduled runs (KVKK: at most six months)" },
            },
        }),
    );
    let ms = |about: &str| json!({ "type": ["integer", "null"], "description": format!("{about} (ms since the epoch)") });
    schemas.insert(
        "RetentionState".into(),
        json!({
            "type": "object",
            "required": ["policy", "savedAt", "lastRun", "nextRun"],
            "properties": {
                "policy": { "$ref": "#/components/schemas/RetentionPolicy" },
                "savedAt": { "type": "integer", "description": "when the policy was last saved (ms since the epoch; 0: never)" },
                "lastRun": ms("when the last run happened; null: never"),
                "nextRun": ms("when the next scheduled run is due; null while every rule is off"),
            },
        }),
    );
    schemas.insert(
        "RetentionDue".into(),
        json!({
            "type": "object",
            "description": "a record the next run would erase",
            "required": ["id", "kind", "title", "rule", "lastActivity", "person"],
            "properties": {
                "id": { "type": "string" },
                "kind": { "type": "string" },
                "title": { "type": "string", "description": "its title now (never kept in a run's log)" },
                "rule": { "type": "string", "enum": rules },
                "lastActivity": { "type": "integer", "description": "ms since the epoch" },
                "person": { "type": "boolean", "description": "erased as a person (masked in the records that refer to them) rather than destroyed as a log entry" },
            },
        }),
    );
    schemas.insert(
        "RetentionDueList".into(),
        json!({
            "type": "object",
            "required": ["data"],
            "properties": { "data": { "type": "array", "items": { "$ref": "#/components/schemas/RetentionDue" } } },
        }),
    );
    schemas.insert(
        "RetentionRun".into(),
        json!({
            "type": "object",
            "description": "a run as the workspace keeps it (at least three years): IDs and kinds, no titles",
            "required": ["id", "at", "by", "policy", "erased", "anonymised", "destructions"],
            "properties": {
                "id": { "type": "string" },
                "at": { "type": "integer", "description": "ms since the epoch" },
                "by": { "type": "string", "description": "who asked for it; empty for a scheduled run" },
                "policy": { "$ref": "#/components/schemas/RetentionPolicy" },
                "erased": { "type": "array", "items": {
                    "type": "object",
                    "required": ["id", "kind", "rule"],
                    "properties": {
                        "id": { "type": "string" },
                        "kind": { "type": "string" },
                        "rule": { "type": "string", "enum": rules },
                    },
                } },
                "anonymised": { "type": "integer", "minimum": 0, "description": "records rebuilt without the erased people" },
                "destructions": { "type": "array", "items": { "type": "string" }, "description": "the destruction records it left" },
            },
        }),
    );
    schemas.insert(
        "RetentionRuns".into(),
        json!({
            "type": "object",
            "required": ["data"],
            "properties": { "data": { "type": "array", "items": { "$ref": "#/components/schemas/RetentionRun" } } },
        }),
    );
    paths.insert(
        "/api/v1/privacy/retention".into(),
        json!({
            "get": {
                "tags": ["privacy"],
                "operationId": "get_retention_policy",
                "summary": format!("The workspace's retention policy and its schedule. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("RetentionState", "the policy")), &[]),
            },
            "put": {
                "tags": ["privacy"],
                "operationId": "save_retention_policy",
                "summary": format!("Saves the retention policy; runs then come every intervalDays by themselves. Audited. {who} Scope privacy:write."),
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RetentionPolicy" } } } },
                "responses": responses(("200", json_body("RetentionState", "the saved policy")), &[("413", "body too large"), ("415", "not JSON"), ("422", "a field is out of range (each is listed)")]),
            },
        }),
    );
    paths.insert(
        "/api/v1/privacy/retention/preview".into(),
        json!({
            "get": {
                "tags": ["privacy"],
                "operationId": "preview_retention_run",
                "summary": format!("What a run now would erase, changing nothing. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("RetentionDueList", "the records due")), &[]),
            },
        }),
    );
    paths.insert(
        "/api/v1/privacy/retention/runs".into(),
        json!({
            "get": {
                "tags": ["privacy"],
                "operationId": "list_retention_runs",
                "summary": format!("The runs so far, newest first. {who} Scope privacy:read."),
                "responses": responses(("200", json_body("RetentionRuns", "the runs")), &[]),
            },
            "post": {
                "tags": ["privacy"],
                "operationId": "run_retention",
                "summary": format!("Runs the policy now: erases what the preview lists, as erasures do (cannot be undone), and logs the run. Audited. {who} Scope privacy:write."),
                "responses": responses(("201", json_body("RetentionRun", "the run")), &[]),
            },
        }),
    );
}

/// The whole document.
/// Attachments: uploads (`/api/v1/blobs/…`) and each kind's files
/// (`/api/v1/{section}/{id}/attachments…`), [`crate::attachments::handlers`].
fn attachment_paths(paths: &mut Map<String, Value>, schemas: &mut Map<String, Value>) {
    let hash_param = json!({
        "name": "hash", "in": "path", "required": true,
        "schema": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
        "description": "the file's SHA-256, lower-case hex",
    });
    let id_param = json!({
        "name": "id", "in": "path", "required": true,
        "schema": { "type": "string" }, "description": "the record's ID",
    });
    schemas.insert(
        "Blob".into(),
        json!({
            "type": "object",
            "required": ["size", "mediaType", "storedAt", "storedBy"],
            "properties": {
                "size": { "type": "integer" },
                "mediaType": { "type": "string", "description": "the type the server found in the bytes" },
                "storedAt": { "type": "integer", "description": "ms since the epoch" },
                "storedBy": { "type": "string", "description": "the member whose upload stored it first" },
                "orphanedAt": { "type": "integer", "description": "since when no record holds it (0: one does)" },
            },
        }),
    );
    schemas.insert(
        "UploadState".into(),
        json!({
            "type": "object",
            "required": ["stored", "received"],
            "properties": {
                "stored": { "type": "boolean", "description": "the workspace has the file: nothing to upload" },
                "received": { "type": "array", "items": { "type": "integer" }, "description": "chunks the server has of an upload under way" },
                "blob": { "$ref": "#/components/schemas/Blob" },
            },
        }),
    );
    schemas.insert(
        "Attachment".into(),
        json!({
            "type": "object",
            "required": ["hash", "name", "mediaType", "size", "durationMs", "by", "at"],
            "properties": {
                "hash": { "type": "string" },
                "name": { "type": "string" },
                "mediaType": { "type": "string" },
                "size": { "type": "integer" },
                "durationMs": { "type": "integer", "description": "a voice note's length (0 for other files)" },
                "by": { "type": "string", "description": "the member who attached it" },
                "at": { "type": "integer", "description": "ms since the epoch" },
                "thumb": { "type": "string", "description": "SHA-256 of a small JPEG of a photo that lists show; download it like the file" },
            },
        }),
    );
    let who = "A token needs the `attachments:write` scope (`*` does not include it); the app's session needs none.";
    let blob_problems = [
        ("404", "not a SHA-256"),
        (
            "413",
            "the file is larger than the server takes, or the chunk than 1 MiB",
        ),
        ("507", "the workspace's attachments fill its quota"),
    ];
    paths.insert(
        "/api/v1/blobs/{hash}".into(),
        json!({
            "parameters": [hash_param.clone()],
            "get": {
                "tags": ["attachments"],
                "operationId": "upload_state",
                "summary": format!("Whether the workspace has the file, or which chunks of its upload arrived (to resume). {who}"),
                "responses": responses(("200", json_body("UploadState", "the upload's state")), &[("404", "not a SHA-256")]),
            },
        }),
    );
    paths.insert(
        "/api/v1/blobs/{hash}/chunks/{index}".into(),
        json!({
            "parameters": [
                hash_param.clone(),
                { "name": "index", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0 }, "description": "the chunk's place, from 0" },
            ],
            "put": {
                "tags": ["attachments"],
                "operationId": "upload_chunk",
                "summary": format!("One chunk of a file: exactly 1 MiB (1,048,576 bytes) but the last. Refused before anything is stored when the file is too large or over the quota. {who}"),
                "parameters": [
                    { "name": "size", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 1 }, "description": "the whole file's bytes" },
                ],
                "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                "responses": responses(("200", json_body("UploadState", "the upload's state after the chunk")), &blob_problems),
            },
        }),
    );
    let mut complete_problems = blob_problems.to_vec();
    complete_problems.extend([
        ("409", "chunks are missing (the detail names them)"),
        (
            "415",
            "Saha does not keep files of this type (the bytes decide)",
        ),
        (
            "422",
            "the bytes do not have the SHA-256 of the address; the chunks are dropped",
        ),
    ]);
    let complete_responses = {
        let mut r = responses(
            (
                "201",
                json!({ "description": "kept", "content": { "application/json": { "schema": { "type": "object", "required": ["hash", "blob"], "properties": { "hash": { "type": "string" }, "blob": { "$ref": "#/components/schemas/Blob" } } } } } }),
            ),
            &complete_problems,
        );
        r["200"] = json!({ "description": "the workspace had it already", "content": { "application/json": { "schema": { "type": "object", "required": ["hash", "blob"] } } } });
        r
    };
    paths.insert(
        "/api/v1/blobs/{hash}/complete".into(),
        json!({
            "parameters": [hash_param.clone()],
            "post": {
                "tags": ["attachments"],
                "operationId": "upload_complete",
                "summary": format!("Joins the chunks, checks the SHA-256, the type and the quota, and keeps the file. {who}"),
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object",
                    "required": ["size"],
                    "properties": {
                        "size": { "type": "integer", "minimum": 1, "description": "the whole file's bytes" },
                        "name": { "type": "string", "description": "the file's name (tells a .docx from an .xlsx)" },
                    },
                } } } },
                "responses": complete_responses,
            },
        }),
    );
    for info in KIND_INFO {
        let tag = info.section;
        let attach_responses = {
            let mut r = responses(
                ("201", json_body("Attachment", "attached")),
                &[
                    ("404", "no such record, or one the caller may not see"),
                    ("409", "the file has not been uploaded"),
                    ("413", "body too large"),
                    ("415", "not JSON"),
                ],
            );
            r["200"] = json_body("Attachment", "the file was on the record already");
            r
        };
        paths.insert(
            format!("/api/v1/{}/{{id}}/attachments", info.section),
            json!({
                "parameters": [id_param.clone()],
                "get": {
                    "tags": [tag],
                    "operationId": format!("list_attachments_{}", info.section),
                    "summary": "The files on the record, newest first",
                    "responses": responses(
                        ("200", json!({ "description": "the files", "content": { "application/json": { "schema": { "type": "object", "required": ["data"], "properties": { "data": { "type": "array", "items": { "$ref": "#/components/schemas/Attachment" } } } } } } })),
                        &[("404", "no such record, or one the caller may not see")],
                    ),
                },
                "post": {
                    "tags": [tag],
                    "operationId": format!("attach_{}", info.section),
                    "summary": "Attaches an uploaded file to the record (synced to every device like any change)",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["hash"],
                        "properties": {
                            "hash": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
                            "name": { "type": "string", "maxLength": 200 },
                            "durationMs": { "type": "integer", "minimum": 0, "description": "a voice note's length" },
                            "thumb": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of an uploaded small image of a photo, for lists" },
                        },
                    } } } },
                    "responses": attach_responses,
                },
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}/attachments/{{hash}}", info.section),
            json!({
                "parameters": [id_param.clone(), hash_param.clone()],
                "get": {
                    "tags": [tag],
                    "operationId": format!("download_attachment_{}", info.section),
                    "summary": "The file's bytes, as the type found in them, with a sandboxing Content-Security-Policy (images and sound inline, everything else as a download)",
                    "responses": responses(
                        ("200", json!({ "description": "the file", "content": { "*/*": { "schema": { "type": "string", "format": "binary" } } } })),
                        &[("404", "no such record or file, or one the caller may not see")],
                    ),
                },
                "delete": {
                    "tags": [tag],
                    "operationId": format!("detach_{}", info.section),
                    "summary": "Removes the file from the record (it is deleted once no record holds it, after a grace period)",
                    "responses": responses(
                        ("204", json!({ "description": "removed" })),
                        &[("404", "no such record or file on it, or one the caller may not see")],
                    ),
                },
            }),
        );
    }
}

pub fn document() -> Value {
    let mut paths = Map::new();
    let mut schemas = Map::new();
    schemas.insert(
        "Problem".into(),
        json!({
            "type": "object",
            "description": "RFC 9457 problem details",
            "required": ["type", "title", "status", "detail", "code"],
            "properties": {
                "type": { "type": "string" },
                "title": { "type": "string" },
                "status": { "type": "integer" },
                "detail": { "type": "string" },
                "code": { "type": "string", "description": "stable error code" },
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "code"],
                        "properties": { "field": { "type": "string" }, "code": { "type": "string" } },
                    },
                },
            },
        }),
    );
    let id_param = json!({
        "name": "id", "in": "path", "required": true,
        "schema": { "type": "string" }, "description": "the record's ID",
    });
    for info in KIND_INFO {
        let name = schema_name(info.section);
        kind_schemas(info.kind, &mut schemas, &name);
        let tag = info.section;
        let list_params = json!([
            { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT } },
            { "name": "cursor", "in": "query", "schema": { "type": "string" }, "description": "nextCursor of the previous page" },
            { "name": "q", "in": "query", "schema": { "type": "string" }, "description": "words the record's title or search fields start with (Turkish letters folded)" },
            { "name": "sort", "in": "query", "schema": { "type": "string", "enum": SORTS, "default": "title" } },
            { "name": "status", "in": "query", "schema": { "type": "string" } },
            { "name": "account", "in": "query", "schema": { "type": "string" }, "description": "records of this account ID" },
            { "name": "owner", "in": "query", "schema": { "type": "string" }, "description": "records this member is responsible for" },
            { "name": "updated_since", "in": "query", "schema": { "type": "integer" }, "description": "changed at or after (ms since the epoch)" },
            { "name": "archived", "in": "query", "schema": { "type": "boolean", "default": false }, "description": "include archived records" },
            { "name": "deleted", "in": "query", "schema": { "type": "boolean", "default": false }, "description": "include records in the bin (owners and admins)" },
        ]);
        paths.insert(
            format!("/api/v1/{}", info.section),
            json!({
                "get": {
                    "tags": [tag],
                    "operationId": format!("list_{}", info.section),
                    "summary": format!("List {}", info.section),
                    "parameters": list_params,
                    "responses": responses(("200", json_body(&format!("{name}Page"), "a page of records")), &[("404", "unknown kind")]),
                },
                "post": {
                    "tags": [tag],
                    "operationId": format!("create_{}", info.section),
                    "summary": format!("Create a record in {}", info.section),
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}Input") } } } },
                    "responses": responses(("201", json_body(&name, "the record as stored")), &[("404", "unknown kind"), ("413", "body too large"), ("415", "not JSON"), ("422", "fields need attention or the workflow refused it")]),
                },
            }),
        );
        paths.insert(
            format!("/api/v1/{}/{{id}}", info.section),
            json!({
                "parameters": [id_param.clone()],
                "get": {
                    "tags": [tag],
                    "operationId": format!("get_{}", info.section),
                    "summary": format!("Read one of {}", info.section),
                    "responses": responses(("200", json_body(&name, "the record")), &[("404", "no such record, or one the caller may not see")]),
                },
                "patch": {
                    "tags": [tag],
                    "operationId": format!("update_{}", info.section),
                    "summary": format!("Change fields of one of {}", info.section),
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}Input") } } } },
                    "responses": responses(("200", json_body(&name, "the record as it now reads")), &[("404", "no such record, or one the caller may not see"), ("413", "body too large"), ("415", "not JSON"), ("422", "fields need attention or the workflow refused it")]),
                },
                "delete": {
                    "tags": [tag],
                    "operationId": format!("delete_{}", info.section),
                    "summary": format!("Move one of {} to the bin (owners and admins)", info.section),
                    "responses": responses(("204", json!({ "description": "in the bin" })), &[("404", "no such record, or one the caller may not see")]),
                },
            }),
        );
    }
    for (section, name, action) in Action::ALL {
        let ok = match action {
            Action::OrderFromQuote => ("201", json_body("Orders", "the new order")),
            Action::InvoiceFromOrder => ("201", json_body("Invoices", "the new draft invoice")),
            _ => (
                "200",
                json_body(&schema_name(section), "the record after the step"),
            ),
        };
        let mut post = json!({
            "tags": [section],
            "operationId": format!("{name}_{section}"),
            "summary": action.summary(),
            "responses": responses(
                ok,
                &[
                    ("400", "the body is not a conversion request"),
                    ("404", "no such record, or one the caller may not see"),
                    ("422", "the workflow does not allow the step now (code says why)"),
                ],
            ),
        });
        if action == Action::ConvertLead {
            post["requestBody"] = json!({
                "required": false,
                "description": "existing records the lead is already, used in place of new ones; without a body the conversion makes a new account and contact",
                "content": { "application/json": { "schema": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "account": { "type": "string", "description": "the ID of an account to convert into: it keeps its values and gains only those it lacks" },
                        "contact": { "type": "string", "description": "the ID of a contact to convert into: it keeps its values, gains those it lacks and the lead's consent events" },
                    },
                } } },
            });
        }
        paths.insert(
            format!("/api/v1/{section}/{{id}}/{name}"),
            json!({
                "parameters": [id_param.clone()],
                "post": post,
            }),
        );
    }
    paths.insert(
        "/api/v1/reports/profitability".into(),
        json!({
            "get": {
                "tags": ["reports"],
                "operationId": "report_profitability",
                "summary": "Profit per customer over the records the caller may read: TRY accounts ranked by gross margin with ABC class and RFM scores, other currencies apart, the whale curve, and how many sold lines had no cost (needs read scopes for orders and invoices)",
                "parameters": [
                    { "name": "since", "in": "query", "schema": { "type": "string", "format": "date" }, "description": "only sales on or after this day" },
                    { "name": "a", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 99, "default": 80 }, "description": "class A up to this share of the margin (%)" },
                    { "name": "b", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 99, "default": 95 }, "description": "class B up to this share (%), at least a" },
                ],
                "responses": responses(
                    ("200", json!({ "description": "the report", "content": { "application/json": { "schema": { "type": "object", "required": ["report", "accounts", "otherCurrencies", "whaleCurve", "rfmTooFew", "uncostedLines"] } } } })),
                    &[],
                ),
            },
        }),
    );
    let needs = "needs read scopes for accounts, contacts, campaigns, cases, orders and invoices";
    for (name, summary, parameters, required) in [
        (
            "satisfaction-loyalty",
            "The satisfaction–loyalty matrix with the workspace's thresholds: each account's satisfaction, loyalty and group (dangerous, captive, mercenary, advocate), counts per group, accounts without satisfaction data apart",
            json!([]),
            json!(["report", "counts", "noData", "accounts"]),
        ),
        (
            "retention",
            "Each customer's usual interval between sales, days since the last one, at risk and silent, by margin",
            json!([]),
            json!(["report", "customers"]),
        ),
        (
            "cross-sell",
            "What to offer an account next: products bought together with what it bought (support, confidence, lift)",
            json!([{ "name": "account", "in": "query", "required": true, "schema": { "type": "string" }, "description": "the account's ID" }]),
            json!(["report", "account", "suggestions"]),
        ),
        (
            "performance",
            "Team performance in a period, per rep, per team and in all: won revenue against the goals, win rate, median sales cycle, weighted pipeline, calls per working day, case response and resolution medians; stage conversion and the NPS trend",
            json!([
                { "name": "period", "in": "query", "schema": { "type": "string", "enum": ["month", "last_month", "quarter", "year", "custom"], "default": "month" } },
                { "name": "from", "in": "query", "description": "First day of a custom period (with to; at most five years)", "schema": { "type": "string", "format": "date" } },
                { "name": "to", "in": "query", "description": "Last day of a custom period (with from)", "schema": { "type": "string", "format": "date" } }
            ]),
            json!([
                "report", "period", "total", "reps", "teams", "stages", "nps"
            ]),
        ),
        (
            "demand",
            "A product's monthly quantity and a three-month forecast with its backtest error; without a product, the products sold",
            json!([{ "name": "product", "in": "query", "schema": { "type": "string" }, "description": "the product's ID" }]),
            json!(["report"]),
        ),
    ] {
        paths.insert(
            format!("/api/v1/reports/{name}"),
            json!({
                "get": {
                    "tags": ["reports"],
                    "operationId": format!("report_{}", name.replace('-', "_")),
                    "summary": format!("{summary} ({})", if name == "performance" {
                        "needs read scopes for opportunities, calls, cases and campaigns"
                    } else {
                        needs
                    }),
                    "parameters": parameters,
                    "responses": responses(
                        ("200", json!({ "description": "the report", "content": { "application/json": { "schema": { "type": "object", "required": required } } } })),
                        &[],
                    ),
                },
            }),
        );
    }
    schemas.insert(
        "Mention".into(),
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["url", "author", "text"],
            "properties": {
                "url": { "type": "string", "description": "the post's public link (http or https)" },
                "author": { "type": "string" },
                "text": { "type": "string" },
                "network": { "type": "string", "description": "where it was written" },
                "category": { "type": "string", "enum": ["complaint", "request", "wish"] },
                "team": { "type": "string", "description": "the team the case belongs to" },
            },
        }),
    );
    let mut mention_responses = responses(
        ("201", json_body("Cases", "the new case")),
        &[
            ("404", "no case kind"),
            ("413", "body too large"),
            ("415", "not JSON"),
            ("422", "fields need attention"),
        ],
    );
    mention_responses["200"] = json_body("Cases", "the case this link already made");
    paths.insert(
        "/api/v1/inbound/mentions".into(),
        json!({
            "post": {
                "tags": ["inbound"],
                "operationId": "post_mention",
                "summary": "A public mention becomes a social-channel case (the same link again answers the case it made)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Mention" } } } },
                "responses": mention_responses,
            },
        }),
    );
    privacy_paths(&mut paths, &mut schemas);
    retention_paths(&mut paths, &mut schemas);
    attachment_paths(&mut paths, &mut schemas);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Saha REST API",
            "version": "1",
            "description": "Records of a Saha workspace. Authenticate with `Authorization: Bearer saha_…` (Settings → API, or `saha-server admin create-api-token`). A token acts with its member's role and teams, capped by its scopes. Errors are RFC 9457 problem details with a stable `code`.",
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "an API token, saha_…" },
                "session": { "type": "apiKey", "in": "cookie", "name": "saha_session", "description": "the app's session (same-origin only)" },
            },
        },
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn serve() -> impl IntoResponse {
    static DOCUMENT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    let document = DOCUMENT.get_or_init(document).clone();
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(document),
    )
}

/// `GET /api/v1/docs`: the document as a readable page (no script: the site's CSP
/// allows none from elsewhere, and a reference needs none).
pub async fn docs() -> Html<String> {
    let document = document();
    let mut out = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Saha REST API</title><link rel=\"stylesheet\" href=\"/pkg/saha.css\"></head>\
         <body><main class=\"page api-docs\"><h1>Saha REST API</h1>",
    );
    let text = |v: &Value| html_escape(v.as_str().unwrap_or_default());
    out.push_str(&format!(
        "<p>{}</p>",
        text(&document["info"]["description"])
    ));
    out.push_str("<p><a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI 3.1)</p>");
    if let Some(paths) = document["paths"].as_object() {
        for (path, ops) in paths {
            let Some(ops) = ops.as_object() else { continue };
            for (method, op) in ops {
                if method == "parameters" {
                    continue;
                }
                out.push_str(&format!(
                    "<h2><code>{} {}</code></h2><p>{}</p>",
                    method.to_uppercase(),
                    html_escape(path),
                    text(&op["summary"])
                ));
            }
        }
    }
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        out.push_str("<h2>Record fields</h2>");
        for (name, schema) in schemas {
            let Some(fields) = schema["properties"]["fields"]["properties"].as_object() else {
                continue;
            };
            if name.ends_with("Input") {
                continue;
            }
            out.push_str(&format!("<h3>{}</h3><ul>", html_escape(name)));
            for (field, spec) in fields {
                let about = spec["description"].as_str().unwrap_or("");
                out.push_str(&format!(
                    "<li><code>{}</code> {}</li>",
                    html_escape(field),
                    html_escape(about)
                ));
            }
            out.push_str("</ul>");
        }
    }
    out.push_str("</main></body></html>");
    Html(out)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_paths_and_schemas() {
        let doc = document();
        for info in KIND_INFO {
            let name = schema_name(info.section);
            assert!(doc["paths"][format!("/api/v1/{}", info.section)]["get"].is_object());
            assert!(doc["paths"][format!("/api/v1/{}/{{id}}", info.section)]["patch"].is_object());
            assert!(doc["components"]["schemas"][&name]["properties"]["fields"].is_object());
            assert!(doc["components"]["schemas"][format!("{name}Input")].is_object());
        }
        // A record kind's own field appears with its check.
        let tax_id =
            &doc["components"]["schemas"]["Accounts"]["properties"]["fields"]["properties"];
        assert!(tax_id.as_object().is_some_and(|f| !f.is_empty()));
        assert!(doc["components"]["schemas"]["QuotesInput"]["properties"]["lines"].is_object());
        for path in [
            "/api/v1/invoices/{id}/issue",
            "/api/v1/invoices/{id}/pay",
            "/api/v1/leads/{id}/convert",
        ] {
            assert!(doc["paths"][path]["post"]["summary"].is_string(), "{path}");
        }
        assert!(doc["paths"]["/api/v1/privacy/requests"]["post"].is_object());
        assert!(doc["paths"]["/api/v1/privacy/requests/{id}"]["put"].is_object());
        assert_eq!(
            doc["components"]["schemas"]["PrivacyRequestInput"]["properties"]["channel"]["enum"]
                .as_array()
                .map(Vec::len),
            Some(saha_core::privacy::request::Channel::ALL.len())
        );
    }
}
