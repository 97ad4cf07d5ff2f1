//! Tests of deliverables.
