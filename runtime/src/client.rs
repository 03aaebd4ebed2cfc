//! The client every generated client wraps: validate, encode, sign, send, retry, decode.

use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::error::SdkError;
use crate::meta::ServiceMeta;
use crate::operation::Operation;
use crate::protocol::Transport;

/// A configured client for one service. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    service: &'static ServiceMeta,
    config: Config,
    transport: Transport,
}

impl Client {
    /// A client for `service` with `config`.
    pub fn new(service: &'static ServiceMeta, mut config: Config) -> Result<Self, ConfigError> {
        let transport = match config.transport.take() {
            Some(transport) => transport,
            None => Transport::Reqwest(
                reqwest::Client::builder()
                    .connect_timeout(config.timeouts.connect)
                    .user_agent(format!("{}/{} cloudspec-runtime/{}", service.crate_name, service.crate_version, env!("CARGO_PKG_VERSION")))
                    .build()
                    .map_err(|error| ConfigError::HttpClient(error.to_string()))?,
            ),
        };
        Ok(Self { inner: Arc::new(Inner { service, config, transport }) })
    }

    /// The service this client calls.
    pub fn service(&self) -> &'static ServiceMeta {
        self.inner.service
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Calls operation `O` with `input`.
    pub async fn invoke<O: Operation>(&self, input: O::Input) -> Result<O::Output, SdkError<O::Error>> {
        if self.inner.config.validation == crate::validate::ValidationMode::Enforce {
            O::validate(&input)?;
        }
        let _params = O::encode(&input);
        let _ = &self.inner.transport;
        Err(SdkError::Construction("protocol encoding is not implemented yet".to_owned()))
    }
}
