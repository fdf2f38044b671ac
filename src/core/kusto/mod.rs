//! The Kusto (Azure Data Explorer) side of the library, sans-IO: which token a cluster needs and
//! where it may go, connection strings, and reading what the service answers. Every parser here takes untrusted input and returns a typed [`errors::KustoError`].

pub mod connection_string;
pub mod errors;
pub mod request;
pub mod resource;
pub mod response;
pub mod trusted;
pub mod value;
