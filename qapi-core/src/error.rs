//! QMP errors: a class and a human-readable description.

use std::fmt;

/// The error classes of QMP (QEMU's `QapiErrorClass`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    GenericError,
    CommandNotFound,
    DeviceNotActive,
    DeviceNotFound,
    KVMMissingCap,
}

impl ErrorClass {
    /// The class name as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KVMMissingCap => "KVMMissingCap",
        }
    }

    /// Parses a wire class name.
    pub fn from_name(s: &str) -> Option<ErrorClass> {
        Some(match s {
            "GenericError" => ErrorClass::GenericError,
            "CommandNotFound" => ErrorClass::CommandNotFound,
            "DeviceNotActive" => ErrorClass::DeviceNotActive,
            "DeviceNotFound" => ErrorClass::DeviceNotFound,
            "KVMMissingCap" => ErrorClass::KVMMissingCap,
            _ => return None,
        })
    }
}

impl fmt::Display for ErrorClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A QMP error: what goes into `{"error": {"class": …, "desc": …}}`.
///
/// Decoding failures are `GenericError`s whose `desc` is QEMU's exact
/// text, e.g. `Parameter 'device' is missing`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub class: ErrorClass,
    pub desc: String,
}

impl Error {
    pub fn new(class: ErrorClass, desc: impl Into<String>) -> Error {
        Error {
            class,
            desc: desc.into(),
        }
    }

    /// A `GenericError` with this description.
    pub fn generic(desc: impl Into<String>) -> Error {
        Error::new(ErrorClass::GenericError, desc)
    }

    /// A `CommandNotFound` error with this description.
    pub fn command_not_found(desc: impl Into<String>) -> Error {
        Error::new(ErrorClass::CommandNotFound, desc)
    }

    /// A `DeviceNotFound` error with this description.
    pub fn device_not_found(desc: impl Into<String>) -> Error {
        Error::new(ErrorClass::DeviceNotFound, desc)
    }

    /// A `DeviceNotActive` error with this description.
    pub fn device_not_active(desc: impl Into<String>) -> Error {
        Error::new(ErrorClass::DeviceNotActive, desc)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.desc)
    }
}

impl std::error::Error for Error {}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("class", self.class.as_str())?;
        m.serialize_entry("desc", &self.desc)?;
        m.end()
    }
}

impl<'de> serde::Deserialize<'de> for Error {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Error, D::Error> {
        use serde::de::Error as _;
        let v = crate::Value::deserialize(d)?;
        let m = v
            .as_object()
            .ok_or_else(|| D::Error::custom("error must be an object"))?;
        let class = m
            .get("class")
            .and_then(crate::Value::as_str)
            .ok_or_else(|| D::Error::custom("error lacks 'class'"))?;
        let desc = m
            .get("desc")
            .and_then(crate::Value::as_str)
            .ok_or_else(|| D::Error::custom("error lacks 'desc'"))?;
        // Unknown classes from newer servers degrade to GenericError.
        let class = ErrorClass::from_name(class).unwrap_or(ErrorClass::GenericError);
        Ok(Error::new(class, desc))
    }
}

/// Result type of QAPI operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
