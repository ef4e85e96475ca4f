//! Helpers for schemas of old QEMU eras.
//!
//! QEMU 4.0 to 6.0 wrote conditions as C preprocessor expressions
//! (`'if': 'defined(CONFIG_SPICE)'`, `'defined(A) || defined(B)'`), and a
//! list of them meant "all". [`c_condition`] turns such text into a
//! [`Cond`] tree; text it cannot parse is kept as one opaque name.

use qapi_core::schema::Cond;

struct P<'a> {
    s: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, t: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(t.as_bytes()) {
            self.i += t.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn or(&mut self, depth: usize) -> Option<Cond> {
        let mut terms = vec![self.and(depth)?];
        while self.eat("||") {
            terms.push(self.and(depth)?);
        }
        Some(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Cond::Any(terms)
        })
    }

    fn and(&mut self, depth: usize) -> Option<Cond> {
        let mut terms = vec![self.factor(depth)?];
        while self.eat("&&") {
            terms.push(self.factor(depth)?);
        }
        Some(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Cond::All(terms)
        })
    }

    fn factor(&mut self, depth: usize) -> Option<Cond> {
        if depth > 64 {
            return None;
        }
        if self.eat("!") {
            return Some(Cond::Not(Box::new(self.factor(depth + 1)?)));
        }
        if self.eat("(") {
            let c = self.or(depth + 1)?;
            return self.eat(")").then_some(c);
        }
        let id = self.ident()?;
        if id == "defined" {
            let paren = self.eat("(");
            let name = self.ident()?;
            if paren && !self.eat(")") {
                return None;
            }
            return Some(Cond::Name(name));
        }
        Some(Cond::Name(id))
    }
}

/// Parses an old-style C preprocessor condition.
pub(crate) fn c_condition(text: &str) -> Cond {
    let mut p = P {
        s: text.as_bytes(),
        i: 0,
    };
    match p.or(0) {
        Some(c)
            if {
                p.ws();
                p.i == p.s.len()
            } =>
        {
            c
        }
        _ => Cond::Name(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        assert_eq!(
            c_condition("defined(CONFIG_SPICE)"),
            Cond::name("CONFIG_SPICE")
        );
        assert_eq!(
            c_condition("defined(A) || defined(B)"),
            Cond::Any(vec![Cond::name("A"), Cond::name("B")])
        );
        assert_eq!(
            c_condition("!defined(A) && B"),
            Cond::All(vec![Cond::Not(Box::new(Cond::name("A"))), Cond::name("B")])
        );
        assert_eq!(c_condition("a +"), Cond::name("a +"));
        assert_eq!(c_condition(""), Cond::name(""));
    }
}
