//! `qapi diff`: structural comparison of two `query-qmp-schema` answers.
//!
//! Type names are not ABI (QEMU masks them as numbers, and the numbers
//! change whenever a type is added anywhere), so types are never matched
//! by name. Instead both dumps are walked in parallel from each command
//! and event present in both: the argument types of `cmd` are compared,
//! then its return types; inside an object, members are matched by
//! name and union variants by case; inside an alternate, branches by
//! JSON kind; arrays by element. A type pair is compared once, at the
//! first place the walk reaches it (commands and events in the first
//! dump's order), and its differences are reported there, under that
//! command or event.
//!
//! Types that no command or event reaches (QEMU emits a few, whose only
//! use is compiled out) are matched by shape; what stays unmatched is
//! reported as a type added or removed.
//!
//! Paths name where a difference is: `blockdev-add.arguments.driver`
//! (a member of the arguments), `...driver[file].filename` (a member of
//! the `file` variant of the union whose tag is `driver`),
//! `query-block.returns[].inserted` (array elements),
//! `...file<object>.driver` (the object branch of an alternate),
//! `...aio=native` (an enum value), `QUORUM_FAILURE.data` (event data).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use serde_json::{Value, json};

/// One introspection answer, indexed by entity name.
#[derive(Clone, Debug, Default)]
pub struct Dump {
    entries: HashMap<String, Value>,
    /// Commands and events, in the dump's order.
    entry_points: Vec<String>,
    /// Every other entity, in the dump's order.
    types: Vec<String>,
}

impl Dump {
    /// Reads a dump: the array `query-qmp-schema` returns, or a whole QMP
    /// reply (`{"return": [...]}`).
    pub fn from_json(v: &Value) -> Result<Dump, String> {
        let list = match v {
            Value::Array(a) => a,
            Value::Object(o) => match o.get("return") {
                Some(Value::Array(a)) => a,
                _ => return Err("expected an array of SchemaInfo, or {\"return\": [...]}".into()),
            },
            _ => return Err("expected an array of SchemaInfo".into()),
        };
        let mut d = Dump::default();
        for (i, e) in list.iter().enumerate() {
            let Some(name) = e.get("name").and_then(Value::as_str) else {
                return Err(format!("entry {i} has no name"));
            };
            let Some(meta) = e.get("meta-type").and_then(Value::as_str) else {
                return Err(format!("entry '{name}' has no meta-type"));
            };
            if d.entries.insert(name.to_owned(), e.clone()).is_some() {
                return Err(format!("entry '{name}' appears twice"));
            }
            if matches!(meta, "command" | "event") {
                d.entry_points.push(name.to_owned());
            } else {
                d.types.push(name.to_owned());
            }
        }
        Ok(d)
    }

    /// Parses dump text (JSON).
    pub fn parse(text: &str) -> Result<Dump, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Dump::from_json(&v)
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.entries.get(name)
    }

    fn meta(&self, name: &str) -> &str {
        self.get(name)
            .and_then(|e| e["meta-type"].as_str())
            .unwrap_or(if name.starts_with('[') {
                "array"
            } else {
                "unknown"
            })
    }

    /// Every type reachable from commands and events.
    fn reachable(&self) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut work: Vec<String> = Vec::new();
        for ep in &self.entry_points {
            let e = &self.entries[ep];
            for k in ["arg-type", "ret-type"] {
                if let Some(t) = e.get(k).and_then(Value::as_str) {
                    work.push(t.to_owned());
                }
            }
        }
        while let Some(t) = work.pop() {
            if !seen.insert(t.clone()) {
                continue;
            }
            let Some(e) = self.get(&t) else { continue };
            work.extend(children(e).into_iter().map(str::to_owned));
        }
        seen
    }
}

/// The types an entry refers to.
fn children(e: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(t) = e.get("element-type").and_then(Value::as_str) {
        out.push(t);
    }
    for key in ["members", "variants"] {
        for m in e.get(key).and_then(Value::as_array).into_iter().flatten() {
            if let Some(t) = m.get("type").and_then(Value::as_str) {
                out.push(t);
            }
        }
    }
    out
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn features(e: &Value) -> Vec<String> {
    strings(e.get("features"))
}

/// Whether a name is a masked number.
fn masked(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
}

/// Added, removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl ChangeKind {
    fn sign(self) -> char {
        match self {
            ChangeKind::Added => '+',
            ChangeKind::Removed => '-',
            ChangeKind::Changed => '~',
        }
    }

    fn word(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The command or event under which it was found (`""` for types no
    /// command or event reaches).
    pub group: String,
    pub kind: ChangeKind,
    /// What changed: `command`, `event`, `member`, `optional`, `value`,
    /// `variant`, `tag`, `alternative`, `feature`, `type`, `allow-oob`.
    pub what: &'static str,
    /// Where (see the module docs).
    pub path: String,
    /// The thing added or removed (a value, a case, a feature), if the
    /// path does not end with it.
    pub name: Option<String>,
    /// Before and after, for changes and to describe added/removed
    /// members and types.
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Compares two dumps; an empty result means they are equal up to type
/// names and order.
pub fn diff(a: &Dump, b: &Dump) -> Vec<Change> {
    let mut d = Differ {
        a,
        b,
        seen: HashSet::new(),
        out: Vec::new(),
        group: String::new(),
    };
    let in_b: HashSet<&str> = b.entry_points.iter().map(String::as_str).collect();
    let in_a: HashSet<&str> = a.entry_points.iter().map(String::as_str).collect();
    for name in &a.entry_points {
        let ea = &a.entries[name];
        let what = if ea["meta-type"] == "command" {
            "command"
        } else {
            "event"
        };
        d.group = name.clone();
        if !in_b.contains(name.as_str()) {
            d.push(ChangeKind::Removed, what, name, None, None, None);
            continue;
        }
        let eb = &b.entries[name];
        if ea["meta-type"] != eb["meta-type"] {
            let (o, n) = (ea["meta-type"].as_str(), eb["meta-type"].as_str());
            d.push(
                ChangeKind::Changed,
                "type",
                name,
                None,
                o.map(str::to_owned),
                n.map(str::to_owned),
            );
            continue;
        }
        d.features(name, ea, eb);
        if what == "command" {
            let (oa, ob) = (ea.get("allow-oob").is_some(), eb.get("allow-oob").is_some());
            if oa != ob {
                d.push(
                    ChangeKind::Changed,
                    "allow-oob",
                    name,
                    None,
                    Some(oa.to_string()),
                    Some(ob.to_string()),
                );
            }
        }
        let (args, ret) = if what == "command" {
            ("arguments", "returns")
        } else {
            ("data", "")
        };
        d.compare(
            ea["arg-type"].as_str().unwrap_or(""),
            eb["arg-type"].as_str().unwrap_or(""),
            &format!("{name}.{args}"),
        );
        if what == "command" {
            d.compare(
                ea["ret-type"].as_str().unwrap_or(""),
                eb["ret-type"].as_str().unwrap_or(""),
                &format!("{name}.{ret}"),
            );
        }
    }
    for name in &b.entry_points {
        if !in_a.contains(name.as_str()) {
            let what = if b.entries[name]["meta-type"] == "command" {
                "command"
            } else {
                "event"
            };
            d.group = name.clone();
            d.push(ChangeKind::Added, what, name, None, None, None);
        }
    }
    d.orphans();
    d.out
}

struct Differ<'a> {
    a: &'a Dump,
    b: &'a Dump,
    seen: HashSet<(String, String)>,
    out: Vec<Change>,
    group: String,
}

impl Differ<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        what: &'static str,
        path: &str,
        name: Option<&str>,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.out.push(Change {
            group: self.group.clone(),
            kind,
            what,
            path: path.to_owned(),
            name: name.map(str::to_owned),
            old,
            new,
        });
    }

    /// A short description of a type: a built-in's name, `[T]`, or the
    /// meta-type (with the name, when it is not masked).
    fn describe(dump: &Dump, t: &str) -> String {
        match dump.meta(t) {
            "builtin" => t.to_owned(),
            "array" => {
                let elem = dump
                    .get(t)
                    .and_then(|e| e["element-type"].as_str())
                    .unwrap_or_else(|| t.trim_start_matches('[').trim_end_matches(']'));
                format!("[{}]", Self::describe(dump, elem))
            }
            m if masked(t) => m.to_owned(),
            m => format!("{m} {t}"),
        }
    }

    fn features(&mut self, path: &str, ea: &Value, eb: &Value) {
        self.feature_lists(path, &features(ea), &features(eb));
    }

    fn feature_lists(&mut self, path: &str, fa: &[String], fb: &[String]) {
        for f in fa.iter().filter(|f| !fb.contains(f)) {
            self.push(ChangeKind::Removed, "feature", path, Some(f), None, None);
        }
        for f in fb.iter().filter(|f| !fa.contains(f)) {
            self.push(ChangeKind::Added, "feature", path, Some(f), None, None);
        }
    }

    /// Compares type `ta` of the first dump with `tb` of the second, at
    /// `path`.
    fn compare(&mut self, ta: &str, tb: &str, path: &str) {
        if !self.seen.insert((ta.to_owned(), tb.to_owned())) {
            return;
        }
        let (ma, mb) = (self.a.meta(ta), self.b.meta(tb));
        let builtin_change = ma == "builtin" && mb == "builtin" && ta != tb;
        if ma != mb || builtin_change {
            let (o, n) = (Self::describe(self.a, ta), Self::describe(self.b, tb));
            self.push(ChangeKind::Changed, "type", path, None, Some(o), Some(n));
            return;
        }
        let (Some(ea), Some(eb)) = (self.a.get(ta), self.b.get(tb)) else {
            // An array whose entry is missing from a dump: compare the
            // elements named by the array names.
            if ma == "array" {
                let ela = ta.trim_start_matches('[').trim_end_matches(']');
                let elb = tb.trim_start_matches('[').trim_end_matches(']');
                self.compare(ela, elb, &format!("{path}[]"));
            }
            return;
        };
        self.features(path, ea, eb);
        match ma {
            "array" => {
                let ela = ea["element-type"].as_str().unwrap_or("");
                let elb = eb["element-type"].as_str().unwrap_or("");
                self.compare(ela, elb, &format!("{path}[]"));
            }
            "enum" => self.enums(path, ea, eb),
            "object" => self.objects(path, ea, eb),
            "alternate" => self.alternates(path, ea, eb),
            _ => {}
        }
    }

    fn enums(&mut self, path: &str, ea: &Value, eb: &Value) {
        // Values, with each value's features (only where `members`
        // exists, QEMU 6.2 and later).
        let values = |e: &Value| -> Vec<(String, Vec<String>)> {
            match e.get("members").and_then(Value::as_array) {
                Some(ms) => ms
                    .iter()
                    .map(|m| (m["name"].as_str().unwrap_or("").to_owned(), features(m)))
                    .collect(),
                None => strings(e.get("values"))
                    .into_iter()
                    .map(|v| (v, Vec::new()))
                    .collect(),
            }
        };
        let (va, vb) = (values(ea), values(eb));
        let bm: HashMap<&str, &Vec<String>> = vb.iter().map(|(n, f)| (n.as_str(), f)).collect();
        let am: HashMap<&str, &Vec<String>> = va.iter().map(|(n, f)| (n.as_str(), f)).collect();
        for (v, fa) in &va {
            match bm.get(v.as_str()) {
                None => self.push(ChangeKind::Removed, "value", path, Some(v), None, None),
                Some(fb) => {
                    let p = format!("{path}={v}");
                    self.feature_lists(&p, fa, fb);
                }
            }
        }
        for (v, _) in &vb {
            if !am.contains_key(v.as_str()) {
                self.push(ChangeKind::Added, "value", path, Some(v), None, None);
            }
        }
    }

    fn objects(&mut self, path: &str, ea: &Value, eb: &Value) {
        let members = |e: &Value| -> Vec<Value> {
            e.get("members")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (ma, mb) = (members(ea), members(eb));
        let by_name = |ms: &[Value]| -> HashMap<String, Value> {
            ms.iter()
                .map(|m| (m["name"].as_str().unwrap_or("").to_owned(), m.clone()))
                .collect()
        };
        let (na, nb) = (by_name(&ma), by_name(&mb));
        let optional = |m: &Value| m.get("default").is_some();
        let mut common = Vec::new();
        for m in &ma {
            let name = m["name"].as_str().unwrap_or("");
            let p = format!("{path}.{name}");
            match nb.get(name) {
                None => {
                    let t = Self::describe(self.a, m["type"].as_str().unwrap_or(""));
                    let t = if optional(m) {
                        format!("{t}, optional")
                    } else {
                        t
                    };
                    self.push(ChangeKind::Removed, "member", &p, None, Some(t), None);
                }
                Some(mb) => {
                    if optional(m) != optional(mb) {
                        let word = |o: bool| if o { "optional" } else { "mandatory" };
                        self.push(
                            ChangeKind::Changed,
                            "optional",
                            &p,
                            None,
                            Some(word(optional(m)).to_owned()),
                            Some(word(optional(mb)).to_owned()),
                        );
                    }
                    self.features(&p, m, mb);
                    common.push((
                        m["type"].as_str().unwrap_or("").to_owned(),
                        mb["type"].as_str().unwrap_or("").to_owned(),
                        p,
                    ));
                }
            }
        }
        for m in &mb {
            let name = m["name"].as_str().unwrap_or("");
            if !na.contains_key(name) {
                let t = Self::describe(self.b, m["type"].as_str().unwrap_or(""));
                let t = if optional(m) {
                    format!("{t}, optional")
                } else {
                    t
                };
                let p = format!("{path}.{name}");
                self.push(ChangeKind::Added, "member", &p, None, None, Some(t));
            }
        }
        for (ta, tb, p) in common {
            self.compare(&ta, &tb, &p);
        }

        // Unions.
        let (tag_a, tag_b) = (ea["tag"].as_str(), eb["tag"].as_str());
        if tag_a != tag_b {
            self.push(
                match (tag_a, tag_b) {
                    (None, _) => ChangeKind::Added,
                    (_, None) => ChangeKind::Removed,
                    _ => ChangeKind::Changed,
                },
                "tag",
                path,
                None,
                tag_a.map(str::to_owned),
                tag_b.map(str::to_owned),
            );
        }
        let tag = tag_b.or(tag_a).unwrap_or("");
        let variants = |e: &Value| -> Vec<(String, String)> {
            e.get("variants")
                .and_then(Value::as_array)
                .map(|vs| {
                    vs.iter()
                        .map(|v| {
                            (
                                v["case"].as_str().unwrap_or("").to_owned(),
                                v["type"].as_str().unwrap_or("").to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (va, vb) = (variants(ea), variants(eb));
        let vbm: HashMap<&str, &str> = vb.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
        let vam: HashMap<&str, &str> = va.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
        let mut common = Vec::new();
        for (case, ta) in &va {
            let p = format!("{path}.{tag}[{case}]");
            match vbm.get(case.as_str()) {
                None => {
                    let t = Self::describe(self.a, ta);
                    self.push(ChangeKind::Removed, "variant", &p, None, Some(t), None);
                }
                Some(tb) => common.push((ta.clone(), (*tb).to_owned(), p)),
            }
        }
        for (case, tb) in &vb {
            if !vam.contains_key(case.as_str()) {
                let p = format!("{path}.{tag}[{case}]");
                let t = Self::describe(self.b, tb);
                self.push(ChangeKind::Added, "variant", &p, None, None, Some(t));
            }
        }
        for (ta, tb, p) in common {
            self.compare(&ta, &tb, &p);
        }
    }

    /// The JSON kind of an alternate branch: a built-in's name, else the
    /// meta-type.
    fn kind(dump: &Dump, t: &str) -> String {
        match dump.meta(t) {
            "builtin" => t.to_owned(),
            m => m.to_owned(),
        }
    }

    fn alternates(&mut self, path: &str, ea: &Value, eb: &Value) {
        let branches = |d: &Dump, e: &Value| -> Vec<(String, String)> {
            e.get("members")
                .and_then(Value::as_array)
                .map(|ms| {
                    ms.iter()
                        .filter_map(|m| m["type"].as_str())
                        .map(|t| (Self::kind(d, t), t.to_owned()))
                        .collect()
                })
                .unwrap_or_default()
        };
        let (ba, bb) = (branches(self.a, ea), branches(self.b, eb));
        let mut common = Vec::new();
        for (k, ta) in &ba {
            match bb.iter().find(|(kb, _)| kb == k) {
                None => self.push(
                    ChangeKind::Removed,
                    "alternative",
                    path,
                    Some(k),
                    None,
                    None,
                ),
                Some((_, tb)) => common.push((ta.clone(), tb.clone(), format!("{path}<{k}>"))),
            }
        }
        for (k, _) in &bb {
            if !ba.iter().any(|(ka, _)| ka == k) {
                self.push(ChangeKind::Added, "alternative", path, Some(k), None, None);
            }
        }
        for (ta, tb, p) in common {
            self.compare(&ta, &tb, &p);
        }
    }

    /// Types no command or event reaches ("orphans": QEMU emits a few
    /// whose only use is compiled out). An orphan is matched by shape
    /// with a type of the other dump that the walk did not pair (an
    /// orphan there too, or a type whose use was reported as removed or
    /// added); what stays unmatched is reported as a type added or
    /// removed. Two matched orphans are compared.
    fn orphans(&mut self) {
        let (ra, rb) = (self.a.reachable(), self.b.reachable());
        let paired_a: HashSet<String> = self.seen.iter().map(|(x, _)| x.clone()).collect();
        let paired_b: HashSet<String> = self.seen.iter().map(|(_, y)| y.clone()).collect();
        let orph_a: Vec<String> = self
            .a
            .types
            .iter()
            .filter(|t| !ra.contains(*t))
            .cloned()
            .collect();
        let orph_b: Vec<String> = self
            .b
            .types
            .iter()
            .filter(|t| !rb.contains(*t))
            .cloned()
            .collect();
        if orph_a.is_empty() && orph_b.is_empty() {
            return;
        }
        self.group = String::new();
        let pool = |d: &Dump, paired: &HashSet<String>| {
            let mut pool: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for t in d.types.iter().filter(|t| !paired.contains(*t)) {
                pool.entry(shape(d, t)).or_default().push(t.clone());
            }
            pool
        };
        let (mut pool_a, mut pool_b) = (pool(self.a, &paired_a), pool(self.b, &paired_b));
        let take = |pool: &mut BTreeMap<String, Vec<String>>, key: &str, t: Option<&str>| {
            let v = pool.get_mut(key)?;
            let i = match t {
                Some(t) => v.iter().position(|x| x == t)?,
                None => 0,
            };
            (i < v.len()).then(|| v.remove(i))
        };
        let mut pairs = Vec::new();
        let mut removed = Vec::new();
        for t in &orph_a {
            let key = shape(self.a, t);
            match take(&mut pool_b, &key, None) {
                Some(u) => {
                    take(&mut pool_a, &key, Some(t));
                    if !rb.contains(&u) {
                        pairs.push((t.clone(), u));
                    }
                }
                None => removed.push(t.clone()),
            }
        }
        let mut added = Vec::new();
        for t in &orph_b {
            let key = shape(self.b, t);
            if take(&mut pool_b, &key, Some(t)).is_none() {
                continue; // Matched above.
            }
            if take(&mut pool_a, &key, None).is_none() {
                added.push(t.clone());
            }
        }
        for t in removed {
            let desc = Self::describe(self.a, &t);
            self.push(ChangeKind::Removed, "type", &t, None, Some(desc), None);
        }
        for t in added {
            let desc = Self::describe(self.b, &t);
            self.push(ChangeKind::Added, "type", &t, None, None, Some(desc));
        }
        for (ta, tb) in pairs {
            self.compare(&ta, &tb, &ta);
        }
    }
}

/// A name-free description of a type's shape, one level deep.
fn shape(d: &Dump, t: &str) -> String {
    let Some(e) = d.get(t) else {
        return t.to_owned();
    };
    let kind = |x: &str| match d.meta(x) {
        "builtin" => x.to_owned(),
        m => m.to_owned(),
    };
    let mut s = String::from(d.meta(t));
    match d.meta(t) {
        "builtin" => s.push_str(t),
        "enum" => {
            let _ = write!(s, "{:?}", strings(e.get("values")));
        }
        "array" => s.push_str(&kind(e["element-type"].as_str().unwrap_or(""))),
        _ => {
            for m in e
                .get("members")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let _ = write!(
                    s,
                    " {}{}:{}",
                    m["name"].as_str().unwrap_or(""),
                    if m.get("default").is_some() { "?" } else { "" },
                    kind(m["type"].as_str().unwrap_or(""))
                );
            }
            if let Some(tag) = e["tag"].as_str() {
                let _ = write!(s, " tag {tag}");
                for v in e["variants"].as_array().into_iter().flatten() {
                    let _ = write!(s, " {}", v["case"].as_str().unwrap_or(""));
                }
            }
        }
    }
    let _ = write!(s, " {:?}", features(e));
    s
}

/// The report as text: one line per difference, grouped under the
/// command or event where it was found, then a count.
pub fn render_text(changes: &[Change]) -> String {
    let mut out = String::new();
    let mut groups: Vec<&str> = Vec::new();
    for c in changes {
        if !groups.contains(&c.group.as_str()) {
            groups.push(&c.group);
        }
    }
    for g in groups {
        let in_group: Vec<&Change> = changes.iter().filter(|c| c.group == g).collect();
        // An entity added or removed is one line.
        if let [c] = in_group[..]
            && matches!(c.what, "command" | "event")
        {
            let _ = writeln!(out, "{} {} {}", c.kind.sign(), c.what, c.path);
            continue;
        }
        if g.is_empty() {
            let _ = writeln!(out, "~ types no command or event uses");
        } else {
            let _ = writeln!(out, "~ {g}");
        }
        for c in in_group {
            let _ = writeln!(out, "    {}", line(c));
        }
    }
    if changes.is_empty() {
        out.push_str("no differences\n");
    } else {
        let _ = writeln!(out, "{} differences", changes.len());
    }
    out
}

fn line(c: &Change) -> String {
    let mut s = format!("{} {} {}", c.kind.sign(), c.what, c.path);
    if let Some(n) = &c.name {
        let _ = write!(s, ": {n}");
    }
    match (c.kind, &c.old, &c.new) {
        (ChangeKind::Changed, o, n) => {
            let _ = write!(
                s,
                ": {} -> {}",
                o.as_deref().unwrap_or("none"),
                n.as_deref().unwrap_or("none")
            );
        }
        (_, Some(d), None) | (_, None, Some(d)) => {
            let _ = write!(s, " ({d})");
        }
        _ => {}
    }
    s
}

/// The report as JSON: `{"equal": bool, "changes": [{"group", "change",
/// "what", "path", ["name"], ["old"], ["new"]}]}`.
pub fn render_json(changes: &[Change]) -> Value {
    let list: Vec<Value> = changes
        .iter()
        .map(|c| {
            let mut m = serde_json::Map::new();
            m.insert("group".into(), json!(c.group));
            m.insert("change".into(), json!(c.kind.word()));
            m.insert("what".into(), json!(c.what));
            m.insert("path".into(), json!(c.path));
            for (k, v) in [("name", &c.name), ("old", &c.old), ("new", &c.new)] {
                if let Some(v) = v {
                    m.insert(k.into(), json!(v));
                }
            }
            Value::Object(m)
        })
        .collect();
    json!({ "equal": changes.is_empty(), "changes": list })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(v: Value) -> Dump {
        Dump::from_json(&v).unwrap()
    }

    #[test]
    fn members_values_and_renumbering() {
        let a = dump(json!([
            {"name": "c", "ret-type": "1", "meta-type": "command", "arg-type": "0"},
            {"name": "0", "members": [{"name": "x", "type": "2"}, {"name": "y", "type": "str"}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "meta-type": "enum", "values": ["a", "b"]},
            {"name": "str", "json-type": "string", "meta-type": "builtin"}
        ]));
        // Renumbered, reordered: no difference.
        let b = dump(json!([
            {"name": "c", "ret-type": "5", "meta-type": "command", "arg-type": "7"},
            {"name": "2", "meta-type": "enum", "values": ["a", "b"]},
            {"name": "7", "members": [{"name": "x", "type": "2"}, {"name": "y", "type": "str"}], "meta-type": "object"},
            {"name": "5", "members": [], "meta-type": "object"},
            {"name": "str", "json-type": "string", "meta-type": "builtin"}
        ]));
        assert_eq!(diff(&a, &b), []);
        // A value added, a member made optional, a member added.
        let c = dump(json!([
            {"name": "c", "ret-type": "1", "meta-type": "command", "arg-type": "0"},
            {"name": "0", "members": [{"name": "x", "type": "2"}, {"name": "y", "default": null, "type": "str"}, {"name": "z", "type": "int"}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "meta-type": "enum", "values": ["a", "b", "c"]},
            {"name": "str", "json-type": "string", "meta-type": "builtin"},
            {"name": "int", "json-type": "int", "meta-type": "builtin"}
        ]));
        let text = render_text(&diff(&a, &c));
        assert_eq!(
            text,
            "~ c\n    ~ optional c.arguments.y: mandatory -> optional\n    \
             + member c.arguments.z (int)\n    + value c.arguments.x: c\n3 differences\n"
        );
    }

    #[test]
    fn flags_features_alternates_unions() {
        let a = dump(json!([
            {"name": "c", "ret-type": "1", "meta-type": "command", "arg-type": "0"},
            {"name": "E", "meta-type": "event", "arg-type": "3", "features": ["unstable"]},
            {"name": "0", "members": [{"name": "alt", "type": "2"}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "members": [{"type": "str"}, {"type": "1"}], "meta-type": "alternate"},
            {"name": "3", "tag": "t", "variants": [{"case": "x", "type": "1"}],
             "members": [{"name": "t", "type": "4"}], "meta-type": "object"},
            {"name": "4", "members": [{"name": "x"}, {"name": "y"}], "meta-type": "enum", "values": ["x", "y"]},
            {"name": "str", "json-type": "string", "meta-type": "builtin"}
        ]));
        let b = dump(json!([
            {"name": "c", "ret-type": "1", "allow-oob": true, "meta-type": "command", "arg-type": "0",
             "features": ["deprecated"]},
            {"name": "E", "meta-type": "event", "arg-type": "3"},
            {"name": "0", "members": [{"name": "alt", "type": "2"}], "meta-type": "object"},
            {"name": "1", "members": [], "meta-type": "object"},
            {"name": "2", "members": [{"type": "int"}, {"type": "1"}], "meta-type": "alternate"},
            {"name": "3", "tag": "t", "variants": [{"case": "y", "type": "1"}],
             "members": [{"name": "t", "type": "4", "features": ["unstable"]}], "meta-type": "object"},
            {"name": "4", "members": [{"name": "x"}, {"name": "y", "features": ["deprecated"]}],
             "meta-type": "enum", "values": ["x", "y"]},
            {"name": "int", "json-type": "int", "meta-type": "builtin"}
        ]));
        let text = render_text(&diff(&a, &b));
        assert_eq!(
            text,
            "~ c\n    + feature c: deprecated\n    ~ allow-oob c: false -> true\n    \
             - alternative c.arguments.alt: str\n    + alternative c.arguments.alt: int\n\
             ~ E\n    - feature E: unstable\n    + feature E.data.t: unstable\n    \
             + feature E.data.t=y: deprecated\n    - variant E.data.t[x] (object)\n    \
             + variant E.data.t[y] (object)\n9 differences\n"
        );
        let j = render_json(&diff(&a, &b));
        assert_eq!(j["equal"], false);
        assert_eq!(j["changes"][1]["what"], "allow-oob");
        assert_eq!(j["changes"][1]["old"], "false");
        assert_eq!(j["changes"][1]["new"], "true");
        assert_eq!(render_json(&diff(&a, &a))["equal"], true);
    }
}
