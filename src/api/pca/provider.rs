//! The identity provider's endpoints (Entra's known, others discovered once) and its token
//! endpoint: redeeming a code, and caching what comes back.

use crate::api::logger::Level;
use crate::browser::{http, now, tabs};
use crate::core::authority::Endpoints;
use crate::core::authorize::PendingRequest;
use crate::core::error::{AuthError, Result};
use crate::core::flow::{AuthResult, Grant, Settings};
use crate::core::json::Json;
use crate::core::secret::AuthCode;

use super::Inner;

impl Inner {
    /// The provider's endpoints: Entra's are known, others discovered once and cached.
    pub(super) async fn endpoints(&self, settings: &Settings) -> Result<Endpoints> {
        let authority = &settings.authority.url;
        if let Some((_, known)) = self.endpoints.borrow().iter().find(|(a, _)| a == authority) {
            return Ok(known.clone());
        }
        let endpoints = match settings.cached_endpoints(&self.cache(), now()) {
            Some(e) => e,
            None => {
                let url = settings.authority.discovery_url();
                self.logger.log(Level::Info, &format!("fetching OpenID configuration from {url}"));
                let answer = http::get(&url).await?;
                let unusable = |why: &str| AuthError::config("endpoints_resolution_error", format!("The OpenID configuration at '{url}' {why}. Check auth.authority."));
                if answer.status != 200 {
                    return Err(unusable(&format!("answered HTTP {}", answer.status)));
                }
                let doc = Json::parse(&answer.body).map_err(|_| unusable("is not JSON"))?;
                settings.accept_discovery(&self.cache(), &doc, now())?
            }
        };
        self.endpoints.borrow_mut().push((authority.clone(), endpoints.clone()));
        Ok(endpoints)
    }

    /// Redeems an authorization code for its pending request and caches what comes back.
    pub(super) async fn redeem(&self, settings: &Settings, endpoints: &Endpoints, pending: &PendingRequest, code: &AuthCode, client_info: Option<&str>) -> Result<AuthResult> {
        let request = settings.code_request(endpoints, pending, code);
        let answer = http::post_form(&request.url, &request.body).await.map_err(|e| e.with_correlation_id(&pending.correlation_id))?;
        self.accept(settings, endpoints, Grant::Code { pending, client_info }, &answer).await
    }

    /// Caches what the token endpoint answered and, where tabs share the cache, stamps the
    /// account's refresh token for the next renewal in any tab.
    pub(super) async fn accept(&self, settings: &Settings, endpoints: &Endpoints, grant: Grant<'_>, answer: &http::Answer) -> Result<AuthResult> {
        let result = settings.accept_tokens(endpoints, &self.cache(), grant, answer.status, &answer.body, now())?;
        let key = result.account.key();
        if let Some(entry) = self.cache().refresh_token(&key).filter(|_| self.shared) {
            tabs::set_stamp(&self.cache().renewal_name(&key), &entry.secret.fingerprint()).await;
        }
        Ok(result)
    }
}
