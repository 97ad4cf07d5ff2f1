//! Tests of people.
