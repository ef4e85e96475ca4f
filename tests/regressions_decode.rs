//! Minimal reproducers of what the fuzz targets and property tests found
//! in decoding (see FUZZING.md, "Findings"). The fuzz inputs themselves
//! are in `fuzz/regressions/decode/`; those named `open-*` reproduce
//! findings not fixed yet, and the tests for them here are `#[ignore]`d
//! until the owner of the code fixes it (then rename the input without
//! `open-` and drop the `#[ignore]`).

/// F1 (fixed). `qapi::from_slice` / `from_str` read text with QEMU's
/// parser. QEMU's lexer has no exponent right after a lone leading `0`
/// (`IN_ZERO` goes on only with `.` or a digit, `qobject/json-lexer.c`),
/// so `0e0` is the integer `0` followed by the keyword `e` and the integer
/// `0`: one value too many. serde_json reads it as the double 0.0, and the
/// serde_json fast path of `from_slice` (qapi-core/src/lib.rs, since
/// 0048980) took that. Likewise QEMU rejects Unicode noncharacters in
/// strings (raw or escaped), which serde_json accepts. Such texts then
/// went to QEMU's parser; since the fourth session `from_slice` uses only
/// QEMU's parser (its own fast path takes none of these texts).
///
/// Found by the `decode` fuzz target (`fuzz/regressions/decode/from-slice-0e0`).
#[test]
fn from_slice_reads_no_exponent_after_a_lone_zero() {
    for text in [
        "0e0",
        "0E5",
        "-0e1",
        "[0e0]",
        "{\"a\": 0e+1}",
        "[1, 0e-1]",
        // Noncharacters, escaped and raw.
        "\"\\uFFFF\"",
        "[\"\\ufdd0\"]",
        "\"\\uD83F\\uDFFE\"",
        "\"\u{FFFE}\"",
        "{\"\u{FDEF}\": 1}",
        "\"a\u{10FFFF}\"",
        "\"\u{2FFFF}\"",
    ] {
        let want = qapi::json::parse_one(text.as_bytes()).expect_err("QEMU's reader rejects it");
        let got = qapi::from_str::<serde_json::Value>(text).expect_err("from_str rejects it too");
        assert_eq!(got.desc, want.desc(), "{text}");
    }
    assert_eq!(
        qapi::from_str::<i64>("0e0").unwrap_err().desc,
        "Expecting at most one JSON value"
    );
    // What both read alike still reads (and the same way).
    for text in [
        "0.0e0",
        "10e1",
        "-0.5E-1",
        "[0, 1e2, 0.0]",
        "\"\\u00e9\\uD83D\\uDE00\"",
        "\"\u{FFFD}\u{1F600}\"",
        "\"\\u0000\"",
    ] {
        let want = qapi::json::parse_one(text.as_bytes()).expect("QEMU's reader accepts it");
        let got = qapi::from_str::<qapi::Value>(text).expect("from_str accepts it");
        assert_eq!(got, want, "{text}");
    }
}

/// F2 (fixed in e475a73). Doubles are read as QEMU reads them (glibc
/// `strtod`: correctly rounded), so that what QEMU's writer prints
/// (`%.17g`) reads back as the same double, through `from_slice` and
/// through serde's `Deserialize` with serde_json. serde_json's default
/// float parser was off by one or two ulps on inputs like these until
/// qapi-core turned on its `float_roundtrip` feature.
///
/// Found by `tests/proptest_types.rs` and the `decode` fuzz target
/// (`fuzz/regressions/decode/from-slice-double-*`).
#[test]
fn doubles_read_correctly_rounded() {
    let cases: [(&str, f64); 6] = [
        ("-6.5395260312606133e+215", -6.539526031260613e215),
        ("-6.539526031260613e215", -6.539526031260613e215),
        ("-1.8502029440824980e-116", -1.850202944082498e-116),
        ("2222221877586817.0", 2222221877586817.0),
        ("2.4760000101287002e+39", 2.4760000101287002e39),
        (
            "2476000010128700347600001898736748509086",
            2.4760000101287002e39,
        ),
    ];
    for (text, want) in cases {
        let got: f64 = qapi::from_str(text).expect("a number");
        assert_eq!(got.to_bits(), want.to_bits(), "from_str {text}: {got:e}");
        let got: f64 = serde_json::from_str(text).expect("a number");
        assert_eq!(got.to_bits(), want.to_bits(), "serde_json {text}: {got:e}");
        let qapi::Value::Double(reader) = qapi::json::parse_one(text.as_bytes()).expect("a number")
        else {
            panic!("{text} is not a double")
        };
        assert_eq!(reader.to_bits(), want.to_bits(), "reader, {text}");
    }
}

/// What the committed code does right and the checks above rely on:
/// QEMU's reader itself on the same inputs.
#[test]
fn reader_reads_no_exponent_after_a_lone_zero_and_rounds_correctly() {
    assert_eq!(
        qapi::json::parse_one(b"0e0").unwrap_err().desc(),
        "Expecting at most one JSON value"
    );
    let items: Vec<_> = {
        let mut s = qapi::json::JsonStreamer::new();
        s.feed(b"0e0 ");
        s.flush();
        s.drain()
            .map(|i| i.map_err(|e| e.desc().to_owned()))
            .collect()
    };
    assert_eq!(
        items,
        vec![
            Ok(qapi::Value::Int(0)),
            Err("JSON parse error, invalid keyword 'e'".to_owned()),
            Ok(qapi::Value::Int(0))
        ]
    );
    let Ok(qapi::Value::Double(d)) = qapi::json::parse_one(b"-6.5395260312606133e+215") else {
        panic!()
    };
    assert_eq!(d.to_bits(), (-6.539526031260613e215f64).to_bits());
}
