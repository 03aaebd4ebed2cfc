//! Runs a spec's `behaviour:` (the generated [`Behaviour`] data) against the world: finds
//! the targets, applies the refusal rules in order, calls the hook, then the effects. One
//! function for every operation of every spec; the tests below have one case per rule kind,
//! on behaviours written here, not on any spec's.

use std::collections::HashMap;
use std::sync::Arc;

use cloudspec_runtime::behaviour::{
    Behaviour, Condition, ErrorAnswer, Outcome, Presence, RegionSource, Removal,
};
use serde_json::{Map, Value};

use crate::engine::World;
use crate::errors::ApiError;
use crate::service::Service;
use crate::state::Resource;

/// What a hook sees of a call that passed the refusal rules.
#[derive(Debug)]
pub struct HookCall<'a> {
    /// The service.
    pub service: Service,
    /// The operation's spec name.
    pub operation: &'static str,
    /// The caller's account.
    pub account: &'a str,
    /// The call's parameters, keyed by documented name.
    pub params: &'a Map<String, Value>,
    /// The target resources that will be acted on (those not ignored).
    pub targets: &'a [Resource],
}

/// A hook's refusal: the documented error code of the operation to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookRefusal {
    /// A code of the operation's error table (`%s` templates filled in).
    pub code: String,
}

/// A Rust hook a spec names with `behaviour.hook`, registered with
/// [`crate::EmulatorBuilder::hook`] under that name: for what cannot be data.
pub type Hook = Arc<dyn Fn(&HookCall<'_>) -> Result<(), HookRefusal> + Send + Sync>;

/// The hooks of a running emulator, by name.
pub(crate) type Hooks = HashMap<String, Hook>;

/// The compiled ID patterns of every behaviour of the registry, by pattern text.
#[derive(Debug, Default)]
pub(crate) struct Patterns(HashMap<&'static str, regex_lite::Regex>);

impl Patterns {
    /// Compiles every ID pattern the registry's behaviours use (the generator checked that
    /// they compile; one that does not is left out and refuses every ID).
    pub(crate) fn of_registry() -> Patterns {
        let mut patterns = HashMap::new();
        for service in Service::all() {
            for operation in service.operations() {
                if let Some(format) = operation.behaviour.and_then(|b| b.target.format)
                    && let Ok(regex) = regex_lite::Regex::new(format.pattern)
                {
                    patterns.insert(format.pattern, regex);
                }
            }
        }
        Patterns(patterns)
    }

    fn matches(&self, pattern: &'static str, id: &str) -> bool {
        match self.0.get(pattern) {
            Some(regex) => regex.is_match(id),
            None => regex_lite::Regex::new(pattern).is_ok_and(|regex| regex.is_match(id)),
        }
    }
}

/// One call, as the rules see it.
pub(crate) struct Context<'a> {
    pub service: Service,
    pub operation: &'static str,
    pub account: &'a str,
    /// The parameters, keyed by documented name.
    pub params: &'a Map<String, Value>,
    /// The region the call names (from a parameter or the host), if any.
    pub region: Option<String>,
    /// The operation's documented errors (what a hook may refuse with).
    pub errors: &'static [cloudspec_runtime::DocumentedError],
    /// The status of a documented row that has none (the provider's).
    pub default_status: u16,
}

/// The region `source` gives for a call: the parameter's value (a common parameter is read
/// through `common_param`), or the host read with the regional endpoint template.
pub(crate) fn region_of(
    source: Option<RegionSource>,
    service: Service,
    params: &Map<String, Value>,
    host: &str,
    common_param: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    match source? {
        RegionSource::Parameter(name) => params
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| common_param(name))
            .filter(|region| !region.is_empty()),
        RegionSource::Host => {
            let template = service.meta().endpoints.regional?;
            let (prefix, suffix) = template.split_once("{region}")?;
            let host = host.rsplit_once(':').map_or(host, |(name, port)| {
                if port.bytes().all(|b| b.is_ascii_digit()) {
                    name
                } else {
                    host
                }
            });
            host.strip_prefix(prefix)?
                .strip_suffix(suffix)
                .filter(|region| !region.is_empty() && !region.contains('.'))
                .map(str::to_owned)
        }
    }
}

/// The target IDs of a call: the target parameter's value, or each item of a list, each
/// once, in order.
fn target_ids(behaviour: &Behaviour, params: &Map<String, Value>) -> Vec<String> {
    let mut ids: Vec<String> = match params.get(behaviour.target.parameter) {
        Some(Value::String(id)) => vec![id.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| item.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    ids
}

fn holds(
    condition: &Condition,
    presence: Presence,
    resource: Option<&Resource>,
    params: &Map<String, Value>,
) -> bool {
    match *condition {
        Condition::Found(presences) => presences.contains(&presence),
        Condition::Kind(kinds) => resource.is_some_and(|r| kinds.contains(&r.kind)),
        Condition::State(states) => resource.is_some_and(|r| states.contains(&r.state.as_str())),
        Condition::Shared(shared) => resource.is_some_and(|r| r.is_shared() == shared),
        Condition::Used(used) => resource.is_some_and(|r| r.used_by.is_empty() != used),
        Condition::Parameter {
            name,
            equals,
            when_absent,
        } => params
            .get(name)
            .map_or(when_absent, |value| equals.matches(value)),
    }
}

fn answer(error: &ErrorAnswer, parameter: &str, ctx: &Context<'_>) -> ApiError {
    ApiError::answer(error, parameter, ctx.default_status)
}

/// Runs `behaviour` for the call `ctx` on `world`: `Ok` when the call succeeds (its
/// effects applied unless it is a dry run), or the documented error of the first refusal.
/// Nothing changes unless every target passes.
pub(crate) fn run(
    world: &mut World,
    behaviour: &Behaviour,
    ctx: &Context<'_>,
    patterns: &Patterns,
    hooks: &Hooks,
) -> Result<(), ApiError> {
    let ids = target_ids(behaviour, ctx.params);
    if let Some(format) = behaviour.target.format
        && let Some(bad) = ids.iter().find(|id| !patterns.matches(format.pattern, id))
    {
        let mut error = answer(&format.error, behaviour.target.parameter, ctx);
        // A documented message is answered verbatim; a row with only a description
        // (Tencent's) says which ID is malformed.
        if format.error.row.message.is_none() && format.error.message.is_none() {
            error.message = format!("{} (`{bad}`)", error.message);
        }
        return Err(error);
    }
    let mut targets: Vec<Resource> = Vec::new();
    for id in &ids {
        let (presence, resource) = world.find(
            ctx.service,
            behaviour.resource,
            id,
            ctx.account,
            ctx.region.as_deref(),
        );
        let decision = behaviour.refusals.iter().find(|refusal| {
            refusal
                .when
                .iter()
                .all(|condition| holds(condition, presence, resource, ctx.params))
        });
        match decision.map(|refusal| refusal.outcome) {
            Some(Outcome::Error(error)) => {
                return Err(answer(&error, behaviour.target.parameter, ctx));
            }
            Some(Outcome::Ignore) => {}
            // A target no rule refuses is acted on; an absent one has nothing to act on.
            None => targets.extend(resource.cloned()),
        }
    }
    if let Some(name) = behaviour.hook {
        let Some(hook) = hooks.get(name) else {
            return Err(ApiError::common(
                500,
                "InternalError",
                format!(
                    "cloudspec emulator: the spec names hook `{name}`, which is not registered"
                ),
            ));
        };
        let call = HookCall {
            service: ctx.service,
            operation: ctx.operation,
            account: ctx.account,
            params: ctx.params,
            targets: &targets,
        };
        if let Err(refusal) = hook(&call) {
            return Err(ApiError::for_code(
                ctx.errors,
                &refusal.code,
                ctx.default_status,
            ));
        }
    }
    let dry_run = behaviour
        .dry_run
        .is_some_and(|name| ctx.params.get(name).and_then(Value::as_bool) == Some(true));
    if dry_run {
        return Ok(());
    }
    for effect in behaviour.effects {
        if !effect
            .when
            .iter()
            .all(|condition| holds(condition, Presence::Owned, None, ctx.params))
        {
            continue;
        }
        for target in &targets {
            match effect.remove {
                Removal::Target => {
                    world.remove(ctx.service, &target.resource_type, &target.id);
                }
                Removal::Bound(bound_type) => {
                    for id in &target.bound {
                        world.remove(ctx.service, bound_type, id);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! One test per rule kind, on behaviours written here. The service is the registry's
    //! first (any would do: the rules name none), its first resource type the targets'.

    use super::*;
    use cloudspec_runtime::DocumentedError;
    use cloudspec_runtime::behaviour::{
        Effect, IdFormat, Kind, ParamValue, ParameterErrors, Refusal, Target,
    };

    static ROWS: [DocumentedError; 2] = [
        DocumentedError {
            variant: "Refused",
            code: Some("Refused"),
            status: Some(409),
            message: Some("Refused."),
            description: "Refused.",
        },
        DocumentedError {
            variant: "Invalid",
            code: Some("Invalid.%s"),
            status: None,
            message: Some("The field %s is invalid."),
            description: "Invalid.",
        },
    ];

    const REFUSED: ErrorAnswer = ErrorAnswer {
        row: &ROWS[0],
        code: None,
        message: None,
        fact: None,
    };

    fn behaviour(refusals: &'static [Refusal], effects: &'static [Effect]) -> Behaviour {
        Behaviour {
            resource: "thing",
            target: Target {
                parameter: "Ids",
                region: None,
                format: None,
            },
            refusals,
            effects,
            dry_run: None,
            parameter_errors: ParameterErrors::default(),
            hook: None,
        }
    }

    const REMOVE: &[Effect] = &[Effect {
        remove: Removal::Target,
        when: &[],
        rule: None,
    }];

    struct Fixture {
        service: Service,
        world: World,
    }

    impl Fixture {
        fn new(resources: &[(&str, &str)]) -> Fixture {
            let service = Service::all().next().expect("a service");
            let mut world = World::default();
            for (id, account) in resources {
                let mut resource = Resource::new(service, *id, *account);
                resource.resource_type = "thing".to_owned();
                world
                    .resources
                    .insert((service, "thing".to_owned(), (*id).to_owned()), resource);
            }
            Fixture { service, world }
        }

        fn edit(&mut self, id: &str, change: impl FnOnce(&mut Resource)) {
            let key = (self.service, "thing".to_owned(), id.to_owned());
            if let Some(resource) = self.world.resources.get_mut(&key) {
                change(resource);
            }
        }

        fn run(
            &mut self,
            behaviour: &Behaviour,
            params: Value,
            hooks: &Hooks,
        ) -> Result<(), ApiError> {
            let Value::Object(params) = params else {
                panic!("params must be an object")
            };
            let ctx = Context {
                service: self.service,
                operation: "Anything",
                account: "me",
                params: &params,
                region: None,
                errors: &ROWS,
                default_status: 400,
            };
            run(
                &mut self.world,
                behaviour,
                &ctx,
                &Patterns::default(),
                hooks,
            )
        }

        fn ids(&self) -> Vec<&str> {
            self.world
                .resources
                .keys()
                .map(|(_, _, id)| id.as_str())
                .collect()
        }
    }

    #[test]
    fn a_refusal_answers_its_row_and_changes_nothing() {
        static RULES: [Refusal; 1] = [Refusal {
            rule: None,
            when: &[Condition::Shared(true)],
            outcome: Outcome::Error(REFUSED),
        }];
        let mut fixture = Fixture::new(&[("a", "me"), ("b", "me")]);
        fixture.edit("b", |r| r.shared_with.push("you".to_owned()));
        let error = fixture
            .run(
                &behaviour(&RULES, REMOVE),
                serde_json::json!({"Ids": ["a", "b"]}),
                &Hooks::new(),
            )
            .unwrap_err();
        assert_eq!(
            (error.status, error.code.as_deref()),
            (409, Some("Refused"))
        );
        assert_eq!(fixture.ids(), ["a", "b"], "all or nothing");
    }

    #[test]
    fn presence_conditions_see_what_the_caller_sees() {
        static RULES: [Refusal; 2] = [
            Refusal {
                rule: None,
                when: &[Condition::Found(&[Presence::Missing])],
                outcome: Outcome::Error(ErrorAnswer {
                    row: &ROWS[1],
                    code: None,
                    message: None,
                    fact: None,
                }),
            },
            Refusal {
                rule: None,
                when: &[Condition::Found(&[Presence::Foreign])],
                outcome: Outcome::Error(REFUSED),
            },
        ];
        let mut fixture = Fixture::new(&[("mine", "me"), ("theirs", "you"), ("system", "x")]);
        fixture.edit("system", |r| r.kind = Kind::System);
        let rules = behaviour(&RULES, REMOVE);
        let error = fixture
            .run(&rules, serde_json::json!({"Ids": "theirs"}), &Hooks::new())
            .unwrap_err();
        assert_eq!(
            error.code.as_deref(),
            Some("Invalid.Ids"),
            "another account's is missing"
        );
        assert_eq!(error.message, "The field Ids is invalid.");
        let error = fixture
            .run(&rules, serde_json::json!({"Ids": "system"}), &Hooks::new())
            .unwrap_err();
        assert_eq!(
            error.code.as_deref(),
            Some("Refused"),
            "the provider's is foreign"
        );
        fixture
            .run(&rules, serde_json::json!({"Ids": "mine"}), &Hooks::new())
            .unwrap();
        assert_eq!(fixture.ids(), ["system", "theirs"]);
    }

    #[test]
    fn an_ignore_rule_leaves_the_target_and_succeeds() {
        static RULES: [Refusal; 1] = [Refusal {
            rule: None,
            when: &[Condition::Found(&[Presence::Missing, Presence::Foreign])],
            outcome: Outcome::Ignore,
        }];
        let mut fixture = Fixture::new(&[("theirs", "you")]);
        fixture
            .run(
                &behaviour(&RULES, REMOVE),
                serde_json::json!({"Ids": ["theirs", "nothing"]}),
                &Hooks::new(),
            )
            .unwrap();
        assert_eq!(fixture.ids(), ["theirs"]);
    }

    #[test]
    fn parameter_conditions_use_the_documented_default_when_absent() {
        static RULES: [Refusal; 1] = [Refusal {
            rule: None,
            when: &[
                Condition::Used(true),
                Condition::Parameter {
                    name: "Force",
                    equals: ParamValue::Bool(false),
                    when_absent: true,
                },
            ],
            outcome: Outcome::Error(REFUSED),
        }];
        let rules = behaviour(&RULES, REMOVE);
        let mut fixture = Fixture::new(&[("a", "me")]);
        fixture.edit("a", |r| r.used_by.push("i-1".to_owned()));
        assert!(
            fixture
                .run(&rules, serde_json::json!({"Ids": "a"}), &Hooks::new())
                .is_err()
        );
        assert!(
            fixture
                .run(
                    &rules,
                    serde_json::json!({"Ids": "a", "Force": false}),
                    &Hooks::new()
                )
                .is_err()
        );
        fixture
            .run(
                &rules,
                serde_json::json!({"Ids": "a", "Force": true}),
                &Hooks::new(),
            )
            .unwrap();
        assert!(fixture.ids().is_empty());
    }

    #[test]
    fn state_and_kind_conditions_match_listed_values() {
        static RULES: [Refusal; 2] = [
            Refusal {
                rule: None,
                when: &[Condition::State(&["creating", "copying"])],
                outcome: Outcome::Error(REFUSED),
            },
            Refusal {
                rule: None,
                when: &[Condition::Kind(&[Kind::Public])],
                outcome: Outcome::Error(REFUSED),
            },
        ];
        let rules = behaviour(&RULES, REMOVE);
        let mut fixture = Fixture::new(&[("busy", "me"), ("public", "me"), ("plain", "me")]);
        fixture.edit("busy", |r| r.state = "copying".to_owned());
        fixture.edit("public", |r| r.kind = Kind::Public);
        assert!(
            fixture
                .run(&rules, serde_json::json!({"Ids": "busy"}), &Hooks::new())
                .is_err()
        );
        assert!(
            fixture
                .run(&rules, serde_json::json!({"Ids": "public"}), &Hooks::new())
                .is_err()
        );
        fixture
            .run(&rules, serde_json::json!({"Ids": "plain"}), &Hooks::new())
            .unwrap();
        assert_eq!(fixture.ids(), ["busy", "public"]);
    }

    #[test]
    fn a_malformed_id_is_refused_before_any_lookup() {
        let mut rules = behaviour(&[], REMOVE);
        rules.target.format = Some(IdFormat {
            pattern: "^t-[0-9]+$",
            source: "test",
            error: REFUSED,
        });
        let mut fixture = Fixture::new(&[("t-1", "me")]);
        let error = fixture
            .run(
                &rules,
                serde_json::json!({"Ids": ["t-1", "nope"]}),
                &Hooks::new(),
            )
            .unwrap_err();
        assert_eq!(
            error.message, "Refused.",
            "a documented message is verbatim"
        );
        assert_eq!(fixture.ids(), ["t-1"]);
    }

    #[test]
    fn dry_run_checks_and_changes_nothing() {
        let mut rules = behaviour(&[], REMOVE);
        rules.dry_run = Some("DryRun");
        let mut fixture = Fixture::new(&[("a", "me")]);
        fixture
            .run(
                &rules,
                serde_json::json!({"Ids": "a", "DryRun": true}),
                &Hooks::new(),
            )
            .unwrap();
        assert_eq!(fixture.ids(), ["a"]);
        fixture
            .run(
                &rules,
                serde_json::json!({"Ids": "a", "DryRun": false}),
                &Hooks::new(),
            )
            .unwrap();
        assert!(fixture.ids().is_empty());
    }

    #[test]
    fn bound_resources_go_only_when_the_effect_condition_holds() {
        static EFFECTS: [Effect; 2] = [
            Effect {
                remove: Removal::Target,
                when: &[],
                rule: None,
            },
            Effect {
                remove: Removal::Bound("thing"),
                when: &[Condition::Parameter {
                    name: "AlsoBound",
                    equals: ParamValue::Bool(true),
                    when_absent: false,
                }],
                rule: None,
            },
        ];
        let rules = behaviour(&[], &EFFECTS);
        let mut fixture =
            Fixture::new(&[("a", "me"), ("a-part", "me"), ("b", "me"), ("b-part", "me")]);
        fixture.edit("a", |r| r.bound.push("a-part".to_owned()));
        fixture.edit("b", |r| r.bound.push("b-part".to_owned()));
        fixture
            .run(&rules, serde_json::json!({"Ids": "a"}), &Hooks::new())
            .unwrap();
        assert_eq!(fixture.ids(), ["a-part", "b", "b-part"]);
        fixture
            .run(
                &rules,
                serde_json::json!({"Ids": "b", "AlsoBound": true}),
                &Hooks::new(),
            )
            .unwrap();
        assert_eq!(fixture.ids(), ["a-part"]);
    }

    /// A hook that refuses every call but one on `a`, with a code outside the table.
    fn hook_allowing_a() -> Hook {
        Arc::new(|call: &HookCall<'_>| {
            if call.targets.iter().any(|target| target.id == "b") {
                Err(HookRefusal {
                    code: "NoSuchRow".to_owned(),
                })
            } else {
                Ok(())
            }
        })
    }

    #[test]
    fn a_hook_refuses_by_documented_code_and_an_unregistered_one_says_so() {
        let mut rules = behaviour(&[], REMOVE);
        rules.hook = Some("only-first");
        let mut fixture = Fixture::new(&[("a", "me"), ("b", "me")]);
        let error = fixture
            .run(&rules, serde_json::json!({"Ids": "a"}), &Hooks::new())
            .unwrap_err();
        assert!(error.message.contains("only-first"), "{}", error.message);
        let mut hooks = Hooks::new();
        hooks.insert("only-first".to_owned(), hook_allowing_a());
        let error = fixture
            .run(&rules, serde_json::json!({"Ids": "b"}), &hooks)
            .unwrap_err();
        assert_eq!(
            error.status, 500,
            "a code outside the table is reported, not invented"
        );
        fixture
            .run(&rules, serde_json::json!({"Ids": "a"}), &hooks)
            .unwrap();
        assert_eq!(fixture.ids(), ["b"]);
    }

    #[test]
    fn regions_come_from_a_parameter_or_the_host() {
        let service = Service::all()
            .find(|service| service.meta().endpoints.regional.is_some())
            .expect("a regional service");
        let template = service.meta().endpoints.regional.unwrap_or_default();
        let host = template.replace("{region}", "r-1");
        let none = |_: &str| None;
        assert_eq!(
            region_of(
                Some(RegionSource::Host),
                service,
                &Map::new(),
                &format!("{host}:443"),
                none
            ),
            Some("r-1".to_owned())
        );
        assert_eq!(
            region_of(
                Some(RegionSource::Host),
                service,
                &Map::new(),
                "127.0.0.1:8080",
                none
            ),
            None
        );
        let params = serde_json::json!({"RegionId": "r-2"});
        let params = params.as_object().cloned().unwrap_or_default();
        assert_eq!(
            region_of(
                Some(RegionSource::Parameter("RegionId")),
                service,
                &params,
                "",
                none
            ),
            Some("r-2".to_owned())
        );
        assert_eq!(
            region_of(
                Some(RegionSource::Parameter("Region")),
                service,
                &Map::new(),
                "",
                |_| Some("r-3".to_owned())
            ),
            Some("r-3".to_owned())
        );
    }
}
