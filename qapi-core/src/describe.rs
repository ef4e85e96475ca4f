//! Building a [`Schema`] from Rust types.
//!
//! Each derived type's [`crate::Qapi::describe`] calls
//! [`SchemaBuilder::define_desc`] with a constant description of itself
//! ([`desc`]); hand-written types may call [`SchemaBuilder::define`].
//! Either adds the definition once (recursive types are fine) and
//! returns a reference to it.

pub mod desc;

use std::any::TypeId;
use std::collections::HashMap;

use crate::schema::{Definition, Schema, TypeRef};

/// Collects definitions in the order they are first described.
#[derive(Default)]
pub struct SchemaBuilder {
    slots: Vec<Option<Definition>>,
    index: HashMap<String, (usize, Option<TypeId>)>,
    conflicts: Vec<String>,
}

impl SchemaBuilder {
    pub fn new() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// Defines the type `name` implemented by Rust type `id` unless it is
    /// defined already, and returns a reference to it. `build` is called
    /// at most once per name; it may describe other types (and, through
    /// them, this one again). `build` is a plain function (a closure that
    /// captures nothing), so that one copy of this method serves every
    /// type of a schema: with a generic closure, a port of a thousand
    /// types would compile a thousand copies.
    pub fn define(
        &mut self,
        name: &str,
        id: TypeId,
        build: fn(&mut SchemaBuilder) -> Definition,
    ) -> TypeRef {
        self.define_with(name, id, &build)
    }

    fn define_with(
        &mut self,
        name: &str,
        id: TypeId,
        build: &dyn Fn(&mut SchemaBuilder) -> Definition,
    ) -> TypeRef {
        if let Some(&(_, prev)) = self.index.get(name) {
            if prev.is_some() && prev != Some(id) {
                self.conflict(format!(
                    "'{name}' is already defined (two different Rust types use that QAPI name)"
                ));
            }
            return TypeRef::named(name);
        }
        let slot = self.slots.len();
        self.slots.push(None);
        self.index.insert(name.to_owned(), (slot, Some(id)));
        let def = build(self);
        self.slots[slot] = Some(def);
        TypeRef::named(name)
    }

    /// Adds a command or event (or any definition not tied to a Rust
    /// type). Returns `false` and records a conflict if the name is taken.
    pub fn add(&mut self, def: Definition) -> bool {
        let name = def.name().to_owned();
        if self.index.contains_key(&name) {
            self.conflict(format!("'{name}' is already defined"));
            return false;
        }
        self.index.insert(name, (self.slots.len(), None));
        self.slots.push(Some(def));
        true
    }

    /// Whether a definition of this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    fn conflict(&mut self, msg: String) {
        if !self.conflicts.contains(&msg) {
            self.conflicts.push(msg);
        }
    }

    /// Name clashes found while building (two Rust types with one QAPI
    /// name, or a command registered twice).
    pub fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// The schema, definitions in the order they were first described.
    pub fn finish(self) -> Schema {
        let mut schema = Schema::new();
        for def in self.slots.into_iter().flatten() {
            schema.insert(def);
        }
        schema
    }
}
