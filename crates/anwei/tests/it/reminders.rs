//! Tests of reminders.
