//! The spec format: the model, and parsing YAML into it with source positions.

pub mod model;
pub mod parse;

pub use parse::parse;

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Position};
use model::Spec;

/// A parsed spec and the file it came from.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// The path, as given to [`load_dir`] joined with the file name.
    pub path: PathBuf,
    /// The file's stem (`alibaba-ecs`), which names the generated crate's folder.
    pub stem: String,
    /// The parsed spec.
    pub spec: Spec,
}

/// Reads and parses every `*.yaml` spec in `dir`, in file-name order. Collects every
/// problem rather than stopping at the first.
pub fn load_dir(dir: &Path) -> Result<Vec<SpecFile>, Diagnostics> {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
            })
            .collect(),
        Err(error) => {
            return Err(Diagnostics(vec![Diagnostic::new(
                dir,
                Position::default(),
                format!("cannot read the specs folder: {error}"),
            )]));
        }
    };
    paths.sort();
    let mut specs = load_files(&paths)?;
    merge_fragments(&dir.join(IMPORTED_DIR), &mut specs)?;
    Ok(specs)
}

/// The folder, inside the specs folder, of imported fragments ([`model::Fragment`]).
pub const IMPORTED_DIR: &str = "imported";

/// Merges every fragment of `dir` (if it exists) into the spec with the same stem: its
/// structures and operations that the spec does not define, and its facts.
pub fn merge_fragments(dir: &Path, specs: &mut [SpecFile]) -> Result<(), Diagnostics> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    paths.sort();
    let mut problems = Vec::new();
    for path in paths {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => {
                problems.push(Diagnostic::new(
                    &path,
                    Position::default(),
                    format!("cannot read the fragment: {error}"),
                ));
                continue;
            }
        };
        let fragment = match parse::parse_fragment(&path, &text) {
            Ok(fragment) => fragment,
            Err(diagnostic) => {
                problems.push(diagnostic);
                continue;
            }
        };
        problems.extend(parse::unsafe_text(&path, &text));
        let name = stem(&path);
        match specs.iter_mut().find(|spec| spec.stem == name) {
            Some(spec) => merge(&mut spec.spec, fragment),
            None => problems.push(
                Diagnostic::new(
                    &path,
                    Position::default(),
                    format!("the fragment has no spec `{name}.yaml` to merge into"),
                )
                .help("add the service's spec (its document overlay) beside `imported/`"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

/// Merges `fragment` into `spec`: what the spec defines wins.
pub fn merge(spec: &mut Spec, fragment: model::Fragment) {
    for structure in fragment.structures {
        if !spec
            .structures
            .iter()
            .any(|known| known.value.name.value == structure.value.name.value)
        {
            spec.structures.push(structure);
        }
    }
    for mut operation in fragment.operations {
        if !spec
            .operations
            .iter()
            .any(|known| known.value.name.value == operation.value.name.value)
        {
            if operation.value.provenance.is_none() {
                operation.value.provenance = Some(fragment.imported.clone());
            }
            spec.operations.push(operation);
        }
    }
    spec.facts.extend(fragment.facts);
    apply_enums(spec);
}

/// Gives each enum's `applies_to` fields the enum as their type: a `type: string` field
/// (of a structure, or a parameter or response field of an operation) named
/// `Owner.Field` becomes `type: enum`. Other targets are left alone; the check pass
/// reports them ([`enum_target`]). Applying twice changes nothing.
pub fn apply_enums(spec: &mut Spec) {
    use model::ParamType;
    let targets: Vec<(String, String)> = spec
        .enums
        .iter()
        .flat_map(|enumeration| {
            let name = enumeration.value.name.value.clone();
            enumeration
                .value
                .applies_to
                .iter()
                .map(move |target| (name.clone(), target.clone()))
        })
        .collect();
    for (name, target) in targets {
        let Some((owner, field)) = target.split_once('.') else {
            continue;
        };
        let retype = |ty: &mut ParamType, enumeration: &mut Option<String>| {
            if *ty == ParamType::String && enumeration.is_none() {
                *ty = ParamType::Enum;
                *enumeration = Some(name.clone());
            }
        };
        for structure in &mut spec.structures {
            if structure.value.name.value == owner {
                for member in &mut structure.value.fields {
                    if member.name == field {
                        retype(&mut member.ty, &mut member.enumeration);
                    }
                }
            }
        }
        for operation in &mut spec.operations {
            if operation.value.name.value != owner {
                continue;
            }
            for parameter in &mut operation.value.parameters {
                if parameter.value.name.value == field {
                    retype(
                        &mut parameter.value.ty.value,
                        &mut parameter.value.enumeration,
                    );
                }
            }
            for member in &mut operation.value.response.fields {
                if member.name == field {
                    retype(&mut member.ty, &mut member.enumeration);
                }
            }
        }
    }
}

/// The enum that the field `target` (`Owner.Field`) has as its type, if it is an enum
/// field of a structure or an operation of `spec`.
pub fn enum_target<'a>(spec: &'a Spec, target: &str) -> Option<&'a str> {
    use model::ParamType;
    let (owner, field) = target.split_once('.')?;
    let structures = spec
        .structures
        .iter()
        .filter(|structure| structure.value.name.value == owner)
        .flat_map(|structure| &structure.value.fields)
        .filter(|member| member.name == field && member.ty == ParamType::Enum)
        .filter_map(|member| member.enumeration.as_deref());
    let operations = spec
        .operations
        .iter()
        .filter(|operation| operation.value.name.value == owner)
        .flat_map(|operation| {
            let parameters = operation
                .value
                .parameters
                .iter()
                .filter(|parameter| {
                    parameter.value.name.value == field
                        && parameter.value.ty.value == ParamType::Enum
                })
                .filter_map(|parameter| parameter.value.enumeration.as_deref());
            let responses = operation
                .value
                .response
                .fields
                .iter()
                .filter(|member| member.name == field && member.ty == ParamType::Enum)
                .filter_map(|member| member.enumeration.as_deref());
            parameters.chain(responses)
        });
    structures.chain(operations).next()
}

/// Reads and parses the given spec files.
pub fn load_files(paths: &[PathBuf]) -> Result<Vec<SpecFile>, Diagnostics> {
    let mut specs = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match std::fs::read_to_string(path) {
            Ok(text) => match load_str(path, &text) {
                Ok(spec) => specs.push(spec),
                Err(found) => problems.extend(found.0),
            },
            Err(error) => problems.push(Diagnostic::new(
                path,
                Position::default(),
                format!("cannot read the spec: {error}"),
            )),
        }
    }
    if problems.is_empty() {
        Ok(specs)
    } else {
        Err(Diagnostics(problems).sorted())
    }
}

/// Parses one spec from text, as if read from `path`: the model, and every text value
/// checked for characters that cannot go into generated Rust ([`parse::unsafe_text`]).
pub fn load_str(path: &Path, text: &str) -> Result<SpecFile, Diagnostics> {
    let mut spec = parse(path, text).map_err(|diagnostic| Diagnostics(vec![diagnostic]))?;
    apply_enums(&mut spec);
    let problems = parse::unsafe_text(path, text);
    if !problems.is_empty() {
        return Err(Diagnostics(problems).sorted());
    }
    Ok(SpecFile {
        path: path.to_owned(),
        stem: stem(path),
        spec,
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}
