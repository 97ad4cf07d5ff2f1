//! Tests of login, sessions, CSRF, TOTP and tokens.
