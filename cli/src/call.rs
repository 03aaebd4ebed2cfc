//! `cloudspec <service> <operation> [--<parameter> VALUE]...`: operations from the registry.

use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use cloudspec_runtime::config::Endpoint;
use cloudspec_runtime::registry::{InvokeError, OperationEntry, ParamKind, ServiceEntry};
use cloudspec_runtime::{Config, ConfigError, Credentials, RetryConfig, SdkError, Timeouts};
use serde_json::{Map, Value};

use crate::naming::{foreign_region, region_naming};
use crate::output::OutputFormat;
use crate::text::{escape_controls, with_causes};

/// The longest `--timeout` accepted: one year, in seconds. Longer is a usage error (and
/// would overflow the clock arithmetic of a deadline).
pub const MAX_TIMEOUT_SECONDS: u64 = 365 * 24 * 60 * 60;

/// The subcommand of `service`, with one subcommand per operation.
pub fn service_command(service: &'static ServiceEntry) -> Command {
    let about = format!(
        "{} ({} API {})",
        service.meta.title, service.crate_name, service.meta.api_version
    );
    let mut command = Command::new(service.command)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for operation in service.operations {
        command = command.subcommand(operation_command(operation));
    }
    command
}

fn operation_command(operation: &'static OperationEntry) -> Command {
    let mut command = Command::new(operation.command)
        .about(format!("{}: {}", operation.meta.name, operation.summary));
    // Common parameters of the protocol (Tencent `Region`) come from the common flags.
    for param in operation.params.iter().filter(|param| !param.common) {
        let help = format!(
            "`{}`{}{}: {}",
            param.documented_name,
            if param.required { " (required)" } else { "" },
            if param.kind == ParamKind::StringList {
                " (one item per flag; repeat it)"
            } else {
                ""
            },
            param.summary
        );
        let arg = Arg::new(param.flag)
            .long(param.flag)
            .help(help)
            .required(param.required);
        let arg = match param.kind {
            ParamKind::String => arg.value_name("TEXT").action(ArgAction::Set),
            ParamKind::Integer => arg
                .value_name("N")
                .value_parser(clap::value_parser!(i64))
                .action(ArgAction::Set),
            ParamKind::Boolean => arg
                .value_name("BOOL")
                .value_parser(clap::value_parser!(bool))
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
                .action(ArgAction::Set),
            ParamKind::Unsigned => arg
                .value_name("N")
                .value_parser(clap::value_parser!(u64))
                .action(ArgAction::Set),
            ParamKind::Float => arg
                .value_name("NUMBER")
                .value_parser(clap::value_parser!(f64))
                .action(ArgAction::Set),
            ParamKind::StringList => arg.value_name("TEXT").action(ArgAction::Append),
            ParamKind::Json => arg
                .value_name("JSON")
                .value_parser(parse_json)
                .action(ArgAction::Set),
        };
        command = command.arg(arg);
    }
    command
}

/// A structured flag's value: JSON text, as tccli takes nested parameters
/// (`--filters '[{"Name":"image-id","Values":["img-1"]}]'`).
fn parse_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|error| format!("not JSON: {error}"))
}

/// The common flags of every operation command.
pub fn common_args() -> Vec<Arg> {
    vec![
        Arg::new("region")
            .long("region")
            .global(true)
            .value_name("REGION")
            .help("Region: picks the regional endpoint (and X-TC-Region for Tencent)"),
        Arg::new("endpoint")
            .long("endpoint")
            .global(true)
            .value_name("URL")
            .help("Send to this endpoint instead of the service's host (e.g. the local emulator)"),
        Arg::new("timeout")
            .long("timeout")
            .global(true)
            .value_name("SECONDS")
            .value_parser(clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECONDS))
            .help("Timeout of the whole call, in seconds, 1 to 31536000 [default: 120]"),
        Arg::new("max-attempts")
            .long("max-attempts")
            .global(true)
            .value_name("N")
            .value_parser(clap::value_parser!(u32).range(1..))
            .help("Attempts in all, retries included, at least 1 [default: 3]"),
        Arg::new("access-key-id")
            .long("access-key-id")
            .global(true)
            .value_name("ID")
            .help("Access key id (default: the provider's environment variables)"),
        Arg::new("access-key-secret")
            .long("access-key-secret")
            .global(true)
            .value_name("SECRET")
            .help("Access key secret (prefer the environment variables)"),
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help(
                "Profile of the provider's own tool: ~/.aliyun/config.json (aliyun), \
                 ~/.tccli/NAME.credential (tccli) [default: the tool's own, after the \
                 environment variables]",
            ),
        Arg::new("output")
            .long("output")
            .global(true)
            .value_name("FORMAT")
            .value_parser(clap::value_parser!(OutputFormat))
            .help("How to print the answer [default: json]"),
        Arg::new("filter")
            .long("filter")
            .global(true)
            .value_name("JMESPATH")
            .value_parser(crate::output::parse_filter)
            .help("JMESPath expression applied to the answer before --output (e.g. 'ImageSet[*].ImageId')"),
        Arg::new("show-request")
            .long("show-request")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the signed request (signature and tokens masked) instead of sending it"),
    ]
}

/// The JSON input of an operation from its parsed flags, keyed by documented names.
pub fn input_from_matches(operation: &OperationEntry, matches: &ArgMatches) -> Value {
    let mut input = Map::new();
    for param in operation.params.iter().filter(|param| !param.common) {
        let value = match param.kind {
            ParamKind::String => matches
                .get_one::<String>(param.flag)
                .cloned()
                .map(Value::String),
            ParamKind::Integer => matches
                .get_one::<i64>(param.flag)
                .map(|value| Value::from(*value)),
            ParamKind::Boolean => matches
                .get_one::<bool>(param.flag)
                .map(|value| Value::Bool(*value)),
            ParamKind::Unsigned => matches
                .get_one::<u64>(param.flag)
                .map(|value| Value::from(*value)),
            ParamKind::Float => matches
                .get_one::<f64>(param.flag)
                .map(|value| Value::from(*value)),
            ParamKind::StringList => matches
                .get_many::<String>(param.flag)
                .map(|values| Value::Array(values.cloned().map(Value::String).collect())),
            ParamKind::Json => matches.get_one::<Value>(param.flag).cloned(),
        };
        if let Some(value) = value {
            input.insert(param.documented_name.to_owned(), value);
        }
    }
    Value::Object(input)
}

/// What went wrong in a call, with the process exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CallFailure {
    /// Bad flags or an input that breaks a documented limit: nothing was sent (exit 2).
    #[error("{0}")]
    Invalid(String),
    /// The service refused (exit 3).
    #[error("{0}")]
    Service(String),
    /// Anything else: configuration, transport, unreadable response (exit 4).
    #[error("{0}")]
    Other(String),
}

impl CallFailure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CallFailure::Invalid(_) => 2,
            CallFailure::Service(_) => 3,
            CallFailure::Other(_) => 4,
        }
    }
}

/// The client configuration from the common flags. An operation sent unsigned
/// (`unsigned`: STS AssumeRoleWithOIDC, AssumeRoleWithWebIdentity) needs no credentials, so
/// finding none is not an error for it.
pub fn config_from_matches(
    service: &ServiceEntry,
    unsigned: bool,
    matches: &ArgMatches,
) -> Result<Config, CallFailure> {
    let id = matches.get_one::<String>("access-key-id");
    let secret = matches.get_one::<String>("access-key-secret");
    let mut config = match (id, secret) {
        (Some(id), _) if id.is_empty() => {
            return Err(CallFailure::Invalid("--access-key-id is empty".to_owned()));
        }
        (_, Some(secret)) if secret.is_empty() => {
            return Err(CallFailure::Invalid(
                "--access-key-secret is empty".to_owned(),
            ));
        }
        (Some(id), Some(secret)) => Config::new(Credentials::new(id, secret)),
        (None, None) => match matches.get_one::<String>("profile") {
            Some(profile) => Config::from_profile(service.meta.provider, profile),
            None => Config::from_env(service.meta.provider),
        }
        .or_else(|error| match error {
            ConfigError::NoCredentials(_) if unsigned => Ok(Config::without_credentials()),
            other => Err(other),
        })
        .map_err(|error| match error {
            ConfigError::NoCredentials(variables) => CallFailure::Other(format!(
                "no credentials: set {variables}, configure the provider's own tool \
                 (aliyun configure, tccli configure, bce configure set), or pass \
                 --access-key-id and --access-key-secret"
            )),
            ConfigError::NoSuchProfile { name } => CallFailure::Invalid(format!(
                "no profile `{name}`: the provider's tool keeps no profile file of that name \
                 (~/.aliyun/config.json or ~/.alibabacloud/credentials.ini for Alibaba, \
                 ~/.tccli/{name}.credential for Tencent, ~/.bce/config.json for Baidu)"
            )),
            other => CallFailure::Other(with_causes(&other)),
        })?,
        _ => {
            return Err(CallFailure::Invalid(
                "give both --access-key-id and --access-key-secret, or neither".to_owned(),
            ));
        }
    };
    if let Some(region) = matches.get_one::<String>("region") {
        config = config.with_region(region);
    }
    if let Some(endpoint) = matches.get_one::<String>("endpoint") {
        Endpoint::parse(endpoint).map_err(|error| CallFailure::Invalid(with_causes(&error)))?;
        config = config.with_endpoint(endpoint);
    }
    if let Some(seconds) = matches.get_one::<u64>("timeout") {
        let total = Duration::from_secs(*seconds);
        let defaults = Timeouts::default();
        config = config.with_timeouts(Timeouts {
            total,
            attempt: defaults.attempt.min(total),
            connect: defaults.connect.min(total),
        });
    }
    if let Some(attempts) = matches.get_one::<u32>("max-attempts") {
        config = config.with_retry(RetryConfig {
            max_attempts: *attempts,
            ..RetryConfig::default()
        });
    }
    Ok(config)
}

/// The region that picks the host, for the command line: `--region`; else, on Alibaba RPC,
/// the operation's own `RegionId` (the protocol's regional hosts are named by it,
/// docs/protocols.md). Without `--endpoint`, the region is checked: one the service's spec
/// does not list, or one in another provider's naming ([`crate::naming`]), is a usage error
/// rather than a connection to a host that does not exist; and a service with no global
/// host needs one, a usage error that says which flag to give rather than the library's
/// advice.
pub fn region_for_host(
    service: &ServiceEntry,
    config: Config,
    input: &Value,
) -> Result<Config, CallFailure> {
    if config.endpoint().is_some() {
        return Ok(config);
    }
    let config = match config.region() {
        Some(_) => config,
        None => match input.get("RegionId").and_then(Value::as_str) {
            Some(region)
                if service.meta.protocol == cloudspec_runtime::Protocol::AlibabaRpc
                    && !region.is_empty() =>
            {
                config.with_region(region)
            }
            _ => config,
        },
    };
    let endpoints = &service.meta.endpoints;
    match config.region() {
        Some(region) => check_region(service, region)?,
        None if endpoints.global.is_none() => {
            return Err(CallFailure::Invalid(format!(
                "no region: {} has no global endpoint; pass --region REGION{}, or --endpoint URL",
                service.meta.title,
                known_regions(service)
            )));
        }
        None => {}
    }
    if endpoints.host(config.region()).is_none() {
        return Err(CallFailure::Invalid(format!(
            "{} has no endpoint for region `{}`; pass --endpoint URL",
            service.meta.title,
            escape_controls(config.region().unwrap_or_default())
        )));
    }
    Ok(config)
}

/// ` (known regions: a, b)`, or nothing when the spec lists none.
fn known_regions(service: &ServiceEntry) -> String {
    let known = service.meta.endpoints.regions;
    if known.is_empty() {
        String::new()
    } else {
        format!(" (known regions: {})", known.join(", "))
    }
}

/// A region that picks the host of `service`: one of the spec's regions when it lists
/// them, and not in another provider's naming. Either mistake is a usage error whose hint
/// says how this provider names regions, and that `--endpoint` sends anywhere.
fn check_region(service: &ServiceEntry, region: &str) -> Result<(), CallFailure> {
    let endpoints = &service.meta.endpoints;
    let provider = service.meta.provider;
    let shown = escape_controls(region);
    let name = format!("{} ({})", service.meta.title, service.command);
    let host = escape_controls(&endpoints.host(Some(region)).unwrap_or_default());
    let ours = region_naming(provider)
        .map(|naming| format!("{} names regions like `{}`; ", naming.title, naming.example))
        .unwrap_or_default();
    let hint =
        format!("\n\nhint: {ours}to send to `{host}` anyway, pass --endpoint https://{host}");
    let foreign = foreign_region(region, provider);
    if !endpoints.regions.is_empty() && !endpoints.regions.contains(&region) {
        let theirs = foreign
            .map(|theirs| format!("; `{shown}` is a region name of {}", theirs.title))
            .unwrap_or_default();
        return Err(CallFailure::Invalid(format!(
            "unknown region `{shown}` for {name}: known regions are {}{theirs}{hint}",
            endpoints.regions.join(", "),
        )));
    }
    if let Some(theirs) = foreign {
        return Err(CallFailure::Invalid(format!(
            "`{shown}` is a region name of {}, not of {}: {name} would be called at `{host}`{hint}",
            theirs.title,
            region_naming(provider).map_or("this provider", |naming| naming.title),
        )));
    }
    Ok(())
}

/// Calls `operation` and returns its JSON output.
pub async fn call(
    operation: &OperationEntry,
    config: Config,
    input: Value,
) -> Result<Value, CallFailure> {
    (operation.invoke)(config, input)
        .await
        .map_err(|error| match error {
            InvokeError::Input(reason) => {
                CallFailure::Invalid(format!("invalid input: {}", escape_controls(&reason)))
            }
            InvokeError::Config(error @ ConfigError::InvalidEndpoint { .. }) => {
                CallFailure::Invalid(with_causes(&error))
            }
            InvokeError::Config(error) => CallFailure::Other(with_causes(&error)),
            InvokeError::Call(SdkError::Validation(errors)) => {
                let mut text = format!("invalid {} input, nothing was sent:", errors.operation);
                for violation in &errors.violations {
                    text.push_str(&format!(
                        "\n  - {}",
                        escape_controls(&violation.to_string())
                    ));
                }
                CallFailure::Invalid(text)
            }
            InvokeError::Call(SdkError::Service(error)) => {
                let service_error = &error.error;
                let mut text = format!(
                    "service error: {}\n  message:    {}\n  HTTP:       {}\n  request id: {}",
                    escape_controls(service_error.code.as_deref().unwrap_or("(no code)")),
                    escape_controls(service_error.message.as_deref().unwrap_or("(none)")),
                    service_error.status,
                    escape_controls(service_error.request_id.as_deref().unwrap_or("(none)")),
                );
                if service_error.attempts > 1 {
                    text.push_str(&format!("\n  attempts:   {}", service_error.attempts));
                }
                if let Some(documented) = error.documented {
                    text.push_str(&format!("\n  documented: {}", documented.description));
                }
                CallFailure::Service(text)
            }
            InvokeError::Call(other) => {
                let mut text = with_causes(&other);
                if let SdkError::Response { body_excerpt, .. } = &other
                    && !body_excerpt.is_empty()
                {
                    text.push_str(&format!(
                        "\n  body:       {}",
                        escape_controls(body_excerpt)
                    ));
                }
                CallFailure::Other(text)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use cloudspec_runtime::Credentials;

    fn config() -> Config {
        Config::new(Credentials::new("id", "secret"))
    }

    fn service(command: &str) -> &'static ServiceEntry {
        cloudspec_services::service(command).expect("a generated service")
    }

    #[test]
    fn alibaba_region_id_picks_the_host_when_no_region_is_given() {
        let input = serde_json::json!({ "RegionId": "cn-hangzhou", "ImageIds": ["m-1"] });
        let config = region_for_host(service("alibaba-swas"), config(), &input).unwrap();
        assert_eq!(config.region(), Some("cn-hangzhou"));
        // --region wins over the input.
        let given = config.clone().with_region("cn-beijing");
        let kept = region_for_host(service("alibaba-swas"), given, &input).unwrap();
        assert_eq!(kept.region(), Some("cn-beijing"));
    }

    #[test]
    fn no_region_for_a_regional_only_service_is_a_usage_error_naming_the_flags() {
        let failure =
            region_for_host(service("baidu-bcc"), config(), &serde_json::json!({})).unwrap_err();
        assert_eq!(failure.exit_code(), 2);
        let text = failure.to_string();
        assert!(
            text.contains("--region REGION") && text.contains("--endpoint URL"),
            "{text}"
        );
        assert!(!text.contains("Config::with_region"), "{text}");
        // A global host needs no region; an endpoint needs none either.
        assert!(region_for_host(service("alibaba-ens"), config(), &serde_json::json!({})).is_ok());
        let endpoint = config().with_endpoint("http://127.0.0.1:9");
        assert!(region_for_host(service("baidu-bcc"), endpoint, &serde_json::json!({})).is_ok());
    }

    #[test]
    fn a_region_of_another_provider_is_a_usage_error_with_a_hint() {
        let with_region = |region: &str| config().with_region(region);
        let empty = serde_json::json!({});
        let tencent = region_for_host(service("tencent-cvm"), with_region("cn-hangzhou"), &empty)
            .unwrap_err();
        assert_eq!(tencent.exit_code(), 2);
        let text = tencent.to_string();
        assert!(
            text.contains("cvm.cn-hangzhou.tencentcloudapi.com")
                && text.contains(
                    "`cn-hangzhou` is a region name of Alibaba Cloud, not of Tencent Cloud"
                )
                && text.contains("hint: Tencent Cloud names regions like `ap-guangzhou`")
                && text.contains("pass --endpoint https://cvm.cn-hangzhou.tencentcloudapi.com"),
            "{text}"
        );
        assert!(
            region_for_host(service("tencent-cvm"), with_region("ap-guangzhou"), &empty).is_ok()
        );
        // Baidu's spec lists its regions: anything else is refused with the list.
        let baidu =
            region_for_host(service("baidu-bcc"), with_region("cn-hangzhou"), &empty).unwrap_err();
        let text = baidu.to_string();
        assert!(
            text.contains("unknown region `cn-hangzhou` for")
                && text.contains("known regions are bj, gz, su")
                && text.contains("Alibaba Cloud"),
            "{text}"
        );
        assert!(region_for_host(service("baidu-bcc"), with_region("gz"), &empty).is_ok());
        // A Baidu code as an Alibaba RegionId, which picks the host.
        let alibaba = region_for_host(
            service("alibaba-swas"),
            config(),
            &serde_json::json!({ "RegionId": "bj" }),
        )
        .unwrap_err();
        assert!(alibaba.to_string().contains("Baidu AI Cloud"), "{alibaba}");
        // With --endpoint the region picks no host and is not checked.
        let endpoint = with_region("cn-hangzhou").with_endpoint("http://127.0.0.1:9");
        assert!(region_for_host(service("tencent-cvm"), endpoint, &empty).is_ok());
    }
}
