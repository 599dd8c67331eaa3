//! A ZIP archive writer, enough for an XLSX workbook: files stored as they are (no
//! compression; a report table is small, and a deflate coder would cost the browser
//! bundle more than it saves), UTF-8 names, and CRC-32 from a 1 KB table made at
//! compile time (`crc32fast`'s faster slicing tables weigh 16 KB of WASM; the tests
//! check this one against it). The layout
//! follows PKWARE's APPNOTE: a local header and the data per file, then the central
//! directory, then its end record. Archives over 4 GiB or 65,535 files (ZIP64) are
//! out of scope and refused.

/// Why an archive could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("a ZIP archive without ZIP64 holds at most 65,535 files and 4 GiB")]
    TooLarge,
}

/// Version needed to extract: 2.0.
const VERSION: u16 = 20;
/// General-purpose flag bit 11: the name is UTF-8.
const UTF8_NAMES: u16 = 1 << 11;
/// 1980-01-01 00:00 in MS-DOS date and time (the archive's files carry no real time,
/// so that the same table gives the same bytes).
const DOS_DATE: u16 = (1 << 5) | 1;
const DOS_TIME: u16 = 0;

/// The CRC-32 table (IEEE 802.3 polynomial, reflected: 0xEDB88320), one entry per byte.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `data`, as ZIP (and gzip, PNG) use it.
pub fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, b| {
        CRC_TABLE[((c ^ u32::from(*b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

fn u16_le(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn u32_le(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// The archive of `files` (name, content), in that order.
pub fn store(files: &[(&str, &[u8])]) -> Result<Vec<u8>, ZipError> {
    let count = u16::try_from(files.len()).map_err(|_| ZipError::TooLarge)?;
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in files {
        let offset = u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?;
        let size = u32::try_from(data.len()).map_err(|_| ZipError::TooLarge)?;
        let name_len = u16::try_from(name.len()).map_err(|_| ZipError::TooLarge)?;
        let crc = crc32(data);
        // Local file header.
        u32_le(&mut out, 0x0403_4b50);
        u16_le(&mut out, VERSION);
        u16_le(&mut out, UTF8_NAMES);
        u16_le(&mut out, 0); // stored
        u16_le(&mut out, DOS_TIME);
        u16_le(&mut out, DOS_DATE);
        u32_le(&mut out, crc);
        u32_le(&mut out, size);
        u32_le(&mut out, size);
        u16_le(&mut out, name_len);
        u16_le(&mut out, 0); // no extra field
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        // Its central directory entry.
        u32_le(&mut directory, 0x0201_4b50);
        u16_le(&mut directory, VERSION); // made by: MS-DOS, 2.0
        u16_le(&mut directory, VERSION);
        u16_le(&mut directory, UTF8_NAMES);
        u16_le(&mut directory, 0);
        u16_le(&mut directory, DOS_TIME);
        u16_le(&mut directory, DOS_DATE);
        u32_le(&mut directory, crc);
        u32_le(&mut directory, size);
        u32_le(&mut directory, size);
        u16_le(&mut directory, name_len);
        u16_le(&mut directory, 0); // extra
        u16_le(&mut directory, 0); // comment
        u16_le(&mut directory, 0); // disk
        u16_le(&mut directory, 0); // internal attributes
        u32_le(&mut directory, 0); // external attributes
        u32_le(&mut directory, offset);
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?;
    let directory_size = u32::try_from(directory.len()).map_err(|_| ZipError::TooLarge)?;
    out.extend_from_slice(&directory);
    // End of central directory.
    u32_le(&mut out, 0x0605_4b50);
    u16_le(&mut out, 0);
    u16_le(&mut out, 0);
    u16_le(&mut out, count);
    u16_le(&mut out, count);
    u32_le(&mut out, directory_size);
    u32_le(&mut out, directory_offset);
    u16_le(&mut out, 0);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn a_reader_finds_every_file_with_its_content() {
        let bytes = store(&[
            ("a.txt", b"merhaba"),
            ("klasör/b.xml", b"<x/>"),
            ("empty", b""),
        ])
        .expect("small archive");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("valid zip");
        assert_eq!(archive.len(), 3);
        let mut text = String::new();
        archive
            .by_name("klasör/b.xml")
            .expect("UTF-8 name")
            .read_to_string(&mut text)
            .expect("CRC checks");
        assert_eq!(text, "<x/>");
        text.clear();
        archive
            .by_name("a.txt")
            .expect("first file")
            .read_to_string(&mut text)
            .expect("CRC checks");
        assert_eq!(text, "merhaba");
    }

    #[test]
    fn the_checksum_is_crc_32() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let text: Vec<u8> = (0..10_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        assert_eq!(crc32(&text), crc32fast::hash(&text));
        assert_eq!(
            crc32("Şişli".as_bytes()),
            crc32fast::hash("Şişli".as_bytes())
        );
    }

    #[test]
    fn the_same_files_give_the_same_bytes() {
        let a = store(&[("x", b"1")]).expect("archive");
        let b = store(&[("x", b"1")]).expect("archive");
        assert_eq!(a, b);
        assert_eq!(&a[..4], b"PK\x03\x04");
    }
}
