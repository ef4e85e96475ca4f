//! The reader: QAPI schema syntax (single-quoted strings, `#` comments,
//! `##` doc blocks), `include` and `pragma` directives.
//!
//! Lexing and parsing follow QEMU 10.0.2's generator token by token, so
//! that errors carry the same line and column. Included files are read
//! when their `include` is met; their expressions follow the `include`
//! in [`Reader::exprs`] (depth first), as in QEMU.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::rc::Rc;

use crate::diag::{QResult, Raw, parse, plain, sem};
use crate::doc::{self, Doc, DocEntry, DocTok};
use crate::pathutil;
use crate::source::{InfoId, Infos};
use crate::value::{Obj, Value};

/// Deepest nesting of `{`/`[` accepted (QEMU's Python recursion limit
/// stops somewhat above this; we report an error instead of crashing).
const MAX_DEPTH: usize = 256;

/// Deepest chain of nested `include`s accepted.
const MAX_INCLUDE_DEPTH: usize = 200;

/// Python's `str.isspace` for one character.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The schema-wide pragmas (QEMU keeps one shared object, whatever file
/// a `pragma` appears in; a later `pragma` replaces a list wholesale).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pragmas {
    /// `doc-required`: every definition needs a doc comment.
    pub doc_required: bool,
    /// `command-name-exceptions`: commands whose name may use `_`.
    pub command_name_exceptions: Vec<String>,
    /// `command-returns-exceptions` (old name `returns-whitelist`):
    /// commands that may return a non-object type.
    pub command_returns_exceptions: Vec<String>,
    /// `documentation-exceptions`: definitions whose members may be
    /// undocumented.
    pub documentation_exceptions: Vec<String>,
    /// `member-name-exceptions` (old name `name-case-whitelist`): types
    /// whose members may use upper case and `_`.
    pub member_name_exceptions: Vec<String>,
}

/// Options of the reader.
#[derive(Clone, Debug)]
pub(crate) struct ReaderOpts {
    pub(crate) legacy: bool,
    pub(crate) base_dir: PathBuf,
    /// Read included files (off for syntax-only checks of one file).
    pub(crate) follow_includes: bool,
}

/// A top-level expression, in flattened (include-expanded) order.
#[derive(Clone, Debug)]
pub(crate) struct ParsedExpr {
    pub(crate) obj: Obj,
    pub(crate) info: InfoId,
    /// Index into [`Reader::docs`].
    pub(crate) doc: Option<usize>,
    /// Index into [`Reader::modules`] of the file holding it.
    pub(crate) module: usize,
    /// For an `include`: the module it names.
    pub(crate) include: Option<usize>,
}

/// The state shared by the parsers of all files of one schema.
#[derive(Debug)]
pub(crate) struct Reader {
    pub(crate) infos: Infos,
    pub(crate) pragmas: Pragmas,
    /// Whether any returns pragma was given (legacy mode checks returns
    /// only then).
    pub(crate) returns_pragma_seen: bool,
    pub(crate) exprs: Vec<ParsedExpr>,
    pub(crate) docs: Vec<Doc>,
    /// Module files (absolute, normalised) in order of first mention.
    pub(crate) modules: Vec<String>,
    module_index: HashMap<String, usize>,
    included: HashSet<String>,
    opts: ReaderOpts,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Punct(char),
    Str(String),
    Bool(bool),
    Comment(String),
    Eof,
}

impl Reader {
    pub(crate) fn new(opts: ReaderOpts) -> Reader {
        Reader {
            infos: Infos::default(),
            pragmas: Pragmas::default(),
            returns_pragma_seen: false,
            exprs: Vec::new(),
            docs: Vec::new(),
            modules: Vec::new(),
            module_index: HashMap::new(),
            included: HashSet::new(),
            opts,
        }
    }

    /// Reads the root schema file and everything it includes.
    pub(crate) fn read_root(&mut self, fname: &str) -> QResult<()> {
        let abs = pathutil::abspath(fname, &self.opts.base_dir);
        self.included.insert(abs.clone());
        let text = match read_text(&pathutil::resolve(fname, &self.opts.base_dir)) {
            Ok(t) => t,
            Err(e) => return Err(plain(format!("can't read schema file '{fname}': {e}"))),
        };
        self.module(&abs, fname);
        self.parse_file(fname, &abs, None, &text, 0)
    }

    /// Reads schema text given in memory, as if it were file `fname`.
    pub(crate) fn read_text(&mut self, fname: &str, text: &str) -> QResult<()> {
        let abs = pathutil::abspath(fname, &self.opts.base_dir);
        self.included.insert(abs.clone());
        self.module(&abs, fname);
        self.parse_file(fname, &abs, None, text, 0)
    }

    /// QEMU's module names: file names relative to the main file's
    /// directory.
    pub(crate) fn module_names(&self) -> Vec<String> {
        let Some(root) = self.modules.first() else {
            return Vec::new();
        };
        let dir = pathutil::dirname(root);
        self.modules
            .iter()
            .map(|m| pathutil::relpath(m, dir))
            .collect()
    }

    fn module(&mut self, abs: &str, _fname: &str) -> usize {
        if let Some(&i) = self.module_index.get(abs) {
            return i;
        }
        self.modules.push(abs.to_owned());
        self.module_index
            .insert(abs.to_owned(), self.modules.len() - 1);
        self.modules.len() - 1
    }

    fn parse_file(
        &mut self,
        fname: &str,
        abs: &str,
        parent: Option<InfoId>,
        text: &str,
        depth: usize,
    ) -> QResult<()> {
        let module = self.module(abs, fname);
        let fname_rc: Rc<str> = Rc::from(fname);
        let info = self.infos.new_info(fname_rc.clone(), 1, parent);
        let mut src: Vec<char> = Vec::with_capacity(text.len() + 1);
        // Python's universal newlines: "\r\n" and "\r" read as "\n".
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\r' {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                src.push('\n');
            } else {
                src.push(c);
            }
        }
        if src.last() != Some(&'\n') {
            src.push('\n');
        }
        let mut fp = FileParser {
            r: self,
            src,
            fname: fname_rc,
            parent,
            cursor: 0,
            pos: 0,
            line_pos: 0,
            line: 1,
            info,
            tok: Tok::Eof,
            module,
            depth,
        };
        fp.parse()
    }

    /// An `include` directive at `info` naming `include` (as written),
    /// resolved to `incl_fname`.
    fn include(
        &mut self,
        include: &str,
        info: InfoId,
        incl_fname: &str,
        depth: usize,
    ) -> QResult<()> {
        let base = self.opts.base_dir.clone();
        let abs = pathutil::abspath(incl_fname, &base);
        let mut inf = Some(info);
        while let Some(i) = inf {
            if pathutil::abspath(self.infos.fname(i), &base) == abs {
                return Err(sem(info, format!("inclusion loop for {include}")));
            }
            inf = self.infos.parent(i);
        }
        if self.included.contains(&abs) || !self.opts.follow_includes {
            return Ok(());
        }
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(sem(info, "includes nested too deeply"));
        }
        self.included.insert(abs.clone());
        let text = match read_text(&pathutil::resolve(incl_fname, &base)) {
            Ok(t) => t,
            Err(e) => {
                return Err(sem(
                    info,
                    format!("can't read include file '{incl_fname}': {e}"),
                ));
            }
        };
        self.parse_file(incl_fname, &abs, Some(info), &text, depth + 1)
    }

    fn pragma(&mut self, name: &str, value: &Value, info: InfoId) -> QResult<()> {
        let list = |name: &str| -> QResult<Vec<String>> {
            match value {
                Value::List(items) => items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| sem(info, format!("pragma {name} must be a list of strings"))),
                _ => Err(sem(
                    info,
                    format!("pragma {name} must be a list of strings"),
                )),
            }
        };
        let legacy = self.opts.legacy;
        match name {
            "doc-required" => match value {
                Value::Bool(b) => self.pragmas.doc_required = *b,
                _ => return Err(sem(info, "pragma 'doc-required' must be boolean")),
            },
            "command-name-exceptions" => self.pragmas.command_name_exceptions = list(name)?,
            "command-returns-exceptions" => {
                self.pragmas.command_returns_exceptions = list(name)?;
                self.returns_pragma_seen = true;
            }
            "documentation-exceptions" => self.pragmas.documentation_exceptions = list(name)?,
            "member-name-exceptions" => self.pragmas.member_name_exceptions = list(name)?,
            "returns-whitelist" if legacy => {
                self.pragmas.command_returns_exceptions = list(name)?;
                self.returns_pragma_seen = true;
            }
            "name-case-whitelist" if legacy => {
                let l = list(name)?;
                self.pragmas.command_name_exceptions = l.clone();
                self.pragmas.member_name_exceptions = l;
            }
            _ => return Err(sem(info, format!("unknown pragma '{name}'"))),
        }
        Ok(())
    }
}

/// Reads a file as UTF-8; the error text is Python's `strerror`.
fn read_text(path: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| pathutil::strerror(&e))?;
    String::from_utf8(bytes)
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()))
}

/// The parser of one file.
struct FileParser<'r> {
    r: &'r mut Reader,
    src: Vec<char>,
    fname: Rc<str>,
    parent: Option<InfoId>,
    cursor: usize,
    /// Start of the current token.
    pos: usize,
    /// Start of the current line.
    line_pos: usize,
    line: u32,
    info: InfoId,
    tok: Tok,
    module: usize,
    depth: usize,
}

impl FileParser<'_> {
    /// Column of the current token, tabs to multiples of 8 (QEMU's rule).
    fn col(&self) -> u32 {
        let mut col: u32 = 1;
        for &ch in &self.src[self.line_pos.min(self.pos)..self.pos] {
            if ch == '\t' {
                col = (col + 7) % 8 + 1;
            } else {
                col = col.saturating_add(1);
            }
        }
        col
    }

    fn err(&self, msg: impl Into<String>) -> Raw {
        parse(self.info, self.col(), msg)
    }

    fn at(&self, i: usize) -> char {
        // The source always ends with '\n'; never index past it.
        self.src.get(i).copied().unwrap_or('\n')
    }

    fn starts_with_at(&self, i: usize, word: &str) -> bool {
        (i..)
            .zip(word.chars())
            .all(|(j, c)| self.src.get(j) == Some(&c))
    }

    /// Reads the next token. With `skip_comment`, plain `#` comments are
    /// skipped; a `##` comment is always returned.
    fn accept(&mut self, mut skip_comment: bool) -> QResult<()> {
        loop {
            if self.cursor >= self.src.len() {
                self.tok = Tok::Eof;
                return Ok(());
            }
            let ch = self.src[self.cursor];
            self.pos = self.cursor;
            self.cursor += 1;
            match ch {
                '#' => {
                    if self.at(self.cursor) == '#' {
                        skip_comment = false;
                    }
                    let end = self.src[self.cursor..]
                        .iter()
                        .position(|&c| c == '\n')
                        .map(|p| self.cursor + p)
                        .unwrap_or(self.src.len());
                    self.cursor = end;
                    if !skip_comment {
                        self.tok = Tok::Comment(self.src[self.pos..self.cursor].iter().collect());
                        return Ok(());
                    }
                }
                '{' | '}' | ':' | ',' | '[' | ']' => {
                    self.tok = Tok::Punct(ch);
                    return Ok(());
                }
                '\'' => {
                    let mut s = String::new();
                    let mut esc = false;
                    loop {
                        let c = self.at(self.cursor);
                        self.cursor += 1;
                        if c == '\n' {
                            return Err(self.err("missing terminating \"'\""));
                        }
                        if esc {
                            if c != '\\' {
                                return Err(self.err(format!("unknown escape \\{c}")));
                            }
                            esc = false;
                        } else if c == '\\' {
                            esc = true;
                            continue;
                        } else if c == '\'' {
                            self.tok = Tok::Str(s);
                            return Ok(());
                        }
                        if (c as u32) < 32 || (c as u32) >= 127 {
                            return Err(self.err("funny character in string"));
                        }
                        s.push(c);
                    }
                }
                _ if self.starts_with_at(self.pos, "true") => {
                    self.tok = Tok::Bool(true);
                    self.cursor += 3;
                    return Ok(());
                }
                _ if self.starts_with_at(self.pos, "false") => {
                    self.tok = Tok::Bool(false);
                    self.cursor += 4;
                    return Ok(());
                }
                '\n' => {
                    if self.cursor == self.src.len() {
                        self.tok = Tok::Eof;
                        return Ok(());
                    }
                    self.line += 1;
                    self.info = self
                        .r
                        .infos
                        .new_info(self.fname.clone(), self.line, self.parent);
                    self.line_pos = self.cursor;
                }
                _ if !is_space(ch) => {
                    let word: String = self.src[self.pos..]
                        .iter()
                        .take_while(|&&c| !"[]{}:,'".contains(c) && !is_space(c))
                        .collect();
                    return Err(self.err(format!("stray '{word}'")));
                }
                _ => {}
            }
        }
    }

    fn get_members(&mut self, depth: usize) -> QResult<Obj> {
        let mut obj = Obj::default();
        if self.tok == Tok::Punct('}') {
            self.accept(true)?;
            return Ok(obj);
        }
        let Tok::Str(_) = self.tok else {
            return Err(self.err("expected string or '}'"));
        };
        loop {
            let Tok::Str(key) = std::mem::replace(&mut self.tok, Tok::Eof) else {
                return Err(self.err("expected string"));
            };
            self.accept(true)?;
            if self.tok != Tok::Punct(':') {
                return Err(self.err("expected ':'"));
            }
            self.accept(true)?;
            if obj.contains(&key) {
                return Err(self.err(format!("duplicate key '{key}'")));
            }
            let value = self.get_expr(depth)?;
            obj.0.push((key, value));
            if self.tok == Tok::Punct('}') {
                self.accept(true)?;
                return Ok(obj);
            }
            if self.r.opts.legacy && matches!(self.tok, Tok::Str(_)) {
                // QEMU 1.x did not require the comma.
                continue;
            }
            if self.tok != Tok::Punct(',') {
                return Err(self.err("expected ',' or '}'"));
            }
            self.accept(true)?;
            if self.r.opts.legacy && self.tok == Tok::Punct('}') {
                // QEMU 1.x accepted a trailing comma.
                self.accept(true)?;
                return Ok(obj);
            }
            if !matches!(self.tok, Tok::Str(_)) {
                return Err(self.err("expected string"));
            }
        }
    }

    fn get_values(&mut self, depth: usize) -> QResult<Vec<Value>> {
        let mut list = Vec::new();
        if self.tok == Tok::Punct(']') {
            self.accept(true)?;
            return Ok(list);
        }
        if !matches!(
            self.tok,
            Tok::Punct('{') | Tok::Punct('[') | Tok::Str(_) | Tok::Bool(_)
        ) {
            return Err(self.err("expected '{', '[', ']', string, or boolean"));
        }
        loop {
            list.push(self.get_expr(depth)?);
            if self.tok == Tok::Punct(']') {
                self.accept(true)?;
                return Ok(list);
            }
            if self.r.opts.legacy
                && matches!(
                    self.tok,
                    Tok::Punct('{') | Tok::Punct('[') | Tok::Str(_) | Tok::Bool(_)
                )
            {
                continue;
            }
            if self.tok != Tok::Punct(',') {
                return Err(self.err("expected ',' or ']'"));
            }
            self.accept(true)?;
            if self.r.opts.legacy && self.tok == Tok::Punct(']') {
                self.accept(true)?;
                return Ok(list);
            }
        }
    }

    fn get_expr(&mut self, depth: usize) -> QResult<Value> {
        match &self.tok {
            Tok::Punct('{') | Tok::Punct('[') if depth >= MAX_DEPTH => {
                Err(self.err("expressions nested too deeply"))
            }
            Tok::Punct('{') => {
                self.accept(true)?;
                Ok(Value::Object(self.get_members(depth + 1)?))
            }
            Tok::Punct('[') => {
                self.accept(true)?;
                Ok(Value::List(self.get_values(depth + 1)?))
            }
            Tok::Str(s) => {
                let v = Value::Str(s.clone());
                self.accept(true)?;
                Ok(v)
            }
            Tok::Bool(b) => {
                let v = Value::Bool(*b);
                self.accept(true)?;
                Ok(v)
            }
            _ => Err(self.err("expected '{', '[', string, or boolean")),
        }
    }

    fn reject_expr_doc(&self, doc: Option<usize>) -> QResult<()> {
        if self.r.opts.legacy {
            return Ok(());
        }
        if let Some(d) = doc
            && let Some(sym) = &self.r.docs[d].symbol
        {
            return Err(sem(
                self.r.docs[d].info,
                format!("documentation for '{sym}' is not followed by the definition"),
            ));
        }
        Ok(())
    }

    /// Reads a doc block; the current token is its opening `##` line.
    fn get_doc(&mut self) -> QResult<usize> {
        let legacy = self.r.opts.legacy;
        if let Tok::Comment(v) = &self.tok
            && v != "##"
            && !legacy
        {
            return Err(self.err("junk after '##' at start of documentation comment"));
        }
        let info = self.info;
        let mut entries: Vec<DocEntry> = Vec::new();
        let mut ended_by_token = false;
        loop {
            if let Err(e) = self.accept(false) {
                if legacy {
                    return Err(e);
                }
                entries.push(Err(e));
                break;
            }
            let (li, col) = (self.info, self.col());
            let Tok::Comment(v) = &self.tok else {
                if legacy {
                    ended_by_token = true;
                } else {
                    entries.push(Err(self.err("documentation comment must end with '##'")));
                }
                break;
            };
            if v.starts_with("##") {
                if v != "##" && !legacy {
                    entries.push(Err(
                        self.err("junk after '##' at end of documentation comment")
                    ));
                    break;
                }
                entries.push(Ok(DocTok {
                    info: li,
                    col,
                    line: None,
                }));
                break;
            }
            let text = if v == "#" {
                String::new()
            } else if v.chars().nth(1) != Some(' ') {
                if !legacy {
                    entries.push(Err(self.err("missing space after #")));
                    break;
                }
                v.chars()
                    .skip(1)
                    .collect::<String>()
                    .trim_end_matches(is_space)
                    .to_owned()
            } else {
                v.chars()
                    .skip(2)
                    .collect::<String>()
                    .trim_end_matches(is_space)
                    .to_owned()
            };
            entries.push(Ok(DocTok {
                info: li,
                col,
                line: Some(text),
            }));
        }
        let doc = if legacy {
            let lines: Vec<DocTok> = entries.into_iter().filter_map(Result::ok).collect();
            let doc = doc::parse_lenient(&lines, info);
            if !ended_by_token {
                self.accept(true)?;
            }
            doc
        } else {
            let mut doc = doc::parse_strict(&entries, info)?;
            self.accept(true)?;
            doc.end()?;
            doc
        };
        self.r.docs.push(doc);
        Ok(self.r.docs.len() - 1)
    }

    fn parse(&mut self) -> QResult<()> {
        self.accept(true)?;
        let mut cur_doc: Option<usize> = None;
        while self.tok != Tok::Eof {
            let info = self.info;
            if let Tok::Comment(_) = self.tok {
                self.reject_expr_doc(cur_doc)?;
                cur_doc = Some(self.get_doc()?);
                continue;
            }
            let Value::Object(obj) = self.get_expr(0)? else {
                return Err(sem(info, "top-level expression must be an object"));
            };
            if let Some(include) = obj.get("include") {
                self.reject_expr_doc(cur_doc)?;
                if obj.len() != 1 {
                    return Err(sem(info, "invalid 'include' directive"));
                }
                let Value::Str(include) = include else {
                    return Err(sem(info, "value of 'include' must be a string"));
                };
                let include = include.clone();
                let incl_fname = pathutil::join(pathutil::dirname(&self.fname), &include);
                let abs = pathutil::abspath(&incl_fname, &self.r.opts.base_dir);
                let target = self.r.module(&abs, &incl_fname);
                self.r.exprs.push(ParsedExpr {
                    obj,
                    info,
                    doc: None,
                    module: self.module,
                    include: Some(target),
                });
                self.r.include(&include, info, &incl_fname, self.depth)?;
            } else if let Some(pragma) = obj.get("pragma") {
                self.reject_expr_doc(cur_doc)?;
                if obj.len() != 1 {
                    return Err(sem(info, "invalid 'pragma' directive"));
                }
                let Value::Object(p) = pragma else {
                    return Err(sem(info, "value of 'pragma' must be an object"));
                };
                for (name, value) in p.iter() {
                    self.r.pragma(name, value, info)?;
                }
            } else {
                let mut doc = cur_doc;
                if let Some(d) = cur_doc
                    && self.r.docs[d].symbol.is_none()
                {
                    if !self.r.opts.legacy {
                        return Err(sem(
                            self.r.docs[d].info,
                            "definition documentation required",
                        ));
                    }
                    doc = None;
                }
                self.r.exprs.push(ParsedExpr {
                    obj,
                    info,
                    doc,
                    module: self.module,
                    include: None,
                });
            }
            cur_doc = None;
        }
        self.reject_expr_doc(cur_doc)
    }
}
