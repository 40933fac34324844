//! Lists of document numbers, written as short strings a script decodes.
//!
//! A list is written in the shorter of two forms:
//! - runs: for each run of consecutive numbers, the gap since the end of the
//!   previous run (or from -1) and the run's length less one, each a number
//!   in 5-bit groups, most significant first, one base64url character a
//!   group, every group but the last with 32 added;
//! - a bitmap: `~`, then base64url (no padding) of the bytes whose bit `i`
//!   (least significant first) of byte `j` says whether `8j + i` is in the list.
//!
//! A word in every document is one run (two characters); a word in every
//! other document is a bitmap of N/6 characters.

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A list of increasing numbers, written as runs while it grows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Runs {
    #[serde(with = "serde_bytes")]
    written: Vec<u8>,
    /// The last number of the last run written, or -1.
    written_end: i64,
    open: Option<(u32, u32)>,
    len: u32,
}

impl Default for Runs {
    fn default() -> Runs {
        Runs {
            written: Vec::new(),
            written_end: -1,
            open: None,
            len: 0,
        }
    }
}

impl Runs {
    /// Adds `number`, which is no less than any number added before; a
    /// number added again is ignored.
    pub fn push(&mut self, number: u32) {
        match self.open {
            Some((_, end)) if number <= end => return,
            Some((start, end)) if number == end + 1 => self.open = Some((start, number)),
            _ => {
                self.close();
                self.open = Some((number, number));
            }
        }
        self.len += 1;
    }

    /// Adds the numbers of `other` plus `offset`, all greater than any of
    /// this list's.
    pub fn append(&mut self, other: &Runs, offset: u32) {
        let (start, end, rest) = match (other.written.is_empty(), other.open) {
            (true, None) => return,
            (true, Some((start, end))) => (start + offset, end + offset, None),
            (false, _) => {
                let mut values = Values::new(&other.written);
                // The first run of `other` is written from -1: its start.
                // The others are written from the run before them, wherever
                // the list starts.
                let start = values.next().unwrap_or(0) as u32 + offset;
                let extra = values.next().unwrap_or(0) as u32;
                (start, start + extra, Some(values.rest()))
            }
        };
        self.len += other.len;
        match self.open {
            Some((first, last)) if start == last + 1 => self.open = Some((first, end)),
            _ => {
                self.close();
                self.open = Some((start, end));
            }
        }
        if let Some(rest) = rest {
            self.close();
            self.written.extend_from_slice(rest);
            self.written_end = other.written_end + i64::from(offset);
            self.open = (other.open).map(|(start, end)| (start + offset, end + offset));
        }
    }

    fn close(&mut self) {
        if let Some((start, end)) = self.open.take() {
            let gap = i64::from(start) - self.written_end - 1;
            number(&mut self.written, u64::try_from(gap).unwrap_or(0));
            number(&mut self.written, u64::from(end - start));
            self.written_end = i64::from(end);
        }
    }

    /// The list in its shorter form.
    pub fn encode(mut self) -> String {
        self.close();
        let last = u32::try_from(self.written_end).unwrap_or(0);
        let bitmap_bytes = (last / 8 + 1) as usize;
        let bitmap_chars = 1 + (bitmap_bytes * 4).div_ceil(3);
        if self.len > 0 && bitmap_chars < self.written.len() {
            let mut bytes = vec![0u8; bitmap_bytes];
            each_of_runs(&self.written, |number| {
                bytes[(number / 8) as usize] |= 1 << (number % 8);
            });
            let mut out = String::with_capacity(bitmap_chars);
            out.push('~');
            base64url(&bytes, &mut out);
            out
        } else {
            // Only characters of the alphabet were written.
            String::from_utf8(self.written).unwrap_or_default()
        }
    }
}

fn number(out: &mut Vec<u8>, value: u64) {
    let groups = (64 - value.leading_zeros()).div_ceil(5).max(1);
    for group in (0..groups).rev() {
        let bits = ((value >> (5 * group)) & 31) as usize;
        out.push(ALPHABET[if group > 0 { bits + 32 } else { bits }]);
    }
}

fn base64url(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let word = chunk
            .iter()
            .enumerate()
            .fold(0u32, |word, (i, &b)| word | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(word >> (18 - 6 * i) & 63) as usize]));
        }
    }
}

fn value_of(c: u8) -> u64 {
    match c {
        b'A'..=b'Z' => u64::from(c - b'A'),
        b'a'..=b'z' => u64::from(c - b'a') + 26,
        b'0'..=b'9' => u64::from(c - b'0') + 52,
        b'-' => 62,
        _ => 63,
    }
}

/// The numbers written in 5-bit groups, one after another.
struct Values<'a> {
    written: &'a [u8],
    at: usize,
}

impl<'a> Values<'a> {
    fn new(written: &'a [u8]) -> Values<'a> {
        Values { written, at: 0 }
    }

    /// What follows the numbers read so far.
    fn rest(&self) -> &'a [u8] {
        &self.written[self.at..]
    }
}

impl Iterator for Values<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let mut value = 0u64;
        while let Some(&c) = self.written.get(self.at) {
            self.at += 1;
            let digit = value_of(c);
            value = value << 5 | (digit & 31);
            if digit < 32 {
                return Some(value);
            }
        }
        None
    }
}

/// Calls `each` with the numbers of a list written as runs.
fn each_of_runs(written: &[u8], mut each: impl FnMut(u32)) {
    let mut values = Values::new(written);
    let mut end: i64 = -1;
    while let Some(gap) = values.next() {
        let start = end + 1 + gap as i64;
        let extra = values.next().unwrap_or(0) as i64;
        (start..=start + extra).for_each(|n| each(n as u32));
        end = start + extra;
    }
}

/// The numbers of an encoded list, in either form.
#[cfg(test)]
pub fn decode(list: &str) -> Vec<u32> {
    match list.strip_prefix('~') {
        None => {
            let mut numbers = Vec::new();
            each_of_runs(list.as_bytes(), |n| numbers.push(n));
            numbers
        }
        Some(bitmap) => {
            let mut numbers = Vec::new();
            let sextets: Vec<u64> = bitmap.bytes().map(value_of).collect();
            let mut bytes = Vec::new();
            for chunk in sextets.chunks(4) {
                let word = chunk
                    .iter()
                    .enumerate()
                    .fold(0u64, |w, (i, &s)| w | s << (18 - 6 * i));
                for i in 0..chunk.len().saturating_sub(1) {
                    bytes.push((word >> (16 - 8 * i)) as u8);
                }
            }
            for (at, byte) in bytes.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        numbers.push((at * 8 + bit) as u32);
                    }
                }
            }
            numbers
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn encoded(numbers: &[u32]) -> String {
        let mut runs = Runs::default();
        numbers.iter().for_each(|&n| runs.push(n));
        runs.encode()
    }

    #[test]
    fn every_document_is_one_run_and_every_other_one_a_bitmap() {
        let all: Vec<u32> = (0..10_000).collect();
        assert!(encoded(&all).len() <= 6, "{}", encoded(&all));
        let every_other: Vec<u32> = (0..10_000).step_by(2).collect();
        let list = encoded(&every_other);
        assert!(
            list.starts_with('~') && list.len() < 1_800,
            "{}",
            list.len()
        );
        assert_eq!(decode(&list), every_other);
        assert_eq!(encoded(&[]), "");
        assert_eq!(decode(&encoded(&[0, 0, 1, 5])), [0, 1, 5]);
    }

    proptest! {
        #[test]
        fn lists_read_back_as_written(
            mut numbers in (1u32..5_000).prop_flat_map(|range| proptest::collection::vec(0..range, 0..600))
        ) {
            numbers.sort_unstable();
            numbers.dedup();
            prop_assert_eq!(decode(&encoded(&numbers)), numbers);
        }

        #[test]
        fn appended_lists_read_as_one(
            mut numbers in (1u32..3_000).prop_flat_map(|range| proptest::collection::vec(0..range, 0..400)),
            cuts in proptest::collection::vec(0u32..3_000, 0..4),
        ) {
            numbers.sort_unstable();
            numbers.dedup();
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut whole = Runs::default();
            let mut from = 0;
            for cut in cuts.into_iter().chain([u32::MAX]) {
                // Each part numbered from its own start, as a chunk's lists are.
                let mut part = Runs::default();
                numbers.iter().filter(|&&n| n >= from && n < cut).for_each(|&n| part.push(n - from));
                whole.append(&part, from);
                from = cut;
            }
            prop_assert_eq!(decode(&whole.encode()), numbers);
        }
    }
}
