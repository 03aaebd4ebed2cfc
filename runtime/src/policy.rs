//! RAM policy statements for the documented authorization of an operation.

use serde::Serialize;

/// A documented RAM authorization: one row of the document's authorization table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorization {
    /// The action (`swas-open:DeleteCustomImages`).
    pub action: &'static str,
    /// The access level (`delete`).
    pub access_level: &'static str,
    /// The resource type as the document writes it.
    pub resource_type: &'static str,
    /// The ARN template (`*` for all resources).
    pub resource_arn: &'static str,
    /// Condition keys.
    pub condition_keys: &'static [&'static str],
    /// Dependent actions.
    pub dependent_actions: &'static [&'static str],
}

/// One statement of a RAM policy, serializable to the policy JSON form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyStatement {
    /// Always `Allow` for the statements generated here.
    #[serde(rename = "Effect")]
    pub effect: &'static str,
    /// The actions allowed.
    #[serde(rename = "Action")]
    pub action: Vec<String>,
    /// The resources they are allowed on.
    #[serde(rename = "Resource")]
    pub resource: Vec<String>,
}

impl PolicyStatement {
    /// An `Allow` statement for `action` on `resource`.
    pub fn allow(action: &str, resource: Vec<String>) -> Self {
        Self {
            effect: "Allow",
            action: vec![action.to_owned()],
            resource,
        }
    }

    /// The statement as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "Effect": self.effect, "Action": self.action, "Resource": self.resource })
    }
}

/// Fills an ARN template's `{#name}` placeholders. A placeholder with several values (a list
/// parameter) gives one ARN per value; with several such placeholders, every combination.
pub fn render_arns(template: &str, values: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut arns = vec![template.to_owned()];
    for (name, options) in values {
        let placeholder = format!("{{#{name}}}");
        if !template.contains(&placeholder) {
            continue;
        }
        let placeholder = placeholder.as_str();
        arns = arns
            .iter()
            .flat_map(|arn| {
                options
                    .iter()
                    .map(move |value| arn.replace(placeholder, value))
            })
            .collect();
    }
    arns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_arn_per_listed_image() {
        let arns = render_arns(
            "acs:swas-open:{#regionId}:{#accountId}:customimage/{#ImageIds}",
            &[
                ("regionId", vec!["cn-hangzhou".into()]),
                ("accountId", vec!["123".into()]),
                ("ImageIds", vec!["m-1".into(), "m-2".into()]),
            ],
        );
        assert_eq!(
            arns,
            [
                "acs:swas-open:cn-hangzhou:123:customimage/m-1",
                "acs:swas-open:cn-hangzhou:123:customimage/m-2"
            ]
        );
    }

    #[test]
    fn all_resources_stays_a_star() {
        assert_eq!(render_arns("*", &[]), ["*"]);
    }
}
