//! QEMU's compatibility policy (`-compat`): what to do with input and
//! output that carries the `deprecated` or `unstable` feature.

/// What to do with input that uses a deprecated or unstable thing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InputPolicy {
    /// Accept it (QEMU's default).
    #[default]
    Accept,
    /// Reject it with QEMU's error (`Deprecated parameter x disabled by
    /// policy`, …).
    Reject,
    /// QEMU aborts the process. Here the request fails with the reject
    /// error and the failure is marked fatal ([`crate::decode::Decoder::crashed`]),
    /// so the server can call its crash hook.
    Crash,
}

/// What to do with output that carries a deprecated or unstable thing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OutputPolicy {
    /// Send it (QEMU's default).
    #[default]
    Accept,
    /// Leave it out: members and events carrying the feature are not
    /// sent; introspection hides deprecated entities.
    Hide,
}

/// QEMU's `-compat` settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CompatPolicy {
    pub deprecated_input: InputPolicy,
    pub deprecated_output: OutputPolicy,
    pub unstable_input: InputPolicy,
    pub unstable_output: OutputPolicy,
}

/// Bit for the `deprecated` feature in special-feature masks.
pub const DEPRECATED: u8 = 1;
/// Bit for the `unstable` feature in special-feature masks.
pub const UNSTABLE: u8 = 2;

impl CompatPolicy {
    /// The input action for something carrying `features` (a mask of
    /// [`DEPRECATED`] and [`UNSTABLE`]): the first non-accepting action,
    /// deprecated checked before unstable as QEMU does, with the word QEMU
    /// uses in its message.
    pub fn input_action(&self, features: u8) -> Option<(InputPolicy, &'static str)> {
        if features & DEPRECATED != 0 && self.deprecated_input != InputPolicy::Accept {
            return Some((self.deprecated_input, "Deprecated"));
        }
        if features & UNSTABLE != 0 && self.unstable_input != InputPolicy::Accept {
            return Some((self.unstable_input, "Unstable"));
        }
        None
    }

    /// Whether output carrying `features` is hidden.
    pub fn hides(&self, features: u8) -> bool {
        (features & DEPRECATED != 0 && self.deprecated_output == OutputPolicy::Hide)
            || (features & UNSTABLE != 0 && self.unstable_output == OutputPolicy::Hide)
    }
}

std::thread_local! {
    static OUTPUT: std::cell::Cell<CompatPolicy> = const { std::cell::Cell::new(CompatPolicy {
        deprecated_input: InputPolicy::Accept,
        deprecated_output: OutputPolicy::Accept,
        unstable_input: InputPolicy::Accept,
        unstable_output: OutputPolicy::Accept,
    }) };
}

/// Runs `f` with `policy` governing what derived `Serialize` impls leave
/// out (members carrying hidden features). Servers wrap the
/// serialization of replies and events in this.
pub fn with_output_policy<R>(policy: CompatPolicy, f: impl FnOnce() -> R) -> R {
    struct Restore(CompatPolicy);
    impl Drop for Restore {
        fn drop(&mut self) {
            OUTPUT.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(OUTPUT.with(|c| c.replace(policy)));
    f()
}

/// Whether output carrying `features` is hidden under the current output
/// policy (see [`with_output_policy`]).
pub fn output_hidden(features: u8) -> bool {
    features != 0 && OUTPUT.with(|c| c.get().hides(features))
}
