//! Router assembly and middleware: request context, authentication, CSRF, security headers,
//! limits, metrics, and rendering of errors as JSON or pages.

pub mod assets;
pub mod ctx;
pub mod extract;
pub mod forms;
pub mod layout;
pub mod limiter;
pub mod middleware;
pub mod page;
pub mod svg;

pub use ctx::RequestCtx;
pub use layout::Base;
