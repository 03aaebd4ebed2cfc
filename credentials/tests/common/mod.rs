//! What the chain's integration tests share: a temporary home folder with profile files, and
//! an error shown with its causes.

#![allow(dead_code)] // Each test binary uses its own part.

use std::path::PathBuf;

use cloudspec_credentials::Environment;

/// A temporary home folder with the given files, removed when dropped.
pub struct Home(pub PathBuf);

impl Home {
    /// `name` must be unique among the tests of the crate.
    pub fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let path = std::env::temp_dir().join(format!(
            "cloudspec-credentials-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("home folder");
        for (relative, text) in files {
            let file = path.join(relative);
            std::fs::create_dir_all(file.parent().expect("a parent")).expect("folder");
            std::fs::write(file, text).expect("file");
        }
        Self(path)
    }

    /// The variables `vars` and no others, profile files under this home.
    pub fn environment(&self, vars: &[(&'static str, &'static str)]) -> Environment {
        let vars: Vec<(&'static str, &'static str)> = vars.to_vec();
        Environment::new(&self.0, move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An error and its sources, joined by `: `.
pub fn with_sources(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
