//! Macros shared by the vocabularies of this crate.

/// Declares a closed vocabulary: the enum, its stable snake_case codes, its Chinese and English
/// names and the list of all values.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => ($code:literal, $zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case identifier.
            pub fn code(&self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// Reads a stable identifier as produced by `code()`; `None` for anything else.
            pub fn parse(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.code() == code)
            }

            /// The Chinese name.
            pub fn name_zh(&self) -> &'static str {
                match self {
                    $($name::$variant => $zh),+
                }
            }

            /// The English name.
            pub fn name_en(&self) -> &'static str {
                match self {
                    $($name::$variant => $en),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        stored_code!($name);
    };
}

/// Lets a stored code be read back as its enum: `TryFrom<String>` over `parse`, so the app's
/// rows decode statuses as enums (`#[sqlx(try_from = "String")]`).
macro_rules! stored_code {
    ($($name:ident),+ $(,)?) => {$(
        impl TryFrom<String> for $name {
            type Error = $crate::error::UnknownCode;
            fn try_from(code: String) -> Result<Self, Self::Error> {
                $name::parse(&code).ok_or($crate::error::UnknownCode {
                    vocabulary: stringify!($name),
                    code,
                })
            }
        }
    )+};
}
