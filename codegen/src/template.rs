//! Placeholders in spec templates: `{name}` in HTTP paths, `{#name}` in RAM ARN templates.

/// The names of the placeholders in `template` that start with `open` and end with `}`, in
/// order; `None` when a placeholder is not closed.
pub fn placeholders<'a>(template: &'a str, open: &str) -> Option<Vec<&'a str>> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let end = after.find('}')?;
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_arn_placeholders() {
        assert_eq!(
            placeholders("/v{version}/image/{imageId}", "{"),
            Some(vec!["version", "imageId"])
        );
        assert_eq!(
            placeholders(
                "acs:swas-open:{#regionId}:{#accountId}:customimage/{#ImageIds}",
                "{#"
            ),
            Some(vec!["regionId", "accountId", "ImageIds"])
        );
        assert_eq!(placeholders("*", "{#"), Some(vec![]));
        assert_eq!(placeholders("/v{version/image", "{"), None);
    }
}
