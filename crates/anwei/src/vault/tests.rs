//! The vault's unit tests: known-answer vectors of both ciphers, round trips, tampering, and
//! values sealed under one cipher setting opening under the other.

use super::cipher::Sm4Gcm;
use super::*;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;

/// RFC 8998 appendix A.1: SM4-GCM.
#[test]
fn sm4_gcm_matches_the_rfc_8998_vector() {
    let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap();
    let nonce: [u8; 12] = hex::decode("00001234567800000000ABCD")
        .unwrap()
        .try_into()
        .unwrap();
    let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").unwrap();
    let plain = hex::decode(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
    )
    .unwrap();
    let key: [u8; 16] = key.try_into().unwrap();
    let out = Sm4Gcm::new(&key.into())
        .encrypt(
            &nonce.into(),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        .unwrap();
    assert_eq!(
        hex::encode_upper(out),
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D83DE3541E4C2B58177E065A9BF7B62EC"
    );
}

#[test]
fn a_sealed_value_opens_with_its_key_only_and_never_shows_the_plaintext() {
    let v = Vault::new(&[7u8; 32]).unwrap();
    let a = v.seal("22050219900101123X").unwrap();
    let b = v.seal("22050219900101123X").unwrap();
    assert_ne!(a, b, "a fresh data key and nonce each time");
    assert!(!a.contains("1990"), "{a}");
    assert_eq!(&*v.open(&a).unwrap(), "22050219900101123X");
    let other = Vault::new(&[8u8; 32]).unwrap();
    assert!(other.open(&a).is_err(), "another master key opens nothing");
    let mut altered = a.clone();
    altered.pop();
    altered.push(if a.ends_with('A') { 'B' } else { 'A' });
    assert!(v.open(&altered).is_err(), "an altered value is refused");
    assert_eq!(v.blind("id", "x"), v.blind("id", "x"));
    assert_ne!(v.blind("id", "x"), v.blind("phone", "x"));
    assert_ne!(v.blind("id", "x"), other.blind("id", "x"));
}

#[test]
fn sealed_bytes_open_with_their_key_only() {
    let v = Vault::new(&[7u8; 32]).unwrap();
    let plain = b"%PDF-1.4 marker-plain-bytes %%EOF".to_vec();
    let a = v.seal_bytes(&plain).unwrap();
    assert_ne!(
        a,
        v.seal_bytes(&plain).unwrap(),
        "a fresh data key and nonce each time"
    );
    assert!(!a.windows(12).any(|w| w == b"marker-plain"));
    assert_eq!(&*v.open_bytes(&a).unwrap(), &plain);
    assert!(Vault::new(&[8u8; 32]).unwrap().open_bytes(&a).is_err());
    let mut altered = a.clone();
    *altered.last_mut().unwrap() ^= 1;
    assert!(
        v.open_bytes(&altered).is_err(),
        "an altered file is refused"
    );
    assert!(
        v.open_bytes(&a[..20]).is_err(),
        "a truncated file is refused"
    );
}

/// draft-irtf-cfrg-xchacha-03, appendix A.3.1: XChaCha20-Poly1305.
#[test]
fn xchacha20_poly1305_matches_the_draft_rfc_vector() {
    let key: [u8; 32] =
        hex::decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
            .unwrap()
            .try_into()
            .unwrap();
    let nonce: [u8; 24] = hex::decode("404142434445464748494a4b4c4d4e4f5051525354555657")
        .unwrap()
        .try_into()
        .unwrap();
    let aad = hex::decode("50515253c0c1c2c3c4c5c6c7").unwrap();
    let plain = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    let out = XChaCha20Poly1305::new(&key.into())
        .encrypt(
            &nonce.into(),
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .unwrap();
    assert_eq!(
        hex::encode(&out),
        concat!(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb",
            "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452",
            "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9",
            "21f9664c97637da9768812f615c68b13b52e",
            "c0875924c1c7987947deafd8780acf49"
        )
    );
    // The vault's own framing (nonce ‖ ciphertext ‖ tag) opens it.
    let mut framed = nonce.to_vec();
    framed.extend(
        XChaCha20Poly1305::new(&key.into())
            .encrypt(&nonce.into(), &plain[..])
            .unwrap(),
    );
    assert_eq!(
        Cipher::XChaCha20Poly1305.open(&key, &framed).as_deref(),
        Some(&plain[..])
    );
}

#[test]
fn the_cipher_names_of_the_configuration() {
    assert_eq!(Cipher::parse("sm4-gcm"), Some(Cipher::Sm4Gcm));
    assert_eq!(
        Cipher::parse("xchacha20-poly1305"),
        Some(Cipher::XChaCha20Poly1305)
    );
    assert_eq!(Cipher::parse("aes-gcm"), None);
}

fn vaults() -> [Vault; 2] {
    [
        Vault::new(&[7u8; 32]).unwrap(),
        Vault::new(&[7u8; 32])
            .unwrap()
            .with_cipher(Cipher::XChaCha20Poly1305),
    ]
}

#[test]
fn both_ciphers_round_trip_text_and_bytes_and_name_themselves() {
    let names = [
        ("v1.sm4gcm.", b"ANWEIv1S"),
        ("v1.xchacha20poly1305.", b"ANWEIv1X"),
    ];
    for (v, (tag, letter)) in vaults().iter().zip(names) {
        let a = v.seal("marker-22050219900101123X").unwrap();
        assert!(a.starts_with(tag), "{a}");
        assert!(!a.contains("1990"), "{a}");
        assert_ne!(
            a,
            v.seal("marker-22050219900101123X").unwrap(),
            "fresh key and nonce"
        );
        assert_eq!(&*v.open(&a).unwrap(), "marker-22050219900101123X");
        let plain = b"%PDF-1.4 marker-plain-bytes %%EOF".to_vec();
        let s = v.seal_bytes(&plain).unwrap();
        assert!(s.starts_with(letter), "{:?}", &s[..8]);
        assert!(!s.windows(12).any(|w| w == b"marker-plain"));
        assert_eq!(&*v.open_bytes(&s).unwrap(), &plain);
        assert_eq!(&*v.open_bytes(&v.seal_bytes(b"").unwrap()).unwrap(), b"");
    }
}

#[test]
fn a_value_sealed_under_one_setting_opens_under_the_other() {
    let [sm4, xchacha] = vaults();
    let a = sm4.seal("甲").unwrap();
    let b = xchacha.seal("乙").unwrap();
    assert_eq!(&*xchacha.open(&a).unwrap(), "甲");
    assert_eq!(&*sm4.open(&b).unwrap(), "乙");
    let fa = sm4.seal_bytes(b"first").unwrap();
    let fb = xchacha.seal_bytes(b"second").unwrap();
    assert_eq!(&*xchacha.open_bytes(&fa).unwrap(), b"first");
    assert_eq!(&*sm4.open_bytes(&fb).unwrap(), b"second");
    assert_eq!(
        sm4.blind("id", "x"),
        xchacha.blind("id", "x"),
        "the blind index stays"
    );
}

#[test]
fn tampering_and_other_keys_fail_with_both_ciphers() {
    let other = Vault::new(&[8u8; 32]).unwrap();
    for v in vaults() {
        let a = v.seal("secret").unwrap();
        assert!(other.open(&a).is_err());
        let mut altered = a.clone();
        let last = altered.pop().unwrap();
        altered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(v.open(&altered).is_err(), "an altered value is refused");
        // The cipher named in the value cannot be swapped for the other.
        let swapped = if a.contains(".sm4gcm.") {
            a.replace(".sm4gcm.", ".xchacha20poly1305.")
        } else {
            a.replace(".xchacha20poly1305.", ".sm4gcm.")
        };
        assert!(v.open(&swapped).is_err(), "{swapped}");
        assert!(
            v.open(&a.replacen("v1.", "v2.", 1)).is_err(),
            "another key id"
        );
        let s = v.seal_bytes(b"file bytes").unwrap();
        assert!(other.open_bytes(&s).is_err());
        let mut flipped = s.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert!(
            v.open_bytes(&flipped).is_err(),
            "an altered file is refused"
        );
        let mut wrapped = s.clone();
        wrapped[12] ^= 1;
        assert!(v.open_bytes(&wrapped).is_err(), "an altered wrapped key");
        assert!(
            v.open_bytes(&s[..20]).is_err(),
            "a truncated file is refused"
        );
        assert!(v.open_bytes(&s[..9]).is_err(), "a bare header is refused");
    }
}

/// A provider other than the local key (as an HSM would be): its wrapped keys have their
/// own length, so files use the length-prefixed framing, and values name its key id.
struct Xor(u8);

impl KeyProvider for Xor {
    fn key_id(&self) -> &str {
        "hsm7"
    }
    fn wrap(&self, data_key: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut w = vec![0xAA; 3];
        w.extend(data_key.iter().map(|b| b ^ self.0));
        Ok(w)
    }
    fn unwrap(&self, wrapped: &[u8]) -> anyhow::Result<zeroize::Zeroizing<Vec<u8>>> {
        let k = wrapped
            .strip_prefix(&[0xAA; 3][..])
            .ok_or_else(|| anyhow::anyhow!("not ours"))?;
        Ok(zeroize::Zeroizing::new(
            k.iter().map(|b| b ^ self.0).collect(),
        ))
    }
}

#[test]
fn another_key_provider_plugs_in() {
    for c in Cipher::ALL {
        let v = Vault::from_provider(Box::new(Xor(0x5C)), zeroize::Zeroizing::new(vec![1; 32]), c);
        let a = v.seal("x").unwrap();
        assert!(a.starts_with("hsm7."), "{a}");
        assert_eq!(&*v.open(&a).unwrap(), "x");
        let s = v.seal_bytes(b"photo").unwrap();
        assert!(s.starts_with(b"ANWEIhsm7"), "{s:?}");
        assert_eq!(&*v.open_bytes(&s).unwrap(), b"photo");
        assert!(Vault::new(&[7u8; 32]).unwrap().open_bytes(&s).is_err());
    }
}
