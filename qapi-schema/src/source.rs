//! Source locations, shared the way QEMU's generator shares them.
//!
//! QEMU keeps one location object per source line and mutates it when an
//! expression on that line is checked (it records "In struct 'X'"). Errors
//! print the location's include chain, that definition context and
//! `file:line`. [`Infos`] is an arena of such per-line locations.

/// Index of a location in [`Infos`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct InfoId(pub(crate) usize);

#[derive(Clone, Debug)]
struct InfoData {
    /// The file name as QEMU would print it (relative as given).
    fname: std::rc::Rc<str>,
    line: u32,
    parent: Option<InfoId>,
    /// Set when an expression starting on this line is checked.
    defn: Option<(&'static str, String)>,
}

/// The arena of locations.
#[derive(Debug, Default)]
pub(crate) struct Infos {
    data: Vec<InfoData>,
}

impl Infos {
    pub(crate) fn new_info(
        &mut self,
        fname: std::rc::Rc<str>,
        line: u32,
        parent: Option<InfoId>,
    ) -> InfoId {
        self.data.push(InfoData {
            fname,
            line,
            parent,
            defn: None,
        });
        InfoId(self.data.len() - 1)
    }

    pub(crate) fn fname(&self, id: InfoId) -> &str {
        &self.data[id.0].fname
    }

    pub(crate) fn line(&self, id: InfoId) -> u32 {
        self.data[id.0].line
    }

    pub(crate) fn parent(&self, id: InfoId) -> Option<InfoId> {
        self.data[id.0].parent
    }

    pub(crate) fn set_defn(&mut self, id: InfoId, meta: &'static str, name: &str) {
        self.data[id.0].defn = Some((meta, name.to_owned()));
    }

    /// The meta of the definition last recorded on this line.
    pub(crate) fn defn_meta(&self, id: InfoId) -> Option<&'static str> {
        self.data[id.0].defn.as_ref().map(|d| d.0)
    }

    /// The name of the definition last recorded on this line.
    pub(crate) fn defn_name(&self, id: InfoId) -> Option<&str> {
        self.data[id.0].defn.as_ref().map(|d| d.1.as_str())
    }

    /// `file:line`.
    pub(crate) fn loc(&self, id: InfoId) -> String {
        let d = &self.data[id.0];
        format!("{}:{}", d.fname, d.line)
    }

    /// QEMU's full location text: include chain, definition context and
    /// `file:line` (no trailing colon).
    pub(crate) fn render(&self, id: InfoId) -> String {
        let mut out = String::new();
        let mut chain = Vec::new();
        let mut p = self.parent(id);
        while let Some(pid) = p {
            chain.push(pid);
            p = self.parent(pid);
        }
        for pid in chain.iter().rev() {
            out.push_str("In file included from ");
            out.push_str(&self.loc(*pid));
            out.push_str(":\n");
        }
        let d = &self.data[id.0];
        if let Some((meta, name)) = &d.defn {
            out.push_str(&format!("{}: In {} '{}':\n", d.fname, meta, name));
        }
        out.push_str(&self.loc(id));
        out
    }
}
