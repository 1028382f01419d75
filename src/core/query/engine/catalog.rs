//! The tables a query can name: the engine's input, kept apart from the
//! engine's entry points so the SELECT runner reads it without reading them.

use crate::data::table::Table;

/// The tables a query can name, by name (case-insensitive).
#[derive(Default)]
pub struct Catalog<'a> {
    tables: Vec<(String, &'a Table)>,
}

impl<'a> Catalog<'a> {
    pub fn new() -> Catalog<'a> {
        Catalog { tables: Vec::new() }
    }

    /// Adds (or replaces) `name`.
    pub fn with(mut self, name: &str, table: &'a Table) -> Catalog<'a> {
        self.tables.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.tables.push((name.to_owned(), table));
        self
    }

    pub fn get(&self, name: &str) -> Option<&'a Table> {
        self.tables
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, t)| *t)
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.tables.iter().map(|(n, _)| n)
    }
}
