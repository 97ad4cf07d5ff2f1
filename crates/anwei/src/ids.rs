//! Typed ids of the main entities and the stored calendar day.
//!
//! An `AssignmentId` cannot be passed where an `OrgId` is expected: the compiler catches the
//! swapped argument that a bare `i64` lets through. In JSON, in paths and in the database each
//! is the plain integer it wraps, so no client and no column sees a difference; the OpenAPI
//! document names each one (`AssignmentId`, an int64).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type};

macro_rules! entity_ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize,
            Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The integer as stored and sent.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }

        impl utoipa::ToSchema for $name {}
    )*};
}

entity_ids! {
    /// An organisation (单位), one version of it in time.
    OrgId;
    /// A GB/T 2260 region (行政区划) row; the API names regions by code.
    RegionId;
    /// A sign-in account.
    AccountId;
    /// An API token.
    TokenId;
    /// A person (人员).
    PersonId;
    /// A position (职务) in an organisation.
    PositionId;
    /// A policy document (文件), the built-in one or an imported one.
    PolicyId;
    /// A task issued to one organisation (督办事项).
    AssignmentId;
    /// A dated deliverable required of one organisation (报送事项).
    RequirementId;
    /// A submission to the review core (a report, a deliverable, a late-acceptance request).
    SubmissionId;
    /// A stored file (evidence of a submission or of a duty record).
    FileId;
    /// A duty record (履职记录).
    ActivityId;
    /// A duty rule (履职规则).
    RuleId;
    /// A sensitive period (敏感时段).
    PeriodId;
    /// A hazard (隐患).
    HazardId;
    /// A listing of a major hazard (挂牌督办).
    ListingId;
    /// A monthly progress report of a listing.
    ProgressId;
    /// A report from the public or an employee (举报).
    ReportId;
    /// A risk point of an enterprise (风险点, 风险分级管控).
    RiskPointId;
    /// An inspection (检查记录).
    InspectionId;
    /// A campaign (大检查, 专项整治, 打非治违).
    CampaignId;
    /// An extension request of a hazard (延期申请).
    ExtensionId;
    /// An accident (生产安全事故).
    AccidentId;
    /// An accountability outcome (追责问责).
    AccountabilityId;
    /// An entry of the ban registry (从业禁止).
    BanId;
}

/// A calendar day as the database keeps it: `YYYY-MM-DD` text on both backends (dates compare
/// as text, and the SQL is written once). Past the store it is a date, not a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Day(pub NaiveDate);

impl Day {
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for Day {
    fn from(d: NaiveDate) -> Day {
        Day(d)
    }
}

impl std::ops::Deref for Day {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.format("%Y-%m-%d").fmt(f)
    }
}

impl<DB: Database> Type<DB> for Day
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }
    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for Day
where
    String: Decode<'r, DB>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, DB>>::decode(value)?;
        Ok(Day(NaiveDate::parse_from_str(&text, "%Y-%m-%d")?))
    }
}

impl<'q, DB: Database> Encode<'q, DB> for Day
where
    String: Encode<'q, DB>,
{
    fn encode_by_ref(
        &self,
        buf: &mut <DB as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, DB>>::encode(self.to_string(), buf)
    }
}

/// Stores an app-side vocabulary as its text code on both backends: `$from` reads a code back
/// (`None`: a code this version does not know, which fails the read), `$code` writes it.
#[macro_export]
macro_rules! stored_as_text {
    ($name:ty, $from:path, $code:path) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, DB>>::decode(value)?;
                $from(&text)
                    .ok_or_else(|| format!("unknown {} code {text:?}", stringify!($name)).into())
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, DB>>::encode($code(*self).to_string(), buf)
            }
        }
    };
}

impl utoipa::PartialSchema for Day {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .into()
    }
}

impl utoipa::ToSchema for Day {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_integer_in_json_and_in_a_path() {
        let id: AssignmentId = serde_json::from_str("42").unwrap();
        assert_eq!(id, AssignmentId(42));
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!("42".parse::<AssignmentId>().unwrap(), AssignmentId(42));
        assert!("4x".parse::<AssignmentId>().is_err());
    }

    /// Through a real SQLite connection: a day and an id go in and come back as themselves;
    /// a stored text that is no date fails the read instead of becoming some default.
    #[tokio::test]
    async fn a_day_and_an_id_round_trip_through_the_database_and_a_bad_date_is_an_error() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        let d = Day(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        let (back, text, id): (Day, String, OrgId) = sqlx::query_as("SELECT $1, $1, $2")
            .bind(d)
            .bind(OrgId(7))
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!((back, text.as_str(), id), (d, "2026-12-06", OrgId(7)));
        let bad = sqlx::query_scalar::<_, Day>("SELECT '2026-13-01'")
            .fetch_one(&pool)
            .await;
        assert!(bad.is_err(), "{bad:?}");
        let unknown = sqlx::query_scalar::<_, crate::review::model::Decision>("SELECT 'maybe'")
            .fetch_one(&pool)
            .await;
        assert!(unknown.is_err(), "{unknown:?}");
    }

    #[test]
    fn a_day_is_its_iso_text() {
        let d = Day(NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
        assert_eq!(d.to_string(), "2026-02-03");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2026-02-03\"");
    }
}
