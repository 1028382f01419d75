//! A zip archive of a few files, written in memory: each file deflated
//! (raw DEFLATE, method 8) with its CRC-32, then the central directory. No
//! ZIP64, no encryption, no extra fields: the files of an export are small
//! and every unzip tool reads this form.

/// The CRC-32 (IEEE 802.3, reflected, as zip and gzip use it) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// Why an archive cannot be written.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ZipError {
    #[error("the file \"{0}\" is too large for a zip without ZIP64 (4 GB)")]
    TooLarge(String),
    #[error("the archive holds more than 65,535 files")]
    TooMany,
    #[error("the file name \"{0}\" is not a plain relative path")]
    BadName(String),
}

fn le16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn le32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// 1 January 2026, 00:00, in MS-DOS form: the date written on every entry,
/// so the same export gives the same bytes.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = ((2026 - 1980) << 9) | (1 << 5) | 1;

/// The archive holding `files` (name, contents), in that order.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, ZipError> {
    let count = u16::try_from(files.len()).map_err(|_| ZipError::TooMany)?;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        if name.is_empty()
            || name.starts_with('/')
            || name.split('/').any(|p| p == "..")
            || name.contains('\\')
        {
            return Err(ZipError::BadName(name.clone()));
        }
        let packed = miniz_oxide::deflate::compress_to_vec(data, 9);
        let too_large = || ZipError::TooLarge(name.clone());
        let (size, packed_size) = (
            u32::try_from(data.len()).map_err(|_| too_large())?,
            u32::try_from(packed.len()).map_err(|_| too_large())?,
        );
        let name_len = u16::try_from(name.len()).map_err(|_| ZipError::BadName(name.clone()))?;
        let offset = u32::try_from(out.len()).map_err(|_| too_large())?;
        let crc = crc32(data);
        // Version 2.0, UTF-8 names (bit 11), deflate.
        let common = |h: &mut Vec<u8>| {
            le16(h, 20);
            le16(h, 1 << 11);
            le16(h, 8);
            le16(h, DOS_TIME);
            le16(h, DOS_DATE);
            le32(h, crc);
            le32(h, packed_size);
            le32(h, size);
            le16(h, name_len);
            le16(h, 0);
        };
        le32(&mut out, 0x0403_4b50);
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&packed);

        le32(&mut central, 0x0201_4b50);
        le16(&mut central, 0x0314); // made by: Unix, 2.0
        common(&mut central);
        le16(&mut central, 0); // comment length
        le16(&mut central, 0); // disk
        le16(&mut central, 0); // internal attributes
        le32(&mut central, 0o100644 << 16); // a regular file, rw-r--r--
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_at =
        u32::try_from(out.len()).map_err(|_| ZipError::TooLarge("the archive".into()))?;
    let central_len =
        u32::try_from(central.len()).map_err(|_| ZipError::TooLarge("the directory".into()))?;
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, count);
    le16(&mut out, count);
    le32(&mut out, central_len);
    le32(&mut out, central_at);
    le16(&mut out, 0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_text() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn entries_read_back() {
        let files = vec![
            ("a.txt".to_owned(), b"hello hello hello".to_vec()),
            ("dir/b.sql".to_owned(), Vec::new()),
        ];
        let z = zip(&files).unwrap();
        assert_eq!(&z[..4], b"PK\x03\x04");
        // The first entry's data inflates to its text.
        let packed_len = u32::from_le_bytes(z[18..22].try_into().unwrap()) as usize;
        let name_len = u16::from_le_bytes(z[26..28].try_into().unwrap()) as usize;
        let data = &z[30 + name_len..30 + name_len + packed_len];
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(data).unwrap(),
            b"hello hello hello"
        );
        // The end record counts both and points at the directory.
        let end = &z[z.len() - 22..];
        assert_eq!(&end[..4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 2);
        let at = u32::from_le_bytes(end[16..20].try_into().unwrap()) as usize;
        assert_eq!(&z[at..at + 4], b"PK\x01\x02");
        assert_eq!(
            zip(&files).unwrap(),
            z,
            "the same files give the same bytes"
        );
    }

    #[test]
    fn unsafe_names_are_refused() {
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a\\b"] {
            assert_eq!(
                zip(&[(bad.to_owned(), vec![1])]),
                Err(ZipError::BadName(bad.to_owned())),
                "{bad}"
            );
        }
    }
}
