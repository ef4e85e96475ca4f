//! The reader never panics: truncated schemas, binary garbage, deep
//! nesting, long chains.

use qapi_schema::{Dialect, LoadOptions, load, load_str};

const SAMPLE: &str = r#"# A small schema
{ 'pragma': { 'doc-required': false } }
##
# = Heading
##

##
# @Colour:
#
# @red: red
# @blue: blue
##
{ 'enum': 'Colour', 'data': [ 'red', { 'name': 'blue', 'if': 'CONFIG_BLUE' } ] }
{ 'struct': 'Base', 'data': { 'kind': 'Colour', '*name': 'str' } }
{ 'struct': 'Red', 'data': { 'shade': 'int' }, 'features': [ 'f' ] }
{ 'union': 'Uni', 'base': 'Base', 'discriminator': 'kind',
  'data': { 'red': 'Red' } }
{ 'alternate': 'Alt', 'data': { 's': 'str', 'u': 'Uni', 'l': ['int'] } }
{ 'command': 'go', 'data': { 'a': 'Alt', '*b': ['Colour'] }, 'returns': 'Red',
  'if': { 'all': [ 'X', { 'not': 'Y' } ] }, 'allow-oob': true }
{ 'event': 'GONE', 'data': 'Red' }
{ 'type': 'Old', 'data': { 'n': { 'm': 'int' } }, }
"#;

fn both(text: &str) {
    for d in [Dialect::Qemu10, Dialect::Legacy] {
        let _ = load_str(
            "hostile.json",
            text,
            &LoadOptions::new(d).base_dir("/nonexistent"),
        );
    }
}

#[test]
fn sample_is_good() {
    let good = SAMPLE.replace("{ 'type': 'Old', 'data': { 'n': { 'm': 'int' } }, }\n", "");
    let l = load_str("s.json", &good, &LoadOptions::default()).unwrap();
    assert_eq!(l.schema.len(), 7);
    let l = load_str("s.json", SAMPLE, &LoadOptions::new(Dialect::Legacy)).unwrap();
    assert!(l.schema.get("Old.n").is_some());
}

#[test]
fn truncated() {
    let chars: Vec<char> = SAMPLE.chars().collect();
    for n in 0..chars.len() {
        let t: String = chars[..n].iter().collect();
        both(&t);
    }
}

#[test]
fn garbage() {
    // A small deterministic generator; no external crates.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let alphabet: Vec<char> = "{}[],:'\\#@ \n\ttruefalse_-*xXaA0\u{7f}\u{1}\u{e9}\u{2028}"
        .chars()
        .collect();
    for len in [1usize, 5, 50, 500, 5000] {
        for _ in 0..40 {
            let s: String = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            both(&s);
        }
    }
    // Mutations of a good schema.
    let chars: Vec<char> = SAMPLE.chars().collect();
    for i in 0..chars.len() {
        for c in ['{', '}', '\'', '#', '\n', ']', ','] {
            let mut m = chars.clone();
            m[i] = c;
            both(&m.iter().collect::<String>());
        }
    }
    // Binary garbage in a file (not UTF-8).
    let dir = std::env::temp_dir().join(format!("qapi-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bin.json"), [0xffu8, 0xfe, 0x00, 0x7b, 0x80, 0x27]).unwrap();
    let e = load("bin.json".as_ref(), &LoadOptions::default().base_dir(&dir)).unwrap_err();
    assert!(
        e.text().starts_with("can't read schema file 'bin.json': "),
        "{e}"
    );
    // A directory as include.
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("inc.json"), "{ 'include': 'sub' }\n").unwrap();
    let e = load("inc.json".as_ref(), &LoadOptions::default().base_dir(&dir)).unwrap_err();
    assert_eq!(
        e.text(),
        "inc.json:1: can't read include file 'sub': Is a directory"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deep_nesting() {
    for n in [100, 300, 10_000, 200_000] {
        both(&format!("{{ 'struct': 'S', 'data': {}", "[".repeat(n)));
        both(&format!("{}{}", "{ 'a': ".repeat(n), "'x'"));
        both(&format!("{}'x'{}", "[".repeat(n), "]".repeat(n)));
        let cond = format!(
            "{}'A'{}",
            "{ 'not': ".repeat(n.min(250)),
            " }".repeat(n.min(250))
        );
        both(&format!("{{ 'struct': 'S', 'data': {{}}, 'if': {cond} }}"));
    }
    let e = load_str(
        "d.json",
        &format!("{}'x'{}", "[".repeat(1000), "]".repeat(1000)),
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert!(e.text().contains("nested too deeply"), "{e}");
}

#[test]
fn long_chains() {
    // A base chain far deeper than any real schema.
    let mut s = String::new();
    for i in 0..3000 {
        s.push_str(&format!(
            "{{ 'struct': 'Ty{i}', 'base': 'Ty{}', 'data': {{}} }}\n",
            i + 1
        ));
    }
    s.push_str("{ 'struct': 'Ty3000', 'data': {} }\n");
    both(&s);
    // A cycle through many types.
    let mut s = String::new();
    for i in 0..50 {
        s.push_str(&format!(
            "{{ 'struct': 'Ty{i}', 'base': 'Ty{}', 'data': {{}} }}\n",
            (i + 1) % 50
        ));
    }
    let e = load_str("c.json", &s, &LoadOptions::default()).unwrap_err();
    assert!(e.text().ends_with("object Ty0 contains itself"), "{e}");
    // Many modules.
    let dir = std::env::temp_dir().join(format!("qapi-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..300 {
        std::fs::write(
            dir.join(format!("m{i}.json")),
            format!("{{ 'include': 'm{}.json' }}\n", i + 1),
        )
        .unwrap();
    }
    std::fs::write(dir.join("m300.json"), "{ 'enum': 'E', 'data': [] }\n").unwrap();
    let _ = load("m0.json".as_ref(), &LoadOptions::default().base_dir(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}
