//! What a successful call prints: the typed output as JSON (the default), as a table or as
//! tab-separated text, after an optional JMESPath `--filter` (as tccli's `--filter` and the
//! aws CLI's `--query` take it).

use clap::ValueEnum;
use comfy_table::{Table, presets};
use serde_json::{Map, Value};

use crate::text::{escape_controls, escape_controls_keep_lines};

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OutputFormat {
    /// Pretty-printed JSON.
    #[default]
    Json,
    /// Aligned columns for each list of objects, key/value rows for the rest.
    Table,
    /// Tab-separated values, one line per record.
    Text,
}

/// Why `--filter` could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    /// The expression is not JMESPath.
    #[error("{}", escape_controls_keep_lines(.0.trim_end()))]
    Invalid(String),
    /// The expression is JMESPath but failed on this answer (a function given a value of the
    /// wrong type, say).
    #[error(
        "--filter `{expression}` failed on the answer (the call itself succeeded): {}",
        escape_controls_keep_lines(.reason.trim_end())
    )]
    Search {
        /// The expression.
        expression: String,
        /// What the JMESPath interpreter said.
        reason: String,
    },
}

/// The `--filter` value parser: accepts exactly the expressions that compile, so that an
/// invalid filter is a usage error before anything is sent.
pub fn parse_filter(expression: &str) -> Result<String, FilterError> {
    jmespath::compile(expression)
        .map(|_| expression.to_owned())
        .map_err(|error| FilterError::Invalid(error.to_string()))
}

/// `value` with the JMESPath `expression` applied.
pub fn apply_filter(expression: &str, value: &Value) -> Result<Value, FilterError> {
    let search = |reason: String| FilterError::Search {
        expression: escape_controls(expression),
        reason,
    };
    let compiled =
        jmespath::compile(expression).map_err(|error| FilterError::Invalid(error.to_string()))?;
    let found = compiled
        .search(value)
        .map_err(|error| search(error.to_string()))?;
    serde_json::to_value(&*found).map_err(|error| search(error.to_string()))
}

/// `value` as `format` prints it, without a final newline.
pub fn render(value: &Value, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        }
        OutputFormat::Table => table(value),
        OutputFormat::Text => text(value),
    }
}

/// A scalar, or a nested value as compact JSON, for one table cell or text field; `null`
/// is empty. Server text is escaped, and so are tabs and newlines, which would break a
/// row or a line.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => escape_controls(text),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(_) | Value::Object(_) => escape_controls(&value.to_string()),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Whether `items` is a non-empty list of objects: records, which a table shows as rows
/// under a header.
fn are_records(items: &[Value]) -> bool {
    !items.is_empty() && items.iter().all(Value::is_object)
}

/// `value` when it is a list of records.
fn as_records(value: &Value) -> Option<&[Value]> {
    match value {
        Value::Array(items) if are_records(items) => Some(items),
        _ => None,
    }
}

/// The columns of a list of objects: every key, in order of first appearance.
fn columns(records: &[Value]) -> Vec<&str> {
    let mut columns: Vec<&str> = Vec::new();
    for record in records {
        if let Value::Object(fields) = record {
            for key in fields.keys() {
                if !columns.contains(&key.as_str()) {
                    columns.push(key);
                }
            }
        }
    }
    columns
}

fn new_table() -> Table {
    let mut table = Table::new();
    table.load_preset(presets::ASCII_FULL_CONDENSED);
    table
}

/// A list as a table: a list of objects gets a header and one row per object; a list of
/// lists one row per inner list; anything else one row per item.
fn list_table(items: &[Value]) -> Table {
    let mut table = new_table();
    if are_records(items) {
        let columns = columns(items);
        table.set_header(columns.iter().map(|name| escape_controls(name)));
        for record in items {
            table.add_row(
                columns
                    .iter()
                    .map(|name| record.get(*name).map(cell).unwrap_or_default()),
            );
        }
    } else {
        for item in items {
            match item {
                Value::Array(inner) => table.add_row(inner.iter().map(cell)),
                other => table.add_row(vec![cell(other)]),
            };
        }
    }
    table
}

/// `--output table`: a scalar alone; a list as [`list_table`]; an object as key/value rows
/// for its fields, followed by one titled table for each field that is a list of objects
/// (DescribeImages' `ImageSet`).
fn table(value: &Value) -> String {
    match value {
        Value::Array(items) if items.is_empty() => String::new(),
        Value::Array(items) => list_table(items).to_string(),
        Value::Object(fields) => object_tables(fields),
        scalar => cell(scalar),
    }
}

fn object_tables(fields: &Map<String, Value>) -> String {
    let mut sections = Vec::new();
    let mut rows = new_table();
    let mut lists = Vec::new();
    for (name, field) in fields {
        match as_records(field) {
            Some(records) => lists.push((name, records)),
            None => {
                rows.add_row(vec![escape_controls(name), cell(field)]);
            }
        }
    }
    if !rows.is_empty() {
        sections.push(rows.to_string());
    }
    for (name, records) in lists {
        sections.push(format!(
            "{}\n{}",
            escape_controls(name),
            list_table(records)
        ));
    }
    sections.join("\n")
}

/// One line of tab-separated fields.
fn line<'a>(fields: impl IntoIterator<Item = &'a Value>) -> String {
    fields.into_iter().map(cell).collect::<Vec<_>>().join("\t")
}

/// The lines of a list: all scalars are one line; otherwise one line per item (an object's
/// values in the order of the list's columns, a list's items, or the scalar), each line
/// starting with `prefix` when there is one.
fn list_lines(items: &[Value], prefix: Option<&str>, out: &mut Vec<String>) {
    let start = |fields: String| match prefix {
        Some(prefix) if fields.is_empty() => escape_controls(prefix),
        Some(prefix) => format!("{}\t{fields}", escape_controls(prefix)),
        None => fields,
    };
    if items.iter().all(is_scalar) {
        if !items.is_empty() {
            out.push(start(line(items)));
        }
        return;
    }
    let records = are_records(items).then(|| columns(items));
    for item in items {
        let fields = match (item, &records) {
            (Value::Object(fields), Some(columns)) => columns
                .iter()
                .map(|name| fields.get(*name).map(cell).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("\t"),
            (Value::Array(inner), _) => line(inner),
            (other, _) => cell(other),
        };
        out.push(start(fields));
    }
}

/// `--output text`, one line per record, fields separated by tabs (like the aws CLI's text
/// output): a scalar is one line; a list gives [`list_lines`]; an object gives one line of
/// its scalar fields' values (in key order), then, for each field that is a list or an
/// object, lines that start with the field's name: one per item of a list, one for an
/// object (its values).
fn text(value: &Value) -> String {
    let mut out = Vec::new();
    match value {
        Value::Array(items) => list_lines(items, None, &mut out),
        Value::Object(fields) => {
            let scalars: Vec<&Value> = fields.values().filter(|field| is_scalar(field)).collect();
            if !scalars.is_empty() {
                out.push(line(scalars));
            }
            for (name, field) in fields {
                match field {
                    Value::Array(items) => list_lines(items, Some(name), &mut out),
                    Value::Object(inner) => out.push(format!(
                        "{}\t{}",
                        escape_controls(name),
                        line(inner.values())
                    )),
                    _ => {}
                }
            }
        }
        scalar => out.push(cell(scalar)),
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The shape of CVM DescribeImages' answer (`TotalCount`, `ImageSet`, `RequestId`).
    fn images() -> Value {
        json!({
            "TotalCount": 2,
            "ImageSet": [
                { "ImageId": "img-1", "ImageName": "镜像一", "Tags": [{ "Key": "k", "Value": "v" }] },
                { "ImageId": "img-22", "ImageName": "two\tnames", "Extra": null }
            ],
            "RequestId": "r-1"
        })
    }

    #[test]
    fn json_is_pretty_printed_as_before() {
        assert_eq!(
            render(&json!({ "RequestId": "r-1" }), OutputFormat::Json),
            "{\n  \"RequestId\": \"r-1\"\n}"
        );
    }

    #[test]
    fn table_has_key_value_rows_then_a_table_per_list_of_objects() {
        // Columns line up: each CJK character takes two columns; a tab is escaped.
        assert_eq!(
            render(&images(), OutputFormat::Table),
            r#"+------------+-----+
| RequestId  | r-1 |
| TotalCount | 2   |
+------------+-----+
ImageSet
+---------+------------+---------------------------+-------+
| ImageId | ImageName  | Tags                      | Extra |
+==========================================================+
| img-1   | 镜像一     | [{"Key":"k","Value":"v"}] |       |
| img-22  | two\tnames |                           |       |
+---------+------------+---------------------------+-------+"#
        );
    }

    #[test]
    fn table_of_a_filtered_list() {
        let filtered = apply_filter("ImageSet[*].[ImageId, ImageName]", &images()).unwrap();
        let shown = render(&filtered, OutputFormat::Table);
        assert!(shown.contains("| img-22 | two\\tnames |"), "{shown}");
        assert!(!shown.contains("ImageId"), "no header for lists: {shown}");
        assert_eq!(render(&json!("x"), OutputFormat::Table), "x");
        assert_eq!(render(&json!([]), OutputFormat::Table), "");
    }

    #[test]
    fn text_is_one_tab_separated_line_per_record() {
        assert_eq!(
            render(&images(), OutputFormat::Text),
            "r-1\t2\n\
             ImageSet\timg-1\t镜像一\t[{\"Key\":\"k\",\"Value\":\"v\"}]\t\n\
             ImageSet\timg-22\ttwo\\tnames\t\t"
        );
        let ids = apply_filter("ImageSet[].ImageId", &images()).unwrap();
        assert_eq!(render(&ids, OutputFormat::Text), "img-1\timg-22");
        let pairs = apply_filter("ImageSet[].[ImageId, ImageName]", &images()).unwrap();
        assert_eq!(
            render(&pairs, OutputFormat::Text),
            "img-1\t镜像一\nimg-22\ttwo\\tnames"
        );
        assert_eq!(render(&json!("plain"), OutputFormat::Text), "plain");
    }

    #[test]
    fn filters_are_jmespath() {
        let value = images();
        assert_eq!(apply_filter("TotalCount", &value).unwrap(), json!(2));
        assert_eq!(
            apply_filter("ImageSet[1].ImageId", &value).unwrap(),
            json!("img-22")
        );
        assert_eq!(
            apply_filter("ImageSet[*].{id: ImageId, tag: Tags[0].Key}", &value).unwrap(),
            json!([{ "id": "img-1", "tag": "k" }, { "id": "img-22", "tag": null }])
        );
        assert_eq!(apply_filter("length(ImageSet)", &value).unwrap(), json!(2));
    }

    #[test]
    fn an_invalid_filter_is_refused_with_the_position() {
        let error = parse_filter("ImageSet[").unwrap_err().to_string();
        assert!(error.contains("column"), "{error}");
        assert!(parse_filter("ImageSet[0].ImageId").is_ok());
        let failed = apply_filter("length(TotalCount)", &images()).unwrap_err();
        assert!(matches!(failed, FilterError::Search { .. }), "{failed}");
    }
}
