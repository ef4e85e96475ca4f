//! Minimal reproducers of what the fuzz targets found in the schema
//! reader and checker (see FUZZING.md, "Findings"); their inputs are in
//! `fuzz/regressions/schema/`.

/// Harness correction (schema target): a lone CR ends a line. QEMU's
/// parser reads the file in Python's text mode (universal newlines:
/// `"\r\n"` and `"\r"` become `"\n"`), so messages count a lone CR as a
/// line break, as `qapi-schema` does; the target's check that the line of
/// a message lies within the text counted only LFs, and failed on
/// `fuzz/regressions/schema/line-numbers-after-cr` (a comment, 94 CRs,
/// then a stray `st`: line 95 of "7 lines").
#[test]
fn schema_lines_count_carriage_returns_as_python_does() {
    let opts = qapi_schema::LoadOptions::new(qapi_schema::Dialect::Qemu10);
    for (text, line) in [
        ("# c\r\r\r\rst\n", 5),
        ("# c\r\n\r\nst\n", 3),
        ("# c\n\r\n\rst", 4),
    ] {
        let e = qapi_schema::check_syntax_str("fuzz.json", text, &opts).unwrap_err();
        assert_eq!(e.line, Some(line), "{text:?}: {}", e.text());
        assert_eq!(
            e.text(),
            format!("fuzz.json:{line}:1: stray 'st'"),
            "{text:?}"
        );
    }
}
