//! Documentation comments (`##` blocks): structure and QEMU 10.0.2's
//! rules for them.
//!
//! The reader collects the lines of a block as [`DocTok`]s (or the error
//! QEMU's lexer would raise at that point); [`parse_strict`] then applies
//! QEMU's rules in the same order QEMU does, so the first error reported
//! is the same. [`parse_lenient`] is for old-era schemas: it never fails.

use crate::diag::{QResult, Raw, parse, sem};
use crate::source::InfoId;

/// One line of a doc block, as read.
#[derive(Clone, Debug)]
pub(crate) struct DocTok {
    pub(crate) info: InfoId,
    pub(crate) col: u32,
    /// The text after `# ` (right-stripped); `None` for the closing `##`.
    pub(crate) line: Option<String>,
}

/// A line, or the error QEMU raises on reaching it.
pub(crate) type DocEntry = Result<DocTok, Raw>;

/// Section kinds; the names are what QEMU prints (`'Returns'`, `'Todo'`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Plain,
    Member,
    Feature,
    Returns,
    Errors,
    Since,
    Todo,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Kind::Plain => "Plain",
            Kind::Member => "Member",
            Kind::Feature => "Feature",
            Kind::Returns => "Returns",
            Kind::Errors => "Errors",
            Kind::Since => "Since",
            Kind::Todo => "Todo",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Section {
    pub(crate) info: InfoId,
    pub(crate) kind: Kind,
    pub(crate) text: String,
    /// Whether a schema member/feature claimed this section.
    pub(crate) connected: bool,
}

/// A parsed doc block.
#[derive(Clone, Debug)]
pub(crate) struct Doc {
    /// Location of the opening `##`.
    pub(crate) info: InfoId,
    /// `Some` for definition documentation (`# @Name:`).
    pub(crate) symbol: Option<String>,
    /// All sections in textual order; the first is the body.
    pub(crate) sections: Vec<Section>,
    /// Member descriptions: name and index into `sections`.
    pub(crate) args: Vec<(String, usize)>,
    /// Feature descriptions: name and index into `sections`.
    pub(crate) features: Vec<(String, usize)>,
    returns: Option<usize>,
    errors: Option<usize>,
    since: Option<usize>,
    /// The block's lines after the symbol line, verbatim.
    pub(crate) raw: Vec<String>,
}

impl Doc {
    fn new(info: InfoId, symbol: Option<String>) -> Doc {
        Doc {
            info,
            symbol,
            sections: vec![Section {
                info,
                kind: Kind::Plain,
                text: String::new(),
                connected: false,
            }],
            args: Vec::new(),
            features: Vec::new(),
            returns: None,
            errors: None,
            since: None,
            raw: Vec::new(),
        }
    }

    fn append_line(&mut self, line: &str) {
        if let Some(s) = self.sections.last_mut() {
            s.text.push_str(line);
            s.text.push('\n');
        }
    }

    fn ensure_untagged_section(&mut self, info: InfoId) {
        if let Some(last) = self.sections.last_mut()
            && last.kind == Kind::Plain
        {
            if last.text.is_empty() {
                last.info = info;
            }
            last.text.push('\n');
            return;
        }
        self.sections.push(Section {
            info,
            kind: Kind::Plain,
            text: String::new(),
            connected: false,
        });
    }

    fn new_tagged_section(&mut self, info: InfoId, kind: Kind) -> QResult<()> {
        let idx = self.sections.len();
        let slot = match kind {
            Kind::Returns => Some(&mut self.returns),
            Kind::Errors => Some(&mut self.errors),
            Kind::Since => Some(&mut self.since),
            _ => None,
        };
        if let Some(slot) = slot {
            if slot.is_some() {
                return Err(sem(info, format!("duplicated '{}' section", kind.title())));
            }
            *slot = Some(idx);
        }
        self.sections.push(Section {
            info,
            kind,
            text: String::new(),
            connected: false,
        });
        Ok(())
    }

    fn new_description(&mut self, info: InfoId, name: &str, kind: Kind) -> QResult<()> {
        if name.is_empty() {
            return Err(sem(info, "invalid parameter name"));
        }
        let list = if kind == Kind::Feature {
            &self.features
        } else {
            &self.args
        };
        if list.iter().any(|(n, _)| n == name) {
            return Err(sem(info, format!("'{name}' parameter name duplicated")));
        }
        let idx = self.sections.len();
        self.sections.push(Section {
            info,
            kind,
            text: String::new(),
            connected: false,
        });
        if kind == Kind::Feature {
            self.features.push((name.to_owned(), idx));
        } else {
            self.args.push((name.to_owned(), idx));
        }
        Ok(())
    }

    /// Strips blank lines around each section; tagged sections need text.
    pub(crate) fn end(&mut self) -> QResult<()> {
        for s in &mut self.sections {
            s.text = s.text.trim_matches('\n').to_owned();
            if s.kind != Kind::Plain && s.text.is_empty() {
                return Err(sem(
                    s.info,
                    format!("text required after '{}:'", s.kind.title()),
                ));
            }
        }
        Ok(())
    }

    /// The checks QEMU makes when the doc is attached to `meta`:
    /// `Returns`/`Errors` sections only for commands.
    pub(crate) fn check_expr(&self, is_command: bool, has_returns: bool) -> QResult<()> {
        if is_command {
            if let Some(i) = self.returns
                && !has_returns
            {
                return Err(sem(
                    self.sections[i].info,
                    "'Returns' section, but command doesn't return anything",
                ));
            }
        } else {
            if let Some(i) = self.returns {
                return Err(sem(
                    self.sections[i].info,
                    "'Returns' section is only valid for commands",
                ));
            }
            if let Some(i) = self.errors {
                return Err(sem(
                    self.sections[i].info,
                    "'Errors' section is only valid for commands",
                ));
            }
        }
        Ok(())
    }

    /// A member (role `member`, `value`, `branch`) claims its description.
    /// Undocumented members are an error unless the symbol is listed in
    /// pragma `documentation-exceptions`.
    pub(crate) fn connect_member(
        &mut self,
        role: &str,
        name: &str,
        info: InfoId,
        exceptions: &[String],
    ) -> QResult<()> {
        if let Some(&(_, idx)) = self.args.iter().find(|(n, _)| n == name) {
            self.sections[idx].connected = true;
            return Ok(());
        }
        let symbol = self.symbol.clone().unwrap_or_default();
        if !exceptions.contains(&symbol) {
            return Err(sem(info, format!("{role} '{name}' lacks documentation")));
        }
        // QEMU inserts a stub section; it counts as connected.
        let idx = self.sections.len();
        self.sections.push(Section {
            info: self.info,
            kind: Kind::Member,
            text: String::new(),
            connected: true,
        });
        self.args.push((name.to_owned(), idx));
        Ok(())
    }

    pub(crate) fn connect_feature(&mut self, name: &str, info: InfoId) -> QResult<()> {
        match self.features.iter().find(|(n, _)| n == name) {
            Some(&(_, idx)) => {
                self.sections[idx].connected = true;
                Ok(())
            }
            None => Err(sem(info, format!("feature '{name}' lacks documentation"))),
        }
    }

    /// Descriptions of members or features that do not exist.
    pub(crate) fn check(&self) -> QResult<()> {
        for (list, what) in [(&self.args, "member"), (&self.features, "feature")] {
            let bogus: Vec<&(String, usize)> = list
                .iter()
                .filter(|(_, i)| !self.sections[*i].connected)
                .collect();
            if let Some(first) = bogus.first() {
                let names: Vec<&str> = bogus.iter().map(|(n, _)| n.as_str()).collect();
                let plural = bogus.len() > 1;
                return Err(sem(
                    self.sections[first.1].info,
                    format!(
                        "documented {what}{} '{}' {} not exist",
                        if plural { "s" } else { "" },
                        names.join("', '"),
                        if plural { "do" } else { "does" }
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The description of member `name`, if any.
    pub(crate) fn arg_text(&self, name: &str) -> Option<String> {
        self.args
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| self.sections[*i].text.clone())
            .filter(|t| !t.is_empty())
    }

    /// The whole block after the symbol line, trimmed.
    pub(crate) fn text(&self) -> Option<String> {
        let t = self.raw.join("\n");
        let t = t.trim_matches('\n');
        if t.is_empty() {
            None
        } else {
            Some(t.to_owned())
        }
    }
}

/// Cursor over the collected lines.
struct Cursor<'a> {
    entries: &'a [DocEntry],
    idx: usize,
    raw: Vec<String>,
}

impl Cursor<'_> {
    /// The current line (`None` at the closing `##`), or the error QEMU
    /// raises on reading it.
    fn get(&mut self) -> QResult<Option<String>> {
        match self.entries.get(self.idx) {
            Some(Ok(t)) => {
                if let Some(l) = &t.line {
                    self.raw.push(l.clone());
                }
                Ok(t.line.clone())
            }
            Some(Err(e)) => Err(e.clone()),
            // Collection always ends with the closing line or an error.
            None => Ok(None),
        }
    }

    fn next(&mut self) -> QResult<Option<String>> {
        self.idx += 1;
        self.get()
    }

    fn here(&self) -> (InfoId, u32) {
        match self.entries.get(self.idx) {
            Some(Ok(t)) => (t.info, t.col),
            _ => match self.entries.iter().rev().find_map(|e| e.as_ref().ok()) {
                Some(t) => (t.info, t.col),
                None => (InfoId(0), 1),
            },
        }
    }

    fn info(&self) -> InfoId {
        self.here().0
    }

    fn err(&self, msg: impl Into<String>) -> Raw {
        let (info, col) = self.here();
        parse(info, col, msg)
    }
}

/// `@name: rest` at the start of a line: the name and the text after the
/// colon and any spaces.
fn match_at_name_colon(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('@')?;
    let colon = rest.find(':')?;
    Some((&rest[..colon], rest[colon + 1..].trim_start_matches(' ')))
}

/// `Returns:`, `Errors:`, `Since:`, `Note(s):`, `Example(s):`, `TODO:`
/// (but not the rST `Tag::`): the tag and the text after it.
fn match_tagged(line: &str) -> Option<(&str, &str)> {
    for tag in [
        "Returns", "Errors", "Since", "Notes", "Note", "Examples", "Example", "TODO",
    ] {
        if let Some(after) = line.strip_prefix(tag)
            && !after.starts_with("::")
            && let Some(rest) = after.strip_prefix(':')
        {
            return Some((tag, rest.trim_start_matches(' ')));
        }
    }
    None
}

fn leading_ws(line: &str) -> usize {
    line.chars()
        .take_while(|c| crate::parser::is_space(*c))
        .count()
}

fn get_indented(p: &mut Cursor<'_>, doc: &mut Doc) -> QResult<Option<String>> {
    let mut line = p.next()?;
    while line.as_deref() == Some("") {
        doc.append_line("");
        line = p.next()?;
    }
    let Some(first) = line else { return Ok(None) };
    let indent = leading_ws(&first);
    if indent == 0 {
        return Ok(Some(first));
    }
    doc.append_line(&first);
    let mut prev_line_blank = false;
    loop {
        let Some(line) = p.next()? else {
            return Ok(None);
        };
        if match_at_name_colon(&line).is_some() {
            return Ok(Some(line));
        }
        if !line.is_empty() && leading_ws(&line) < indent {
            if prev_line_blank {
                return Ok(Some(line));
            }
            return Err(p.err(format!(
                "unexpected de-indent (expected at least {indent} spaces)"
            )));
        }
        doc.append_line(&line);
        // As in QEMU 10.0.2: any line, once appended, permits a later
        // de-indent.
        prev_line_blank = true;
    }
}

fn get_paragraph(p: &mut Cursor<'_>, doc: &mut Doc) -> QResult<Option<String>> {
    loop {
        match p.next()? {
            None => return Ok(None),
            Some(l) if l.is_empty() => return Ok(Some(l)),
            Some(l) => doc.append_line(&l),
        }
    }
}

/// QEMU 10.0.2's doc-comment parser. `entries` are the lines after the
/// opening `##`; `info` is the opening line. [`Doc::end`] is left to the
/// caller (QEMU runs it after reading the next token).
pub(crate) fn parse_strict(entries: &[DocEntry], info: InfoId) -> QResult<Doc> {
    let mut p = Cursor {
        entries,
        idx: 0,
        raw: Vec::new(),
    };
    let mut line = p.get()?;
    let mut doc;
    if let Some(first) = line.as_deref().filter(|l| l.starts_with('@')) {
        if !first.ends_with(':') {
            return Err(p.err("line should end with ':'"));
        }
        let symbol = &first[1..first.len() - 1];
        if symbol.is_empty() {
            return Err(p.err("name required after '@'"));
        }
        doc = Doc::new(info, Some(symbol.to_owned()));
        p.raw.clear();
        line = p.next()?;
        let mut no_more_args = false;
        while line.is_some() {
            while line.as_deref() == Some("") {
                line = p.next()?;
            }
            let Some(l) = line.clone() else { break };
            if l == "Features:" {
                if !doc.features.is_empty() {
                    return Err(p.err("duplicated 'Features:' line"));
                }
                line = p.next()?;
                while line.as_deref() == Some("") {
                    line = p.next()?;
                }
                while let Some(cur) = line.clone() {
                    let Some((name, rest)) = match_at_name_colon(&cur) else {
                        break;
                    };
                    doc.new_description(p.info(), name, Kind::Feature)?;
                    if !rest.is_empty() {
                        doc.append_line(rest);
                    }
                    line = get_indented(&mut p, &mut doc)?;
                }
                if doc.features.is_empty() {
                    return Err(p.err("feature descriptions expected"));
                }
                no_more_args = true;
            } else if let Some((name, _)) = match_at_name_colon(&l) {
                if no_more_args {
                    return Err(p.err(format!("description of '@{name}:' follows a section")));
                }
                while let Some(cur) = line.clone() {
                    let Some((name, rest)) = match_at_name_colon(&cur) else {
                        break;
                    };
                    doc.new_description(p.info(), name, Kind::Member)?;
                    if !rest.is_empty() {
                        doc.append_line(rest);
                    }
                    line = get_indented(&mut p, &mut doc)?;
                }
                no_more_args = true;
            } else if let Some((tag, rest)) = match_tagged(&l) {
                if tag.contains("Note") {
                    return Err(p.err(format!(
                        "The '{tag}' section is no longer supported. Please use rST's \
                         '.. note::' or '.. admonition:: notes' directives, or another \
                         suitable admonition instead."
                    )));
                }
                if tag.contains("Example") {
                    return Err(p.err(format!(
                        "The '{tag}' section is no longer supported. Please use the \
                         '.. qmp-example::' directive, or other suitable markup instead."
                    )));
                }
                let kind = match tag {
                    "Returns" => Kind::Returns,
                    "Errors" => Kind::Errors,
                    "Since" => Kind::Since,
                    _ => Kind::Todo,
                };
                doc.new_tagged_section(p.info(), kind)?;
                if !rest.is_empty() {
                    doc.append_line(rest);
                }
                line = get_indented(&mut p, &mut doc)?;
                no_more_args = true;
            } else if l.starts_with('=') {
                return Err(p.err("unexpected '=' markup in definition documentation"));
            } else {
                doc.ensure_untagged_section(p.info());
                doc.append_line(&l);
                line = get_paragraph(&mut p, &mut doc)?;
            }
        }
    } else {
        doc = Doc::new(info, None);
        doc.ensure_untagged_section(p.info());
        let mut first = true;
        while let Some(l) = line {
            if let Some((name, _)) = match_at_name_colon(&l) {
                return Err(p.err(format!("'@{name}:' not allowed in free-form documentation")));
            }
            if l.starts_with('=') && !first {
                return Err(p.err("'=' heading must come first in a comment block"));
            }
            doc.append_line(&l);
            line = p.next()?;
            first = false;
        }
    }
    doc.raw = std::mem::take(&mut p.raw);
    Ok(doc)
}

/// A forgiving parser for doc comments of old QEMU eras: finds the
/// symbol and `@member:` descriptions, never fails.
pub(crate) fn parse_lenient(lines: &[DocTok], info: InfoId) -> Doc {
    let texts: Vec<&str> = lines.iter().filter_map(|t| t.line.as_deref()).collect();
    let mut doc;
    let mut off = 0;
    match texts.first() {
        Some(first) if first.starts_with('@') => {
            let sym = first[1..].trim_end().trim_end_matches(':');
            doc = Doc::new(info, Some(sym.to_owned()));
            off = 1;
        }
        _ => doc = Doc::new(info, None),
    }
    let rest = &texts[off..];
    doc.raw = rest.iter().map(|s| s.to_string()).collect();
    let mut in_features = false;
    for (i, l) in rest.iter().enumerate() {
        let linfo = lines.get(i + off).map(|t| t.info).unwrap_or(info);
        if *l == "Features:" {
            in_features = true;
            continue;
        }
        if let Some((name, text)) = match_at_name_colon(l)
            && !name.is_empty()
            && !name.contains(' ')
        {
            let kind = if in_features {
                Kind::Feature
            } else {
                Kind::Member
            };
            if doc.new_description(linfo, name, kind).is_ok() {
                doc.append_line(text);
                continue;
            }
        }
        if match_tagged(l).is_some() {
            in_features = false;
            doc.sections.push(Section {
                info: linfo,
                kind: Kind::Plain,
                text: String::new(),
                connected: false,
            });
        }
        doc.append_line(l.trim_start());
    }
    for s in &mut doc.sections {
        s.text = s.text.trim_matches('\n').to_owned();
    }
    doc
}
