//! QAPI names: the defaults for Rust identifiers, and QEMU's naming
//! rules (`scripts/qapi/expr.py`: `valid_name`, `check_name_*`).

use heck::ToKebabCase;
use syn::Ident;
use syn::ext::IdentExt;

/// A field's QAPI name: the identifier (raw prefix removed) with `_`
/// turned into `-` (`node_name` → `node-name`).
pub fn member_name(ident: &Ident) -> String {
    ident.unraw().to_string().replace('_', "-")
}

/// A variant's QAPI name: the identifier in lower case with words joined
/// by `-` (`NullCo` → `null-co`, `Qcow2` → `qcow2`).
pub fn variant_name(ident: &Ident) -> String {
    ident.unraw().to_string().to_kebab_case()
}

/// QEMU compares names after mapping every character outside
/// `[A-Za-z0-9_]` to `_` (its C name); two names that map to the same C
/// name clash.
pub fn c_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// QEMU's `valid_name`: an optional downstream prefix `__RFQDN_`
/// (letters, digits, `.`, `-`), an optional `x-`, then a letter followed
/// by letters, digits, `_` and `-`; and the C name must not start with
/// `q_` (reserved for the generator). Returns the part after the
/// prefixes (the stem), which the case rules look at.
pub fn stem(name: &str) -> Option<&str> {
    let mut rest = name;
    if let Some(r) = name.strip_prefix("__") {
        let end = r.find('_')?;
        let rfqdn = &r[..end];
        if rfqdn.is_empty()
            || !rfqdn
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return None;
        }
        rest = &r[end + 1..];
    }
    let plain = |s: &str| {
        let mut cs = s.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphabetic())
            && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    let stem = match rest.get(..2) {
        Some(x) if x.eq_ignore_ascii_case("x-") && plain(&rest[2..]) => &rest[2..],
        _ if plain(rest) => rest,
        _ => return None,
    };
    if c_name(name).starts_with("q_") {
        return None;
    }
    Some(stem)
}

/// QEMU's CamelCase rule for type names: `[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*`.
pub fn is_camel(stem: &str) -> bool {
    let mut cs = stem.chars();
    cs.next().is_some_and(|c| c.is_ascii_uppercase())
        && stem.chars().all(|c| c.is_ascii_alphanumeric())
        && stem.chars().skip(1).any(|c| c.is_ascii_lowercase())
}

/// The Rust side of the CamelCase rule, for type names taken from the
/// identifier: rustc's `non_camel_case_types` lint already holds them to
/// UpperCamelCase, which QEMU's rule tightens only by requiring a
/// lower-case letter (`S`, `QMP`); those are accepted.
pub fn is_rust_camel(stem: &str) -> bool {
    let mut cs = stem.chars();
    cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.all(|c| c.is_ascii_alphanumeric())
}

/// The names QEMU predefines: `built-in type 'int'`, `enum type 'QType'`.
pub fn predefined(name: &str) -> Option<String> {
    const BUILTINS: &[&str] = &[
        "str", "int", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "size", "number", "bool", "null", "any", "q_empty",
    ];
    if BUILTINS.contains(&name) {
        Some(format!("built-in type '{name}'"))
    } else if name == "QType" {
        Some("enum type 'QType'".to_owned())
    } else {
        None
    }
}

/// QEMU's own pragma `command-name-exceptions` (`qapi/pragma.json`,
/// 10.0.2), plus the commands with `_` of older releases (1.1.0 to
/// 5.0.0, before the rule): these keep their `_` without
/// `#[qapi(name_exception)]`, being part of QMP as QEMU speaks it.
pub const QEMU_COMMAND_NAME_EXCEPTIONS: &[&str] = &[
    "add_client",
    "block_passwd",
    "block_resize",
    "block_set_io_throttle",
    "client_migrate_info",
    "device_add",
    "device_del",
    "expire_password",
    "migrate_cancel",
    "migrate_set_downtime",
    "migrate_set_speed",
    "netdev_add",
    "netdev_del",
    "qmp_capabilities",
    "set_link",
    "set_password",
    "system_powerdown",
    "system_reset",
    "system_wakeup",
];

/// QEMU's own pragmas `member-name-exceptions` (10.0.2: `qapi/pragma.json`,
/// `qga/qapi-schema.json`, and the test schema `qapi-schema-test.json`;
/// before 6.0 `name-case-whitelist`): the members of these types may use
/// upper case and `_` without `#[qapi(name_exception)]`.
pub const QEMU_MEMBER_NAME_EXCEPTIONS: &[&str] = &[
    // qapi/pragma.json
    "ACPISlotType",
    "AcpiTableOptions",
    "BlkdebugEvent",
    "BlkdebugSetStateOptions",
    "BlockDeviceInfo",
    "BlockDeviceStats",
    "BlockDeviceTimedStats",
    "BlockIOThrottle",
    "BlockInfo",
    "BlockdevAioOptions",
    "BlockdevDriver",
    "BlockdevVmdkAdapterType",
    "BlockdevVmdkSubformat",
    "ColoCompareProperties",
    "CpuInfo",
    "CpuInfoMIPS",
    "CpuInfoTricore",
    "FilterMirrorProperties",
    "FilterRedirectorProperties",
    "FilterRewriterProperties",
    "InputLinuxProperties",
    "NetdevTapOptions",
    "ObjectType",
    "PCIELinkSpeed",
    "PciBusInfo",
    "PciDeviceInfo",
    "PciMemoryRegion",
    "QKeyCode",
    "QapiErrorClass",
    "SshHostKeyCheckMode",
    "SysEmuTarget",
    "UuidInfo",
    "VncClientInfo",
    "X86CPURegister32",
    // qga/qapi-schema.json
    "GuestAgentInfo",
    // tests/qapi-schema/qapi-schema-test.json
    "UserDefA",
];

/// The QAPI name of a Rust built-in type, by the last segment of its
/// path, for messages (`i64` → `int`); `None` for other types.
pub fn builtin_of_rust(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(tp) = ty else { return None };
    let last = tp.path.segments.last()?;
    Some(match last.ident.to_string().as_str() {
        "String" => "str",
        "i64" => "int",
        "i8" => "int8",
        "i16" => "int16",
        "i32" => "int32",
        "u8" => "uint8",
        "u16" => "uint16",
        "u32" => "uint32",
        "u64" => "uint64",
        "f64" => "number",
        "bool" => "bool",
        "Size" => "size",
        "Null" => "null",
        "Value" => "any",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(stem("foo"), Some("foo"));
        assert_eq!(stem("x-foo"), Some("foo"));
        assert_eq!(stem("X-Foo"), Some("Foo"));
        assert_eq!(stem("__org.qemu_x-Enum"), Some("Enum"));
        assert_eq!(stem("__ORG.QEMU_X-EVENT"), Some("EVENT"));
        assert_eq!(stem("x-"), Some("x-"));
        assert_eq!(stem("*oops"), None);
        assert_eq!(stem("_oops"), None);
        assert_eq!(stem("q-unix"), None);
        assert_eq!(stem("q_unix"), None);
        assert_eq!(stem("not\\possible"), None);
        assert_eq!(stem("__org_"), None);
        assert_eq!(stem("1x"), None);
        assert_eq!(stem(""), None);
    }

    #[test]
    fn camel() {
        assert!(is_camel("Foo"));
        assert!(is_camel("UserDefOne"));
        assert!(is_camel("X86CPURegister32"));
        assert!(!is_camel("S"));
        assert!(!is_camel("QMP"));
        assert!(!is_camel("not-a-camel"));
        assert!(!is_camel("foo"));
        assert!(is_rust_camel("S"));
        assert!(!is_rust_camel("not_a_camel"));
    }
}
