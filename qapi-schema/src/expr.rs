//! Expression shape checks (QEMU 10.0.2 `expr.py`): which keys each
//! definition may have, what their values look like, the naming rules.
//! A checked expression becomes a [`Def`], with sugar removed
//! (`'T'` → `{'type': 'T'}`, `'feat'` → `{'name': 'feat'}`, …).

use qapi_core::schema::Cond;

use crate::diag::{QResult, sem};
use crate::legacy;
use crate::names::{c_name, check_name_camel, check_name_lower, check_name_str, check_name_upper};
use crate::parser::{ParsedExpr, Pragmas, Reader};
use crate::source::InfoId;
use crate::value::{Obj, Value};

/// The kinds of definitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meta {
    Enum,
    Struct,
    Union,
    Alternate,
    Command,
    Event,
}

impl Meta {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Meta::Enum => "enum",
            Meta::Struct => "struct",
            Meta::Union => "union",
            Meta::Alternate => "alternate",
            Meta::Command => "command",
            Meta::Event => "event",
        }
    }

    const ALL: [Meta; 6] = [
        Meta::Enum,
        Meta::Struct,
        Meta::Union,
        Meta::Alternate,
        Meta::Command,
        Meta::Event,
    ];
}

#[derive(Clone, Debug)]
pub(crate) struct FeatureSpec {
    pub(crate) name: String,
    pub(crate) cond: Option<Cond>,
}

#[derive(Clone, Debug)]
pub(crate) struct EnumValueSpec {
    pub(crate) name: String,
    pub(crate) cond: Option<Cond>,
    pub(crate) features: Vec<FeatureSpec>,
}

/// A type reference as written.
#[derive(Clone, Debug)]
pub(crate) enum TypeSpec {
    Name(String),
    /// `['T']`.
    Array(String),
    /// An anonymous nested struct (QEMU 1.x only).
    Inline(Vec<MemberSpec>),
}

#[derive(Clone, Debug)]
pub(crate) struct MemberSpec {
    pub(crate) name: String,
    pub(crate) optional: bool,
    pub(crate) ty: TypeSpec,
    pub(crate) cond: Option<Cond>,
    pub(crate) features: Vec<FeatureSpec>,
}

#[derive(Clone, Debug)]
pub(crate) struct BranchSpec {
    pub(crate) name: String,
    pub(crate) ty: TypeSpec,
    pub(crate) cond: Option<Cond>,
}

/// `data` of a command or event, or `base` of a union.
#[derive(Clone, Debug)]
pub(crate) enum DataSpec {
    None,
    Named(String),
    Inline(Vec<MemberSpec>),
}

#[derive(Clone, Debug)]
pub(crate) enum Body {
    Enum {
        values: Vec<EnumValueSpec>,
        prefix: Option<String>,
    },
    Struct {
        base: Option<String>,
        members: Vec<MemberSpec>,
    },
    Union {
        base: DataSpec,
        discriminator: String,
        branches: Vec<BranchSpec>,
    },
    /// A simple union (before QEMU 6.2).
    SimpleUnion {
        branches: Vec<BranchSpec>,
    },
    Alternate {
        branches: Vec<BranchSpec>,
    },
    Command {
        data: DataSpec,
        returns: Option<TypeSpec>,
        boxed: bool,
        gen_: bool,
        success_response: bool,
        allow_oob: bool,
        allow_preconfig: bool,
        coroutine: bool,
    },
    Event {
        data: DataSpec,
        boxed: bool,
    },
}

/// A checked definition.
#[derive(Clone, Debug)]
pub(crate) struct Def {
    pub(crate) name: String,
    pub(crate) info: InfoId,
    pub(crate) doc: Option<usize>,
    pub(crate) module: usize,
    pub(crate) cond: Option<Cond>,
    pub(crate) features: Vec<FeatureSpec>,
    pub(crate) body: Body,
}

/// A checked top-level expression.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    Def(Def),
    Include,
}

struct Ctx<'a> {
    pragmas: &'a Pragmas,
    legacy: bool,
}

/// Sorted, quoted, comma-separated: `'a', 'b'`.
fn pprint<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = items.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v.iter()
        .map(|e| format!("'{e}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_keys(
    obj: &Obj,
    info: InfoId,
    source: &str,
    required: &[&str],
    optional: &[&str],
) -> QResult<()> {
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| !obj.contains(k))
        .collect();
    if !missing.is_empty() {
        return Err(sem(
            info,
            format!(
                "{source} misses key{} {}",
                if missing.len() > 1 { "s" } else { "" },
                pprint(missing)
            ),
        ));
    }
    let unknown: Vec<&str> = obj
        .keys()
        .filter(|k| !required.contains(k) && !optional.contains(k))
        .collect();
    if !unknown.is_empty() {
        return Err(sem(
            info,
            format!(
                "{source} has unknown key{} {}\nValid keys are {}.",
                if unknown.len() > 1 { "s" } else { "" },
                pprint(unknown),
                pprint(required.iter().chain(optional.iter()).copied())
            ),
        ));
    }
    Ok(())
}

fn is_if_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Validates one condition (QEMU's `_check_if`) and converts it.
fn check_cond(cond: &Value, info: InfoId, source: &str, legacy: bool) -> QResult<Cond> {
    match cond {
        Value::Str(s) => {
            if legacy {
                return Ok(legacy::c_condition(s));
            }
            if !is_if_ident(s) {
                return Err(sem(
                    info,
                    format!("'if' condition '{s}' of {source} is not a valid identifier"),
                ));
            }
            Ok(Cond::Name(s.clone()))
        }
        Value::List(items) if legacy => {
            let mut all = Vec::new();
            for it in items {
                all.push(check_cond(it, info, source, legacy)?);
            }
            Ok(if all.len() == 1 {
                all.remove(0)
            } else {
                Cond::All(all)
            })
        }
        Value::Object(obj) => {
            let src = format!("'if' condition of {source}");
            check_keys(obj, info, &src, &[], &["all", "any", "not"])?;
            if obj.len() != 1 {
                return Err(sem(
                    info,
                    format!("'if' condition of {source} has conflicting keys"),
                ));
            }
            let (op, operand) = obj.0[0].clone();
            if op == "not" {
                return Ok(Cond::Not(Box::new(check_cond(
                    &operand, info, source, legacy,
                )?)));
            }
            let Value::List(operands) = operand else {
                return Err(sem(
                    info,
                    format!("'{op}' condition of {source} must be an array"),
                ));
            };
            if operands.is_empty() {
                return Err(sem(
                    info,
                    format!("'if' condition [] of {source} is useless"),
                ));
            }
            let mut conds = Vec::new();
            for o in &operands {
                conds.push(check_cond(o, info, source, legacy)?);
            }
            Ok(if op == "all" {
                Cond::All(conds)
            } else {
                Cond::Any(conds)
            })
        }
        _ => Err(sem(
            info,
            format!("'if' condition of {source} must be a string or an object"),
        )),
    }
}

/// `check_if`: the optional `if` member of `obj`.
fn check_if(obj: &Obj, info: InfoId, source: &str, legacy: bool) -> QResult<Option<Cond>> {
    match obj.get("if") {
        None => Ok(None),
        Some(c) => check_cond(c, info, source, legacy).map(Some),
    }
}

impl Ctx<'_> {
    /// A type name, or `visitor` (QEMU 1.x's name for "any") in legacy.
    fn tname(&self, s: &str) -> String {
        if self.legacy && s == "visitor" {
            "any".to_owned()
        } else {
            s.to_owned()
        }
    }

    fn check_features(&self, value: Option<&Value>, info: InfoId) -> QResult<Vec<FeatureSpec>> {
        let Some(value) = value else {
            return Ok(Vec::new());
        };
        let Value::List(items) = value else {
            return Err(sem(info, "'features' must be an array"));
        };
        let mut out = Vec::new();
        for item in items {
            let norm;
            let feat = match item {
                Value::Object(o) => o,
                other => {
                    norm = Obj(vec![("name".to_owned(), other.clone())]);
                    &norm
                }
            };
            let source = "'features' member";
            check_keys(feat, info, source, &["name"], &["if"])?;
            let Some(Value::Str(name)) = feat.get("name") else {
                return Err(sem(info, format!("{source} requires a string name")));
            };
            let source = format!("{source} '{name}'");
            if self.legacy {
                check_name_str(name, info, &source)?;
            } else {
                check_name_lower(name, info, &source, false, false)?;
            }
            let cond = check_if(feat, info, &source, self.legacy)?;
            out.push(FeatureSpec {
                name: name.clone(),
                cond,
            });
        }
        Ok(out)
    }

    fn check_type_name(
        &self,
        value: Option<&Value>,
        info: InfoId,
        source: &str,
    ) -> QResult<Option<String>> {
        match value {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(self.tname(s))),
            Some(_) => Err(sem(info, format!("{source} should be a type name"))),
        }
    }

    fn check_type_name_or_array(
        &self,
        value: Option<&Value>,
        info: InfoId,
        source: &str,
    ) -> QResult<Option<TypeSpec>> {
        match value {
            None => Ok(None),
            Some(Value::Str(s)) => Ok(Some(TypeSpec::Name(self.tname(s)))),
            Some(Value::List(items)) => match items.as_slice() {
                [Value::Str(s)] => Ok(Some(TypeSpec::Array(self.tname(s)))),
                _ => Err(sem(
                    info,
                    format!("{source}: array type must contain single type name"),
                )),
            },
            Some(_) => Err(sem(
                info,
                format!("{source} should be a type name or array"),
            )),
        }
    }

    /// Whether a legacy member value `{…}` is the long form
    /// `{'type': …, 'if': …, 'features': …}` rather than an anonymous
    /// nested struct (QEMU 1.x).
    fn is_longhand(&self, o: &Obj) -> bool {
        !self.legacy
            || (matches!(o.get("type"), Some(Value::Str(_) | Value::List(_)))
                && o.keys().all(|k| matches!(k, "type" | "if" | "features")))
    }

    /// An inline object of members (`check_type_implicit`).
    fn check_type_implicit(
        &self,
        value: &Value,
        info: InfoId,
        source: &str,
        parent_name: Option<&str>,
    ) -> QResult<Vec<MemberSpec>> {
        let Value::Object(members) = value else {
            return Err(sem(
                info,
                format!("{source} should be an object or type name"),
            ));
        };
        let permissive = self.legacy
            || parent_name
                .is_some_and(|p| self.pragmas.member_name_exceptions.iter().any(|e| e == p));
        let mut out = Vec::new();
        for (key, arg) in members.iter() {
            let key_source = format!("{source} member '{key}'");
            let (name, optional) = match key.strip_prefix('*') {
                Some(k) => (k, true),
                None => (key, false),
            };
            check_name_lower(name, info, &key_source, permissive, permissive)?;
            let cn = c_name(name);
            if cn == "u" || cn.starts_with("has_") {
                return Err(sem(info, format!("{key_source} uses reserved name")));
            }
            let norm;
            let arg_obj = match arg {
                Value::Object(o) if self.is_longhand(o) => o,
                Value::Object(_) => {
                    // Anonymous nested struct (legacy only).
                    let nested = self.check_type_implicit(arg, info, &key_source, None)?;
                    out.push(MemberSpec {
                        name: name.to_owned(),
                        optional,
                        ty: TypeSpec::Inline(nested),
                        cond: None,
                        features: Vec::new(),
                    });
                    continue;
                }
                other => {
                    norm = Obj(vec![("type".to_owned(), other.clone())]);
                    &norm
                }
            };
            check_keys(arg_obj, info, &key_source, &["type"], &["if", "features"])?;
            let cond = check_if(arg_obj, info, &key_source, self.legacy)?;
            let features = self.check_features(arg_obj.get("features"), info)?;
            let ty = self
                .check_type_name_or_array(arg_obj.get("type"), info, &key_source)?
                .unwrap_or_else(|| TypeSpec::Name(String::new()));
            out.push(MemberSpec {
                name: name.to_owned(),
                optional,
                ty,
                cond,
                features,
            });
        }
        Ok(out)
    }

    fn check_type_name_or_implicit(
        &self,
        value: Option<&Value>,
        info: InfoId,
        source: &str,
        parent_name: Option<&str>,
    ) -> QResult<DataSpec> {
        match value {
            None => Ok(DataSpec::None),
            Some(Value::Str(s)) => Ok(DataSpec::Named(self.tname(s))),
            Some(v) => Ok(DataSpec::Inline(self.check_type_implicit(
                v,
                info,
                source,
                parent_name,
            )?)),
        }
    }

    fn check_defn_name(&self, name: &str, info: InfoId, meta: Meta) -> QResult<()> {
        let word = meta.word();
        if self.legacy {
            check_name_str(name, info, word)?;
            return Ok(());
        }
        match meta {
            Meta::Event => check_name_upper(name, info, word),
            Meta::Command => {
                let permit = self
                    .pragmas
                    .command_name_exceptions
                    .iter()
                    .any(|e| e == name);
                check_name_lower(name, info, word, false, permit)
            }
            _ => {
                check_name_camel(name, info, word)?;
                if name.ends_with("List") {
                    return Err(sem(info, format!("{word} name should not end in 'List'")));
                }
                Ok(())
            }
        }
    }

    fn check_enum(&self, obj: &Obj, name: &str, info: InfoId) -> QResult<Body> {
        let Some(Value::List(members)) = obj.get("data") else {
            return Err(sem(info, "'data' must be an array"));
        };
        let prefix = match obj.get("prefix") {
            None => None,
            Some(Value::Str(s)) => Some(s.clone()),
            Some(_) => return Err(sem(info, "'prefix' must be a string")),
        };
        let permissive = self.legacy
            || self
                .pragmas
                .member_name_exceptions
                .iter()
                .any(|e| e == name);
        let mut values = Vec::new();
        for m in members {
            let norm;
            let member = match m {
                Value::Object(o) => o,
                other => {
                    norm = Obj(vec![("name".to_owned(), other.clone())]);
                    &norm
                }
            };
            let source = "'data' member";
            check_keys(member, info, source, &["name"], &["if", "features"])?;
            let Some(Value::Str(mname)) = member.get("name") else {
                return Err(sem(info, format!("{source} requires a string name")));
            };
            let source = format!("{source} '{mname}'");
            // Enum values may start with a digit.
            let checked = if mname.starts_with(|c: char| c.is_ascii_digit()) {
                format!("d{mname}")
            } else {
                mname.clone()
            };
            check_name_lower(&checked, info, &source, permissive, permissive)?;
            let cond = check_if(member, info, &source, self.legacy)?;
            let features = self.check_features(member.get("features"), info)?;
            values.push(EnumValueSpec {
                name: mname.clone(),
                cond,
                features,
            });
        }
        Ok(Body::Enum { values, prefix })
    }

    fn check_branches(
        &self,
        data: Option<&Value>,
        info: InfoId,
        allow_array: bool,
        check_names: bool,
    ) -> QResult<Vec<BranchSpec>> {
        let Some(Value::Object(members)) = data else {
            return Err(sem(info, "'data' must be an object"));
        };
        let mut out = Vec::new();
        for (key, value) in members.iter() {
            let source = format!("'data' member '{key}'");
            if check_names {
                if self.legacy {
                    check_name_str(key, info, &source)?;
                } else {
                    check_name_lower(key, info, &source, false, false)?;
                }
            }
            let norm;
            let v = match value {
                Value::Object(o) => o,
                other => {
                    norm = Obj(vec![("type".to_owned(), other.clone())]);
                    &norm
                }
            };
            check_keys(v, info, &source, &["type"], &["if"])?;
            let cond = check_if(v, info, &source, self.legacy)?;
            let ty = if allow_array {
                self.check_type_name_or_array(v.get("type"), info, &source)?
            } else {
                self.check_type_name(v.get("type"), info, &source)?
                    .map(TypeSpec::Name)
            };
            let ty = ty.unwrap_or_else(|| TypeSpec::Name(String::new()));
            out.push(BranchSpec {
                name: key.to_owned(),
                ty,
                cond,
            });
        }
        Ok(out)
    }

    fn check_union(&self, obj: &Obj, name: &str, info: InfoId) -> QResult<Body> {
        if self.legacy && !obj.contains("discriminator") && !obj.contains("base") {
            check_keys(obj, info, "union", &["union", "data"], &["if", "features"])?;
            let branches = self.check_branches(obj.get("data"), info, true, true)?;
            return Ok(Body::SimpleUnion { branches });
        }
        check_keys(
            obj,
            info,
            "union",
            &["union", "base", "discriminator", "data"],
            &["if", "features"],
        )?;
        let base = self.check_type_name_or_implicit(obj.get("base"), info, "'base'", Some(name))?;
        let Some(Value::Str(discriminator)) = obj.get("discriminator") else {
            return Err(sem(info, "'discriminator' requires a string name"));
        };
        let branches = self.check_branches(obj.get("data"), info, false, false)?;
        Ok(Body::Union {
            base,
            discriminator: discriminator.clone(),
            branches,
        })
    }

    fn check_alternate(&self, obj: &Obj, info: InfoId) -> QResult<Body> {
        if !obj.get("data").is_some_and(Value::truthy) {
            return Err(sem(info, "'data' must not be empty"));
        }
        let branches = self.check_branches(obj.get("data"), info, true, true)?;
        Ok(Body::Alternate { branches })
    }

    fn check_command(&self, obj: &Obj, info: InfoId) -> QResult<Body> {
        let boxed = obj.get("boxed").is_some_and(Value::truthy);
        let data = if boxed {
            if !obj.contains("data") {
                return Err(sem(info, "'boxed': true requires 'data'"));
            }
            match self.check_type_name(obj.get("data"), info, "'data'")? {
                Some(n) => DataSpec::Named(n),
                None => DataSpec::None,
            }
        } else {
            self.check_type_name_or_implicit(obj.get("data"), info, "'data'", None)?
        };
        let returns = self.check_type_name_or_array(obj.get("returns"), info, "'returns'")?;
        Ok(Body::Command {
            data,
            returns,
            boxed,
            gen_: true,
            success_response: true,
            allow_oob: false,
            allow_preconfig: false,
            coroutine: false,
        })
    }

    fn check_event(&self, obj: &Obj, info: InfoId) -> QResult<Body> {
        let boxed = obj.get("boxed").is_some_and(Value::truthy);
        let data = if boxed {
            if !obj.contains("data") {
                return Err(sem(info, "'boxed': true requires 'data'"));
            }
            match self.check_type_name(obj.get("data"), info, "'data'")? {
                Some(n) => DataSpec::Named(n),
                None => DataSpec::None,
            }
        } else {
            self.check_type_name_or_implicit(obj.get("data"), info, "'data'", None)?
        };
        Ok(Body::Event { data, boxed })
    }

    /// `check_flags`, filling in the flags of a command.
    fn check_flags(&self, obj: &Obj, info: InfoId, body: &mut Body) -> QResult<()> {
        for key in ["gen", "success-response"] {
            if let Some(v) = obj.get(key)
                && !v.is_false()
                && !(self.legacy && v.as_str() == Some("no"))
            {
                return Err(sem(info, format!("flag '{key}' may only use false value")));
            }
        }
        for key in ["boxed", "allow-oob", "allow-preconfig", "coroutine"] {
            if let Some(v) = obj.get(key)
                && !v.is_true()
            {
                return Err(sem(info, format!("flag '{key}' may only use true value")));
            }
        }
        if obj.contains("allow-oob") && obj.contains("coroutine") {
            return Err(sem(
                info,
                "flags 'allow-oob' and 'coroutine' are incompatible",
            ));
        }
        if let Body::Command {
            gen_,
            success_response,
            allow_oob,
            allow_preconfig,
            coroutine,
            ..
        } = body
        {
            *gen_ = !obj.contains("gen");
            *success_response = !obj.contains("success-response");
            *allow_oob = obj.contains("allow-oob");
            *allow_preconfig = obj.contains("allow-preconfig");
            *coroutine = obj.contains("coroutine");
        }
        Ok(())
    }
}

/// Checks every expression (QEMU's `check_exprs`), in order; stops at
/// the first error.
pub(crate) fn check_exprs(reader: &mut Reader, legacy: bool) -> QResult<Vec<Item>> {
    let exprs: Vec<ParsedExpr> = std::mem::take(&mut reader.exprs);
    let pragmas = reader.pragmas.clone();
    let ctx = Ctx {
        pragmas: &pragmas,
        legacy,
    };
    let mut out = Vec::with_capacity(exprs.len());
    let result = (|| {
        for e in &exprs {
            if e.include.is_some() {
                out.push(Item::Include);
                continue;
            }
            out.push(Item::Def(check_expr(&ctx, reader, e)?));
        }
        Ok(())
    })();
    reader.exprs = exprs;
    result.map(|()| out)
}

fn check_expr(ctx: &Ctx<'_>, reader: &mut Reader, e: &ParsedExpr) -> QResult<Def> {
    let info = e.info;
    let mut obj = e.obj.clone();
    let mut metas: Vec<Meta> = Meta::ALL
        .iter()
        .copied()
        .filter(|m| obj.contains(m.word()))
        .collect();
    if ctx.legacy && metas.is_empty() && obj.contains("type") {
        // QEMU before 2.1 spelled 'struct' as 'type'.
        for (k, _) in &mut obj.0 {
            if k == "type" {
                *k = "struct".to_owned();
            }
        }
        metas.push(Meta::Struct);
    }
    if metas.len() != 1 {
        return Err(sem(
            info,
            "expression must have exactly one key 'enum', 'struct', 'union', 'alternate', \
             'command', 'event'",
        ));
    }
    let meta = metas[0];
    let Some(Value::Str(name)) = obj.get(meta.word()) else {
        return Err(sem(
            info,
            format!("'{}' requires a string name", meta.word()),
        ));
    };
    let name = name.clone();
    reader.infos.set_defn(info, meta.word(), &name);
    ctx.check_defn_name(&name, info, meta)?;

    let mut doc = e.doc;
    if let Some(d) = doc {
        let symbol = reader.docs[d].symbol.clone().unwrap_or_default();
        if ctx.legacy {
            if symbol != name {
                doc = None;
            }
        } else {
            if symbol != name {
                return Err(sem(
                    info,
                    format!("documentation comment is for '{symbol}'"),
                ));
            }
            reader.docs[d].check_expr(meta == Meta::Command, obj.contains("returns"))?;
        }
    } else if ctx.pragmas.doc_required && !ctx.legacy {
        return Err(sem(info, "documentation comment required"));
    }

    let mut body = match meta {
        Meta::Enum => {
            check_keys(
                &obj,
                info,
                "enum",
                &["enum", "data"],
                &["if", "features", "prefix"],
            )?;
            ctx.check_enum(&obj, &name, info)?
        }
        Meta::Union => ctx.check_union(&obj, &name, info)?,
        Meta::Alternate => {
            check_keys(
                &obj,
                info,
                "alternate",
                &["alternate", "data"],
                &["if", "features"],
            )?;
            ctx.check_alternate(&obj, info)?
        }
        Meta::Struct => {
            check_keys(
                &obj,
                info,
                "struct",
                &["struct", "data"],
                &["base", "if", "features"],
            )?;
            let members = ctx.check_type_implicit(
                obj.get("data").unwrap_or(&Value::Bool(false)),
                info,
                "'data'",
                Some(&name),
            )?;
            let base = ctx.check_type_name(obj.get("base"), info, "'base'")?;
            Body::Struct { base, members }
        }
        Meta::Command => {
            check_keys(
                &obj,
                info,
                "command",
                &["command"],
                &[
                    "data",
                    "returns",
                    "boxed",
                    "if",
                    "features",
                    "gen",
                    "success-response",
                    "allow-oob",
                    "allow-preconfig",
                    "coroutine",
                ],
            )?;
            ctx.check_command(&obj, info)?
        }
        Meta::Event => {
            check_keys(
                &obj,
                info,
                "event",
                &["event"],
                &["data", "boxed", "if", "features"],
            )?;
            ctx.check_event(&obj, info)?
        }
    };
    let cond = check_if(&obj, info, meta.word(), ctx.legacy)?;
    let features = ctx.check_features(obj.get("features"), info)?;
    ctx.check_flags(&obj, info, &mut body)?;
    Ok(Def {
        name,
        info,
        doc,
        module: e.module,
        cond,
        features,
        body,
    })
}
