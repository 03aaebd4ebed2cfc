//! `cargo xtask conformance`: runs the conformance suite and reports every tier of it in one
//! table per API (generated client, each official SDK family, differential, signer
//! cross-check), on the terminal, as Markdown (`target/conformance/report.md`) and as JUnit
//! XML (`target/conformance/junit.xml`).
//!
//! The tests write their results as records (`cloudspec_conformance_report`); this command
//! gathers them. `--report-only` reports the records of a run made otherwise (CI runs the
//! README's test command, then reports).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::Context as _;
use cloudspec_conformance_report::{self as report, Outcome, Record, TIERS};
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

/// Counts of one tier of one API.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Cases.
    pub cases: usize,
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Skipped.
    pub skipped: usize,
}

/// The counts by API, then tier (in [`TIERS`] order).
pub fn tally(records: &[Record]) -> BTreeMap<String, Vec<(String, Counts)>> {
    let mut by_api: BTreeMap<String, BTreeMap<String, Counts>> = BTreeMap::new();
    for record in records {
        let counts = by_api
            .entry(record.api.clone())
            .or_default()
            .entry(record.tier.clone())
            .or_default();
        counts.cases += 1;
        match record.outcome {
            Outcome::Passed => counts.passed += 1,
            Outcome::Failed => counts.failed += 1,
            Outcome::Skipped => counts.skipped += 1,
        }
    }
    by_api
        .into_iter()
        .map(|(api, tiers)| {
            let mut ordered: Vec<(String, Counts)> = tiers.into_iter().collect();
            ordered.sort_by_key(|(tier, _)| {
                TIERS
                    .iter()
                    .position(|known| known == tier)
                    .unwrap_or(TIERS.len())
            });
            (api, ordered)
        })
        .collect()
}

/// The Markdown report: a table per API and every failure (and skip reason) with its
/// document reference.
pub fn markdown(records: &[Record]) -> String {
    let mut text = String::from("# Conformance report\n");
    for (api, tiers) in tally(records) {
        let _ = write!(
            text,
            "\n## {api}\n\n| tier | cases | passed | failed | skipped |\n| --- | ---: | ---: | ---: | ---: |\n"
        );
        for (tier, counts) in tiers {
            let _ = writeln!(
                text,
                "| {tier} | {} | {} | {} | {} |",
                counts.cases, counts.passed, counts.failed, counts.skipped
            );
        }
    }
    let problems: Vec<&Record> = records
        .iter()
        .filter(|record| record.outcome != Outcome::Passed)
        .collect();
    if !problems.is_empty() {
        text.push_str("\n## Failures and skips\n\n");
        for record in problems {
            let _ = writeln!(
                text,
                "- **{}** {} / {} / {}: {}\n  - the document: {}",
                match record.outcome {
                    Outcome::Failed => "FAILED",
                    _ => "skipped",
                },
                record.api,
                record.tier,
                record.case,
                record.detail.replace('\n', " "),
                record.reference
            );
        }
    }
    text
}

/// The JUnit XML report: a suite per API and tier, a test case per record.
pub fn junit(records: &[Record]) -> anyhow::Result<String> {
    let mut report = Report::new("cloudspec-conformance");
    let mut suites: BTreeMap<(String, String), TestSuite> = BTreeMap::new();
    for record in records {
        let suite = suites
            .entry((record.api.clone(), record.tier.clone()))
            .or_insert_with(|| TestSuite::new(format!("{} / {}", record.api, record.tier)));
        let status = match record.outcome {
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::Failed => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(record.detail.clone());
                status.set_description(format!("the document: {}", record.reference));
                status
            }
            Outcome::Skipped => {
                let mut status = TestCaseStatus::skipped();
                status.set_message(record.detail.clone());
                status
            }
        };
        let mut case = TestCase::new(record.case.clone(), status);
        case.set_classname(format!("{}.{}", record.api, record.tier));
        suite.add_test_case(case);
    }
    report.add_test_suites(suites.into_values());
    report.to_string().context("serializing the JUnit report")
}

/// The terminal table.
fn table(records: &[Record]) -> String {
    let mut text = String::new();
    for (api, tiers) in tally(records) {
        let _ = writeln!(
            text,
            "\n{api}\n  {:<28} {:>6} {:>7} {:>7} {:>8}",
            "tier", "cases", "passed", "failed", "skipped"
        );
        for (tier, counts) in tiers {
            let _ = writeln!(
                text,
                "  {tier:<28} {:>6} {:>7} {:>7} {:>8}",
                counts.cases, counts.passed, counts.failed, counts.skipped
            );
        }
    }
    text
}

/// Runs the suite (unless `report_only`), then reports. Fails when the tests failed, any
/// case failed, nothing was recorded, or (in CI) anything was skipped.
pub fn run(root: &Path, report_only: bool, args: &[String]) -> anyhow::Result<ExitCode> {
    let dir = report::conformance_dir_under(root);
    let records_dir = dir.join("records");
    let mut tests_passed = true;
    if !report_only {
        match std::fs::remove_dir_all(&records_dir) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error).context(format!("clearing {}", records_dir.display())),
        }
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "-p", "cloudspec-conformance"])
            .args(args)
            .env("CLOUDSPEC_CONFORMANCE_DIR", &dir)
            .current_dir(root)
            .status()
            .context("running cargo test")?;
        tests_passed = status.success();
    }
    let records = report::read_records(&records_dir).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let markdown = markdown(&records);
    std::fs::write(dir.join("report.md"), &markdown).context("writing report.md")?;
    std::fs::write(dir.join("junit.xml"), junit(&records)?).context("writing junit.xml")?;
    println!("{}", table(&records));
    let failed = records
        .iter()
        .filter(|record| record.outcome == Outcome::Failed)
        .count();
    let skipped = records
        .iter()
        .filter(|record| record.outcome == Outcome::Skipped)
        .count();
    for record in records
        .iter()
        .filter(|record| record.outcome == Outcome::Failed)
        .take(20)
    {
        println!(
            "FAILED {} / {} / {}: {}\n       the document: {}",
            record.api, record.tier, record.case, record.detail, record.reference
        );
    }
    println!(
        "report: {} and {}",
        dir.join("report.md").display(),
        dir.join("junit.xml").display()
    );
    let in_ci = std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false");
    let mut ok = tests_passed && failed == 0 && !records.is_empty();
    if records.is_empty() {
        eprintln!("error: no conformance records in {}", records_dir.display());
    }
    if failed > 0 {
        eprintln!("error: {failed} conformance cases failed");
    }
    if skipped > 0 {
        eprintln!(
            "{}: {skipped} conformance cases were skipped (reasons in report.md)",
            if in_ci { "error" } else { "warning" }
        );
        ok &= !in_ci;
    }
    if !tests_passed {
        eprintln!("error: the conformance tests failed");
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(api: &str, tier: &str, case: &str, outcome: Outcome) -> Record {
        Record {
            api: api.into(),
            tier: tier.into(),
            case: case.into(),
            outcome,
            reference: format!("seed 003: {case}"),
            detail: if outcome == Outcome::Passed {
                String::new()
            } else {
                format!("why {case}")
            },
        }
    }

    fn records() -> Vec<Record> {
        vec![
            record("tencent-cvm", "differential", "a", Outcome::Passed),
            record("tencent-cvm", "generated client", "b", Outcome::Failed),
            record("tencent-cvm", "generated client", "c", Outcome::Passed),
            record("baidu-bcc", "bce-python-sdk", "d", Outcome::Skipped),
        ]
    }

    #[test]
    fn tiers_are_counted_in_report_order() {
        let tally = tally(&records());
        let cvm = &tally["tencent-cvm"];
        assert_eq!(cvm[0].0, "generated client");
        assert_eq!(
            cvm[0].1,
            Counts {
                cases: 2,
                passed: 1,
                failed: 1,
                skipped: 0
            }
        );
        assert_eq!(cvm[1].0, "differential");
        assert_eq!(tally["baidu-bcc"][0].1.skipped, 1);
    }

    #[test]
    fn markdown_lists_failures_with_their_document() {
        let text = markdown(&records());
        assert!(
            text.contains("| generated client | 2 | 1 | 1 | 0 |"),
            "{text}"
        );
        assert!(
            text.contains("**FAILED** tencent-cvm / generated client / b: why b"),
            "{text}"
        );
        assert!(text.contains("the document: seed 003: b"), "{text}");
        assert!(
            text.contains("**skipped** baidu-bcc / bce-python-sdk / d: why d"),
            "{text}"
        );
    }

    #[test]
    fn junit_has_a_suite_per_api_and_tier() {
        let xml = junit(&records()).unwrap();
        assert!(
            xml.contains(
                r#"<testsuites name="cloudspec-conformance" tests="4" skipped="1" failures="1""#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<testsuite name="tencent-cvm / generated client" tests="2" skipped="0" errors="0" failures="1">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<failure message="why b">the document: seed 003: b</failure>"#),
            "{xml}"
        );
        assert!(xml.contains("<skipped"), "{xml}");
    }
}
