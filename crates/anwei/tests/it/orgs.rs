//! Tests of orgs.
