//! Number formatting as QEMU prints numbers: integers in decimal, doubles
//! like C's `printf("%.17g")` (glibc).

use std::io::Write as _;

/// Appends the decimal form of an unsigned integer.
pub(crate) fn write_u64(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends the decimal form of a signed integer.
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

/// Appends `v` formatted as C's `printf("%.17g", v)` does with glibc:
/// 17 significant digits, fixed notation when the decimal exponent is in
/// `-4..17`, else `d.ddde±XX`; trailing zeros (and a trailing point)
/// removed; `inf`, `-inf`, `nan`, `-nan`; `-0` for negative zero.
pub(crate) fn write_double(out: &mut Vec<u8>, v: f64) {
    if v.is_nan() {
        out.extend_from_slice(if v.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        return;
    }
    if v.is_infinite() {
        out.extend_from_slice(if v < 0.0 { b"-inf" } else { b"inf" });
        return;
    }
    if v == 0.0 {
        out.extend_from_slice(if v.is_sign_negative() { b"-0" } else { b"0" });
        return;
    }
    // Rust's exact formatting rounds the exact binary value to nearest,
    // ties to even, like glibc's printf: 17 significant digits.
    let mut buf = [0u8; 40];
    let len = {
        let mut cur = std::io::Cursor::new(&mut buf[..]);
        // Cannot fail: the longest form is 1+1+1+16+1+4 bytes.
        let _ = write!(cur, "{:.16e}", v.abs());
        cur.position() as usize
    };
    let s = &buf[..len];
    // s = d '.' dddddddddddddddd 'e' [-] exp
    let mut digits = [0u8; 17];
    digits[0] = s[0];
    digits[1..17].copy_from_slice(&s[2..18]);
    let mut exp: i32 = 0;
    let mut neg_exp = false;
    for &c in &s[19..] {
        if c == b'-' {
            neg_exp = true;
        } else {
            exp = exp * 10 + i32::from(c - b'0');
        }
    }
    if neg_exp {
        exp = -exp;
    }
    if v < 0.0 {
        out.push(b'-');
    }
    // Significant digits without trailing zeros (at least one).
    let mut nd = 17;
    while nd > 1 && digits[nd - 1] == b'0' {
        nd -= 1;
    }
    if !(-4..17).contains(&exp) {
        out.push(digits[0]);
        if nd > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..nd]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        write_u64(out, u64::from(e));
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        out.extend_from_slice(&digits[..int_len]);
        if nd > int_len {
            out.push(b'.');
            out.extend_from_slice(&digits[int_len..nd]);
        }
    } else {
        out.extend_from_slice(b"0.");
        for _ in 0..(-exp - 1) {
            out.push(b'0');
        }
        out.extend_from_slice(&digits[..nd]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(v: f64) -> String {
        let mut out = Vec::new();
        write_double(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn doubles_like_printf() {
        assert_eq!(g(0.1), "0.10000000000000001");
        assert_eq!(g(1e3), "1000");
        assert_eq!(g(-0.0), "-0");
        assert_eq!(g(18446744073709551616.0), "1.8446744073709552e+19");
        assert_eq!(g(1e-5), "1.0000000000000001e-05");
        assert_eq!(g(1e-4), "0.0001");
        assert_eq!(g(1e16), "10000000000000000");
        assert_eq!(g(1e17), "1e+17");
        assert_eq!(g(f64::INFINITY), "inf");
        assert_eq!(g(f64::NEG_INFINITY), "-inf");
        assert_eq!(g(f64::NAN), "nan");
        assert_eq!(g(1e100), "1e+100");
        assert_eq!(g(5e-324), "4.9406564584124654e-324");
    }

    #[test]
    fn integers() {
        let mut out = Vec::new();
        write_i64(&mut out, i64::MIN);
        out.push(b' ');
        write_u64(&mut out, u64::MAX);
        out.push(b' ');
        write_i64(&mut out, 0);
        assert_eq!(out, b"-9223372036854775808 18446744073709551615 0");
    }
}
