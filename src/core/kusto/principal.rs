//! Principal descriptors, the strings Kusto's security commands take
//! (`.add database Samples viewers ('aaduser=alice@contoso.com')`):
//!
//! | descriptor | tenant |
//! |---|---|
//! | `aaduser=UPN`, `aaduser=UPN;Tenant`, `aaduser=ObjectId;Tenant` | optional for a UPN (inferred from its domain), required for an object id |
//! | `aadgroup=GroupEmail`, `aadgroup=ObjectId;Tenant`, `aadgroup=DisplayName;Tenant` | likewise; only security groups work, not distribution groups |
//! | `aadapp=AppId;Tenant`, `aadapp=DisplayName;Tenant` | always required |
//! | `msauser=someone@live.com` | none: Microsoft accounts have no tenant and no groups |
//!
//! `Tenant` is a tenant id (GUID) or name (`contoso.com`). Descriptors are embedded in quoted KQL
//! string literals, so quotes, backslashes and control characters are refused outright.

use std::fmt;

use super::errors::{excerpt, KustoError};
use crate::core::json::Json;

/// The tenant of personal Microsoft accounts in Entra ID tokens.
pub const MSA_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `aaduser`
    User,
    /// `aadgroup`
    Group,
    /// `aadapp`
    App,
    /// `msauser`
    MsaUser,
}

impl PrincipalKind {
    pub fn prefix(self) -> &'static str {
        match self {
            PrincipalKind::User => "aaduser",
            PrincipalKind::Group => "aadgroup",
            PrincipalKind::App => "aadapp",
            PrincipalKind::MsaUser => "msauser",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: PrincipalKind,
    /// UPN or e-mail, object id, application id, or display name.
    pub identity: String,
    /// Tenant id or name.
    pub tenant: Option<String>,
}

fn invalid(input: &str, why: &str) -> KustoError {
    KustoError::new("invalid_principal", format!("'{}' is not a valid principal descriptor: {why}.", excerpt(input, 120)))
}

pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => !local.is_empty() && is_domain(domain) && !s.contains(char::is_whitespace),
        None => false,
    }
}

fn is_domain(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    labels.len() >= 2 && labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Principal {
    /// Builds and validates a descriptor from its parts.
    pub fn new(kind: PrincipalKind, identity: &str, tenant: Option<&str>) -> Result<Principal, KustoError> {
        let p = Principal { kind, identity: identity.trim().to_owned(), tenant: tenant.map(|t| t.trim().to_owned()) };
        p.validate(&p.to_string())?;
        Ok(p)
    }

    pub fn parse(input: &str) -> Result<Principal, KustoError> {
        let text = input.trim();
        let (prefix, body) = text.split_once('=').ok_or_else(|| invalid(input, "expected kind=identity, such as aaduser=alice@contoso.com"))?;
        let kind = match prefix.trim().to_ascii_lowercase().as_str() {
            "aaduser" => PrincipalKind::User,
            "aadgroup" => PrincipalKind::Group,
            "aadapp" => PrincipalKind::App,
            "msauser" => PrincipalKind::MsaUser,
            "msagroup" => return Err(invalid(input, "Microsoft accounts have no groups")),
            _ => return Err(invalid(input, "the kind must be aaduser, aadgroup, aadapp or msauser")),
        };
        let (identity, tenant) = match body.split_once(';') {
            Some((identity, tenant)) => (identity, Some(tenant)),
            None => (body, None),
        };
        let p = Principal { kind, identity: identity.trim().to_owned(), tenant: tenant.map(|t| t.trim().to_owned()) };
        p.validate(input)?;
        Ok(p)
    }

    /// Checks the shapes of the table above; `shown` is what error messages quote.
    fn validate(&self, shown: &str) -> Result<(), KustoError> {
        let fail = |why: &str| Err(invalid(shown.trim(), why));
        let all = format!("{}{}", self.identity, self.tenant.as_deref().unwrap_or(""));
        if all.chars().any(|c| c.is_control() || matches!(c, '\'' | '"' | '\\' | ';' | '=')) {
            return fail("it may not contain quotes, backslashes, control characters, or more than one ';' or '='");
        }
        if self.identity.is_empty() {
            return fail("the identity is empty");
        }
        match &self.tenant {
            Some(t) if !(is_guid(t) || is_domain(t)) => return fail("the tenant must be a tenant id (GUID) or a domain such as contoso.com"),
            _ => {}
        }
        let email = is_email(&self.identity);
        match (self.kind, self.tenant.is_some()) {
            (PrincipalKind::MsaUser, true) => fail("Microsoft accounts have no tenant; write msauser=someone@live.com"),
            (PrincipalKind::MsaUser, false) if !email => fail("msauser takes the account's e-mail address"),
            (PrincipalKind::User, _) if !email && !is_guid(&self.identity) => fail("aaduser takes a UPN (alice@contoso.com) or an object id"),
            (PrincipalKind::User | PrincipalKind::Group, false) if !email => fail("an object id or display name needs a tenant: add ;TenantId or ;contoso.com"),
            (PrincipalKind::App, false) => fail("aadapp needs a tenant: aadapp=AppId;TenantId or aadapp=AppId;contoso.com"),
            _ => Ok(()),
        }
    }

    /// The descriptor of the signed-in account, from its ID-token claims: `aaduser=<oid>;<tid>`
    /// (unambiguous, also for guests), or `msauser=<e-mail>` for a personal Microsoft account.
    pub fn for_signed_in_account(claims: &Json) -> Result<Principal, KustoError> {
        let missing =
            |what: &str| KustoError::new("invalid_principal", format!("The ID token lacks {what}, so the account's principal descriptor cannot be formed (the provider may not be Entra ID)."));
        let tid = claims.str_at("tid").ok_or_else(|| missing("the tid claim"))?;
        if tid.eq_ignore_ascii_case(MSA_TENANT_ID) {
            let email = claims
                .str_at("email")
                .filter(|e| is_email(e))
                .or_else(|| claims.str_at("preferred_username").filter(|e| is_email(e)))
                .ok_or_else(|| missing("an e-mail address (email or preferred_username claim)"))?;
            return Principal::new(PrincipalKind::MsaUser, email, None);
        }
        let oid = claims.str_at("oid").ok_or_else(|| missing("the oid claim"))?;
        if !is_guid(oid) || !is_guid(tid) {
            return Err(missing("a GUID oid and tid"));
        }
        Principal::new(PrincipalKind::User, oid, Some(tid))
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.kind.prefix(), self.identity)?;
        match &self.tenant {
            Some(t) => write!(f, ";{t}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const OID: &str = "12345678-1234-1234-1234-123456789012";

    #[test]
    fn parses_and_formats_every_documented_shape() {
        for text in [
            "aaduser=alice@contoso.com",
            "aaduser=alice@contoso.com;72f988bf-86f1-41af-91ab-2d7cd011db47",
            "aaduser=alice@contoso.com;contoso.com",
            "aaduser=12345678-1234-1234-1234-123456789012;72f988bf-86f1-41af-91ab-2d7cd011db47",
            "aaduser=12345678-1234-1234-1234-123456789012;contoso.onmicrosoft.com",
            "aaduser=bob_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "aadgroup=sales@contoso.com",
            "aadgroup=12345678-1234-1234-1234-123456789012;72f988bf-86f1-41af-91ab-2d7cd011db47",
            "aadgroup=Sales Team;contoso.com",
            "aadapp=12345678-1234-1234-1234-123456789012;72f988bf-86f1-41af-91ab-2d7cd011db47",
            "aadapp=12345678-1234-1234-1234-123456789012;contoso.com",
            "aadapp=My Application;72f988bf-86f1-41af-91ab-2d7cd011db47",
            "msauser=someone@live.com",
        ] {
            let p = Principal::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.to_string(), text);
            assert_eq!(Principal::parse(&p.to_string()).unwrap(), p);
        }
        let p = Principal::parse("  AADUser = alice@contoso.com ; contoso.com ").unwrap();
        assert_eq!((p.kind, p.identity.as_str(), p.tenant.as_deref()), (PrincipalKind::User, "alice@contoso.com", Some("contoso.com")));
        assert_eq!(p.to_string(), "aaduser=alice@contoso.com;contoso.com");
        assert_eq!(Principal::new(PrincipalKind::App, OID, Some(TID)).unwrap().to_string(), format!("aadapp={OID};{TID}"));
    }

    #[test]
    fn refuses_malformed_descriptors() {
        for (text, why) in [
            ("alice@contoso.com", "kind=identity"),
            ("user=alice@contoso.com", "aaduser, aadgroup"),
            ("aaduser=", "empty"),
            ("aaduser=alice", "UPN"),
            ("aaduser=12345678-1234-1234-1234-123456789012", "needs a tenant"),
            ("aadgroup=Sales Team", "needs a tenant"),
            ("aadapp=12345678-1234-1234-1234-123456789012", "aadapp needs a tenant"),
            ("aadapp=x;", "tenant must be"),
            ("aadapp=x;not a tenant", "tenant must be"),
            ("aaduser=a@b.com;c.com;d.com", "more than one"),
            ("aaduser=o'brien@contoso.com", "quotes"),
            ("aaduser=a@b.com');.drop table T//", "quotes"),
            ("aaduser=a\n@b.com", "control"),
            ("msauser=someone@live.com;contoso.com", "no tenant"),
            ("msauser=someone", "e-mail"),
            ("msagroup=x@live.com", "no groups"),
        ] {
            let err = Principal::parse(text).unwrap_err();
            assert_eq!(err.code, "invalid_principal");
            assert!(err.message.contains(why), "{text}: {}", err.message);
        }
        assert!(Principal::parse("aaduser=o'brien@contoso.com").unwrap_err().message.starts_with("'aaduser=o'brien@contoso.com'"));
    }

    #[test]
    fn describes_the_signed_in_account() {
        let claims = Json::parse(&format!(r#"{{"tid":"{TID}","oid":"{OID}","preferred_username":"alice@contoso.com"}}"#)).unwrap();
        assert_eq!(Principal::for_signed_in_account(&claims).unwrap().to_string(), format!("aaduser={OID};{TID}"));

        let msa = Json::parse(&format!(r#"{{"tid":"{MSA_TENANT_ID}","oid":"{OID}","preferred_username":"someone@live.com"}}"#)).unwrap();
        assert_eq!(Principal::for_signed_in_account(&msa).unwrap().to_string(), "msauser=someone@live.com");
        let msa = Json::parse(&format!(r#"{{"tid":"{MSA_TENANT_ID}","email":"someone@outlook.com","preferred_username":"someone"}}"#)).unwrap();
        assert_eq!(Principal::for_signed_in_account(&msa).unwrap().to_string(), "msauser=someone@outlook.com");

        for bad in [r#"{"oid":"x"}"#, &format!(r#"{{"tid":"{TID}"}}"#), &format!(r#"{{"tid":"{MSA_TENANT_ID}"}}"#), r#"{"tid":"t","oid":"o"}"#, "[]"] {
            assert_eq!(Principal::for_signed_in_account(&Json::parse(bad).unwrap()).unwrap_err().code, "invalid_principal", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            if let Ok(p) = Principal::parse(&s) {
                prop_assert_eq!(Principal::parse(&p.to_string()), Ok(p));
            }
        }

        #[test]
        fn round_trips(kind in 0..3usize, local in "[a-z][a-z0-9._-]{0,10}", domain in "[a-z]{1,8}\\.(com|net|org)", with_tenant in any::<bool>()) {
            let kind = [PrincipalKind::User, PrincipalKind::Group, PrincipalKind::MsaUser][kind];
            let tenant = (with_tenant && kind != PrincipalKind::MsaUser).then_some(TID);
            let p = Principal::new(kind, &format!("{local}@{domain}"), tenant).unwrap();
            prop_assert_eq!(Principal::parse(&p.to_string()).unwrap(), p);
        }
    }
}
